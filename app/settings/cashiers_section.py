"""收银员: names, roles and PINs. Managers may undo, open settings and see the day report."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.common.cashiers import cashiers_of
from app.common.errors import describe_error
from app.common.ops import AsyncOp
from app.common.widgets import label, set_status
from app.settings.context import SettingsContext


def pin_edit(placeholder: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMaxLength(8)
    edit.setPlaceholderText(placeholder)
    return edit


class CashiersSection(QWidget):
    def __init__(self, ctx: SettingsContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.service = cashiers_of(ctx.runtime)
        self.cashiers: list[dict[str, Any]] = []
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([self.tr("姓名"), self.tr("角色"), self.tr("状态")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection)

        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("姓名"))
        self.pin = pin_edit(self.tr("PIN(4–8 位数字)"))
        self.role = QComboBox()
        self.role.addItem(self.tr("收银员"), "cashier")
        self.role.addItem(self.tr("店长"), "manager")
        self.add_button = QPushButton(self.tr("添加"))
        self.add_button.clicked.connect(self.add)

        self.new_pin = pin_edit(self.tr("新 PIN"))
        self.pin_button = QPushButton(self.tr("修改 PIN"))
        self.pin_button.clicked.connect(self.change_pin)
        self.active_button = QPushButton(self.tr("停用"))
        self.active_button.clicked.connect(self.toggle_active)
        self.status = label(wrap=True)

        add_row = QHBoxLayout()
        for w in (self.name, self.pin, self.role, self.add_button):
            add_row.addWidget(w)
        edit_row = QHBoxLayout()
        for w in (self.new_pin, self.pin_button, self.active_button):
            edit_row.addWidget(w)
        edit_row.addStretch(1)
        layout = QVBoxLayout(self)
        intro = self.tr(
            "设置收银员后,程序启动时需选择收银员并输入 PIN。店长可撤销核销、查看日报、修改设置。PIN 只保存加盐哈希。"
        )
        layout.addWidget(label(intro, name="mutedText", wrap=True))
        layout.addWidget(self.table, 1)
        layout.addWidget(label(self.tr("添加收银员"), name="sectionTitle"))
        layout.addLayout(add_row)
        layout.addWidget(label(self.tr("选中的收银员"), name="sectionTitle"))
        layout.addLayout(edit_row)
        layout.addWidget(self.status)
        self._selection()
        self.refresh()

    def refresh(self) -> None:
        AsyncOp(self, self.service.list_cashiers, "list-cashiers").success(self._show).run()

    def _show(self, cashiers: list[dict[str, Any]]) -> None:
        self.cashiers = cashiers
        self.table.setRowCount(len(cashiers))
        for r, c in enumerate(cashiers):
            role = self.tr("店长") if c["role"] == "manager" else self.tr("收银员")
            state = self.tr("在职") if c["active"] else self.tr("已停用")
            for col, text in enumerate((c["name"], role, state)):
                self.table.setItem(r, col, QTableWidgetItem(text))
        self._selection()

    def selected(self) -> dict[str, Any] | None:
        rows = self.table.selectionModel().selectedRows()
        return self.cashiers[rows[0].row()] if rows and rows[0].row() < len(self.cashiers) else None

    def _selection(self) -> None:
        c = self.selected()
        for w in (self.new_pin, self.pin_button, self.active_button):
            w.setEnabled(c is not None)
        if c is not None:
            self.active_button.setText(self.tr("停用") if c["active"] else self.tr("启用"))

    def _failed(self, exc: BaseException) -> None:
        set_status(self.status, describe_error(exc), "warning")

    def add(self) -> None:
        name, pin, role = self.name.text().strip(), self.pin.text(), str(self.role.currentData())
        by = self.ctx.session.cashier_name

        def added(c: dict[str, Any]) -> None:
            self.name.clear()
            self.pin.clear()
            set_status(self.status, self.tr("已添加 {name}").format(name=c["name"]), "ok")
            self.refresh()

        AsyncOp(self, lambda: self.service.add_cashier(name, pin, role, by=by), "add-cashier").busy(
            self.add_button.setDisabled
        ).success(added).failure(self._failed).run()

    def change_pin(self) -> None:
        c = self.selected()
        if c is None:
            return
        pin, by = self.new_pin.text(), self.ctx.session.cashier_name

        def changed(_c: dict[str, Any]) -> None:
            self.new_pin.clear()
            set_status(self.status, self.tr("已修改 {name} 的 PIN").format(name=c["name"]), "ok")

        AsyncOp(self, lambda: self.service.update_cashier(c["id"], by=by, pin=pin), "cashier-pin").success(
            changed
        ).failure(self._failed).run()

    def toggle_active(self) -> None:
        c = self.selected()
        if c is None:
            return
        by = self.ctx.session.cashier_name
        AsyncOp(
            self, lambda: self.service.update_cashier(c["id"], by=by, active=not c["active"]), "cashier-active"
        ).success(lambda _c: self.refresh()).failure(self._failed).run()
