"""The sandbox's records: orders, certificates (coupons), verifications and prepares.

Plain slotted dataclasses: the sandbox runs on one asyncio loop, so a rule that reads and writes
them without awaiting in between is atomic and needs no lock.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gateway_core.sandbox.data import SHORT_LINK_HOST, Product

# Certificate states, as `coupons()` and the admin routes name them.
USABLE, USED, EXPIRED, REFUNDED = "usable", "used", "expired", "refunded"


@dataclass(slots=True, eq=False)
class Verification:
    verify_id: str
    certificate: Certificate
    verify_time: int
    poi_id: str
    serial_numb: int  # which use of a 次卡 this was (1-based); 1 for other coupons
    verify_token: str | None
    cancelled_at: int = 0  # 0 while the verification stands

    @property
    def active(self) -> bool:
        return not self.cancelled_at


@dataclass(slots=True, eq=False)
class Certificate:
    certificate_id: str
    code: str
    encrypted_code: str
    order_item_id: str
    order: Order
    start_time: int
    expire_time: int
    times_used: int = 0
    refunded_at: int = 0
    updated_at: int = 0
    verifications: list[Verification] = field(default_factory=list)

    @property
    def product(self) -> Product:
        return self.order.product

    @property
    def times_count(self) -> int:
        return self.order.product.times_count

    def state(self, now: float) -> str:
        # A refund or a full use is final; expiry only matters for what is still unused.
        if self.refunded_at:
            return REFUNDED
        if self.times_used >= self.times_count:
            return USED
        if now > self.expire_time:
            return EXPIRED
        return USABLE

    def usable(self, now: float) -> bool:
        return self.state(now) == USABLE

    def latest_verification(self) -> Verification | None:
        for v in reversed(self.verifications):
            if v.active:
                return v
        return None


@dataclass(slots=True, eq=False)
class Order:
    order_id: str
    product: Product
    poi_ids: tuple[str, ...]
    slug: str
    object_id: str
    tag: str
    create_time: int
    pay_time: int
    contact_name: str
    contact_phone: str
    certificates: list[Certificate] = field(default_factory=list)

    @property
    def short_link(self) -> str:
        return f"https://{SHORT_LINK_HOST}/{self.slug}/"

    def usable_certificates(self, now: float) -> list[Certificate]:
        return [c for c in self.certificates if c.usable(now)]

    def has_usable(self, now: float) -> bool:
        return any(c.usable(now) for c in self.certificates)


@dataclass(slots=True, eq=False)
class Prepare:
    """One prepare's promise: these encrypted codes may be verified once with this token."""

    verify_token: str
    order: Order
    encrypted_codes: frozenset[str]
    created_at: float
    consumed: bool = False  # a verify under this token changed state: one prepare, one verify
    verified: dict[str, Verification] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CouponView:
    """A seeded or minted coupon as a demo sheet or a test needs it."""

    tag: str
    order_id: str
    certificate_id: str
    code: str
    encrypted_code: str
    short_link: str
    slug: str
    object_id: str
    title: str
    sku_id: str
    groupon_type: int
    poi_ids: tuple[str, ...]
    state: str
    order_size: int
    times_count: int
    times_used: int
    start_time: int
    expire_time: int
    pay_amount: int

    def to_dict(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.__slots__}
