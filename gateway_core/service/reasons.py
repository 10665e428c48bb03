"""Douyin's codes turned into a sentence a cashier can act on (Chinese first, English second).

Douyin's own `description` is kept in the ledger; these texts are what the counter shows.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reason:
    kind: str  # a stable key for the UI and sounds: used, expired, wrong_store, not_found, ...
    zh: str
    en: str


USED = Reason("used", "券已使用过,不能重复核销", "This coupon has already been redeemed")
EXPIRED = Reason("expired", "券已过期", "This coupon has expired")
WRONG_STORE = Reason("wrong_store", "本店不能核销此券(不在适用门店内)", "This coupon is not valid at this store")
NOT_FOUND = Reason("not_found", "查不到此券,请核对券码", "Coupon not found: check the code")
QR_INVALID = Reason(
    "qr_invalid",
    "二维码已失效,请顾客刷新订单页后重新出示",
    "The QR code is no longer valid: ask the customer to refresh it",
)
NO_USABLE = Reason("no_usable", "该订单没有可核销的券(已用完或已退款)", "No usable coupon left in this order")
NOT_ENOUGH = Reason("not_enough", "可核销的券数量不足", "Fewer usable coupons than requested")
NOT_AUTHORISED = Reason(
    "not_authorised", "商户未授权本应用,请联系管理员", "The merchant has not authorised this app: call the manager"
)
RISK = Reason("risk", "抖音认为本次核销有风险,暂不能核销", "Douyin flagged this redemption as risky")
IN_TRANSFER = Reason("in_transfer", "顾客正在转赠此券,暂不能核销", "The customer is gifting this coupon right now")
UNPAID = Reason("unpaid", "订单尚未支付,暂不能核销", "The order is not paid yet")
CANCEL_WINDOW = Reason("cancel_window", "已超过可撤销时限,无法撤销", "Too late to undo this redemption")
ALREADY_CANCELLED = Reason("already_cancelled", "该核销已撤销过", "This redemption was already undone")
UNAVAILABLE = Reason("unavailable", "连接不上抖音,请稍后重试", "Douyin cannot be reached: try again shortly")
TIMEOUT = Reason("timeout", "抖音响应超时,结果确认中", "Douyin did not answer in time: confirming the result")
RATE_LIMITED = Reason("rate_limited", "请求太频繁,请稍等几秒再试", "Too many requests: wait a few seconds")
AUTH = Reason("auth", "抖音授权失败,请检查设置中的应用密钥", "Douyin refused our credentials: check Settings")
PENDING = Reason("pending", "结果确认中,请稍候", "Confirming the result with Douyin")
OTHER = Reason("other", "抖音拒绝核销", "Douyin refused this coupon")

_BY_CODE: dict[int, Reason] = {
    1208: USED,
    2: USED,
    1250: USED,
    1212: NOT_FOUND,
    1033000519: NOT_FOUND,
    3100101: NOT_FOUND,
    1263: NOT_FOUND,
    1221: NOT_FOUND,
    3000002: WRONG_STORE,
    1228: WRONG_STORE,
    45005117: QR_INVALID,
    1508: NOT_AUTHORISED,
    2119005: NOT_AUTHORISED,
    2100007: NOT_AUTHORISED,
    2190004: NOT_AUTHORISED,
    1229: RISK,
    2119006: IN_TRANSFER,
    2119007: UNPAID,
    1241: NOT_ENOUGH,
    1265: ALREADY_CANCELLED,
    2034000910: CANCEL_WINDOW,
    2119003: RATE_LIMITED,
    28003018: RATE_LIMITED,
}

_BY_WORDS: tuple[tuple[str, Reason], ...] = (
    ("过期", EXPIRED),
    ("二维码", QR_INVALID),
    ("已使用", USED),
    ("已核销", USED),
    ("门店", WRONG_STORE),
    ("撤销时限", CANCEL_WINDOW),
)


def reason_for(code: int | None, description: str = "", sub_code: int | None = None) -> Reason:
    """The most specific reason: sub-code, then code, then words in Douyin's description."""
    for candidate in (sub_code, code):
        if candidate is not None and candidate in _BY_CODE:
            return _BY_CODE[candidate]
    for words, reason in _BY_WORDS:
        if words in (description or ""):
            return reason
    return OTHER
