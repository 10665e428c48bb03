"""The day report's headline figures as cards a manager reads at a glance."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.common.money import yuan
from app.reports.breakdowns import MEASURES, measure_title


class TotalsBar(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.values: dict[str, QLabel] = {}
        for field, _money in MEASURES:
            card = QFrame(self)
            card.setObjectName("totalCard")
            inner = QVBoxLayout(card)
            caption = QLabel(measure_title(field), card)
            caption.setObjectName("totalCaption")
            value = QLabel("—", card)
            value.setObjectName("totalValue")
            inner.addWidget(caption)
            inner.addWidget(value)
            layout.addWidget(card, 1)
            self.values[field] = value

    def set_totals(self, totals: dict[str, Any]) -> None:
        for field, money in MEASURES:
            value = int(totals.get(field) or 0)
            self.values[field].setText(yuan(value) if money else f"{value:,}")
