"""The history's filters: date range, status, store (POI), cashier, and a search box.

Emits a ready VerificationFilter; the choices of stores and cashiers come from the ledger (the
ones that have rows), so a manager never picks a cashier who never redeemed anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, tzinfo

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from app.common.session import display_name
from app.history.formatting import STATUSES, status_label
from app.reports.range_picker import RangePicker
from gateway_core.ledger import VerificationFilter, day_range

SEARCH_DELAY_MS = 300  # typing a code tail should not read the ledger on every key


class FilterBar(QWidget):
    changed = Signal(object)  # VerificationFilter

    def __init__(self, zone: tzinfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._zone = zone
        self.range_picker = RangePicker(zone, self)
        self.status = QComboBox(self)
        self.status.addItem(self.tr("全部状态"), None)
        for status in STATUSES:
            self.status.addItem(status_label(status), status)
        self.poi = QComboBox(self)
        self.cashier = QComboBox(self)
        self.set_pois([])
        self.set_cashiers([])
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("券码后几位 / 订单号"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(180)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._emit)

        top = QHBoxLayout()
        top.addWidget(self.range_picker)
        top.addStretch(1)
        bottom = QHBoxLayout()
        for widget in (self.status, self.poi, self.cashier):
            widget.setMinimumContentsLength(8)
            bottom.addWidget(widget)
        bottom.addWidget(self.search, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(bottom)

        self.range_picker.range_changed.connect(self._emit)
        for combo in (self.status, self.poi, self.cashier):
            combo.currentIndexChanged.connect(self._emit)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self._emit)

    def set_pois(self, pois: Iterable[str], names: Mapping[str, str] | None = None) -> None:
        self._refill(self.poi, self.tr("全部门店"), pois, names or {})

    def set_cashiers(self, names: Iterable[str]) -> None:
        names = list(names)
        self._refill(self.cashier, self.tr("全部收银员"), names, {n: display_name(n) for n in names})

    @staticmethod
    def _refill(combo: QComboBox, all_text: str, values: Iterable[str], labels: Mapping[str, str]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)  # refreshing the choices is not a change of filter
        combo.clear()
        combo.addItem(all_text, None)
        for value in sorted({v for v in values if v}, key=lambda v: labels.get(v, v)):
            combo.addItem(labels.get(value, value), value)
        found = combo.findData(current) if current is not None else 0
        combo.setCurrentIndex(max(0, found))
        combo.blockSignals(False)

    def current_filter(self) -> VerificationFilter:
        start_day, end_day = self.range_picker.range()
        search = self.search.text().strip().replace(" ", "")
        return VerificationFilter(
            start=self._day_start(start_day),
            end=day_range(end_day, self._zone)[1],
            status=self.status.currentData(),
            poi_id=self.poi.currentData(),
            operator=self.cashier.currentData(),
            search=search or None,
        )

    def _day_start(self, day: date) -> datetime:
        return day_range(day, self._zone)[0]

    def _emit(self) -> None:
        self._search_timer.stop()
        self.changed.emit(self.current_filter())
