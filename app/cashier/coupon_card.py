"""The coupon the customer showed, as the cashier checks it before redeeming."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from app.common.money import yuan
from app.common.widgets import label, no_focus
from app.i18n import is_english
from gateway_core.service.models import GROUPON_TYPES, PreparedCoupon


def _date(value: datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d") if value else "—"


class CouponCard(QFrame):
    confirm_clicked = Signal()
    cancel_clicked = Signal()
    step_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("couponCard")
        self.type_badge = label(name="typeBadge")
        self.title = label(name="cardTitle", wrap=True)
        self.paid = label(name="amountValue")
        self.value = label(name="amountValue")
        self.original = label(name="amountValueMuted")
        self.validity = label(name="cardMeta")
        self.usable = label(name="cardMeta")
        self.count = label(name="countValue")
        self.count.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.total = label(name="cardTotal", wrap=True)
        self.keys_hint = label(self.tr("+ / − 调整张数   回车 确认核销   Esc 取消"), name="keysHint")

        self.minus = QPushButton("−")
        self.plus = QPushButton("+")
        self.confirm = QPushButton(self.tr("确认核销  (回车)"))
        self.cancel = QPushButton(self.tr("取消  (Esc)"))
        self.confirm.setObjectName("primaryButton")
        for b in (self.minus, self.plus):
            b.setObjectName("stepButton")
            b.setFixedSize(56, 56)  # a round target a thumb can hit on a touch screen
        no_focus(self.minus, self.plus, self.confirm, self.cancel)
        self.minus.clicked.connect(lambda: self.step_clicked.emit(-1))
        self.plus.clicked.connect(lambda: self.step_clicked.emit(1))
        self.confirm.clicked.connect(self.confirm_clicked)
        self.cancel.clicked.connect(self.cancel_clicked)

        head = QHBoxLayout()
        head.addWidget(self.type_badge, 0, Qt.AlignmentFlag.AlignTop)
        head.addWidget(self.title, 1)

        amounts = QGridLayout()
        amounts.setHorizontalSpacing(40)
        for col, (caption, value) in enumerate(
            ((self.tr("顾客实付"), self.paid), (self.tr("券面值"), self.value), (self.tr("原价"), self.original))
        ):
            amounts.addWidget(label(caption, name="amountCaption"), 0, col)
            amounts.addWidget(value, 1, col)
        amounts.setColumnStretch(3, 1)

        stepper = QHBoxLayout()
        stepper.addWidget(label(self.tr("本次核销"), name="amountCaption"))
        stepper.addWidget(self.minus)
        stepper.addWidget(self.count)
        stepper.addWidget(self.plus)
        self.unit = label(self.tr("张", None, 1), name="amountCaption")
        stepper.addWidget(self.unit)
        stepper.addStretch(1)

        buttons = QHBoxLayout()
        buttons.addWidget(self.keys_hint, 1)
        buttons.addWidget(self.cancel)
        buttons.addWidget(self.confirm)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 22, 28, 22)
        layout.setSpacing(14)
        layout.addLayout(head)
        layout.addLayout(amounts)
        meta = QHBoxLayout()
        meta.addWidget(self.validity)
        meta.addSpacing(32)
        meta.addWidget(self.usable)
        meta.addStretch(1)
        layout.addLayout(meta)
        layout.addLayout(stepper)
        layout.addWidget(self.total)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self._prepared: PreparedCoupon | None = None

    def show_coupon(self, prepared: PreparedCoupon) -> None:
        self._prepared = prepared
        first = prepared.cards[0]
        kind = GROUPON_TYPES.get(first.groupon_type, ("团购券", "Coupon"))
        self.type_badge.setText(kind[1] if is_english() else kind[0])
        self.title.setText(first.title)
        self.paid.setText(yuan(first.pay_amount))
        self.value.setText(yuan(first.coupon_value))
        self.original.setText(yuan(first.original_amount))
        if first.valid_from:
            period = self.tr("有效期 {start} 至 {end}").format(
                start=_date(first.valid_from), end=_date(first.valid_until)
            )
        else:
            period = self.tr("有效期至 {end}").format(end=_date(first.valid_until))
        self.validity.setText(period)
        self.usable.setText(self.tr("本单可用 {n} 张").format(n=prepared.usable_count))
        many = prepared.usable_count > 1
        self.minus.setVisible(many)
        self.plus.setVisible(many)

    def show_count(self, count: int) -> None:
        self.count.setText(str(count))
        self.unit.setText(self.tr("张", None, count))  # English: "coupon" / "coupons"
        if self._prepared is None:
            return
        cards = self._prepared.cards[:count]
        self.minus.setEnabled(count > 1)
        self.plus.setEnabled(count < self._prepared.usable_count)
        self.total.setText(
            self.tr("合计 实付 {paid} · 券面值 {value}").format(
                paid=yuan(sum(c.pay_amount for c in cards)), value=yuan(sum(c.coupon_value for c in cards))
            )
        )
