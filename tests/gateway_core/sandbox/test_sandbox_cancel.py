"""cancel: matching ids, the cancel window, re-cancel, and the coupon coming back."""

from __future__ import annotations

from sandbox_helpers import Douyin, FakeClock, assert_error, client, codes_of

from gateway_core.sandbox import SandboxServer, SandboxState


async def _verified(dy: Douyin, tag: str = "single") -> dict:
    coupon = dy.state.coupon(tag=tag, state="usable")
    return (await dy.redeem(coupon.code))["data"]["verify_results"][0]


async def test_cancel_inside_the_window_makes_the_coupon_usable_again(dy: Douyin):
    item = await _verified(dy)
    answer = await dy.cancel(item["certificate_id"], item["verify_id"])
    assert answer["data"]["error_code"] == 0 and answer["extra"]["error_code"] == 0
    cert = (await dy.certificate(item["code"]))["data"]["certificate"]
    assert cert["status"] == 1 and "verify" not in cert
    assert codes_of(await dy.prepare(code=item["origin_code"])) == [item["code"]]
    assert dy.state.counters["cancel"] == 1 and dy.state.counters["cancel_applied"] == 1
    # And it can be verified again, under a new verify_id.
    again = (await dy.redeem(item["origin_code"]))["data"]["verify_results"][0]
    assert again["result"] == 0 and again["verify_id"] != item["verify_id"]


async def test_recancel_is_1265(dy: Douyin):
    item = await _verified(dy)
    await dy.cancel(item["certificate_id"], item["verify_id"])
    assert_error(await dy.cancel(item["certificate_id"], item["verify_id"]), 1265)
    assert dy.state.counters["cancel_applied"] == 1


async def test_ids_must_match(dy: Douyin):
    item = await _verified(dy)
    other = dy.state.coupons(tag="single")[3]
    assert_error(await dy.cancel(other.certificate_id, item["verify_id"]), 1033000519)
    assert_error(await dy.cancel(item["certificate_id"], "7486021925630999999"), 1033000519)
    assert_error(await dy.cancel(item["certificate_id"], ""), 2100005)
    assert dy.state.counters["cancel_applied"] == 0


async def test_cancel_after_the_window_is_3000001_sub_2034000910(dy: Douyin, clock: FakeClock):
    item = await _verified(dy)
    clock.now += 3600
    assert (await dy.certificate(item["code"]))["data"]["certificate"]["verify"]["can_cancel"] is True
    clock.now += 1
    assert (await dy.certificate(item["code"]))["data"]["certificate"]["verify"]["can_cancel"] is False
    answer = await dy.cancel(item["certificate_id"], item["verify_id"])
    assert_error(answer, 3000001, sub_code=2034000910)
    assert "已超过可撤销时限" in answer["data"]["description"]
    assert (await dy.certificate(item["code"]))["data"]["certificate"]["status"] == 2


async def test_seeded_used_coupon_is_past_its_window(dy: Douyin):
    used = dy.state.coupon(tag="used")
    verify = (await dy.certificate(used.encrypted_code))["data"]["certificate"]["verify"]
    assert verify["can_cancel"] is False
    assert_error(await dy.cancel(used.certificate_id, verify["verify_id"]), 3000001, sub_code=2034000910)


async def test_cancel_window_is_configurable():
    state = SandboxState(cancel_window=60)
    async with SandboxServer(state) as server, client(server.base_url) as http:
        dy = Douyin(http, server)
        await dy.login()
        item = await _verified(dy)
        state.advance(61)
        assert_error(await dy.cancel(item["certificate_id"], item["verify_id"]), 3000001, sub_code=2034000910)


async def test_replaying_a_verify_after_its_cancel_is_not_1208(dy: Douyin):
    coupon = dy.state.coupon(tag="single")
    prepared = (await dy.prepare(code=coupon.code))["data"]
    item = (await dy.verify(prepared["verify_token"], [coupon.encrypted_code]))["data"]["verify_results"][0]
    await dy.cancel(item["certificate_id"], item["verify_id"])
    replay = await dy.verify(prepared["verify_token"], [coupon.encrypted_code])
    assert replay["data"]["verify_results"][0]["result"] not in (0, 1208, 2)
    assert dy.state.counters["certificates_verified"] == 1


async def test_cancelling_one_time_card_use_gives_it_back(dy: Douyin):
    card = dy.state.coupon(tag="time-card")
    item = (await dy.redeem(card.code, poi_id=card.poi_ids[0]))["data"]["verify_results"][0]
    assert (await dy.cancel(item["certificate_id"], item["verify_id"]))["data"]["error_code"] == 0
    cert = (await dy.certificate(card.encrypted_code))["data"]["certificate"]
    assert cert["time_card"]["times_used"] == 0 and cert["status"] == 1
