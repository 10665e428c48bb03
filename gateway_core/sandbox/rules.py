"""The business rules behind each Douyin endpoint (douyin-upstream.md §12).

Each function takes the sandbox state and the request's parameters, changes the state when the
call is a write, and returns the `data` payload, or raises `BusinessError`. None of them awaits,
so each runs atomically on the event loop. Choices where Douyin's behaviour is UNCONFIRMED are
stated where they are made.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from multidict import MultiMapping

from gateway_core.sandbox import views
from gateway_core.sandbox.data import POIS_BY_ID, SANDBOX_ACCOUNT_ID, SANDBOX_POIS, start_of_local_day
from gateway_core.sandbox.models import Certificate, Prepare
from gateway_core.sandbox.state import SandboxState
from gateway_core.sandbox.wire import (
    ALREADY_CANCELLED,
    ALREADY_VERIFIED,
    BUSINESS,
    CANCEL_WINDOW_SUB,
    CODES_EMPTY,
    COUPON_INVALID,
    INVALID_PARAM,
    NO_SUCH_COUPON,
    NO_SUCH_ORDER,
    NO_SUCH_RECORD,
    NOT_AUTHORIZED,
    WRONG_POI,
    BusinessError,
    invalid,
)

Query = MultiMapping[str]

MSG_VERIFIED = "验券成功"
MSG_REPLAY = "已核销,请勿重复验券"
MSG_NOT_PREPARED = "查不到券信息,请确认是否为可用的券"
MSG_TOKEN_SPENT = "验券准备已使用,请重新调用验券准备"
MSG_USED = "券码已使用"
MSG_EXPIRED = "券码已过期"
MSG_REFUNDED = "券码已退款"
QR_INVALID = "二维码参数不合法"
CANCEL_TOO_LATE = "已超过可撤销时限,无法撤销核销"


def _check_account(account_id: str | None, *, required: bool) -> None:
    if not account_id:
        if required:
            raise invalid("account_id is required")
        return
    if account_id != SANDBOX_ACCOUNT_ID:
        raise BusinessError(NOT_AUTHORIZED)


def _int_param(q: Query, name: str, default: int, lo: int, hi: int) -> int:
    raw = q.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise invalid(f"{name} must be an integer") from None
    if not lo <= value <= hi:
        raise invalid(f"{name} must be between {lo} and {hi}")
    return value


def _str_field(body: Mapping[str, Any], name: str) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value:
        raise invalid(f"{name} is required and must be a non-empty string")
    return value


# -- prepare / verify ----------------------------------------------------------------------------

def prepare(state: SandboxState, q: Query) -> dict[str, Any]:
    code, encrypted_data = q.get("code", ""), q.get("encrypted_data", "")
    if not code and not encrypted_data:
        raise BusinessError(CODES_EMPTY, data={"verify_token": ""})
    if code and encrypted_data:
        raise BusinessError(INVALID_PARAM, sub_description="code与encrypted_data只能传一个",
                            data={"verify_token": ""})
    _check_account(q.get("account_id"), required=False)
    now = state.now()
    if encrypted_data:
        order = state.orders_by_object_id.get(encrypted_data)
        # A used-up or expired order's QR is dead, like its short link.
        if order is None or not order.has_usable(now):
            raise BusinessError(BUSINESS, QR_INVALID, sub_description=QR_INVALID, data={"verify_token": ""})
    else:
        cert = state.certs_by_code.get(code)
        if cert is None:
            raise BusinessError(NO_SUCH_COUPON, data={"verify_token": ""})
        order = cert.order
    # Store mismatch is allowed here and refused at verify (3000002), as the checklist says.
    # An order with nothing usable left answers success with an empty list ("此刻无可用券码").
    certs = order.usable_certificates(now)
    token = str(uuid.uuid4())
    state.add_prepare(Prepare(token, order, frozenset(c.encrypted_code for c in certs), now))
    return {
        "verify_token": token,
        "order_id": order.order_id,
        "certificates": [views.prepared_certificate(c) for c in certs],
    }


def verify(state: SandboxState, body: dict[str, Any]) -> dict[str, Any]:
    poi_id = _str_field(body, "poi_id")
    codes = body.get("encrypted_codes")
    if codes is None and (body.get("codes") or body.get("code_with_time_list")):
        raise invalid("the sandbox issues Douyin codes only: send encrypted_codes from prepare")
    if not isinstance(codes, list) or not codes or not all(isinstance(c, str) and c for c in codes):
        raise invalid("encrypted_codes must be a non-empty list of strings")
    token = _str_field(body, "verify_token")
    _check_account(body.get("account_id"), required=False)
    prep = state.find_prepare(token)
    if prep is None:
        raise invalid("verify_token无效或已过期")
    now = state.now()
    # Each distinct code gets one result; a repeated code is not a second use (UNCONFIRMED).
    distinct = list(dict.fromkeys(codes))
    results: dict[str, dict[str, Any]] = {}
    to_apply: list[Certificate] = []
    wrong_store = False
    for code in distinct:
        cert = state.certs_by_encrypted.get(code)
        earlier = prep.verified.get(code)
        if earlier is not None:
            # The documented retry rule: same token, same code, already applied -> 1208.
            results[code] = (views.verify_result(earlier, ALREADY_VERIFIED, MSG_REPLAY) if earlier.active
                             else views.failed_result(code, cert, prep.order.order_id, NO_SUCH_COUPON,
                                                      MSG_TOKEN_SPENT))
        elif cert is None or code not in prep.encrypted_codes:
            results[code] = views.failed_result(code, cert, prep.order.order_id, NO_SUCH_COUPON,
                                                MSG_NOT_PREPARED)
        elif prep.consumed:
            results[code] = views.failed_result(code, cert, prep.order.order_id, NO_SUCH_COUPON,
                                                MSG_TOKEN_SPENT)
        elif cert.refunded_at:
            results[code] = views.failed_result(code, cert, "", COUPON_INVALID, MSG_REFUNDED)
        elif cert.times_used >= cert.times_count:
            # Used meanwhile through another prepare: refused, and never 1208.
            results[code] = views.failed_result(code, cert, "", NO_SUCH_COUPON, MSG_USED)
        elif now > cert.expire_time:
            results[code] = views.failed_result(code, cert, "", COUPON_INVALID, MSG_EXPIRED)
        elif poi_id not in cert.order.poi_ids:
            wrong_store = True
        else:
            to_apply.append(cert)
    if wrong_store:
        # Nothing is applied when any coupon is not valid at this store.
        raise BusinessError(WRONG_POI, sub_description=_wrong_store_hint(poi_id))
    at = int(now)
    for cert in to_apply:
        verification = state.record_verification(cert, poi_id, at, token)
        prep.verified[cert.encrypted_code] = verification
        results[cert.encrypted_code] = views.verify_result(verification, 0, MSG_VERIFIED)
    if to_apply:
        prep.consumed = True
        state.counters["verify_applied"] += 1
        state.counters["certificates_verified"] += len(to_apply)
    return {"verify_results": [results[c] for c in distinct]}


def _wrong_store_hint(poi_id: str) -> str:
    store = POIS_BY_ID.get(poi_id)
    return f"poi_id {poi_id} ({store.poi_name if store else '未知门店'}) 不在商品适用门店内"


def cancel(state: SandboxState, body: dict[str, Any]) -> dict[str, Any]:
    if body.get("batch_cancel_info") or body.get("batch_cancel_info_list") or body.get("verify_id") == "0":
        raise invalid("the sandbox cancels one verification at a time (certificate_id + verify_id)")
    certificate_id = _str_field(body, "certificate_id")
    verify_id = _str_field(body, "verify_id")
    _check_account(body.get("account_id"), required=False)
    verification = state.verifications.get(verify_id)
    if verification is None or verification.certificate.certificate_id != certificate_id:
        # Code choice UNCONFIRMED: 1033000519 没有对应凭证单信息 fits "no such verification".
        raise BusinessError(NO_SUCH_RECORD)
    if not verification.active:
        raise BusinessError(ALREADY_CANCELLED)
    now = state.now()
    if now - verification.verify_time > state.cancel_window:
        raise BusinessError(BUSINESS, CANCEL_TOO_LATE, sub_code=CANCEL_WINDOW_SUB,
                            sub_description=CANCEL_TOO_LATE)
    verification.cancelled_at = int(now)
    cert = verification.certificate
    cert.times_used -= 1
    cert.updated_at = int(now)
    state.counters["cancel_applied"] += 1
    return {}


# -- reads ---------------------------------------------------------------------------------------

def get_certificate(state: SandboxState, q: Query) -> dict[str, Any]:
    encrypted_code = q.get("encrypted_code", "")
    if not encrypted_code:
        raise invalid("encrypted_code is required")
    _check_account(q.get("account_id"), required=False)
    cert = state.certs_by_encrypted.get(encrypted_code)
    if cert is None:
        raise BusinessError(NO_SUCH_COUPON)
    return {"certificate": views.certificate(cert, state.now(), state.cancel_window)}


def query_certificates(state: SandboxState, q: Query) -> dict[str, Any]:
    """By encrypted_code: that coupon alone; by order_id: every coupon of the order."""
    encrypted_code, order_id = q.get("encrypted_code", ""), q.get("order_id", "")
    if bool(encrypted_code) == bool(order_id):
        raise invalid("send exactly one of encrypted_code and order_id")
    _check_account(q.get("account_id"), required=False)
    if encrypted_code:
        cert = state.certs_by_encrypted.get(encrypted_code)
        if cert is None:
            raise BusinessError(NO_SUCH_COUPON)
        certs = [cert]
    else:
        order = state.orders.get(order_id)
        if order is None:
            raise BusinessError(NO_SUCH_ORDER)
        certs = order.certificates
    now = state.now()
    return {"certificates": [views.certificate(c, now, state.cancel_window) for c in certs]}


def _poi_filter(q: Query) -> set[str]:
    # Clients send poi_ids comma-joined, as a JSON-ish list, or repeated; accept all three.
    ids: set[str] = set()
    for raw in q.getall("poi_ids", []):
        ids.update(part.strip(" []\"'") for part in raw.split(","))
    ids.discard("")
    return ids


def verify_records(state: SandboxState, q: Query) -> dict[str, Any]:
    _check_account(q.get("account_id"), required=True)
    size = _int_param(q, "size", 10, 1, 20)
    cursor = q.get("cursor") or "0"
    if not cursor.isdigit():
        raise invalid("cursor must be a verify record cursor or 0")
    now = state.now()
    start = _int_param(q, "start_time", start_of_local_day(now), 0, 2**40)
    end = _int_param(q, "end_time", int(now), 0, 2**40)
    pois = _poi_filter(q)
    matching = [
        v for v in state.verifications.values()
        if start <= v.verify_time <= end and (not pois or v.poi_id in pois)
    ]
    # Newest first; the cursor is the last verify_id seen (ids only grow).
    matching.sort(key=lambda v: int(v.verify_id), reverse=True)
    after = [v for v in matching if cursor == "0" or int(v.verify_id) < int(cursor)]
    page = after[:size]
    return {
        "total": len(matching),
        "records": [views.record(v, now, state.cancel_window) for v in page],
    }


def query_orders(state: SandboxState, q: Query) -> dict[str, Any]:
    _check_account(q.get("account_id"), required=True)
    page_num = _int_param(q, "page_num", 1, 1, 10_000)
    page_size = _int_param(q, "page_size", 10, 1, 100)
    status = _int_param(q, "order_status", 0, 0, 10_000)
    now = state.now()
    order_id = q.get("order_id", "")
    if order_id:
        found = state.orders.get(order_id)
        candidates = [found] if found else []
    else:
        candidates = sorted(state.orders.values(), key=lambda o: o.create_time, reverse=True)
    infos = [views.order_info(o, now) for o in candidates]
    if status:
        infos = [i for i in infos if i["order_status"] == status]
    begin = (page_num - 1) * page_size
    return {
        "orders": infos[begin:begin + page_size],
        "page": {"page_num": page_num, "page_size": page_size, "total": len(infos)},
    }


def query_shops(state: SandboxState, q: Query) -> dict[str, Any]:
    poi_id = q.get("poi_id", "")
    if not poi_id and not q.get("account_id") and not q.get("third_id"):
        raise invalid("one of account_id, poi_id, third_id is required")
    _check_account(q.get("account_id"), required=False)
    page = _int_param(q, "page", 1, 1, 10_000)
    size = _int_param(q, "size", 10, 1, 50)
    pois = [p for p in SANDBOX_POIS if not poi_id or p.poi_id == poi_id]
    if q.get("third_id"):
        pois = []  # the sandbox's stores carry no merchant-side ids
    begin = (page - 1) * size
    return {"total": len(pois), "pois": [views.poi(p) for p in pois[begin:begin + size]]}
