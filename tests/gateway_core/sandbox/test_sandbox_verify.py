"""verify: success, replay (1208), store mismatch, used/expired coupons, token misuse, short links."""

from __future__ import annotations

import re

from sandbox_helpers import FULFILMENT, GUOMAO, SALON, WANGJING, Douyin, FakeClock, assert_error, codes_of

from gateway_core.sandbox import SANDBOX_ACCOUNT_ID


async def test_first_verify_succeeds_with_every_field(dy: Douyin, clock: FakeClock):
    coupon = dy.state.coupon(tag="single")
    answer = await dy.redeem(coupon.code)
    assert answer["data"]["error_code"] == 0 and answer["extra"]["error_code"] == 0
    [item] = answer["data"]["verify_results"]
    assert item["result"] == 0 and item["msg"] == "验券成功"
    assert item["code"] == coupon.encrypted_code and item["origin_code"] == coupon.code
    assert item["certificate_id"] == coupon.certificate_id and item["order_id"] == coupon.order_id
    assert item["account_id"] == SANDBOX_ACCOUNT_ID
    assert re.fullmatch(r"\d{19}", item["verify_id"])
    assert item["verify_time"] == int(clock.now)
    assert "verify_amount_info" not in item
    cert = (await dy.certificate(coupon.encrypted_code))["data"]["certificate"]
    assert cert["status"] == 2 and cert["verify"]["verify_id"] == item["verify_id"]
    assert dy.state.counters["verify"] == 1 and dy.state.counters["verify_applied"] == 1


async def test_same_token_same_codes_again_is_1208_with_the_first_verify_id(dy: Douyin):
    coupon = dy.state.coupon(tag="single")
    prepared = (await dy.prepare(code=coupon.code))["data"]
    first = await dy.verify(prepared["verify_token"], codes_of({"data": prepared}))
    again = await dy.verify(prepared["verify_token"], codes_of({"data": prepared}))
    assert again["data"]["error_code"] == 0 and again["extra"]["error_code"] == 0
    [item] = again["data"]["verify_results"]
    assert item["result"] == 1208
    assert item["verify_id"] == first["data"]["verify_results"][0]["verify_id"]
    assert dy.state.counters["verify"] == 2 and dy.state.counters["verify_applied"] == 1


async def test_several_codes_of_one_order_in_one_call(dy: Douyin):
    coupon = dy.state.coupon(tag="party-of-4")
    answer = await dy.redeem(coupon.code, count=3)
    results = answer["data"]["verify_results"]
    assert [r["result"] for r in results] == [0, 0, 0]
    assert len({r["verify_id"] for r in results}) == 3
    assert dy.state.counters["certificates_verified"] == 3
    # A fresh prepare no longer sees them.
    assert len(codes_of(await dy.prepare(code=coupon.code))) == 1


async def test_code_not_from_that_prepare_fails_per_item(dy: Douyin):
    mine = dy.state.coupon(tag="single")
    other = dy.state.coupons(tag="single")[1]
    prepared = (await dy.prepare(code=mine.code))["data"]
    answer = await dy.verify(prepared["verify_token"], [mine.encrypted_code, other.encrypted_code, "bogus=="])
    assert answer["data"]["error_code"] == 0
    results = answer["data"]["verify_results"]
    assert results[0]["result"] == 0
    assert results[1]["result"] not in (0, 1208, 2) and results[1]["certificate_id"] == other.certificate_id
    assert results[2]["result"] not in (0, 1208, 2) and results[2]["verify_id"] == ""
    other_cert = (await dy.certificate(other.encrypted_code))["data"]["certificate"]
    assert other_cert["status"] == 1


async def test_wrong_store_is_3000002_and_applies_nothing(dy: Douyin):
    coupon = next(c for c in dy.state.coupons(tag="single-poi") if c.poi_ids == (WANGJING,))
    prepared = (await dy.prepare(code=coupon.code, poi_id=GUOMAO))["data"]
    answer = await dy.verify(prepared["verify_token"], codes_of({"data": prepared}), poi_id=GUOMAO)
    assert_error(answer, 3000002)
    assert answer["data"]["description"] == "所选门店不在商品适用门店内"
    assert (await dy.certificate(coupon.encrypted_code))["data"]["certificate"]["status"] == 1
    # The same prepare still works at the right store: a refused call does not spend the token.
    ok = await dy.verify(prepared["verify_token"], codes_of({"data": prepared}), poi_id=WANGJING)
    assert ok["data"]["verify_results"][0]["result"] == 0


async def test_unknown_verify_token_is_2100005(dy: Douyin):
    coupon = dy.state.coupon(tag="single")
    assert_error(await dy.verify("211ecb01-9f97-46e1-98db-b2cbecfbfd7e", [coupon.encrypted_code]), 2100005)


async def test_form_body_is_2100005_with_readmapcb(dy: Douyin):
    coupon = dy.state.coupon(tag="single")
    prepared = (await dy.prepare(code=coupon.code))["data"]
    r = await dy.http.post(f"{FULFILMENT}/verify/", headers={"access-token": dy.access_token},
                           data={"verify_token": prepared["verify_token"], "poi_id": WANGJING,
                                 "encrypted_codes": coupon.encrypted_code})
    answer = r.json()
    assert_error(answer, 2100005)
    assert answer["extra"]["sub_description"].startswith("ReadMapCB: expect { or n, but found v")
    assert dy.state.counters["verify_applied"] == 0


async def test_malformed_verify_bodies_are_2100005(dy: Douyin):
    coupon = dy.state.coupon(tag="single")
    token = (await dy.prepare(code=coupon.code))["data"]["verify_token"]
    for body in (
        {"verify_token": token, "encrypted_codes": [coupon.encrypted_code]},
        {"verify_token": token, "poi_id": WANGJING},
        {"verify_token": token, "poi_id": WANGJING, "encrypted_codes": []},
        {"verify_token": token, "poi_id": WANGJING, "encrypted_codes": coupon.encrypted_code},
        {"poi_id": WANGJING, "encrypted_codes": [coupon.encrypted_code]},
        [1, 2],
    ):
        assert_error((await dy.post(f"{FULFILMENT}/verify/", body)).json(), 2100005)
    broken = await dy.http.post(f"{FULFILMENT}/verify/", content=b'{"verify_token": ',
                                headers=dy.headers())
    assert_error(broken.json(), 2100005)
    assert dy.state.counters["verify_applied"] == 0


async def test_coupon_used_through_another_prepare_is_refused_never_1208(dy: Douyin):
    coupon = dy.state.coupon(tag="single")
    first = (await dy.prepare(code=coupon.code))["data"]
    second = (await dy.prepare(code=coupon.code))["data"]
    assert (await dy.verify(first["verify_token"], [coupon.encrypted_code]))["data"]["verify_results"][0]["result"] == 0
    late = await dy.verify(second["verify_token"], [coupon.encrypted_code])
    result = late["data"]["verify_results"][0]["result"]
    assert result in (1212, 1250)
    assert dy.state.counters["certificates_verified"] == 1


async def test_one_prepare_one_verify(dy: Douyin):
    coupon = dy.state.coupon(tag="party-of-4")
    prepared = (await dy.prepare(code=coupon.code))["data"]
    codes = codes_of({"data": prepared})
    assert (await dy.verify(prepared["verify_token"], codes[:1]))["data"]["verify_results"][0]["result"] == 0
    later = await dy.verify(prepared["verify_token"], codes[1:2])
    assert later["data"]["verify_results"][0]["result"] == 1212
    assert dy.state.counters["certificates_verified"] == 1


async def test_coupon_expiring_between_prepare_and_verify_fails_per_item(dy: Douyin, clock: FakeClock):
    coupon = dy.state.coupon(tag="expiring-soon")  # expires 7200 s after the seed
    clock.now += 7200 - 60
    await dy.login()
    prepared = (await dy.prepare(code=coupon.code))["data"]
    assert len(prepared["certificates"]) == 1
    clock.now += 120
    answer = await dy.verify(prepared["verify_token"], [coupon.encrypted_code])
    assert answer["data"]["error_code"] == 0
    assert answer["data"]["verify_results"][0]["result"] == 1250
    assert dy.state.counters["verify_applied"] == 0
    assert (await dy.certificate(coupon.encrypted_code))["data"]["certificate"]["status"] == 3


async def test_short_link_dies_when_nothing_is_left_and_revives_on_cancel(dy: Douyin):
    coupon = dy.state.coupon(tag="voucher-pair")
    link = f"/{coupon.slug}/"
    first = await dy.redeem(coupon.code, count=1)
    assert (await dy.http.get(link)).status_code == 302  # one coupon still usable
    last = await dy.redeem(coupon.code)
    assert last["data"]["verify_results"][0]["result"] == 0
    assert (await dy.http.get(link)).status_code == 404
    assert (await dy.http.get(f"/{coupon.slug}")).status_code == 404
    assert_error(await dy.prepare(encrypted_data=coupon.object_id), 3000001)
    item = first["data"]["verify_results"][0]
    assert (await dy.cancel(item["certificate_id"], item["verify_id"]))["data"]["error_code"] == 0
    assert (await dy.http.get(link)).status_code == 302


async def test_time_card_use_keeps_it_usable_and_reports_amounts(dy: Douyin):
    card = dy.state.coupon(tag="time-card-used-3")
    answer = await dy.redeem(card.code, poi_id=SALON)
    [item] = answer["data"]["verify_results"]
    assert item["result"] == 0
    info = item["verify_amount_info"]
    assert info["times_card_serial_amount"]["serial_numb"] == 4
    assert info["time_card_amount"]["amount"] == 3990  # 39900 / 10 uses
    cert = (await dy.certificate(card.encrypted_code))["data"]["certificate"]
    assert cert["status"] == 1 and cert["time_card"] == {"times_count": 10, "times_used": 4}
    assert cert["verify"]["verify_id"] == item["verify_id"]
    assert (await dy.http.get(f"/{card.slug}/")).status_code == 302


async def test_time_card_last_use_uses_it_up(dy: Douyin):
    card = dy.state.mint_order(product="haircut10")
    amounts = []
    for _ in range(10):
        answer = await dy.redeem(card.certificates[0].code, poi_id=SALON)
        info = answer["data"]["verify_results"][0]["verify_amount_info"]
        amounts.append(info["times_card_serial_amount"]["amount"]["pay_amount"])
    assert sum(amounts) == 39900
    assert (await dy.certificate(card.certificates[0].encrypted_code))["data"]["certificate"]["status"] == 2
    assert (await dy.http.get(f"/{card.slug}/")).status_code == 404


async def test_verify_without_token_applies_nothing(dy: Douyin):
    coupon = dy.state.coupon(tag="single")
    prepared = (await dy.prepare(code=coupon.code))["data"]
    r = await dy.http.post(f"{FULFILMENT}/verify", json={"verify_token": prepared["verify_token"],
                                                          "poi_id": WANGJING,
                                                          "encrypted_codes": [coupon.encrypted_code]})
    assert_error(r.json(), 2190002)
    assert dy.state.counters["verify_applied"] == 0


async def test_duplicate_codes_in_one_call_count_once(dy: Douyin):
    coupon = dy.state.coupon(tag="single")
    prepared = (await dy.prepare(code=coupon.code))["data"]
    answer = await dy.verify(prepared["verify_token"], [coupon.encrypted_code] * 2)
    assert [r["result"] for r in answer["data"]["verify_results"]] == [0]
    assert dy.state.counters["certificates_verified"] == 1
