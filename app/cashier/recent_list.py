"""The counter's last few redemptions, newest first; pending lines update themselves."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from app.cashier.controller import RecentEntry
from app.common.money import yuan
from app.common.widgets import label

COLOURS = {"success": "#17803D", "failure": "#B3261E", "pending": "#8A5A00", "duplicate": "#1E56B5"}


class RecentList(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setObjectName("recentList")
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.list.setWordWrap(True)
        self.empty = label(self.tr("还没有核销记录"), name="mutedText")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label(self.tr("最近核销"), name="sectionTitle"))
        layout.addWidget(self.empty)
        layout.addWidget(self.list, 1)
        layout.addStretch(0)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)

    def _status(self, kind: str, count: int) -> str:
        return {
            "success": self.tr("✓ 成功 {n} 张").format(n=count),
            "failure": self.tr("✗ 失败"),
            "pending": self.tr("… 确认中"),
        }.get(kind, kind)

    def show_entries(self, entries: Iterable[RecentEntry]) -> None:
        self.list.clear()
        n = 0
        for entry in entries:
            r = entry.result
            amount = f"  {yuan(r.amount)}" if r.kind == "success" else ""
            text = f"{entry.at:%H:%M:%S}  {self._status(r.kind, r.count)}{amount}\n{entry.title}"
            if r.kind == "failure" and r.reason:
                text += f"\n{r.reason}"
            item = QListWidgetItem(text)
            item.setForeground(QBrush(QColor(COLOURS.get(r.kind, "#1F2937"))))
            item.setData(Qt.ItemDataRole.UserRole, r.kind)
            self.list.addItem(item)
            n += 1
        self.empty.setVisible(n == 0)
        self.list.setVisible(n > 0)
