"""prepare: by code and by short link's object_id, what it lists, and how it refuses."""

from __future__ import annotations

import uuid
from urllib.parse import parse_qs, unquote, urlsplit

from sandbox_helpers import FULFILMENT, GUOMAO, WANGJING, Douyin, FakeClock, assert_error, codes_of


async def _object_id_via_short_link(dy: Douyin, slug: str) -> str:
    r = await dy.http.get(f"/{slug}/")
    assert r.status_code == 302
    return parse_qs(urlsplit(r.headers["location"]).query)["object_id"][0]


async def test_prepare_by_code_lists_the_orders_usable_certificates(dy: Douyin):
    coupon = dy.state.coupon(tag="party-of-4")
    answer = await dy.prepare(code=coupon.code, poi_id=WANGJING)
    data = answer["data"]
    assert data["error_code"] == 0 and answer["extra"]["error_code"] == 0
    assert uuid.UUID(data["verify_token"]).version == 4
    assert data["order_id"] == coupon.order_id
    assert len(data["certificates"]) == 4
    first = data["certificates"][0]
    assert first["certificate_id"] == coupon.certificate_id
    assert first["encrypted_code"] == coupon.encrypted_code
    assert "code" not in first  # prepare never reveals plaintext codes
    assert first["start_time"] < dy.state.now() < first["expire_time"]
    assert set(first["amount"]) == {"original_amount", "list_market_amount", "pay_amount", "coupon_pay_amount",
                                    "merchant_ticket_amount", "payment_discount_amount", "platform_discount_amount"}
    assert first["sku"]["title"] == "单人自助晚餐" and first["sku"]["groupon_type"] == 1
    assert "time_card" not in first


async def test_prepare_by_short_link_object_id(dy: Douyin):
    coupon = dy.state.coupon(tag="voucher-pair")
    object_id = await _object_id_via_short_link(dy, coupon.slug)
    assert object_id == coupon.object_id
    data = (await dy.prepare(encrypted_data=object_id, poi_id=WANGJING))["data"]
    assert data["order_id"] == coupon.order_id and len(data["certificates"]) == 2
    assert data["certificates"][0]["sku"]["groupon_type"] == 2


async def test_each_prepare_mints_a_fresh_token_and_changes_nothing(dy: Douyin):
    coupon = dy.state.coupon(tag="single")
    one = (await dy.prepare(code=coupon.code))["data"]["verify_token"]
    two = (await dy.prepare(code=coupon.code))["data"]["verify_token"]
    assert one != two
    assert (await dy.certificate(coupon.encrypted_code))["data"]["certificate"]["status"] == 1


async def test_neither_code_nor_encrypted_data_is_1502(dy: Douyin):
    answer = await dy.prepare(poi_id=WANGJING)
    assert_error(answer, 1502)
    assert answer["data"]["verify_token"] == ""


async def test_both_code_and_encrypted_data_is_2100005(dy: Douyin):
    coupon = dy.state.coupon(tag="single")
    assert_error(await dy.prepare(code=coupon.code, encrypted_data=coupon.object_id), 2100005)


async def test_unknown_encrypted_data_is_3000001_qr_invalid(dy: Douyin):
    answer = await dy.prepare(encrypted_data="CgwIARDhJxjLLyABKAESLgosbogus+/==")
    assert_error(answer, 3000001)
    assert answer["data"]["description"] == "二维码参数不合法"


async def test_unknown_code_is_1212(dy: Douyin):
    assert_error(await dy.prepare(code="104404404404404"), 1212)


async def test_an_unencoded_plus_in_the_query_breaks_the_object_id(dy: Douyin):
    coupon = dy.state.coupon(tag="single")
    raw = f"{FULFILMENT}/prepare/?encrypted_data={coupon.object_id}"  # "+" arrives as a space
    r = await dy.http.get(raw, headers=dy.headers())
    assert_error(r.json(), 3000001)
    double = f"{FULFILMENT}/prepare/?encrypted_data={unquote(coupon.object_id).replace('+', '%252B')}"
    assert_error((await dy.http.get(double, headers=dy.headers())).json(), 3000001)


async def test_used_expired_and_refunded_orders_prepare_to_an_empty_list(dy: Douyin):
    for tag in ("used", "expired", "refunded"):
        answer = await dy.prepare(code=dy.state.coupon(tag=tag).code)
        assert answer["data"]["error_code"] == 0, tag
        assert answer["data"]["certificates"] == [], tag


async def test_partly_used_order_lists_only_what_is_left(dy: Douyin):
    used, *left = dy.state.coupons(tag="partly-used")
    codes = codes_of(await dy.prepare(code=used.code))
    assert codes == [c.encrypted_code for c in left]


async def test_time_card_shows_its_uses(dy: Douyin):
    card = dy.state.coupon(tag="time-card-used-3")
    cert = (await dy.prepare(code=card.code))["data"]["certificates"][0]
    assert cert["time_card"] == {"times_count": 10, "times_used": 3}
    assert cert["sku"]["groupon_type"] == 3


async def test_prepare_at_a_store_the_coupon_is_not_for_still_succeeds(dy: Douyin):
    # The store check happens at verify (3000002), not at prepare.
    coupon = next(c for c in dy.state.coupons(tag="single-poi") if c.poi_ids == (WANGJING,))
    assert len(codes_of(await dy.prepare(code=coupon.code, poi_id=GUOMAO))) == 1


async def test_expiry_is_judged_at_prepare_time(dy: Douyin, clock: FakeClock):
    coupon = dy.state.coupon(tag="expiring-soon")
    assert len(codes_of(await dy.prepare(code=coupon.code))) == 1
    clock.now += 7201
    await dy.login()  # the token is as old as the move
    assert codes_of(await dy.prepare(code=coupon.code)) == []


async def test_prepare_path_without_trailing_slash(dy: Douyin):
    coupon = dy.state.coupon(tag="single")
    r = await dy.http.get(f"{FULFILMENT}/prepare", params={"code": coupon.code}, headers=dy.headers())
    assert r.json()["data"]["order_id"] == coupon.order_id
