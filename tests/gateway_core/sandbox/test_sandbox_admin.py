"""`/_sandbox/...` admin routes: faults, counters, reset, coupons, clock, minting, refunds."""

from __future__ import annotations

from sandbox_helpers import WANGJING, Douyin, assert_error, codes_of

from gateway_core.sandbox import SANDBOX_CLIENT_KEY, SANDBOX_POIS, Fault


async def test_faults_can_be_armed_listed_and_cleared_over_http(dy: Douyin):
    r = await dy.http.post("/_sandbox/faults", json={"endpoint": "prepare", "kind": "busy", "times": 2})
    assert r.status_code == 201
    [armed] = r.json()["faults"]
    assert armed["kind"] == "busy" and armed["remaining"] == 2
    r = await dy.http.post("/_sandbox/faults", json=[{"endpoint": "verify", "kind": "drop"},
                                                     {"kind": "latency", "latency_ms": 5, "times": None}])
    assert [f["kind"] for f in r.json()["faults"]] == ["drop", "latency"]
    coupon = dy.state.coupon(tag="single")
    assert_error(await dy.prepare(code=coupon.code), 2100004)
    listed = (await dy.http.get("/_sandbox/faults")).json()["faults"]
    assert [(f["kind"], f["remaining"], f["fired"]) for f in listed] == [
        ("busy", 1, 1), ("drop", 1, 0), ("latency", None, 0)]
    assert (await dy.http.delete(f"/_sandbox/faults/{listed[1]['id']}")).status_code == 200
    assert (await dy.http.delete("/_sandbox/faults/999")).status_code == 404
    assert (await dy.http.delete("/_sandbox/faults")).json() == {"cleared": 2}
    assert (await dy.http.get("/_sandbox/faults")).json() == {"faults": []}
    assert (await dy.prepare(code=coupon.code))["data"]["error_code"] == 0


async def test_bad_fault_specs_are_400(dy: Douyin):
    for spec in ({"kind": "explode"}, {"kind": "busy", "colour": "red"}, "busy", {"kind": "busy", "times": 0}):
        r = await dy.http.post("/_sandbox/faults", json=spec)
        assert r.status_code == 400, spec
        assert "error" in r.json()
    assert len(dy.state.faults) == 0


async def test_counters_count_requests_per_endpoint_and_applied_verifies(dy: Douyin):
    coupon = dy.state.coupon(tag="party-of-4")
    await dy.http.get(f"/{coupon.slug}/")
    await dy.redeem(coupon.code, count=2)
    await dy.certificate(coupon.encrypted_code)
    counters = (await dy.http.get("/_sandbox/counters")).json()
    assert counters == {"token": 1, "shortlink": 1, "prepare": 1, "verify": 1, "verify_applied": 1,
                        "certificates_verified": 2, "get": 1}


async def test_reset_restores_the_seeded_world(dy: Douyin):
    coupon = dy.state.coupon(tag="single")
    await dy.redeem(coupon.code)
    dy.state.faults.add(Fault(kind="busy"))
    dy.state.advance(3600)
    minted = dy.state.mint_order()
    r = await dy.http.post("/_sandbox/reset")
    assert r.status_code == 200
    assert dy.state.offset == 0 and len(dy.state.faults) == 0 and not dy.state.counters
    assert minted.order_id not in dy.state.orders
    assert dy.state.coupon(tag="single").code == coupon.code
    # The token issued before the reset still works; the coupon is usable again.
    assert len(codes_of(await dy.prepare(code=coupon.code))) == 1


async def test_ids_handed_out_before_a_reset_are_never_reused(dy: Douyin):
    before = (await dy.redeem(dy.state.coupon(tag="single").code))["data"]["verify_results"][0]
    minted = dy.state.mint_order()
    await dy.http.post("/_sandbox/reset")
    after = (await dy.redeem(dy.state.coupon(tag="single").code))["data"]["verify_results"][0]
    assert after["certificate_id"] == before["certificate_id"]  # the same seeded coupon
    assert after["verify_id"] != before["verify_id"]
    again = dy.state.mint_order()
    assert again.order_id != minted.order_id and again.slug != minted.slug
    assert again.certificates[0].code != minted.certificates[0].code
    assert again.certificates[0].certificate_id != minted.certificates[0].certificate_id


async def test_coupons_route_lists_and_filters(dy: Douyin):
    everything = (await dy.http.get("/_sandbox/coupons")).json()["coupons"]
    assert len(everything) == len(dy.state.coupons())
    first = everything[0]
    assert {"code", "short_link", "title", "groupon_type", "poi_ids", "state", "encrypted_code",
            "certificate_id", "order_id", "tag"} <= set(first)
    used = (await dy.http.get("/_sandbox/coupons", params={"state": "used"})).json()["coupons"]
    assert {c["state"] for c in used} == {"used"} and len(used) == 2
    cards = (await dy.http.get("/_sandbox/coupons", params={"groupon_type": 3})).json()["coupons"]
    assert {c["title"] for c in cards} == {"洗剪吹10次卡"}
    fours = (await dy.http.get("/_sandbox/coupons", params={"order_size": 4, "poi_id": WANGJING})).json()
    assert len(fours["coupons"]) == 8
    assert (await dy.http.get("/_sandbox/coupons", params={"groupon_type": "x"})).status_code == 400


async def test_clock_route_moves_time(dy: Douyin):
    before = (await dy.http.get("/_sandbox/clock")).json()["now"]
    r = await dy.http.post("/_sandbox/clock", json={"advance_seconds": 7201})
    assert r.json()["now"] == before + 7201 and r.json()["offset"] == 7201
    shops = await dy.get("/goodlife/v1/shop/poi/query/", {"poi_id": WANGJING, "page": 1, "size": 1})
    assert_error(shops.json(), 2190008)
    assert (await dy.http.post("/_sandbox/clock", json={"advance": 1})).status_code == 400


async def test_orders_route_mints_usable_coupons(dy: Douyin):
    r = await dy.http.post("/_sandbox/orders", json={"poi_id": WANGJING, "count": 2, "product": "cash50"})
    assert r.status_code == 201
    order = r.json()
    assert len(order["coupons"]) == 2 and order["short_link"].startswith("https://v.douyin.com/")
    assert {c["poi_ids"] == [WANGJING] for c in order["coupons"]} == {True}
    answer = await dy.redeem(order["coupons"][1]["code"])
    assert [i["result"] for i in answer["data"]["verify_results"]] == [0, 0]
    for bad in ({"product": "caviar"}, {"count": 0}, {"poi_id": "1"}, {"colour": "red"}, [1]):
        assert (await dy.http.post("/_sandbox/orders", json=bad)).status_code == 400, bad


async def test_refund_route(dy: Douyin):
    coupon = dy.state.coupon(tag="voucher")
    r = await dy.http.post("/_sandbox/refund", json={"certificate_id": coupon.certificate_id})
    assert r.status_code == 200
    assert (await dy.certificate(coupon.encrypted_code))["data"]["certificate"]["status"] == 4
    assert (await dy.http.get(f"/{coupon.slug}/")).status_code == 404
    assert (await dy.http.post("/_sandbox/refund", json={"certificate_id": "1"})).status_code == 400


async def test_info_route_and_admin_is_not_counted(dy: Douyin):
    for path in ("/_sandbox", "/_sandbox/"):
        info = (await dy.http.get(path)).json()
        assert info["client_key"] == SANDBOX_CLIENT_KEY
        assert [p["poi_id"] for p in info["pois"]] == [p.poi_id for p in SANDBOX_POIS]
    assert "shortlink" not in dy.state.counters
