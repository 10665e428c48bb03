"""How sandbox records look on Douyin's wire (field names per douyin-upstream.md §3-§9).

Enum values Douyin never documented are a guess (UNCONFIRMED upstream). The certificate and order
item ones are the client's guess, read from its tables in `gateway_core.douyin.models` so that the
two cannot drift; the rest is the sandbox's choice, named here once:
- certificate `status` (CERTIFICATE_STATUSES): 1 usable (also a cancelled-back-to-usable coupon and
  a 次卡 with uses left), 2 used up, 3 expired unused, 4 refunded;
- order item `item_status` (ORDER_ITEM_STATUSES): 401 usable, 402 used, 403 refunded, 404 expired;
- verify record `status`: 1 standing, 2 cancelled (with `cancel_time`);
- order `order_status`: 200 paid with something still to use (or expired), 300 completed
  (every coupon used or refunded, at least one used), 400 refunded entirely.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gateway_core.douyin.models import CERTIFICATE_STATUSES, ORDER_ITEM_STATUSES
from gateway_core.sandbox.data import SANDBOX_ACCOUNT_ID, SANDBOX_ACCOUNT_NAME, Poi, Product
from gateway_core.sandbox.models import EXPIRED, REFUNDED, USABLE, USED, Certificate, Order, Verification

# A sandbox certificate state under the name the client's status tables give it.
_CLIENT_NAME = {USABLE: "unused", USED: "verified", EXPIRED: "expired", REFUNDED: "refunded"}


def _numbers(table: Mapping[int, str]) -> dict[str, int]:
    """The client's table (number -> name) turned round into sandbox state -> number."""
    number = {name: value for value, name in table.items()}
    return {state: number[name] for state, name in _CLIENT_NAME.items()}


CERT_STATUS = _numbers(CERTIFICATE_STATUSES)
ITEM_STATUS = _numbers(ORDER_ITEM_STATUSES)
ORDER_PAID, ORDER_COMPLETED, ORDER_REFUNDED = 200, 300, 400
RECORD_STANDING, RECORD_CANCELLED = 1, 2
VERIFY_TYPE_OPENAPI = 4
VERIFIER_OPENAPI = "开放平台API"
SOLD_START_TIME = 1735660800  # 2025-01-01 00:00 Beijing: when the sandbox's products went on sale
ORDER_TYPE_GROUPON = 21  # seen in real order-query answers for group-buy orders


def sku(product: Product) -> dict[str, Any]:
    return {
        "sku_id": product.sku_id,
        "title": product.title,
        "groupon_type": product.groupon_type,
        "market_price": product.list_market_amount,
        "sold_start_time": SOLD_START_TIME,
        "third_sku_id": product.third_sku_id,
        "account_id": SANDBOX_ACCOUNT_ID,
    }


def time_card(cert: Certificate) -> dict[str, int]:
    return {"times_count": cert.times_count, "times_used": cert.times_used}


def prepared_certificate(cert: Certificate) -> dict[str, Any]:
    item: dict[str, Any] = {
        "certificate_id": cert.certificate_id,
        "encrypted_code": cert.encrypted_code,
        "start_time": cert.start_time,
        "expire_time": cert.expire_time,
        "amount": cert.product.amount(),
        "sku": sku(cert.product),
    }
    if cert.product.groupon_type == 3:
        item["time_card"] = time_card(cert)
    return item


def can_cancel(verification: Verification, now: float, window: float) -> bool:
    return verification.active and now - verification.verify_time <= window


def certificate(cert: Certificate, now: float, window: float) -> dict[str, Any]:
    item: dict[str, Any] = {
        **prepared_certificate(cert),
        "order_id": cert.order.order_id,
        "code": cert.code,
        "status": CERT_STATUS[cert.state(now)],
    }
    latest = cert.latest_verification()
    if latest is not None:
        item["verify"] = {
            "verify_id": latest.verify_id,
            "certificate_id": cert.certificate_id,
            "verify_type": VERIFY_TYPE_OPENAPI,
            "verify_time": latest.verify_time,
            "can_cancel": can_cancel(latest, now, window),
            "verifier_unique_id": VERIFIER_OPENAPI,
        }
    return item


def _split(total: int, parts: int, serial: int) -> int:
    # Per-use share of a 次卡 amount; the last use takes the remainder so the uses add up.
    share = total // parts
    return total - share * (parts - 1) if serial == parts else share


def verify_amount_info(verification: Verification) -> dict[str, Any]:
    cert = verification.certificate
    n, k = cert.times_count, verification.serial_numb
    amount = {name: _split(value, n, k) for name, value in cert.product.amount().items()}
    return {
        "time_card_amount": {"amount": amount["pay_amount"]},
        "times_card_serial_amount": {"amount": amount, "serial_numb": k},
    }


def verify_result(verification: Verification, result: int, msg: str) -> dict[str, Any]:
    cert = verification.certificate
    item: dict[str, Any] = {
        "result": result,
        "msg": msg,
        "code": cert.encrypted_code,
        "origin_code": cert.code,
        "verify_id": verification.verify_id,
        "certificate_id": cert.certificate_id,
        "account_id": SANDBOX_ACCOUNT_ID,
        "order_id": cert.order.order_id,
        "verify_time": verification.verify_time,
    }
    if cert.product.groupon_type == 3:
        item["verify_amount_info"] = verify_amount_info(verification)
    return item


def failed_result(encrypted_code: str, cert: Certificate | None, order_id: str, result: int,
                  msg: str) -> dict[str, Any]:
    # Same keys as a success, empty where nothing happened, so parsers need no special case.
    return {
        "result": result,
        "msg": msg,
        "code": encrypted_code,
        "origin_code": cert.code if cert else "",
        "verify_id": "",
        "certificate_id": cert.certificate_id if cert else "",
        "account_id": SANDBOX_ACCOUNT_ID,
        "order_id": cert.order.order_id if cert else order_id,
        "verify_time": 0,
    }


def record(verification: Verification, now: float, window: float) -> dict[str, Any]:
    cert = verification.certificate
    return {
        "cursor": verification.verify_id,
        "verify_id": verification.verify_id,
        "certificate_id": cert.certificate_id,
        "encrypted_code": cert.encrypted_code,
        "order_id": cert.order.order_id,
        "poi_id": verification.poi_id,
        "verify_type": VERIFY_TYPE_OPENAPI,
        "verify_time": verification.verify_time,
        "can_cancel": can_cancel(verification, now, window),
        "status": RECORD_STANDING if verification.active else RECORD_CANCELLED,
        "cancel_time": verification.cancelled_at,
        "amount": cert.product.amount(),
        "sku": sku(cert.product),
    }


def order_status(states: list[str]) -> int:
    if all(s == REFUNDED for s in states):
        return ORDER_REFUNDED
    if all(s in (USED, REFUNDED) for s in states):
        return ORDER_COMPLETED
    return ORDER_PAID


def order_info(order: Order, now: float) -> dict[str, Any]:
    p, count = order.product, len(order.certificates)
    states = [c.state(now) for c in order.certificates]
    items = [
        {
            "certificate_id": c.certificate_id,
            "order_item_id": c.order_item_id,
            "item_status": ITEM_STATUS[state],
            "item_update_time": c.updated_at,
            "refund_amount": p.pay_amount if state == REFUNDED else 0,
            "refund_time": c.refunded_at,
        }
        for c, state in zip(order.certificates, states, strict=True)
    ]
    return {
        "order_id": order.order_id,
        "order_status": order_status(states),
        "order_type": ORDER_TYPE_GROUPON,
        "original_amount": p.original_amount * count,
        "pay_amount": p.pay_amount * count,
        "payment_discount": p.payment_discount_amount * count,
        "amount_info": {
            "origin_amount": p.original_amount * count,
            "product_origin_amount": p.list_market_amount * count,
            "pay_amount": p.pay_amount * count,
            "pay_discount_amount": p.payment_discount_amount * count,
            "merchant_discount_amount": p.merchant_ticket_amount * count,
            "platform_discount_amount": p.platform_discount_amount * count,
        },
        "sku_id": p.sku_id,
        "sku_name": p.title,
        "count": count,
        "create_order_time": order.create_time,
        "pay_time": order.pay_time,
        "update_order_time": max([order.pay_time] + [c.updated_at for c in order.certificates]),
        "poi_id": order.poi_ids[0],
        "certificate": items,
        "contacts": [{"name": order.contact_name, "phone": order.contact_phone}],
    }


def poi(p: Poi) -> dict[str, Any]:
    return {
        "account": {
            "parent_account": {"account_id": SANDBOX_ACCOUNT_ID, "account_name": SANDBOX_ACCOUNT_NAME,
                               "account_type": "Trademark"},
            "poi_account": {"account_id": p.poi_account_id, "account_name": p.poi_name,
                            "account_type": "Shop"},
        },
        "root_account": {"account_id": SANDBOX_ACCOUNT_ID, "account_name": SANDBOX_ACCOUNT_NAME},
        "poi": p.to_dict(),
    }
