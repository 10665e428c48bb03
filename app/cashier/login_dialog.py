"""Choose the cashier and enter the PIN (at start and at a change of shift)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.common.cashiers import check_pin
from app.common.errors import describe_error
from app.common.ops import AsyncOp
from app.common.session import DEMO_CASHIER, Session, display_name
from app.common.widgets import label, set_status


class LoginDialog(QDialog):
    quit_requested = Signal()

    def __init__(
        self,
        runtime: Any,
        session: Session,
        cashiers: list[dict[str, Any]],
        *,
        may_skip: bool,
        may_cancel: bool,
        preselect: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("收银员登录"))
        self.setModal(True)
        self.setMinimumWidth(420)
        self.runtime = runtime
        self.session = session
        self._may_cancel = may_cancel
        self.who = QComboBox()
        for c in cashiers:
            if c.get("active"):
                role = self.tr("店长") if c["role"] == "manager" else self.tr("收银员")
                self.who.addItem(f"{c['name']}({role})", c["name"])
        index = self.who.findData(preselect)
        if index >= 0:
            self.who.setCurrentIndex(index)
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(8)
        self.pin.setPlaceholderText(self.tr("PIN"))
        self.pin.returnPressed.connect(self.login)
        self.status = label(wrap=True)
        self.login_button = QPushButton(self.tr("登录"))
        self.login_button.setDefault(True)
        self.login_button.setObjectName("primaryButton")
        self.login_button.clicked.connect(self.login)
        buttons = QHBoxLayout()
        if may_skip:
            skip = QPushButton(self.tr("跳过,以“{name}”练习").format(name=display_name(DEMO_CASHIER)))
            skip.clicked.connect(self.skip)
            buttons.addWidget(skip)
        if may_cancel:
            cancel = QPushButton(self.tr("取消"))
            cancel.clicked.connect(self.reject)
            buttons.addWidget(cancel)
        else:
            leave = QPushButton(self.tr("退出程序"))
            leave.clicked.connect(self.quit_requested)
            buttons.addWidget(leave)
        buttons.addStretch(1)
        buttons.addWidget(self.login_button)
        form = QFormLayout()
        form.addRow(self.tr("收银员"), self.who)
        form.addRow(self.tr("PIN"), self.pin)
        layout = QVBoxLayout(self)
        layout.addWidget(label(self.tr("请选择收银员并输入 PIN"), name="sectionTitle"))
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.pin.setFocus()

    def login(self) -> None:
        name, pin = str(self.who.currentData() or ""), self.pin.text()
        if not name or not pin:
            set_status(self.status, self.tr("请选择收银员并输入 PIN"), "warning")
            return

        def checked(cashier: dict[str, Any] | None) -> None:
            if cashier is None:
                self.pin.clear()
                set_status(self.status, self.tr("PIN 不正确"), "warning")
                return
            self.session.switch(cashier["name"], cashier["role"], cashier["id"])
            self.accept()

        def failed(exc: BaseException) -> None:
            set_status(self.status, describe_error(exc), "warning")

        AsyncOp(self, lambda: check_pin(self.runtime, name, pin), "login").busy(self.login_button.setDisabled).success(
            checked
        ).failure(failed).run()

    def skip(self) -> None:
        self.session.switch(DEMO_CASHIER, "manager", None)
        self.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # At start-up there is nobody to fall back to: Esc must not dismiss the login.
        if event.key() == Qt.Key.Key_Escape and not self._may_cancel:
            event.accept()
            return
        super().keyPressEvent(event)

    def reject(self) -> None:
        if self._may_cancel:
            super().reject()
