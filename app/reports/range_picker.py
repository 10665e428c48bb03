"""A date range with the quick choices a manager uses most: 今天 / 昨天 / 本周 / 本月.

Dates are the store's calendar days (DYGW_TIMEZONE), not the PC's, so "today" on a counter
whose clock is set to another zone still means the store's day.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, tzinfo

from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtWidgets import QDateEdit, QHBoxLayout, QLabel, QPushButton, QWidget

from app.reports.ranges import QuickRange, quick_range


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class RangePicker(QWidget):
    range_changed = Signal(object, object)  # (date, date), inclusive

    def __init__(self, zone: tzinfo, parent: QWidget | None = None,
                 today: Callable[[], date] | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self._today = today or (lambda: datetime.now(zone).date())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.buttons: dict[QuickRange, QPushButton] = {}
        for which, text in (
            (QuickRange.TODAY, self.tr("今天")),
            (QuickRange.YESTERDAY, self.tr("昨天")),
            (QuickRange.THIS_WEEK, self.tr("本周")),
            (QuickRange.THIS_MONTH, self.tr("本月")),
        ):
            button = QPushButton(text, self)
            button.setCheckable(True)
            button.setObjectName("quickRange")
            button.clicked.connect(lambda _checked=False, w=which: self.choose(w))
            layout.addWidget(button)
            self.buttons[which] = button
        self.start_edit = self._date_edit()
        self.end_edit = self._date_edit()
        layout.addSpacing(8)
        layout.addWidget(self.start_edit)
        layout.addWidget(QLabel(self.tr("至"), self))
        layout.addWidget(self.end_edit)
        self._quiet = False
        self._quick: QuickRange | None = None
        # A screen left open overnight: "today" must become the new day by itself, or the night's
        # first redemptions would fall outside the range on screen.
        self._day = self._today()
        self._midnight = QTimer(self)
        self._midnight.setInterval(30_000)
        self._midnight.timeout.connect(self._check_day)
        self._midnight.start()
        self.choose(QuickRange.TODAY, emit=False)

    def _date_edit(self) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.dateChanged.connect(self._edited)
        return edit

    def range(self) -> tuple[date, date]:
        start, end = _pydate(self.start_edit.date()), _pydate(self.end_edit.date())
        return (start, end) if start <= end else (end, start)

    def choose(self, which: QuickRange, emit: bool = True) -> None:
        start, end = quick_range(which, self._today())
        self.set_range(start, end, emit=emit)
        self._quick = which

    def _check_day(self) -> None:
        today = self._today()
        if today == self._day:
            return
        self._day = today
        if self._quick is not None:
            self.choose(self._quick)

    def set_range(self, start: date, end: date, emit: bool = True) -> None:
        self._quick = None
        self._quiet = True
        self.start_edit.setDate(_qdate(start))
        self.end_edit.setDate(_qdate(end))
        self._quiet = False
        self._mark_quick()
        if emit:
            self.range_changed.emit(*self.range())

    def _edited(self) -> None:
        if self._quiet:
            return
        self._quick = None
        self._mark_quick()
        self.range_changed.emit(*self.range())

    def _mark_quick(self) -> None:
        current = self.range()
        today = self._today()
        for which, button in self.buttons.items():
            button.setChecked(quick_range(which, today) == current)
