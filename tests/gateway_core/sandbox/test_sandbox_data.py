"""The seeded world and the minter, in process: formats, determinism, uniqueness, scenarios."""

from __future__ import annotations

import base64
import re
import uuid

import pytest
from sandbox_helpers import SALON, WANGJING, FakeClock

from gateway_core.sandbox import SANDBOX_ACCOUNT_ID, SANDBOX_POIS, SandboxState
from gateway_core.sandbox.data import PRODUCTS, SEED_PLAN, end_of_local_day

DIGITS19 = re.compile(r"^\d{19}$")


def _b64_with_specials(text: str) -> None:
    assert base64.b64decode(text, validate=True)
    assert "+" in text and "/" in text and text.endswith("="), text


def test_pois_are_three_or_four_chinese_stores_with_19_digit_ids():
    assert 3 <= len(SANDBOX_POIS) <= 4
    for poi in SANDBOX_POIS:
        assert DIGITS19.match(poi.poi_id)
        assert re.search(r"[\u4e00-\u9fff]", poi.poi_name) and re.search(r"[\u4e00-\u9fff]", poi.address)
    assert len({p.poi_id for p in SANDBOX_POIS}) == len(SANDBOX_POIS)
    assert DIGITS19.match(SANDBOX_ACCOUNT_ID)


def test_seed_has_enough_coupons_of_every_kind_and_fate():
    state = SandboxState(FakeClock())
    coupons = state.coupons()
    assert len(coupons) >= 40
    assert len(coupons) == sum(line.coupons * line.orders for line in SEED_PLAN)
    assert {c.groupon_type for c in coupons} == {1, 2, 3}
    assert {c.state for c in coupons} == {"usable", "used", "expired", "refunded"}
    party = state.coupons(tag="party-of-4")
    assert len({c.order_id for c in party}) == 2 and all(c.order_size == 4 for c in party)
    assert len(state.coupons(tag="used")) == 1 and state.coupon(tag="used").state == "used"
    assert state.coupon(tag="refunded").state == "refunded"
    assert {c.state for c in state.coupons(tag="expired")} == {"expired"}
    card = state.coupon(tag="time-card-used-3")
    assert (card.times_count, card.times_used, card.state) == (10, 3, "usable")
    partly = state.coupons(tag="partly-used")
    assert [c.state for c in partly] == ["used", "usable", "usable"]


def test_single_poi_coupons_cover_each_restaurant_and_filters_work():
    state = SandboxState(FakeClock())
    only_here = [c for c in state.coupons(tag="single-poi", poi_id=WANGJING) if c.poi_ids == (WANGJING,)]
    assert len(only_here) == 2
    assert {c.poi_ids for c in state.coupons(tag="single-poi")} == {(p.poi_id,) for p in SANDBOX_POIS[:3]}
    # The salon sells only the 次卡; restaurants never see it.
    assert {c.groupon_type for c in state.coupons(poi_id=SALON)} == {3}
    assert state.coupon(order_size=4).order_size == 4
    with pytest.raises(LookupError):
        state.coupon(tag="no-such-tag")


def test_ids_and_codes_have_douyin_formats_and_are_unique():
    state = SandboxState(FakeClock())
    for _ in range(300):
        state.mint_order(count=2)
    coupons = state.coupons()
    for c in coupons:
        assert DIGITS19.match(c.certificate_id) and DIGITS19.match(c.order_id)
        assert re.fullmatch(r"10\d{10,13}", c.code)
        _b64_with_specials(c.encrypted_code)
        _b64_with_specials(c.object_id)
        assert re.fullmatch(r"[A-Za-z0-9]{6,10}", c.slug)
        assert c.short_link == f"https://v.douyin.com/{c.slug}/"
    for field in ("certificate_id", "code", "encrypted_code"):
        values = [getattr(c, field) for c in coupons]
        assert len(set(values)) == len(values), field
    orders = {c.order_id: (c.slug, c.object_id) for c in coupons}
    assert len({s for s, _ in orders.values()}) == len(orders)
    assert len({o for _, o in orders.values()}) == len(orders)


def test_same_seed_same_world_other_seed_other_world():
    a, b = SandboxState(FakeClock()), SandboxState(FakeClock(1_800_000_000))
    other = SandboxState(FakeClock(), seed=7)
    fields = [(c.code, c.certificate_id, c.encrypted_code, c.slug, c.object_id) for c in a.coupons()]
    assert fields == [(c.code, c.certificate_id, c.encrypted_code, c.slug, c.object_id) for c in b.coupons()]
    assert not {f[0] for f in fields} & {c.code for c in other.coupons()}


def test_amounts_add_up_in_fen():
    for p in PRODUCTS.values():
        a = p.amount()
        assert a["pay_amount"] == (a["original_amount"] - a["merchant_ticket_amount"]
                                   - a["platform_discount_amount"] - a["payment_discount_amount"])
        assert a["coupon_pay_amount"] == a["pay_amount"] + a["payment_discount_amount"]
        assert 0 < a["pay_amount"] <= a["original_amount"] <= a["list_market_amount"]
    # The first product reproduces a real dump.
    assert PRODUCTS["set2"].amount()["merchant_ticket_amount"] == 7495
    assert PRODUCTS["set2"].pay_amount == 19400


def test_validity_follows_the_clock():
    clock = FakeClock(1_790_000_000)
    state = SandboxState(clock)
    fresh = state.coupon(tag="single")
    assert fresh.start_time < clock.now < fresh.expire_time == end_of_local_day(clock.now + 90 * 86400)
    soon = state.coupon(tag="expiring-soon")
    assert soon.expire_time == clock.now + 7200
    clock.now += 7201
    assert state.coupon(tag="expiring-soon").state == "expired"
    state.advance(-7201)
    assert state.coupon(tag="expiring-soon").state == "usable"


def test_mint_order_makes_fresh_usable_coupons_where_asked():
    state = SandboxState(FakeClock())
    order = state.mint_order(poi_id=WANGJING, count=3, product="cash100")
    assert len(order.certificates) == 3 and order.poi_ids == (WANGJING,)
    views = state.coupons_of(order)
    assert {v.state for v in views} == {"usable"} and {v.title for v in views} == {"100元代金券"}
    default = state.mint_order()
    assert default.poi_ids == tuple(p.poi_id for p in SANDBOX_POIS[:3])
    short = state.mint_order(expires_in=60)
    assert short.certificates[0].expire_time == int(state.now()) + 60
    for bad in ({"product": "nope"}, {"count": 0}, {"count": 101}, {"poi_id": "123"}):
        with pytest.raises(ValueError):
            state.mint_order(**bad)


def test_refund_marks_an_unused_coupon_refunded_only():
    state = SandboxState(FakeClock())
    fresh = state.coupon(tag="single")
    state.refund(fresh.certificate_id)
    assert state.certs_by_id[fresh.certificate_id].state(state.now()) == "refunded"
    with pytest.raises(ValueError):
        state.refund(state.coupon(tag="used").certificate_id)


def test_prepares_expire_and_are_pruned():
    clock = FakeClock()
    state = SandboxState(clock)
    from gateway_core.sandbox.models import Prepare

    order = state.mint_order()
    first = Prepare(str(uuid.uuid4()), order, frozenset(), clock.now)
    state.add_prepare(first)
    assert state.find_prepare(first.verify_token) is first
    clock.now += 1801
    assert state.find_prepare(first.verify_token) is None
    state.add_prepare(Prepare(str(uuid.uuid4()), order, frozenset(), clock.now))
    assert first.verify_token not in state.prepares
