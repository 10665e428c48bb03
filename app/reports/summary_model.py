"""One breakdown of the day report as a table, with a bold total row at the bottom."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.common.money import yuan
from app.reports.breakdowns import MEASURES, Breakdown, measure_title

Index = QModelIndex | QPersistentModelIndex
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class SummaryTableModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._breakdown: Breakdown | None = None
        self._totals: dict[str, Any] = {}
        self._bold = QFont()
        self._bold.setBold(True)

    def set_breakdown(self, breakdown: Breakdown, totals: dict[str, Any]) -> None:
        self.beginResetModel()
        self._breakdown = breakdown
        self._totals = totals
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        if parent.isValid() or self._breakdown is None:
            return 0
        return len(self._breakdown.rows) + 1  # + the total

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else 1 + len(MEASURES)

    def is_total(self, row: int) -> bool:
        return self._breakdown is not None and row == len(self._breakdown.rows)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or self._breakdown is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._breakdown.key_title if section == 0 else measure_title(MEASURES[section - 1][0])
        if role == Qt.ItemDataRole.TextAlignmentRole and section > 0:
            return RIGHT
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self._breakdown is None:
            return None
        row, column = index.row(), index.column()
        total = self.is_total(row)
        values = self._totals if total else self._breakdown.rows[row]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return self.tr("合计") if total else self._breakdown.labels[row]
            field, money = MEASURES[column - 1]
            value = int(values.get(field) or 0)
            return yuan(value) if money else f"{value:,}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column > 0:
            return RIGHT
        if role == Qt.ItemDataRole.FontRole and total:
            return self._bold
        if role == Qt.ItemDataRole.BackgroundRole and total:
            return QBrush(QColor("#F3F4F6"))
        if role == Qt.ItemDataRole.UserRole and column > 0:
            return int(values.get(MEASURES[column - 1][0]) or 0)  # the raw number (fen or count)
        return None
