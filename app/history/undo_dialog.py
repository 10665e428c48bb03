"""The confirmation before an undo (撤销核销): what will be undone, how long Douyin still allows it,
an optional reason, and a manager's name and PIN when the cashier is not a manager.

Opened with `open()`, answered through `finished` (never `exec()`: a nested loop would stall the
asyncio loop). The PIN is checked before the dialog closes, so a wrong PIN keeps it open.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, tzinfo

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.common.errors import describe_error
from app.common.money import yuan
from app.common.ops import AsyncOp
from app.common.widgets import repolish
from app.history.formatting import local_time, mask_code
from app.history.rows import HistoryRow
from app.history.style import UNDO_DIALOG_QSS
from app.history.undo_gate import undo_state
from gateway_core.clock import utc_now

PinCheck = Callable[[str, str], Awaitable[bool]]


class UndoDialog(QDialog):
    def __init__(
        self,
        row: HistoryRow,
        deadline: datetime | None,
        zone: tzinfo,
        managers: Sequence[str],
        check_pin: PinCheck | None,
        parent: QWidget | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("undoDialog")
        self.setMinimumWidth(460)
        self.setWindowTitle(self.tr("撤销核销"))
        self.setModal(True)
        self.row = row
        self._deadline = deadline
        self._clock = clock
        self._check_pin = check_pin
        self.approved_by: str | None = None

        title = QLabel(self.tr("确定撤销这笔核销吗?"), self)
        title.setObjectName("dialogTitle")
        warning = QLabel(self.tr("撤销后券会退回顾客账户,可以再次使用;此操作会记录操作人和授权人。"), self)
        warning.setWordWrap(True)
        facts = QFormLayout()
        facts.addRow(self.tr("商品"), QLabel(row.product or "—", self))
        facts.addRow(self.tr("实付金额"), QLabel(yuan(row.pay_amount), self))
        facts.addRow(self.tr("券码"), QLabel(mask_code(row.code_tail) or "—", self))
        facts.addRow(self.tr("订单号"), QLabel(row.order_id or "—", self))
        facts.addRow(self.tr("核销时间"), QLabel(local_time(row.verified_at or row.created_at, zone), self))
        facts.addRow(self.tr("收银员"), QLabel(row.operator or "—", self))
        self.countdown = QLabel(self)
        self.countdown.setObjectName("undoCountdown")
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(self.tr("撤销原因(选填),如:顾客退单、扫错券"))
        self.reason.setMaxLength(100)

        self.manager = QComboBox(self)
        self.manager.addItems(list(managers))
        self.pin = QLineEdit(self)
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setPlaceholderText(self.tr("店长密码"))
        self.pin.setMaxLength(32)
        self.approval = QGroupBox(self.tr("需要店长授权"), self)
        approval_form = QFormLayout(self.approval)
        approval_form.addRow(self.tr("店长"), self.manager)
        approval_form.addRow(self.tr("密码"), self.pin)
        self.approval.setVisible(check_pin is not None)

        self.error = QLabel(self)
        self.error.setObjectName("warningText")
        self.error.setWordWrap(True)
        self.error.hide()

        self.buttons = QDialogButtonBox(self)
        self.confirm: QPushButton = self.buttons.addButton(self.tr("确认撤销"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.confirm.setObjectName("dangerButton")
        self.cancel: QPushButton = self.buttons.addButton(self.tr("不撤销"), QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel.setDefault(True)  # Enter on a busy counter must not undo by accident
        self.buttons.accepted.connect(self._confirm)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(warning)
        layout.addLayout(facts)
        layout.addWidget(self.countdown)
        layout.addWidget(self.reason)
        layout.addWidget(self.approval)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)
        self._timer.start()
        self._checking = False
        # Last, once every child has its object name: a child is polished when it joins a parent
        # that already has a sheet, and a later name change would not restyle it.
        self.setStyleSheet(UNDO_DIALOG_QSS)
        self._tick()
        if check_pin is not None:
            self.pin.setFocus()

    @property
    def reason_text(self) -> str | None:
        return self.reason.text().strip() or None

    def _tick(self) -> None:
        state = undo_state(self.row, self._deadline, self._clock())
        self.countdown.setText(state.text)
        if self.countdown.property("expired") != (not state.allowed):
            self.countdown.setProperty("expired", not state.allowed)
            repolish(self.countdown)
        self.confirm.setEnabled(state.allowed and not self._checking)
        if not state.allowed:
            self._timer.stop()

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def _confirm(self) -> None:
        if not undo_state(self.row, self._deadline, self._clock()).allowed:
            self._tick()
            return
        if self._check_pin is None:
            self.accept()
            return
        name, pin = self.manager.currentText(), self.pin.text()
        if not name or not pin:
            self._show_error(self.tr("请选择店长并输入密码"))
            return
        check = self._check_pin
        AsyncOp(self, lambda: check(name, pin), name="undo-approval").busy(self._set_checking).success(
            lambda ok: self._approved(name) if ok else self._refused()
        ).failure(lambda exc: self._show_error(describe_error(exc))).run()

    def _set_checking(self, busy: bool) -> None:
        self._checking = busy
        self.confirm.setText(self.tr("正在核对…") if busy else self.tr("确认撤销"))
        self._tick()

    def _approved(self, name: str) -> None:
        self.approved_by = name
        self.accept()

    def _refused(self) -> None:
        self.pin.clear()
        self.pin.setFocus()
        self._show_error(self.tr("店长密码不正确"))

    def done(self, result: int) -> None:
        self._timer.stop()
        super().done(result)
