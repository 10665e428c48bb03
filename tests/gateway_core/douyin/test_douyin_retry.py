"""Safe reads are retried with back-off; verify and cancel are sent exactly once."""

from __future__ import annotations

import httpx
import pytest
from douyin_fakes import (
    CANCEL_URL,
    ENC,
    GET_URL,
    ORDER_URL,
    POI_ID,
    PREPARE_URL,
    QUERY_URL,
    SHOPS_URL,
    VERIFY_URL,
    fail,
    ok,
)

from gateway_core.douyin import (
    DouyinError,
    DouyinRateLimited,
    DouyinRefused,
    DouyinTimeout,
    DouyinUnavailable,
    RetryPolicy,
)
from gateway_core.douyin import client as client_module

WRITE_FAILURES = [
    httpx.Response(500, text="oops"),
    httpx.Response(502, html="<h1>Bad Gateway</h1>"),
    httpx.Response(200, json=fail(5000001)),
    httpx.Response(200, json=fail(2100004)),
    httpx.Response(200, json=fail(2119003)),
    httpx.Response(200, html="<html>edge</html>"),
    httpx.ReadTimeout("slow"),
    httpx.RemoteProtocolError("Server disconnected without sending a response."),
    httpx.ConnectError("refused"),
]
IDS = ["500", "502", "5000001", "2100004", "2119003", "html", "read-timeout", "disconnect", "connect"]


def outcome(item):
    return {"side_effect": item} if isinstance(item, Exception) else {"return_value": item}


@pytest.mark.parametrize("failure", WRITE_FAILURES, ids=IDS)
async def test_verify_is_never_retried(client, mock, failure):
    route = mock.post(VERIFY_URL).mock(**outcome(failure))
    with pytest.raises(DouyinError):
        await client.verify(verify_token="vt", poi_id=POI_ID, encrypted_codes=[ENC])
    assert route.call_count == 1


@pytest.mark.parametrize("failure", WRITE_FAILURES, ids=IDS)
async def test_cancel_is_never_retried(client, mock, failure):
    route = mock.post(CANCEL_URL).mock(**outcome(failure))
    with pytest.raises(DouyinError):
        await client.cancel(certificate_id="1", verify_id="2")
    assert route.call_count == 1


async def test_verify_timeout_reports_unknown_outcome(client, mock):
    mock.post(VERIFY_URL).mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(DouyinTimeout) as info:
        await client.verify(verify_token="vt", poi_id=POI_ID, encrypted_codes=[ENC])
    assert info.value.request_sent is True


READS = {
    "prepare": (PREPARE_URL, lambda c: c.prepare(poi_id=POI_ID, code="1"), ok()),
    "get": (GET_URL, lambda c: c.get_certificate(ENC), ok({"certificate": {}})),
    "query": (QUERY_URL, lambda c: c.query_certificates(order_id="1"), ok({"certificates": []})),
    "order": (ORDER_URL, lambda c: c.query_order("1"), ok({"orders": []})),
    "shops": (SHOPS_URL, lambda c: c.query_shops(), ok({"pois": []})),
}

TRANSIENT = [
    httpx.Response(500, text="oops"),
    httpx.Response(503, html="<h1>busy</h1>"),
    httpx.Response(200, json=fail(2100004)),
    httpx.Response(200, json=fail(5000001)),
    httpx.Response(200, json=fail(2119003)),
    httpx.Response(200, json=fail(28003018)),
    httpx.Response(200, json={"data": {"error_code": 0}}),
    httpx.ConnectError("refused"),
    httpx.ConnectTimeout("slow connect"),
]
TRANSIENT_IDS = ["500", "503", "2100004", "5000001", "2119003", "28003018", "no-extra", "connect", "connect-timeout"]


@pytest.mark.parametrize("failure", TRANSIENT, ids=TRANSIENT_IDS)
@pytest.mark.parametrize("read", list(READS))
async def test_reads_are_retried_on_transient_failures(client, mock, read, failure):
    url, call, success = READS[read]
    route = mock.get(url).mock(side_effect=[failure, failure, httpx.Response(200, json=success)])
    await call(client)
    assert route.call_count == 3


@pytest.mark.parametrize("read", list(READS))
async def test_reads_give_up_after_the_configured_attempts(client, mock, read):
    url, call, _ = READS[read]
    route = mock.get(url).mock(return_value=httpx.Response(200, json=fail(2119003)))
    with pytest.raises(DouyinRateLimited):
        await call(client)
    assert route.call_count == 3


@pytest.mark.parametrize("code", [1208, 3000002, 1212, 3000001, 2100005, 1508, 2119005])
async def test_reads_are_not_retried_on_refusals_or_auth(client, mock, code):
    route = mock.get(PREPARE_URL).mock(return_value=httpx.Response(200, json=fail(code)))
    with pytest.raises(DouyinError) as info:
        await client.prepare(poi_id=POI_ID, code="1")
    assert not isinstance(info.value, DouyinUnavailable | DouyinRateLimited)
    assert route.call_count == 1


async def test_read_timeouts_are_not_retried_by_default(client, mock):
    route = mock.get(GET_URL).mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(DouyinTimeout):
        await client.get_certificate(ENC)
    assert route.call_count == 1


async def test_read_timeouts_can_be_retried(make_client, token_route, mock):
    client = make_client(retry=RetryPolicy(attempts=2, base_delay=0, retry_timeouts=True))
    route = mock.get(GET_URL).mock(
        side_effect=[httpx.ReadTimeout("slow"), httpx.Response(200, json=ok({"certificate": {}}))]
    )
    await client.get_certificate(ENC)
    assert route.call_count == 2


async def test_attempts_one_means_no_retry(make_client, token_route, mock):
    client = make_client(retry=RetryPolicy(attempts=1))
    route = mock.get(GET_URL).mock(return_value=httpx.Response(503))
    with pytest.raises(DouyinUnavailable):
        await client.get_certificate(ENC)
    assert route.call_count == 1


async def test_backoff_delays_between_attempts(make_client, token_route, mock, monkeypatch):
    slept: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        slept.append(seconds)

    monkeypatch.setattr(client_module.asyncio, "sleep", fake_sleep)
    client = make_client(retry=RetryPolicy(attempts=4, base_delay=0.2, max_delay=0.5, jitter=0.0))
    mock.get(GET_URL).mock(return_value=httpx.Response(500))
    with pytest.raises(DouyinUnavailable):
        await client.get_certificate(ENC)
    assert slept == [0.2, 0.4, 0.5]


def test_jitter_stays_within_its_bound():
    policy = RetryPolicy(base_delay=0.2, jitter=0.5)
    for n in range(5):
        base = min(policy.max_delay, 0.2 * 2**n)
        for _ in range(50):
            assert base <= policy.delay(n) <= base * 1.5


async def test_a_refusal_after_a_busy_answer_stops_the_retries(client, mock):
    route = mock.get(PREPARE_URL).mock(
        side_effect=[httpx.Response(200, json=fail(2100004)), httpx.Response(200, json=fail(1212, "查不到券"))]
    )
    with pytest.raises(DouyinRefused):
        await client.prepare(poi_id=POI_ID, code="1")
    assert route.call_count == 2
