"""May this row be undone now, and for how long still? One answer for the button, the countdown
and the confirmation dialog, so they never disagree."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QCoreApplication

from app.history.formatting import countdown_text
from app.history.rows import HistoryRow


@dataclass(frozen=True)
class UndoState:
    allowed: bool
    text: str  # the countdown when allowed, else why not
    seconds_left: float = 0.0


def undo_state(row: HistoryRow | None, deadline: datetime | None, now: datetime) -> UndoState:
    if row is None:
        return UndoState(False, QCoreApplication.translate("history", "选择一条核销成功的记录即可撤销"))
    if row.status == "cancelled":
        return UndoState(False, QCoreApplication.translate("history", "这条核销已撤销"))
    if row.status != "success":
        return UndoState(False, QCoreApplication.translate("history", "只有核销成功的记录可以撤销"))
    if deadline is None:
        return UndoState(False, QCoreApplication.translate("history", "缺少核销时间,无法撤销"))
    left = (deadline - now).total_seconds()
    if left <= 0:
        return UndoState(False, QCoreApplication.translate("history", "已超过抖音允许的撤销时限"))
    text = QCoreApplication.translate("history", "可撤销,剩余 {left}")
    return UndoState(True, text.format(left=countdown_text(left)), left)
