"""When Douyin's answer to a verify is lost, the row still ends settled, with one upstream verify."""

from __future__ import annotations

import asyncio

import pytest

from gateway_core.sandbox import Fault


async def _settled(gateway, verification_id: int, wait: float = 10.0) -> dict:
    deadline = asyncio.get_running_loop().time() + wait
    while True:
        view = await gateway.runtime.ledger.get_verification(verification_id)
        if view["verify_status"] != "processing":
            return view
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"row {verification_id} still processing: {view}")
        await asyncio.sleep(0.05)


@pytest.mark.parametrize(
    "fault",
    [
        Fault(endpoint="verify", kind="apply_then_drop"),
        Fault(endpoint="verify", kind="apply_then_500"),
        Fault(endpoint="verify", kind="apply_then_error"),
        Fault(endpoint="verify", kind="apply_then_timeout", latency_ms=0),
    ],
    ids=lambda f: f.kind,
)
async def test_applied_but_answer_lost_settles_success(gateway, fault):
    if fault.kind == "apply_then_timeout":
        gateway.set_douyin_timeout(0.5)  # the client gives up quickly; the verify was applied
    order = gateway.sandbox.state.mint_order(poi_id=gateway.poi_id, count=1)
    gateway.sandbox.state.faults.add(fault)
    r = await gateway.client.post(
        "/v1/open/coupons/verify", {"poi_id": gateway.poi_id, "code": order.certificates[0].code}
    )
    assert r.status_code in (200, 502, 504), r.text
    view = await _settled(gateway, r.json()["data"]["id"])
    assert view["verify_status"] == "success"
    assert view["verify_id"]
    assert gateway.counters().get("verify") == 1
    # And the coupon cannot be redeemed again.
    again = await gateway.client.post(
        "/v1/open/coupons/verify", {"poi_id": gateway.poi_id, "code": order.certificates[0].code}
    )
    assert again.status_code == 422
    assert gateway.counters().get("verify") == 1


async def test_dropped_before_applying_settles_failed_after_grace(gateway):
    order = gateway.sandbox.state.mint_order(poi_id=gateway.poi_id, count=1)
    gateway.sandbox.state.faults.add(Fault(endpoint="verify", kind="drop"))
    r = await gateway.client.post(
        "/v1/open/coupons/verify", {"poi_id": gateway.poi_id, "code": order.certificates[0].code}
    )
    assert r.status_code in (502, 504), r.text
    body = r.json()
    assert body["data"]["verify_status"] == "processing"
    view = await _settled(gateway, body["data"]["id"])
    assert view["verify_status"] == "failed"
    assert gateway.counters().get("verify") == 1
    # Not redeemed upstream, so the customer can try again and it works.
    r = await gateway.client.post(
        "/v1/open/coupons/verify", {"poi_id": gateway.poi_id, "code": order.certificates[0].code}
    )
    assert r.status_code == 200, r.text


async def test_douyin_answering_502_to_the_verify_settles_from_certificate_get(gateway):
    """A 502 comes back after the request went out: an unknown outcome, settled by looking."""
    order = gateway.sandbox.state.mint_order(poi_id=gateway.poi_id, count=1)
    gateway.sandbox.state.faults.add(Fault(endpoint="verify", kind="http_502"))
    r = await gateway.client.post(
        "/v1/open/coupons/verify", {"poi_id": gateway.poi_id, "code": order.certificates[0].code}
    )
    assert r.status_code in (502, 504), r.text
    view = await _settled(gateway, r.json()["data"]["id"])
    assert view["verify_status"] == "failed"
    assert gateway.counters().get("verify") == 1


async def test_douyin_unreachable_before_sending_fails_at_once_and_can_be_retried(gateway, monkeypatch):
    """Nothing left this machine: the row is failed at once (no waiting for a grace), and the
    customer's coupon can be scanned again."""
    from gateway_core.douyin.errors import DouyinUnavailable

    order = gateway.sandbox.state.mint_order(poi_id=gateway.poi_id, count=1)
    real_verify = gateway.runtime.douyin.verify

    async def unreachable(**_kwargs):
        raise DouyinUnavailable("connection refused", request_sent=False)

    monkeypatch.setattr(gateway.runtime.douyin, "verify", unreachable)
    body = {"poi_id": gateway.poi_id, "code": order.certificates[0].code}
    r = await gateway.client.post("/v1/open/coupons/verify", body)
    assert r.status_code == 502, r.text
    assert r.json()["error"]["code"] == "upstream_unavailable"
    assert r.json()["data"]["verify_status"] == "failed"  # settled in the answer itself
    assert gateway.counters().get("verify", 0) == 0
    monkeypatch.setattr(gateway.runtime.douyin, "verify", real_verify)
    r = await gateway.client.post("/v1/open/coupons/verify", body)
    assert r.status_code == 200, r.text


async def test_prepare_garbage_is_an_upstream_error_and_writes_nothing(gateway):
    order = gateway.sandbox.state.mint_order(poi_id=gateway.poi_id, count=1)
    gateway.sandbox.state.faults.add(Fault(endpoint="prepare", kind="garbage", times=None))
    r = await gateway.client.post(
        "/v1/open/coupons/verify", {"poi_id": gateway.poi_id, "code": order.certificates[0].code}
    )
    assert r.status_code == 502
    assert r.json()["error"]["code"] in ("upstream_unavailable", "upstream_error")
    reports = gateway.runtime.reports
    _rows, total = await reports.list_verifications(reports.filter_from_query({}), 1, 10)
    assert total == 0
    assert gateway.counters().get("verify", 0) == 0
