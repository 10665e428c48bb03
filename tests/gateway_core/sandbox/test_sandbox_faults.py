"""Every fault kind on the wire, `times` semantics, endpoint matching, and apply-then-lose."""

from __future__ import annotations

import json
import time

import httpx
import pytest
from sandbox_helpers import FULFILMENT, SALON, WANGJING, Douyin, assert_error, codes_of

from gateway_core.sandbox import SANDBOX_ACCOUNT_ID, Fault

SHOPS = "/goodlife/v1/shop/poi/query/"


async def _shops(dy: Douyin) -> httpx.Response:
    return await dy.get(SHOPS, {"account_id": SANDBOX_ACCOUNT_ID, "page": 1, "size": 1})


async def _prepared(dy: Douyin, tag: str = "single") -> tuple[str, list[str], str]:
    coupon = dy.state.coupon(tag=tag, state="usable")
    data = (await dy.prepare(code=coupon.code))["data"]
    return data["verify_token"], codes_of({"data": data}), coupon.encrypted_code


def _verify_body(token: str, codes: list[str]) -> dict:
    return {"verify_token": token, "poi_id": WANGJING, "encrypted_codes": codes}


async def test_latency_delays_then_answers_normally(dy: Douyin):
    dy.state.faults.add(Fault(endpoint="shops", kind="latency", latency_ms=300))
    started = time.monotonic()
    r = await _shops(dy)
    assert time.monotonic() - started >= 0.3
    assert r.json()["data"]["error_code"] == 0
    again = await _shops(dy)
    assert again.json()["data"]["error_code"] == 0
    assert dy.state.counters["fault:latency"] == 1  # times=1: spent, the second call was not delayed
    assert dy.state.counters["shops"] == 2


@pytest.mark.parametrize(("kind", "code", "expected"), [
    ("rate_limit", None, 2119003), ("busy", None, 2100004), ("busy", 5000001, 5000001),
    ("token_expired", None, 2190008), ("rate_limit", 28003018, 28003018),
])
async def test_envelope_faults_answer_http_200_with_the_code(dy: Douyin, kind, code, expected):
    dy.state.faults.add(Fault(endpoint="shops", kind=kind, code=code))
    r = await _shops(dy)
    assert r.status_code == 200
    body = r.json()
    assert_error(body, expected)
    assert len(body["extra"]["logid"]) == 32
    assert (await _shops(dy)).json()["data"]["error_code"] == 0


async def test_token_expired_fault_fires_once_with_a_valid_token(dy: Douyin):
    dy.state.faults.add(Fault(endpoint="prepare", kind="token_expired"))
    coupon = dy.state.coupon(tag="single")
    assert_error(await dy.prepare(code=coupon.code), 2190008)
    assert (await dy.prepare(code=coupon.code))["data"]["error_code"] == 0


@pytest.mark.parametrize(("kind", "code", "status"), [
    ("http_500", None, 500), ("http_502", None, 502), ("http_502", 504, 504),
])
async def test_http_error_faults(dy: Douyin, kind, code, status):
    dy.state.faults.add(Fault(endpoint="shops", kind=kind, code=code))
    r = await _shops(dy)
    assert r.status_code == status
    with pytest.raises(json.JSONDecodeError):
        r.json()


@pytest.mark.parametrize(("code", "status"), [(None, 502), (200, 200)])
async def test_html_fault(dy: Douyin, code, status):
    dy.state.faults.add(Fault(endpoint="shops", kind="html", code=code))
    r = await _shops(dy)
    assert r.status_code == status
    assert r.headers["content-type"].startswith("text/html")
    assert r.text.lstrip().startswith(("<html", "<!DOCTYPE html"))


async def test_garbage_is_not_json(dy: Douyin):
    dy.state.faults.add(Fault(endpoint="shops", kind="garbage"))
    r = await _shops(dy)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    with pytest.raises(json.JSONDecodeError):
        r.json()


async def test_no_extra_is_json_without_extra_and_applies_nothing(dy: Douyin):
    token, codes, _ = await _prepared(dy)
    dy.state.faults.add(Fault(endpoint="verify", kind="no_extra"))
    body = (await dy.post(f"{FULFILMENT}/verify/", _verify_body(token, codes))).json()
    assert "extra" not in body and "data" in body
    assert dy.state.counters["verify_applied"] == 0


async def test_drop_closes_without_an_answer_and_applies_nothing(dy: Douyin):
    token, codes, code = await _prepared(dy)
    dy.state.faults.add(Fault(endpoint="verify", kind="drop"))
    with pytest.raises(httpx.RemoteProtocolError):
        await dy.post(f"{FULFILMENT}/verify/", _verify_body(token, codes))
    assert dy.state.counters["verify_applied"] == 0
    assert (await dy.certificate(code))["data"]["certificate"]["status"] == 1
    # The same call once the fault is spent: first success, not 1208.
    answer = await dy.verify(token, codes)
    assert answer["data"]["verify_results"][0]["result"] == 0


async def test_apply_then_drop_applies_and_a_retry_sees_1208(dy: Douyin):
    token, codes, code = await _prepared(dy)
    dy.state.faults.add(Fault(endpoint="verify", kind="apply_then_drop"))
    with pytest.raises(httpx.RemoteProtocolError):
        await dy.post(f"{FULFILMENT}/verify/", _verify_body(token, codes))
    assert dy.state.counters["verify"] == 1 and dy.state.counters["verify_applied"] == 1
    assert (await dy.certificate(code))["data"]["certificate"]["status"] == 2
    retry = await dy.verify(token, codes)
    assert retry["data"]["verify_results"][0]["result"] == 1208


async def test_apply_then_timeout_hangs_past_the_callers_timeout(dy: Douyin):
    token, codes, code = await _prepared(dy)
    dy.state.faults.add(Fault(endpoint="verify", kind="apply_then_timeout"))
    started = time.monotonic()
    with pytest.raises(httpx.ReadTimeout):
        await dy.http.post(f"{FULFILMENT}/verify/", json=_verify_body(token, codes), headers=dy.headers(),
                           timeout=0.5)
    assert time.monotonic() - started >= 0.5
    assert (await dy.certificate(code))["data"]["certificate"]["status"] == 2


async def test_apply_then_timeout_with_latency_drops_after_it(dy: Douyin):
    token, codes, _ = await _prepared(dy)
    dy.state.faults.add(Fault(endpoint="verify", kind="apply_then_timeout", latency_ms=200))
    started = time.monotonic()
    # A drop, not the client's 10 s ReadTimeout: the hang ended after latency_ms, not "forever".
    with pytest.raises(httpx.RemoteProtocolError):
        await dy.post(f"{FULFILMENT}/verify/", _verify_body(token, codes))
    assert time.monotonic() - started >= 0.2
    assert dy.state.counters["fault:apply_then_timeout"] == 1
    assert dy.state.counters["verify_applied"] == 1


async def test_apply_then_500_applies_then_answers_500(dy: Douyin):
    token, codes, code = await _prepared(dy)
    dy.state.faults.add(Fault(endpoint="verify", kind="apply_then_500"))
    r = await dy.post(f"{FULFILMENT}/verify/", _verify_body(token, codes))
    assert r.status_code == 500
    assert (await dy.certificate(code))["data"]["certificate"]["status"] == 2


async def test_apply_then_500_on_cancel_applies_the_cancel(dy: Douyin):
    coupon = dy.state.coupon(tag="single")
    item = (await dy.redeem(coupon.code))["data"]["verify_results"][0]
    dy.state.faults.add(Fault(endpoint="cancel", kind="apply_then_500"))
    ids = {"certificate_id": item["certificate_id"], "verify_id": item["verify_id"]}
    r = await dy.post(f"{FULFILMENT}/cancel/", ids)
    assert r.status_code == 500
    assert dy.state.counters["cancel_applied"] == 1
    assert_error(await dy.cancel(item["certificate_id"], item["verify_id"]), 1265)


async def test_apply_then_error_is_the_documented_retry_story(dy: Douyin):
    # Douyin's doc: first call error_code != 0, second call error_code 0 with result 1208 = success.
    token, codes, _ = await _prepared(dy)
    dy.state.faults.add(Fault(endpoint="verify", kind="apply_then_error"))
    first = await dy.verify(token, codes)
    assert_error(first, 5000001)
    second = await dy.verify(token, codes)
    assert second["data"]["error_code"] == 0 and second["data"]["verify_results"][0]["result"] == 1208


async def test_times_counts_down_and_none_lasts_until_cleared(dy: Douyin):
    dy.state.faults.add(Fault(endpoint="shops", kind="busy", times=2))
    codes = [(await _shops(dy)).json()["data"]["error_code"] for _ in range(3)]
    assert codes == [2100004, 2100004, 0]
    dy.state.faults.add(Fault(endpoint="shops", kind="busy", times=None))
    codes = [(await _shops(dy)).json()["data"]["error_code"] for _ in range(5)]
    assert codes == [2100004] * 5
    assert dy.state.faults.clear() == 1
    assert (await _shops(dy)).json()["data"]["error_code"] == 0
    assert dy.state.counters["fault:busy"] == 7


async def test_faults_match_their_endpoint_only_and_star_matches_the_next_call(dy: Douyin):
    dy.state.faults.add(Fault(endpoint="verify", kind="busy"))
    coupon = dy.state.coupon(tag="single")
    assert (await dy.prepare(code=coupon.code))["data"]["error_code"] == 0
    assert (await _shops(dy)).json()["data"]["error_code"] == 0
    assert len(dy.state.faults) == 1
    dy.state.faults.clear()
    dy.state.faults.add(Fault(kind="rate_limit"))
    assert_error(await dy.prepare(code=coupon.code), 2119003)
    assert (await dy.prepare(code=coupon.code))["data"]["error_code"] == 0


async def test_first_armed_matching_fault_fires(dy: Douyin):
    dy.state.faults.add(Fault(endpoint="shops", kind="busy"))
    dy.state.faults.add(Fault(endpoint="shops", kind="rate_limit"))
    assert [(await _shops(dy)).json()["data"]["error_code"] for _ in range(3)] == [2100004, 2119003, 0]


async def test_token_endpoint_faults_use_the_token_shape(dy: Douyin):
    dy.state.faults.add(Fault(endpoint="token", kind="rate_limit"))
    body = (await dy.token()).json()
    assert body["data"]["error_code"] == 10020 and body["message"] == "error" and "extra" not in body
    # A "*" token_expired does not touch the token endpoint.
    dy.state.faults.add(Fault(kind="token_expired"))
    assert (await dy.token()).json()["data"]["error_code"] == 0
    assert len(dy.state.faults) == 1


async def test_short_link_faults(dy: Douyin):
    coupon = dy.state.coupon(tag="single")
    dy.state.faults.add(Fault(kind="busy"))  # envelope kinds pass the short-link host by
    assert (await dy.http.get(f"/{coupon.slug}/")).status_code == 302
    dy.state.faults.clear()
    dy.state.faults.add(Fault(endpoint="shortlink", kind="drop"))
    with pytest.raises(httpx.RemoteProtocolError):
        await dy.http.get(f"/{coupon.slug}/")
    dy.state.faults.add(Fault(endpoint="shortlink", kind="http_502"))
    assert (await dy.http.get(f"/{coupon.slug}/")).status_code == 502
    assert (await dy.http.get(f"/{coupon.slug}/")).status_code == 302


@pytest.mark.parametrize("spec", [
    {"endpoint": "nowhere", "kind": "busy"},
    {"kind": "explode"},
    {"kind": "busy", "times": 0},
    {"kind": "latency", "latency_ms": -1},
    {"endpoint": "shortlink", "kind": "busy"},
    {"endpoint": "token", "kind": "token_expired"},
])
def test_fault_validation(spec):
    with pytest.raises(ValueError):
        Fault(**spec)


async def test_fault_on_a_time_card_verify(dy: Douyin):
    # A time card answers its verify_amount_info again on the retry after a lost answer.
    card = dy.state.coupon(tag="time-card")
    data = (await dy.prepare(code=card.code))["data"]
    dy.state.faults.add(Fault(endpoint="verify", kind="apply_then_drop"))
    with pytest.raises(httpx.RemoteProtocolError):
        await dy.verify(data["verify_token"], codes_of({"data": data}), poi_id=SALON)
    retry = (await dy.verify(data["verify_token"], codes_of({"data": data}), poi_id=SALON))["data"]
    assert retry["verify_results"][0]["result"] == 1208
    assert retry["verify_results"][0]["verify_amount_info"]["times_card_serial_amount"]["serial_numb"] == 1
