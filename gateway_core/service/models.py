"""What the service hands to its two doors (HTTP server and desktop app)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from gateway_core.service.errors import ServiceError

GROUPON_TYPES = {1: ("团餐券", "Set meal"), 2: ("代金券", "Cash voucher"), 3: ("次卡", "Multi-visit card")}
MULTI_VISIT = 3  # groupon_type of a 次卡: one certificate, verified once per visit

InputMode = Literal["short_link", "code", "encrypted_code"]


@dataclass(frozen=True)
class AppIdentity:
    """Who is asking: a verifier app (the desktop counter is the built-in app `counter`)."""

    id: int
    name: str
    allow_token_read: bool = False


@dataclass(frozen=True)
class CouponCard:
    """One usable certificate as the cashier sees it before confirming."""

    encrypted_code: str
    certificate_id: str | None
    title: str
    groupon_type: int
    sku_id: str
    pay_amount: int
    coupon_value: int
    original_amount: int
    valid_from: datetime | None
    valid_until: datetime | None

    @property
    def type_label(self) -> str:
        return GROUPON_TYPES.get(self.groupon_type, ("团购券", "Coupon"))[0]


@dataclass(frozen=True)
class PreparedCoupon:
    """The answer of one Douyin prepare: spend it on at most one verify (prepare:verify is 1:1)."""

    poi_id: str
    mode: InputMode
    order_id: str
    verify_token: str
    cards: tuple[CouponCard, ...]
    raw: dict[str, Any]
    prepared_at: datetime
    input_key: str = ""

    @property
    def usable_count(self) -> int:
        return len(self.cards)


@dataclass
class VerifyOutcome:
    """A verify's result: `status` is what the HTTP door answers (200, 422, 502, 504)."""

    status: int
    items: list[dict[str, Any]]
    error: ServiceError | None = None
    replayed: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def data(self) -> dict[str, Any] | None:
        return self.items[0] if self.items else None

    @property
    def success_count(self) -> int:
        return sum(1 for i in self.items if i.get("verify_status") == "success")

    @property
    def redeemed_amount(self) -> int:
        return sum(int(i.get("pay_amount") or 0) for i in self.items if i.get("verify_status") == "success")
