"""Read endpoints: certificate get/query, verify records, order query, shop query."""

from __future__ import annotations

import pytest
from sandbox_helpers import FULFILMENT, GUOMAO, WANGJING, Douyin, FakeClock, assert_error

from gateway_core.sandbox import SANDBOX_ACCOUNT_ID, SANDBOX_POIS

RECORDS = f"{FULFILMENT}/verify_record/query/"
ORDERS = "/goodlife/v1/trade/order/query/"
SHOPS = "/goodlife/v1/shop/poi/query/"


@pytest.mark.parametrize(("tag", "status"), [("single", 1), ("used", 2), ("expired", 3), ("refunded", 4)])
async def test_get_reports_each_state(dy: Douyin, tag, status):
    coupon = dy.state.coupon(tag=tag)
    answer = await dy.certificate(coupon.encrypted_code)
    assert answer["data"]["error_code"] == 0
    cert = answer["data"]["certificate"]
    assert cert["status"] == status
    assert cert["code"] == coupon.code and cert["encrypted_code"] == coupon.encrypted_code
    assert cert["certificate_id"] == coupon.certificate_id and cert["order_id"] == coupon.order_id
    assert cert["sku"]["sku_id"] == coupon.sku_id and cert["amount"]["pay_amount"] == coupon.pay_amount
    assert ("verify" in cert) == (tag == "used")


async def test_get_shows_what_prepare_shows_plus_order_code_and_status(dy: Douyin):
    coupon = dy.state.coupon(tag="time-card-used-3")
    cert = (await dy.certificate(coupon.encrypted_code))["data"]["certificate"]
    assert set(cert) == {"certificate_id", "encrypted_code", "start_time", "expire_time", "amount", "sku",
                         "time_card", "order_id", "code", "status", "verify"}
    assert cert["time_card"] == {"times_count": 10, "times_used": 3} and cert["status"] == 1


async def test_get_verify_block_after_a_verify(dy: Douyin, clock: FakeClock):
    coupon = dy.state.coupon(tag="voucher")
    item = (await dy.redeem(coupon.code))["data"]["verify_results"][0]
    verify = (await dy.certificate(coupon.encrypted_code))["data"]["certificate"]["verify"]
    assert verify == {"verify_id": item["verify_id"], "certificate_id": coupon.certificate_id, "verify_type": 4,
                      "verify_time": int(clock.now), "can_cancel": True, "verifier_unique_id": "开放平台API"}


async def test_get_refusals(dy: Douyin):
    assert_error((await dy.get(f"{FULFILMENT}/get/", {})).json(), 2100005)
    assert_error(await dy.certificate("CgwIARDhJxjLLyABKAESLgosunknown=="), 1212)


async def test_query_by_order_reflects_a_partial_use(dy: Douyin):
    coupon = dy.state.coupon(tag="party-of-4")
    await dy.redeem(coupon.code, count=1)
    answer = (await dy.get(f"{FULFILMENT}/query/", {"order_id": coupon.order_id})).json()
    statuses = [c["status"] for c in answer["data"]["certificates"]]
    assert statuses == [2, 1, 1, 1]
    one = (await dy.get(f"{FULFILMENT}/query", {"encrypted_code": coupon.encrypted_code})).json()
    assert [c["certificate_id"] for c in one["data"]["certificates"]] == [coupon.certificate_id]


async def test_query_refusals(dy: Douyin):
    coupon = dy.state.coupon(tag="single")
    assert_error((await dy.get(f"{FULFILMENT}/query/", {})).json(), 2100005)
    both = {"order_id": coupon.order_id, "encrypted_code": coupon.encrypted_code}
    assert_error((await dy.get(f"{FULFILMENT}/query/", both)).json(), 2100005)
    assert_error((await dy.get(f"{FULFILMENT}/query/", {"order_id": "1000000000000000000"})).json(), 3100101)
    assert_error((await dy.get(f"{FULFILMENT}/query/", {"encrypted_code": "nope"})).json(), 1212)


async def _records(dy: Douyin, **params) -> dict:
    return (await dy.get(RECORDS, {"account_id": SANDBOX_ACCOUNT_ID, "cursor": "0", "size": 10, **params})).json()


async def test_verify_records_newest_first_with_cursor_paging(dy: Douyin):
    ids = []
    for tag in ("single", "voucher", "single-poi"):
        coupon = dy.state.coupon(tag=tag, state="usable", poi_id=WANGJING)
        ids.append((await dy.redeem(coupon.code))["data"]["verify_results"][0]["verify_id"])
    page1 = await _records(dy, size=2)
    assert page1["data"]["total"] == 3
    got = [r["verify_id"] for r in page1["data"]["records"]]
    assert got == ids[::-1][:2]
    record = page1["data"]["records"][0]
    assert record["cursor"] == record["verify_id"] and record["status"] == 1 and record["can_cancel"] is True
    assert record["verify_type"] == 4 and record["poi_id"] == WANGJING and record["cancel_time"] == 0
    page2 = await _records(dy, size=2, cursor=page1["data"]["records"][-1]["cursor"])
    assert [r["verify_id"] for r in page2["data"]["records"]] == [ids[0]]


async def test_verify_records_show_cancellations_and_filter_by_poi(dy: Douyin, clock: FakeClock):
    here = dy.state.coupon(tag="single")
    item = (await dy.redeem(here.code, poi_id=WANGJING))["data"]["verify_results"][0]
    there = dy.state.coupons(tag="single")[1]
    await dy.redeem(there.code, poi_id=GUOMAO)
    clock.now += 10
    await dy.cancel(item["certificate_id"], item["verify_id"])
    cancelled = (await _records(dy, poi_ids=WANGJING))["data"]["records"]
    assert [(r["verify_id"], r["status"], r["cancel_time"]) for r in cancelled] == [
        (item["verify_id"], 2, int(clock.now))]
    assert (await _records(dy, poi_ids=f"[{GUOMAO}]"))["data"]["total"] == 1
    assert (await _records(dy, poi_ids=f"{WANGJING},{GUOMAO}"))["data"]["total"] == 2


async def test_verify_records_default_to_today_and_take_a_window(dy: Douyin, clock: FakeClock):
    # The seeded used coupons were verified days ago: not "today", but inside an explicit window.
    assert (await _records(dy))["data"]["total"] == 0
    start = int(clock.now) - 30 * 86400
    seeded = await _records(dy, start_time=start, end_time=int(clock.now))
    assert seeded["data"]["total"] == 5  # used, partly-used, and three uses of a 次卡


async def test_verify_records_refusals(dy: Douyin):
    assert_error((await dy.get(RECORDS, {"cursor": "0", "size": 10})).json(), 2100005)
    assert_error(await _records(dy, account_id="7000000000000000001"), 2119005)
    assert_error(await _records(dy, size=21), 2100005)
    assert_error(await _records(dy, cursor="abc"), 2100005)


async def test_order_query_by_id(dy: Douyin):
    coupon = dy.state.coupon(tag="party-of-4")
    await dy.redeem(coupon.code, count=1)
    answer = (await dy.get(ORDERS, {"account_id": SANDBOX_ACCOUNT_ID, "order_id": coupon.order_id})).json()
    assert answer["data"]["page"] == {"page_num": 1, "page_size": 10, "total": 1}
    [order] = answer["data"]["orders"]
    assert order["order_id"] == coupon.order_id and order["count"] == 4
    assert order["order_status"] == 200
    assert order["pay_amount"] == 4 * coupon.pay_amount
    assert order["sku_id"] == coupon.sku_id and order["sku_name"] == "单人自助晚餐"
    assert order["poi_id"] in coupon.poi_ids
    assert [c["item_status"] for c in order["certificate"]] == [402, 401, 401, 401]
    assert order["certificate"][0]["certificate_id"] == coupon.certificate_id
    assert order["contacts"][0]["phone"].count("*") == 4
    assert order["pay_time"] <= dy.state.now() and order["create_order_time"] <= order["pay_time"]


@pytest.mark.parametrize(("tag", "status"), [("single", 200), ("used", 300), ("refunded", 400), ("expired", 200)])
async def test_order_status_values(dy: Douyin, tag, status):
    coupon = dy.state.coupon(tag=tag)
    answer = (await dy.get(ORDERS, {"account_id": SANDBOX_ACCOUNT_ID, "order_id": coupon.order_id})).json()
    assert answer["data"]["orders"][0]["order_status"] == status


async def test_order_query_lists_with_paging_and_filters(dy: Douyin):
    total = len({c.order_id for c in dy.state.coupons()})
    page = (await dy.get(ORDERS, {"account_id": SANDBOX_ACCOUNT_ID, "page_num": 2, "page_size": 5})).json()
    assert page["data"]["page"]["total"] == total and len(page["data"]["orders"]) == 5
    done = (await dy.get(ORDERS, {"account_id": SANDBOX_ACCOUNT_ID, "order_status": 300})).json()
    assert [o["order_id"] for o in done["data"]["orders"]] == [dy.state.coupon(tag="used").order_id]
    missing = (await dy.get(ORDERS, {"account_id": SANDBOX_ACCOUNT_ID, "order_id": "1000000000000000000"})).json()
    assert missing["data"]["orders"] == [] and missing["data"]["page"]["total"] == 0
    assert_error((await dy.get(ORDERS, {"order_id": "1"})).json(), 2100005)


async def test_shop_query_pages_the_seeded_pois(dy: Douyin):
    first = (await dy.get(SHOPS, {"account_id": SANDBOX_ACCOUNT_ID, "page": 1, "size": 3})).json()
    assert first["data"]["total"] == len(SANDBOX_POIS)
    assert [p["poi"]["poi_id"] for p in first["data"]["pois"]] == [p.poi_id for p in SANDBOX_POIS[:3]]
    shop = first["data"]["pois"][0]
    assert shop["poi"] == {"poi_id": SANDBOX_POIS[0].poi_id, "poi_name": SANDBOX_POIS[0].poi_name,
                           "address": SANDBOX_POIS[0].address, "latitude": SANDBOX_POIS[0].latitude,
                           "longitude": SANDBOX_POIS[0].longitude}
    assert shop["account"]["parent_account"]["account_id"] == SANDBOX_ACCOUNT_ID
    assert shop["account"]["poi_account"]["account_type"] == "Shop"
    second = (await dy.get(SHOPS, {"account_id": SANDBOX_ACCOUNT_ID, "page": 2, "size": 3})).json()
    assert [p["poi"]["poi_id"] for p in second["data"]["pois"]] == [p.poi_id for p in SANDBOX_POIS[3:]]
    one = (await dy.get(SHOPS, {"poi_id": GUOMAO, "page": 1, "size": 10})).json()
    assert one["data"]["total"] == 1 and one["data"]["pois"][0]["poi"]["poi_id"] == GUOMAO


async def test_shop_query_refusals(dy: Douyin):
    assert_error((await dy.get(SHOPS, {"account_id": SANDBOX_ACCOUNT_ID, "page": 1, "size": 51})).json(), 2100005)
    assert_error((await dy.get(SHOPS, {"account_id": SANDBOX_ACCOUNT_ID, "page": 0, "size": 5})).json(), 2100005)
    assert_error((await dy.get(SHOPS, {"page": 1, "size": 5})).json(), 2100005)
    assert_error((await dy.get(SHOPS, {"account_id": "123", "page": 1, "size": 5})).json(), 2119005)
