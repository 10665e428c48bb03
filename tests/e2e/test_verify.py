"""Redeeming through the signed local API against the sandbox Douyin, end to end."""

from __future__ import annotations

import asyncio

from gateway_core.sandbox import SANDBOX_POIS


async def test_verify_by_code_redeems_once_and_is_in_the_ledger(gateway):
    order = gateway.sandbox.state.mint_order(poi_id=gateway.poi_id, count=1)
    code = order.certificates[0].code
    r = await gateway.client.post("/v1/open/coupons/verify", {"poi_id": gateway.poi_id, "code": code})
    assert r.status_code == 200, r.text
    body = r.json()
    view = body["data"]
    assert view["verify_status"] == "success"
    assert view["coupon_status"] == "verified"
    assert view["origin_code"] == code
    assert view["certificate_id"] == order.certificates[0].certificate_id
    assert view["verify_id"]
    assert view["mode"] == "code"
    assert view["app_id"] == gateway.app["id"]
    assert view["pay_amount"] > 0
    assert body["items"] == [view]
    assert gateway.counters().get("verify") == 1

    stored = await gateway.runtime.ledger.get_verification(view["id"])
    assert stored["verify_status"] == "success"

    again = await gateway.client.post("/v1/open/coupons/verify", {"poi_id": gateway.poi_id, "code": code})
    assert again.status_code == 422, again.text
    assert again.json()["error"]["code"] == "coupon_rejected"
    assert gateway.counters().get("verify") == 1


async def test_verify_by_short_link(gateway):
    order = gateway.sandbox.state.mint_order(poi_id=gateway.poi_id, count=1)
    r = await gateway.client.post("/v1/open/coupons/verify", {"poi_id": gateway.poi_id, "short_link": order.short_link})
    assert r.status_code == 200, r.text
    assert r.json()["data"]["mode"] == "short_link"
    # The short link dies once its order has no usable coupon left.
    again = await gateway.client.post(
        "/v1/open/coupons/verify", {"poi_id": gateway.poi_id, "short_link": order.short_link}
    )
    assert again.status_code == 422
    assert gateway.counters().get("verify") == 1


async def test_short_link_to_a_host_not_allowed_makes_no_request(gateway):
    before = gateway.counters()
    r = await gateway.client.post(
        "/v1/open/coupons/verify", {"poi_id": gateway.poi_id, "short_link": "https://evil.example.com/abc/"}
    )
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "invalid_request"
    assert "short_link" in r.json()["error"]["fields"]
    r = await gateway.client.post(
        "/v1/open/coupons/prepare", {"poi_id": gateway.poi_id, "short_link": "https://v.douyin.com.evil.io/x/"}
    )
    assert r.status_code == 400
    assert gateway.counters() == before


async def test_count_redeems_several_coupons_of_one_order_in_one_verify(gateway):
    order = gateway.sandbox.state.mint_order(poi_id=gateway.poi_id, count=4)
    code = order.certificates[0].code
    r = await gateway.client.post("/v1/open/coupons/verify", {"poi_id": gateway.poi_id, "code": code, "count": 3})
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    assert len(items) == 3
    assert {i["verify_status"] for i in items} == {"success"}
    assert len({i["certificate_id"] for i in items}) == 3
    assert gateway.counters().get("verify") == 1
    # One coupon is left: asking for two is refused before Douyin's verify.
    r = await gateway.client.post("/v1/open/coupons/verify", {"poi_id": gateway.poi_id, "code": code, "count": 2})
    assert r.status_code == 422
    assert gateway.counters().get("verify") == 1


async def test_prepare_then_encrypted_code_verify(gateway):
    order = gateway.sandbox.state.mint_order(poi_id=gateway.poi_id, count=1)
    r = await gateway.client.post(
        "/v1/open/coupons/prepare", {"poi_id": gateway.poi_id, "code": order.certificates[0].code}
    )
    assert r.status_code == 200, r.text
    raw = r.json()
    assert raw["extra"]["error_code"] == 0  # Douyin's JSON, unwrapped
    cert = raw["data"]["certificates"][0]
    r = await gateway.client.post(
        "/v1/open/coupons/verify",
        {
            "poi_id": gateway.poi_id,
            "encrypted_code": cert["encrypted_code"],
            "verify_token": raw["data"]["verify_token"],
        },
    )
    assert r.status_code == 200, r.text
    assert r.json()["data"]["mode"] == "encrypted_code"
    assert gateway.counters().get("prepare") == 1


async def test_wrong_store_is_refused_with_douyins_answer(gateway):
    other_poi = SANDBOX_POIS[1].poi_id
    order = gateway.sandbox.state.mint_order(poi_id=other_poi, count=1)
    r = await gateway.client.post(
        "/v1/open/coupons/verify", {"poi_id": gateway.poi_id, "code": order.certificates[0].code}
    )
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["error"]["code"] == "coupon_rejected"
    assert body["upstream"]["error_code"] == 3000002
    assert body["data"]["verify_status"] == "failed"
    assert body["data"]["error_code"] == 3000002


async def test_unknown_code_is_rejected(gateway):
    r = await gateway.client.post("/v1/open/coupons/verify", {"poi_id": gateway.poi_id, "code": "999999999999"})
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "coupon_rejected"
    assert gateway.counters().get("verify", 0) == 0


async def test_twenty_concurrent_verifies_of_one_coupon_reach_douyin_once(gateway):
    order = gateway.sandbox.state.mint_order(poi_id=gateway.poi_id, count=1)
    body = {"poi_id": gateway.poi_id, "code": order.certificates[0].code}
    responses = await asyncio.gather(*(gateway.client.post("/v1/open/coupons/verify", body) for _ in range(20)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses.count(200) == 1, statuses
    assert set(statuses) <= {200, 409, 422}
    assert gateway.counters().get("verify") == 1
    _rows, total = await gateway.runtime.reports.list_verifications(
        gateway.runtime.reports.filter_from_query({"status": "success"}), 1, 50
    )
    assert total == 1


async def test_idempotent_replay_and_conflicting_body(gateway):
    order = gateway.sandbox.state.mint_order(poi_id=gateway.poi_id, count=2)
    body = {"poi_id": gateway.poi_id, "code": order.certificates[0].code, "request_id": "pos-42"}
    first = await gateway.client.post("/v1/open/coupons/verify", body)
    assert first.status_code == 200
    second = await gateway.client.post("/v1/open/coupons/verify", body)
    assert second.status_code == 200
    assert second.json() == first.json()
    assert gateway.counters().get("verify") == 1
    other = await gateway.client.post("/v1/open/coupons/verify", {**body, "count": 2})
    assert other.status_code == 409
    assert other.json()["error"]["code"] == "conflict"
    # Another app may use the same request_id for its own request.
    second_app = await gateway.new_client("kiosk")
    try:
        r = await second_app.post("/v1/open/coupons/verify", {**body, "code": order.certificates[1].code})
        assert r.status_code == 200, r.text
    finally:
        await second_app.aclose()


async def test_refusal_replays_too(gateway):
    body = {"poi_id": gateway.poi_id, "code": "000000000001", "request_id": "r-refused"}
    first = await gateway.client.post("/v1/open/coupons/verify", body)
    second = await gateway.client.post("/v1/open/coupons/verify", body)
    assert first.status_code == second.status_code == 422
    assert first.json() == second.json()
    assert gateway.counters().get("prepare") == 1


async def test_a_coupon_still_processing_gets_a_clear_409_not_a_crash(gateway):
    """A row left `processing` (an unknown outcome not yet reconciled) holds the coupon: a second
    request is told so, with that row, and Douyin's verify is not called."""
    cert = gateway.sandbox.state.mint_order(poi_id=gateway.poi_id, count=1).certificates[0]
    [held] = await gateway.runtime.ledger.insert_processing(
        [{"app_id": gateway.app["id"], "poi_id": gateway.poi_id, "mode": "code", "certificate_id": cert.certificate_id}]
    )
    r = await gateway.client.post("/v1/open/coupons/verify", {"poi_id": gateway.poi_id, "code": cert.code})
    assert r.status_code == 409, r.text
    error = r.json()["error"]
    assert error["code"] == "conflict" and [item["id"] for item in r.json()["items"]] == [held["id"]]
    assert gateway.counters().get("verify", 0) == 0
