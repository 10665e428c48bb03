"""How ledger values read on screen: local times, masked codes, status words (money: app.common.money).

Kept apart from the widgets so the model, the export preview and the day report format alike.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

from gateway_core.clock import parse_iso

STATUSES: tuple[str, ...] = ("success", "processing", "failed", "cancelled")

# Colours a manager reads at a glance; dark enough to stay readable on a white row.
STATUS_COLOURS: dict[str, str] = {
    "success": "#1b7f3b",
    "processing": "#b26a00",
    "failed": "#c62828",
    "cancelled": "#6d6d6d",
}


def status_label(status: str) -> str:
    """The status word in the UI language (Chinese source strings, translated by Qt Linguist)."""
    labels = {
        "success": QCoreApplication.translate("history", "核销成功"),
        "processing": QCoreApplication.translate("history", "确认中"),
        "failed": QCoreApplication.translate("history", "核销失败"),
        "cancelled": QCoreApplication.translate("history", "已撤销"),
    }
    return labels.get(status, status)


def status_colour(status: str) -> QColor:
    return QColor(STATUS_COLOURS.get(status, "#333333"))


def mask_code(code: str | None, keep: int = 4) -> str:
    """Only the tail of a coupon code is shown: enough to match a customer's phone, not to reuse it."""
    if not code:
        return ""
    return "****" + code[-keep:]


def store_zone(name: str | None) -> tzinfo:
    try:
        return ZoneInfo(name or "Asia/Shanghai")
    except (KeyError, ValueError):  # an unknown zone name must not stop the history from opening
        return ZoneInfo("Asia/Shanghai")


def local_time(text: str | None, zone: tzinfo, fmt: str = "%Y-%m-%d %H:%M:%S") -> str:
    if not text:
        return ""
    return parse_iso(text).astimezone(zone).strftime(fmt)


def local_datetime(text: str | None, zone: tzinfo) -> datetime | None:
    return parse_iso(text).astimezone(zone) if text else None


def countdown_text(seconds: float) -> str:
    """`59:07` or `1:02:03`: the undo window left, shown beside the button."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
