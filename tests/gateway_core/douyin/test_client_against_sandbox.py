"""DouyinClient over real loopback HTTP against the sandbox: every call, and the fault knobs."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from gateway_core.douyin import (
    DouyinAuthError,
    DouyinClient,
    DouyinRateLimited,
    DouyinRefused,
    DouyinTimeout,
    DouyinUnavailable,
    RetryPolicy,
    ShortLinkDead,
    ShortLinkHostNotAllowed,
)
from gateway_core.sandbox import (
    SANDBOX_ACCOUNT_ID,
    SANDBOX_CLIENT_KEY,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_POIS,
    Fault,
    SandboxServer,
)

KEY, SECRET = SANDBOX_CLIENT_KEY, SANDBOX_CLIENT_SECRET
ACCOUNT = SANDBOX_ACCOUNT_ID
POIS = SANDBOX_POIS
FAST_RETRY = RetryPolicy(attempts=3, base_delay=0.0, jitter=0.0)


@pytest.fixture
async def sandbox() -> AsyncIterator[SandboxServer]:
    sb = SandboxServer()
    await sb.start(host="127.0.0.1", port=0)
    yield sb
    await sb.stop()


def make(sb: SandboxServer, **kw) -> DouyinClient:
    kw.setdefault("account_id", ACCOUNT)
    kw.setdefault("retry", FAST_RETRY)
    kw.setdefault("timeout", 5.0)
    return DouyinClient(
        sb.base_url, kw.pop("key", KEY), kw.pop("secret", SECRET), host_map=sb.short_link_host_map, **kw
    )


@pytest.fixture
async def dy(sandbox) -> AsyncIterator[DouyinClient]:
    async with make(sandbox) as client:
        yield client


def usable(sb: SandboxServer, tag: str = "single"):
    return sb.state.coupon(tag=tag, state="usable")


async def prepare_and_verify(dy: DouyinClient, coupon, poi_id: str | None = None):
    poi = poi_id or coupon.poi_ids[0]
    prepared = await dy.prepare(poi_id=poi, code=coupon.code)
    codes = [c.encrypted_code for c in prepared.certificates if c.encrypted_code == coupon.encrypted_code]
    return prepared, await dy.verify(verify_token=prepared.verify_token, poi_id=poi, encrypted_codes=codes)


# -- every call ----------------------------------------------------------------------------------


async def test_token_is_fetched_once_and_cached(dy, sandbox):
    token = await dy.get_token()
    assert token.access_token.startswith("clt.")
    assert await dy.get_token() == token
    assert sandbox.state.counters["token"] == 1


async def test_wrong_secret_is_an_auth_error(sandbox):
    async with make(sandbox, secret="wrong") as client:
        with pytest.raises(DouyinAuthError) as info:
            await client.get_token()
    assert info.value.code == 10013


async def test_short_link_to_object_id_and_prepare_by_link(dy, sandbox):
    coupon = usable(sandbox)
    object_id = await dy.resolve_short_link(coupon.short_link)
    assert object_id == coupon.object_id
    result = await dy.prepare(poi_id=coupon.poi_ids[0], encrypted_data=object_id)
    assert result.order_id == coupon.order_id
    assert coupon.encrypted_code in [c.encrypted_code for c in result.certificates]
    assert sandbox.state.counters["shortlink"] == 1


async def test_dead_and_foreign_short_links(dy, sandbox):
    with pytest.raises(ShortLinkDead):
        await dy.resolve_short_link("https://v.douyin.com/NoSuchSlug/")
    with pytest.raises(ShortLinkHostNotAllowed):
        await dy.resolve_short_link(sandbox.base_url + "/" + usable(sandbox).slug + "/")
    assert sandbox.state.counters["shortlink"] == 1


async def test_prepare_by_code(dy, sandbox):
    coupon = usable(sandbox, "party-of-4")
    result = await dy.prepare(poi_id=coupon.poi_ids[0], code=coupon.code)
    assert result.order_id == coupon.order_id and result.verify_token
    assert len(result.certificates) == 4
    cert = next(c for c in result.certificates if c.encrypted_code == coupon.encrypted_code)
    assert cert.sku.title == coupon.title and cert.sku.sku_id == coupon.sku_id
    assert cert.amount.pay_amount == coupon.pay_amount
    assert cert.expire_time is not None and int(cert.expire_time.timestamp()) == coupon.expire_time
    assert result.logid


async def test_prepare_unknown_code_is_refused(dy):
    with pytest.raises(DouyinRefused) as info:
        await dy.prepare(poi_id=POIS[0].poi_id, code="999999999999999")
    assert info.value.code == 1212


async def test_verify_then_get_and_replay_gives_1208(dy, sandbox):
    coupon = usable(sandbox)
    prepared, result = await prepare_and_verify(dy, coupon)
    [item] = result.items
    assert item.result == 0 and item.succeeded and not item.already_verified
    assert item.verify_id and item.certificate_id == coupon.certificate_id and item.origin_code == coupon.code
    state = await dy.get_certificate(coupon.encrypted_code)
    assert state.coupon_status == "verified"
    assert state.verify is not None and state.verify.verify_id == item.verify_id and state.verify.can_cancel
    # the same verify_token and codes again: Douyin's documented "already verified" answer
    again = await dy.verify(
        verify_token=prepared.verify_token, poi_id=coupon.poi_ids[0], encrypted_codes=[coupon.encrypted_code]
    )
    assert again.items[0].result == 1208 and again.items[0].already_verified and again.all_succeeded
    assert sandbox.state.counters["verify_applied"] == 1


async def test_wrong_store_is_refused_and_nothing_applied(dy, sandbox):
    coupon = usable(sandbox, "single-poi")
    other = next(p.poi_id for p in POIS if p.poi_id not in coupon.poi_ids)
    with pytest.raises(DouyinRefused) as info:
        await prepare_and_verify(dy, coupon, poi_id=other)
    assert info.value.code == 3000002
    assert (await dy.get_certificate(coupon.encrypted_code)).coupon_status == "unused"


async def test_cancel_gives_the_coupon_back_and_twice_is_refused(dy, sandbox):
    coupon = usable(sandbox)
    _, result = await prepare_and_verify(dy, coupon)
    item = result.items[0]
    cancelled = await dy.cancel(certificate_id=item.certificate_id, verify_id=item.verify_id)
    assert cancelled.logid
    assert (await dy.get_certificate(coupon.encrypted_code)).coupon_status == "unused"
    with pytest.raises(DouyinRefused) as info:
        await dy.cancel(certificate_id=item.certificate_id, verify_id=item.verify_id)
    assert info.value.code == 1265


async def test_cancel_after_the_window(dy, sandbox):
    coupon = usable(sandbox)
    _, result = await prepare_and_verify(dy, coupon)
    sandbox.state.advance(3601)
    with pytest.raises(DouyinRefused) as info:
        await dy.cancel(certificate_id=result.items[0].certificate_id, verify_id=result.items[0].verify_id)
    assert (info.value.code, info.value.sub_code) == (3000001, 2034000910)


async def test_query_by_order_and_by_code(dy, sandbox):
    coupon = sandbox.state.coupon(tag="partly-used")
    states = await dy.query_certificates(order_id=coupon.order_id)
    assert sorted(s.coupon_status for s in states) == ["unused", "unused", "verified"]
    [one] = await dy.query_certificates(encrypted_code=coupon.encrypted_code)
    assert one.encrypted_code == coupon.encrypted_code and one.code == coupon.code


async def test_expired_and_refunded_statuses(dy, sandbox):
    expired = sandbox.state.coupon(tag="expired")
    refunded = sandbox.state.coupon(tag="refunded")
    assert (await dy.get_certificate(expired.encrypted_code)).coupon_status == "expired"
    assert (await dy.get_certificate(refunded.encrypted_code)).coupon_status == "refunded"


async def test_order_query(dy, sandbox):
    coupon = usable(sandbox, "party-of-4")
    order = await dy.query_order(coupon.order_id)
    assert order is not None and order.order_id == coupon.order_id
    assert order.sku_id == coupon.sku_id and len(order.certificates) == 4
    assert coupon.certificate_id in [c.certificate_id for c in order.certificates]
    assert await dy.query_order("1000000000000000000") is None


async def test_order_query_item_status_says_which_coupons_are_used(dy, sandbox):
    """The sandbox's item_status numbers are read the same way by the client (one shared table)."""
    order = sandbox.state.mint_order(poi_id=POIS[0].poi_id, count=4)
    await prepare_and_verify(dy, order.certificates[0], poi_id=POIS[0].poi_id)
    info = await dy.query_order(order.order_id)
    assert info is not None
    assert [c.used for c in info.certificates] == [True, False, False, False]


async def test_shop_query(dy):
    raw = await dy.query_shops()
    assert raw["data"]["total"] == len(POIS)
    assert {p["poi"]["poi_id"] for p in raw["data"]["pois"]} == {p.poi_id for p in POIS}
    one = await dy.query_shops(poi_id=POIS[1].poi_id)
    assert [p["poi"]["poi_id"] for p in one["data"]["pois"]] == [POIS[1].poi_id]


async def test_expired_token_is_refreshed_and_the_call_replayed(dy, sandbox):
    coupon = usable(sandbox)
    await dy.get_certificate(coupon.encrypted_code)
    sandbox.state.advance(7300)  # Douyin's clock moves on: our cached token is dead there
    await dy.get_certificate(coupon.encrypted_code)
    assert sandbox.state.counters["token"] == 2
    assert sandbox.state.counters["get"] == 3


# -- fault knobs ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["apply_then_drop", "apply_then_500", "apply_then_error"])
async def test_verify_lost_answer_is_unknown_outcome_and_not_retried(dy, sandbox, kind):
    coupon = usable(sandbox)
    prepared = await dy.prepare(poi_id=coupon.poi_ids[0], code=coupon.code)
    sandbox.state.faults.add(Fault(endpoint="verify", kind=kind))
    with pytest.raises(DouyinUnavailable) as info:
        await dy.verify(
            verify_token=prepared.verify_token, poi_id=coupon.poi_ids[0], encrypted_codes=[coupon.encrypted_code]
        )
    assert info.value.request_sent is True
    assert sandbox.state.counters["verify"] == 1
    # what happened is found by a read, and a same-token retry is answered 1208
    assert (await dy.get_certificate(coupon.encrypted_code)).coupon_status == "verified"
    again = await dy.verify(
        verify_token=prepared.verify_token, poi_id=coupon.poi_ids[0], encrypted_codes=[coupon.encrypted_code]
    )
    assert again.items[0].already_verified


async def test_verify_timeout(sandbox):
    coupon = usable(sandbox)
    async with make(sandbox, timeout=0.5) as client:
        prepared = await client.prepare(poi_id=coupon.poi_ids[0], code=coupon.code)
        sandbox.state.faults.add(Fault(endpoint="verify", kind="apply_then_timeout"))
        with pytest.raises(DouyinTimeout) as info:
            await client.verify(
                verify_token=prepared.verify_token,
                poi_id=coupon.poi_ids[0],
                encrypted_codes=[coupon.encrypted_code],
            )
    assert info.value.request_sent is True
    assert sandbox.state.counters["verify"] == 1


@pytest.mark.parametrize("kind", ["http_500", "http_502", "busy", "html", "garbage", "no_extra", "drop", "rate_limit"])
async def test_verify_is_sent_once_whatever_the_failure(dy, sandbox, kind):
    coupon = usable(sandbox)
    prepared = await dy.prepare(poi_id=coupon.poi_ids[0], code=coupon.code)
    sandbox.state.faults.add(Fault(endpoint="verify", kind=kind, times=None))
    with pytest.raises((DouyinUnavailable, DouyinRateLimited)):
        await dy.verify(
            verify_token=prepared.verify_token, poi_id=coupon.poi_ids[0], encrypted_codes=[coupon.encrypted_code]
        )
    assert sandbox.state.counters["verify"] == 1
    assert sandbox.state.counters["verify_applied"] == 0


async def test_cancel_is_sent_once(dy, sandbox):
    coupon = usable(sandbox)
    _, result = await prepare_and_verify(dy, coupon)
    sandbox.state.faults.add(Fault(endpoint="cancel", kind="http_502", times=None))
    with pytest.raises(DouyinUnavailable):
        await dy.cancel(certificate_id=result.items[0].certificate_id, verify_id=result.items[0].verify_id)
    assert sandbox.state.counters["cancel"] == 1


@pytest.mark.parametrize("kind", ["busy", "rate_limit", "http_500", "html", "garbage", "no_extra", "drop"])
async def test_reads_ride_over_transient_faults(dy, sandbox, kind):
    coupon = usable(sandbox)
    sandbox.state.faults.add(Fault(endpoint="prepare", kind=kind, times=2))
    result = await dy.prepare(poi_id=coupon.poi_ids[0], code=coupon.code)
    assert result.order_id == coupon.order_id
    assert sandbox.state.counters["prepare"] == 3


async def test_reads_give_up_after_three_attempts(dy, sandbox):
    sandbox.state.faults.add(Fault(endpoint="get", kind="rate_limit", times=None))
    with pytest.raises(DouyinRateLimited) as info:
        await dy.get_certificate(usable(sandbox).encrypted_code)
    assert info.value.code == 2119003
    assert sandbox.state.counters["get"] == 3


async def test_read_timeout_is_not_retried(sandbox):
    async with make(sandbox, timeout=0.3) as client:
        await client.get_token()
        sandbox.state.faults.add(Fault(endpoint="get", kind="latency", latency_ms=1500))
        with pytest.raises(DouyinTimeout):
            await client.get_certificate(usable(sandbox).encrypted_code)
    assert sandbox.state.counters["get"] == 1


async def test_token_expired_fault_is_replayed_once(dy, sandbox):
    coupon = usable(sandbox)
    sandbox.state.faults.add(Fault(endpoint="prepare", kind="token_expired"))
    await dy.prepare(poi_id=coupon.poi_ids[0], code=coupon.code)
    assert sandbox.state.counters["prepare"] == 2
    assert sandbox.state.counters["token"] == 2


async def test_token_rejected_twice_on_verify_is_an_auth_error(dy, sandbox):
    coupon = usable(sandbox)
    prepared = await dy.prepare(poi_id=coupon.poi_ids[0], code=coupon.code)
    sandbox.state.faults.add(Fault(endpoint="verify", kind="token_expired", times=2))
    with pytest.raises(DouyinAuthError) as info:
        await dy.verify(
            verify_token=prepared.verify_token, poi_id=coupon.poi_ids[0], encrypted_codes=[coupon.encrypted_code]
        )
    assert info.value.code == 2190008
    assert sandbox.state.counters["verify"] == 2
    assert sandbox.state.counters["verify_applied"] == 0


async def test_token_endpoint_rate_limit_is_retried(dy, sandbox):
    sandbox.state.faults.add(Fault(endpoint="token", kind="rate_limit"))
    assert (await dy.get_token()).access_token.startswith("clt.")
    assert sandbox.state.counters["token"] == 2


async def test_short_link_host_hiccup_is_retried(dy, sandbox):
    coupon = usable(sandbox)
    sandbox.state.faults.add(Fault(endpoint="shortlink", kind="http_502"))
    assert await dy.resolve_short_link(coupon.short_link) == coupon.object_id
    assert sandbox.state.counters["shortlink"] == 2


async def test_nothing_listening_means_not_sent(sandbox):
    client = make(sandbox, retry=RetryPolicy(attempts=1))
    await sandbox.stop()
    try:
        with pytest.raises(DouyinUnavailable) as info:
            await client.verify(verify_token="t", poi_id=POIS[0].poi_id, encrypted_codes=["x"])
        assert info.value.request_sent is False
    finally:
        await client.aclose()
