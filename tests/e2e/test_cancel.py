"""Undoing a redemption while Douyin allows it."""

from __future__ import annotations


async def _redeem(gateway) -> dict:
    order = gateway.sandbox.state.mint_order(poi_id=gateway.poi_id, count=1)
    r = await gateway.client.post(
        "/v1/open/coupons/verify", {"poi_id": gateway.poi_id, "code": order.certificates[0].code}
    )
    assert r.status_code == 200, r.text
    return r.json()["data"]


async def test_cancel_inside_the_window_makes_the_coupon_usable_again(gateway):
    view = await _redeem(gateway)
    r = await gateway.client.post(f"/v1/open/coupons/{view['id']}/cancel", {"reason": "顾客要求"})
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert data["verify_status"] == "cancelled"
    assert data["cancelled_at"]
    assert gateway.counters().get("cancel") == 1
    again = await gateway.client.post(f"/v1/open/coupons/{view['id']}/cancel")
    assert again.status_code == 409
    # The coupon can be redeemed again, as a new row.
    r = await gateway.client.post("/v1/open/coupons/verify", {"poi_id": gateway.poi_id, "code": data["origin_code"]})
    assert r.status_code == 200, r.text
    assert r.json()["data"]["id"] != view["id"]


async def test_cancel_with_empty_body(gateway):
    view = await _redeem(gateway)
    r = await gateway.client.signed("POST", f"/v1/open/coupons/{view['id']}/cancel")
    assert r.status_code == 200, r.text


async def test_cancel_outside_the_window_is_refused_by_douyin(gateway):
    view = await _redeem(gateway)
    gateway.sandbox.state.advance(2 * 3600)
    r = await gateway.client.post(f"/v1/open/coupons/{view['id']}/cancel")
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["error"]["code"] == "cancel_rejected"
    assert body["upstream"]["error_code"] == 3000001
    stored = await gateway.runtime.ledger.get_verification(view["id"])
    assert stored["verify_status"] == "success"


async def test_cancel_of_another_apps_or_unknown_row_is_404(gateway):
    view = await _redeem(gateway)
    other = await gateway.new_client("other-pos")
    try:
        r = await other.post(f"/v1/open/coupons/{view['id']}/cancel")
        assert r.status_code == 404
        assert r.json()["error"]["code"] == "not_found"
    finally:
        await other.aclose()
    r = await gateway.client.post("/v1/open/coupons/999999/cancel")
    assert r.status_code == 404
    r = await gateway.client.post("/v1/open/coupons/abc/cancel")
    assert r.status_code == 404
