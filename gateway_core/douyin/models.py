"""Typed answers of the Douyin calls, parsed leniently from Douyin's JSON (see `lenient`).

Each result keeps `raw`, Douyin's JSON unchanged, so the ledger can store exactly what was said.
IDs stay strings (19-digit numbers lose precision as floats), money is in fen, times are UTC
datetimes or None.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from gateway_core.douyin.lenient import (
    as_bool,
    as_dict,
    as_int,
    as_list,
    as_opt_str,
    as_str,
    as_time,
)
from gateway_core.douyin.redact import mask

CouponStatus = Literal["unused", "verified", "cancelled", "refunded", "expired", "unknown"]

# certificate/get and certificate/query `status`. Only 1 (usable) and 2 (verified) are seen in real
# answers / fixtures. 3 and 4 are a GUESS (UNCONFIRMED upstream, spec section 17.3), the same one the
# sandbox makes, kept here so the guess lives in one place. A cancelled verification gives the coupon
# back (status 1 again), so no certificate status maps to "cancelled"; anything unlisted is "unknown"
# and the service must not act on it as if it were known.
CERTIFICATE_STATUSES: dict[int, CouponStatus] = {
    1: "unused",
    2: "verified",
    3: "expired",
    4: "refunded",
}

# trade/order/query `certificate[].item_status`. Only 401 is seen (an SDK fixture, on an order with no
# pay_time); what the values mean is a GUESS (UNCONFIRMED upstream, spec sections 9 and 17.4), the same
# one the sandbox makes, kept here so the guess lives in one place. The enrichment counts "verified".
ORDER_ITEM_STATUSES: dict[int, CouponStatus] = {
    401: "unused",
    402: "verified",
    403: "refunded",
    404: "expired",
}

# verify_results[].result values that mean the coupon is (now) verified: 0 by this call, 1208 / 2 by
# an earlier attempt with the same verify_token (Douyin's documented answer to a retried verify).
ALREADY_VERIFIED_RESULTS = frozenset({1208, 2})


@dataclass(frozen=True)
class Amount:
    """Money of one certificate, in fen; fields Douyin did not send are 0."""

    original_amount: int = 0
    list_market_amount: int = 0
    pay_amount: int = 0
    coupon_pay_amount: int = 0
    merchant_ticket_amount: int = 0
    payment_discount_amount: int = 0
    platform_discount_amount: int = 0

    @classmethod
    def from_json(cls, value: Any) -> Amount:
        d = as_dict(value)
        return cls(
            original_amount=as_int(d.get("original_amount")),
            list_market_amount=as_int(d.get("list_market_amount")),
            pay_amount=as_int(d.get("pay_amount")),
            coupon_pay_amount=as_int(d.get("coupon_pay_amount")),
            merchant_ticket_amount=as_int(d.get("merchant_ticket_amount")),
            payment_discount_amount=as_int(d.get("payment_discount_amount")),
            platform_discount_amount=as_int(d.get("platform_discount_amount")),
        )


@dataclass(frozen=True)
class Sku:
    sku_id: str = ""
    title: str = ""
    groupon_type: int = 0  # 1 团餐券, 2 代金券, 3 次卡
    market_price: int = 0
    third_sku_id: str = ""
    account_id: str = ""
    sold_start_time: datetime | None = None

    @classmethod
    def from_json(cls, value: Any) -> Sku:
        d = as_dict(value)
        return cls(
            sku_id=as_str(d.get("sku_id")),
            title=as_str(d.get("title")),
            groupon_type=as_int(d.get("groupon_type")),
            market_price=as_int(d.get("market_price")),
            third_sku_id=as_str(d.get("third_sku_id")),
            account_id=as_str(d.get("account_id")),
            sold_start_time=as_time(d.get("sold_start_time")),
        )


@dataclass(frozen=True)
class TimeCard:
    """次卡 usage (only sent for multi-visit cards; UNCONFIRMED in current prepare answers)."""

    times_count: int = 0
    times_used: int = 0

    @classmethod
    def from_json(cls, value: Any) -> TimeCard | None:
        if not isinstance(value, dict):
            return None
        return cls(times_count=as_int(value.get("times_count")), times_used=as_int(value.get("times_used")))


@dataclass(frozen=True)
class PreparedCertificate:
    encrypted_code: str
    certificate_id: str | None
    start_time: datetime | None
    expire_time: datetime | None
    amount: Amount
    sku: Sku
    time_card: TimeCard | None = None

    @classmethod
    def from_json(cls, value: Any) -> PreparedCertificate:
        d = as_dict(value)
        return cls(
            encrypted_code=as_str(d.get("encrypted_code")),
            certificate_id=as_opt_str(d.get("certificate_id")),
            start_time=as_time(d.get("start_time")),
            expire_time=as_time(d.get("expire_time")),
            amount=Amount.from_json(d.get("amount")),
            sku=Sku.from_json(d.get("sku")),
            time_card=TimeCard.from_json(d.get("time_card")),
        )

    def __repr__(self) -> str:
        return (
            f"PreparedCertificate(encrypted_code={mask(self.encrypted_code)!r}, "
            f"certificate_id={self.certificate_id!r}, expire_time={self.expire_time!r}, "
            f"sku_id={self.sku.sku_id!r}, pay_amount={self.amount.pay_amount})"
        )


@dataclass(frozen=True)
class PrepareResult:
    """The usable certificates behind one code / QR; `verify_token` is spent by one verify."""

    verify_token: str
    order_id: str
    certificates: list[PreparedCertificate]
    logid: str
    raw: dict[str, Any] = field(repr=False)

    @classmethod
    def from_json(cls, raw: dict[str, Any], logid: str) -> PrepareResult:
        data = as_dict(raw.get("data"))
        return cls(
            verify_token=as_str(data.get("verify_token")),
            order_id=as_str(data.get("order_id")),
            certificates=[PreparedCertificate.from_json(c) for c in as_list(data.get("certificates"))],
            logid=logid,
            raw=raw,
        )


@dataclass(frozen=True)
class VerifyItem:
    """One coupon's outcome in a verify answer (`code` in Douyin's JSON is the encrypted code)."""

    result: int
    msg: str
    encrypted_code: str
    origin_code: str
    verify_id: str
    certificate_id: str
    account_id: str
    order_id: str
    verify_time: datetime | None

    @property
    def already_verified(self) -> bool:
        return self.result in ALREADY_VERIFIED_RESULTS

    @property
    def succeeded(self) -> bool:
        return self.result == 0 or self.already_verified

    @classmethod
    def from_json(cls, value: Any) -> VerifyItem:
        d = as_dict(value)
        return cls(
            # a missing result must not read as success (0)
            result=as_int(d.get("result"), default=-1),
            msg=as_str(d.get("msg")),
            encrypted_code=as_str(d.get("code") or d.get("encrypted_code")),
            origin_code=as_str(d.get("origin_code")),
            verify_id=as_str(d.get("verify_id")),
            certificate_id=as_str(d.get("certificate_id")),
            account_id=as_str(d.get("account_id")),
            order_id=as_str(d.get("order_id")),
            verify_time=as_time(d.get("verify_time")),
        )

    def __repr__(self) -> str:
        return (
            f"VerifyItem(result={self.result}, msg={self.msg!r}, "
            f"encrypted_code={mask(self.encrypted_code)!r}, origin_code={mask(self.origin_code)!r}, "
            f"verify_id={self.verify_id!r}, "
            f"certificate_id={self.certificate_id!r}, order_id={self.order_id!r})"
        )


@dataclass(frozen=True)
class VerifyResult:
    items: list[VerifyItem]
    logid: str
    raw: dict[str, Any] = field(repr=False)

    @property
    def all_succeeded(self) -> bool:
        """True when Douyin returned items and every one of them is (now) verified."""
        return bool(self.items) and all(item.succeeded for item in self.items)

    @classmethod
    def from_json(cls, raw: dict[str, Any], logid: str) -> VerifyResult:
        data = as_dict(raw.get("data"))
        items = [VerifyItem.from_json(i) for i in as_list(data.get("verify_results"))]
        return cls(items=items, logid=logid, raw=raw)


@dataclass(frozen=True)
class CancelResult:
    logid: str
    raw: dict[str, Any] = field(repr=False)


@dataclass(frozen=True)
class VerifyInfo:
    verify_id: str
    certificate_id: str
    verify_type: int
    verify_time: datetime | None
    can_cancel: bool
    verifier_unique_id: str = ""

    @classmethod
    def from_json(cls, value: Any) -> VerifyInfo | None:
        if not isinstance(value, dict) or not value:
            return None
        return cls(
            verify_id=as_str(value.get("verify_id")),
            certificate_id=as_str(value.get("certificate_id")),
            verify_type=as_int(value.get("verify_type")),
            verify_time=as_time(value.get("verify_time")),
            can_cancel=as_bool(value.get("can_cancel")),
            verifier_unique_id=as_str(value.get("verifier_unique_id")),
        )


# How far Douyin's clock may be behind ours when a 次卡's verify time is compared with the moment
# our verify left (certificate/get after a lost answer).
CLOCK_SKEW = timedelta(minutes=10)


@dataclass(frozen=True)
class CertificateState:
    """One certificate as certificate/get or certificate/query reports it.

    `raw` is the certificate object as Douyin sent it; `logid` identifies the answer it came in.
    """

    encrypted_code: str
    code: str
    status: int
    expire_time: datetime | None
    amount: Amount
    sku: Sku
    verify: VerifyInfo | None
    time_card: TimeCard | None
    logid: str
    raw: dict[str, Any] = field(repr=False)

    @property
    def coupon_status(self) -> CouponStatus:
        return CERTIFICATE_STATUSES.get(self.status, "unknown")

    def verified_since(self, moment: datetime) -> bool:
        """Whether Douyin holds a verification of this certificate that a verify sent at `moment`
        could have made: the question after a verify whose answer was lost.

        A coupon of one use answers by its status (verified), whatever `verify` holds: its newer
        fields are UNCONFIRMED upstream, and a redemption must never be lost for want of them. A
        次卡 with uses left stays status 1 after a use, so it answers by its latest verification's
        time instead (Douyin's clock against ours: CLOCK_SKEW of leeway).
        """
        if self.time_card is None:
            return self.coupon_status == "verified"
        latest = self.verify
        return latest is not None and latest.verify_time is not None and latest.verify_time >= moment - CLOCK_SKEW

    def still_verified(self, verify_id: str) -> bool:
        """Whether the verification `verify_id` still stands: the question after a cancel whose
        answer was lost. A 次卡's status does not change with one use or one undo; its latest
        standing verification does (an undone use is no longer reported)."""
        if self.time_card is None:
            return self.coupon_status == "verified"
        return self.verify is not None and self.verify.verify_id == verify_id

    @classmethod
    def from_json(cls, value: Any, logid: str) -> CertificateState:
        d = as_dict(value)
        return cls(
            encrypted_code=as_str(d.get("encrypted_code")),
            code=as_str(d.get("code")),
            status=as_int(d.get("status")),
            expire_time=as_time(d.get("expire_time")),
            amount=Amount.from_json(d.get("amount")),
            sku=Sku.from_json(d.get("sku")),
            verify=VerifyInfo.from_json(d.get("verify")),
            time_card=TimeCard.from_json(d.get("time_card")),
            logid=logid,
            raw=d,
        )

    def __repr__(self) -> str:
        # codes are bearer secrets and reprs end up in logs: never print them whole
        return (
            f"CertificateState(encrypted_code={mask(self.encrypted_code)!r}, code={mask(self.code)!r}, "
            f"status={self.status}, coupon_status={self.coupon_status!r}, sku_id={self.sku.sku_id!r})"
        )


@dataclass(frozen=True)
class OrderCertificate:
    certificate_id: str
    order_item_id: str
    item_status: int
    item_update_time: datetime | None
    refund_amount: int
    refund_time: datetime | None

    @property
    def used(self) -> bool:
        """Redeemed, per ORDER_ITEM_STATUSES (an unlisted status is not counted as used)."""
        return ORDER_ITEM_STATUSES.get(self.item_status) == "verified"

    @classmethod
    def from_json(cls, value: Any) -> OrderCertificate:
        d = as_dict(value)
        return cls(
            certificate_id=as_str(d.get("certificate_id")),
            order_item_id=as_str(d.get("order_item_id")),
            item_status=as_int(d.get("item_status")),
            item_update_time=as_time(d.get("item_update_time")),
            refund_amount=as_int(d.get("refund_amount")),
            refund_time=as_time(d.get("refund_time")),
        )


@dataclass(frozen=True)
class OrderProduct:
    """An order line's product; field names are UNCONFIRMED, so several spellings are accepted."""

    product_id: str
    product_name: str

    @classmethod
    def from_json(cls, value: Any) -> OrderProduct:
        d = as_dict(value)
        return cls(
            product_id=as_str(d.get("product_id") or d.get("spu_id") or d.get("sku_id")),
            product_name=as_str(d.get("product_name") or d.get("name") or d.get("title")),
        )


@dataclass(frozen=True)
class OrderInfo:
    """One order from trade/order/query (enrichment only; status enums are UNCONFIRMED upstream)."""

    order_id: str
    order_status: int
    order_type: int
    pay_amount: int
    original_amount: int
    payment_discount: int
    merchant_discount_amount: int
    platform_discount_amount: int
    pay_discount_amount: int
    sku_id: str
    sku_name: str
    count: int
    poi_id: str
    create_order_time: datetime | None
    pay_time: datetime | None
    update_order_time: datetime | None
    ext_order_id: str | None
    source_order_id: str | None
    products: list[OrderProduct]
    certificates: list[OrderCertificate]
    raw: dict[str, Any] = field(repr=False)

    @property
    def product_id(self) -> str | None:
        """The first product's id: a coupon order normally has one product."""
        return next((p.product_id for p in self.products if p.product_id), None)

    @property
    def product_name(self) -> str | None:
        return next((p.product_name for p in self.products if p.product_name), None)

    @classmethod
    def from_json(cls, value: Any) -> OrderInfo:
        d = as_dict(value)
        amounts = as_dict(d.get("amount_info"))
        return cls(
            order_id=as_str(d.get("order_id")),
            order_status=as_int(d.get("order_status")),
            order_type=as_int(d.get("order_type")),
            pay_amount=as_int(d.get("pay_amount", amounts.get("pay_amount"))),
            original_amount=as_int(d.get("original_amount", amounts.get("origin_amount"))),
            payment_discount=as_int(d.get("payment_discount")),
            merchant_discount_amount=as_int(amounts.get("merchant_discount_amount")),
            platform_discount_amount=as_int(amounts.get("platform_discount_amount")),
            pay_discount_amount=as_int(amounts.get("pay_discount_amount")),
            sku_id=as_str(d.get("sku_id")),
            sku_name=as_str(d.get("sku_name")),
            count=as_int(d.get("count")),
            poi_id=as_str(d.get("poi_id")),
            create_order_time=as_time(d.get("create_order_time")),
            pay_time=as_time(d.get("pay_time")),
            update_order_time=as_time(d.get("update_order_time")),
            ext_order_id=as_opt_str(d.get("ext_order_id")),
            source_order_id=as_opt_str(d.get("source_order_id")),
            products=[OrderProduct.from_json(p) for p in as_list(d.get("products"))],
            certificates=[OrderCertificate.from_json(c) for c in as_list(d.get("certificate"))],
            raw=d,
        )
