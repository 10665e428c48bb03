"""The quick date ranges of the day report (今天/昨天/本周/本月), in the store's time zone.

Ranges are inclusive calendar dates; the core turns a date into that whole day (contract §4).
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import Enum


class QuickRange(Enum):
    TODAY = "today"
    YESTERDAY = "yesterday"
    THIS_WEEK = "week"
    THIS_MONTH = "month"


def quick_range(which: QuickRange, today: date) -> tuple[date, date]:
    if which is QuickRange.TODAY:
        return today, today
    if which is QuickRange.YESTERDAY:
        day = today - timedelta(days=1)
        return day, day
    if which is QuickRange.THIS_WEEK:  # Chinese calendars start the week on Monday
        return today - timedelta(days=today.weekday()), today
    return today.replace(day=1), today


def days_between(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]
