"""Training mode only: the sandbox's test coupons, one click to put a code or link in the box."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from app.common.widgets import label


def _field(coupon: Any, name: str, default: Any = "") -> Any:
    if isinstance(coupon, dict):
        return coupon.get(name, default)
    return getattr(coupon, name, default)


class PracticePanel(QWidget):
    picked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("practicePanel")
        self.tree = QTreeWidget()
        self.tree.setObjectName("practiceList")
        self.tree.setHeaderHidden(True)
        self.tree.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.tree.setIndentation(14)
        self.tree.itemClicked.connect(self._clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label(self.tr("练习用测试券"), name="sectionTitle"))
        layout.addWidget(label(self.tr("点一下券码或短链接即可填入,再按回车"), name="mutedText", wrap=True))
        layout.addWidget(self.tree, 1)
        self._shown: list[Any] | None = None

    def show_coupons(self, coupons: Iterable[Any]) -> None:
        wanted = list(coupons)
        if wanted == self._shown:
            # Refreshed after every answer: rebuilding an unchanged tree cost ~2 ms plus a repaint
            # of the side panel on the scan-to-answer path (bench_app).
            return
        self._shown = wanted
        self.tree.clear()
        for coupon in wanted:
            state = str(_field(coupon, "state", "") or "")
            top = QTreeWidgetItem([f"{_field(coupon, 'title')}" + (f"  [{state}]" if state else "")])
            for caption, value in (
                (self.tr("券码"), _field(coupon, "code")),
                (self.tr("短链"), _field(coupon, "short_link")),
            ):
                if value:
                    child = QTreeWidgetItem([f"{caption}  {value}"])
                    child.setData(0, Qt.ItemDataRole.UserRole, str(value))
                    child.setToolTip(0, str(value))
                    top.addChild(child)
            self.tree.addTopLevelItem(top)
            top.setExpanded(True)

    def _clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        value = item.data(0, Qt.ItemDataRole.UserRole)
        if value:
            self.picked.emit(str(value))
