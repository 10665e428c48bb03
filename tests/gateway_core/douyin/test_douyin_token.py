"""client_token caching, refresh ahead of expiry, single flight, persistence, and the one replay."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import httpx
import pytest
from douyin_fakes import CLIENT_KEY, ENC, GET_URL, POI_ID, PREPARE_URL, VERIFY_URL, fail, ok, token_body

from gateway_core.douyin import DouyinAuthError, DouyinUnavailable, MemoryTokenStore, RetryPolicy, Token, TokenStore

NO_RETRY = RetryPolicy(attempts=1)


def tokens_in_order(mock, *names: str, expires_in: int = 7200):
    return mock.post("/oauth/client_token/").mock(
        side_effect=[httpx.Response(200, json=token_body(n, expires_in)) for n in names]
    )


async def test_token_is_cached(client, token_route):
    first = await client.get_token()
    second = await client.get_token()
    assert first == second and token_route.call_count == 1


async def test_refreshed_ten_minutes_before_expiry_not_earlier(make_client, mock, clock):
    route = tokens_in_order(mock, "clt.one", "clt.two")
    client = make_client()
    assert (await client.get_token()).access_token == "clt.one"
    clock.advance(seconds=7200 - 601)  # 10 min 1 s left: still fine
    assert (await client.get_token()).access_token == "clt.one"
    clock.advance(seconds=2)  # 9 min 59 s left: replaced
    assert (await client.get_token()).access_token == "clt.two"
    assert route.call_count == 2


async def test_margin_is_configurable(make_client, mock, clock):
    tokens_in_order(mock, "clt.one", "clt.two")
    client = make_client(token_refresh_margin=timedelta(minutes=30))
    await client.get_token()
    clock.advance(minutes=89)
    assert (await client.get_token()).access_token == "clt.one"
    clock.advance(minutes=2)
    assert (await client.get_token()).access_token == "clt.two"


async def test_short_lived_token_is_not_refetched_at_once(make_client, mock, clock):
    route = tokens_in_order(mock, "clt.one", "clt.two", expires_in=300)
    client = make_client()
    await client.get_token()
    clock.advance(seconds=100)
    assert (await client.get_token()).access_token == "clt.one"
    assert route.call_count == 1
    clock.advance(seconds=60)  # past half of its life
    assert (await client.get_token()).access_token == "clt.two"


async def test_twenty_concurrent_prepares_fetch_one_token(make_client, mock):
    started = asyncio.Event()

    async def slow_token(request):
        started.set()
        await asyncio.sleep(0.05)
        return httpx.Response(200, json=token_body("clt.shared"))

    token_route = mock.post("/oauth/client_token/").mock(side_effect=slow_token)
    prepare = mock.get(PREPARE_URL).mock(return_value=httpx.Response(200, json=ok()))
    client = make_client()
    await asyncio.gather(*(client.prepare(poi_id=POI_ID, code=str(i)) for i in range(20)))
    assert token_route.call_count == 1
    assert prepare.call_count == 20
    assert {c.request.headers["access-token"] for c in prepare.calls} == {"clt.shared"}


async def test_a_failed_refresh_is_shared_by_the_waiters_and_not_repeated(make_client, mock):
    async def failing(request):
        await asyncio.sleep(0.02)
        return httpx.Response(200, json={"data": {"error_code": 10013, "description": "bad"}, "message": ""})

    route = mock.post("/oauth/client_token/").mock(side_effect=failing)
    client = make_client(retry=NO_RETRY)
    results = await asyncio.gather(*(client.get_token() for _ in range(10)), return_exceptions=True)
    assert all(isinstance(r, DouyinAuthError) for r in results)
    assert route.call_count == 1
    # and the next caller tries again rather than getting a remembered failure
    await asyncio.gather(client.get_token(), return_exceptions=True)
    assert route.call_count == 2


async def test_a_caller_giving_up_does_not_cancel_the_refresh_for_others(make_client, mock):
    async def slow(request):
        await asyncio.sleep(0.05)
        return httpx.Response(200, json=token_body("clt.slow"))

    route = mock.post("/oauth/client_token/").mock(side_effect=slow)
    client = make_client()
    impatient = asyncio.create_task(client.get_token())
    patient = asyncio.create_task(client.get_token())
    await asyncio.sleep(0.01)
    impatient.cancel()
    assert (await patient).access_token == "clt.slow"
    assert route.call_count == 1


async def test_rejected_token_is_dropped_refreshed_and_the_call_replayed(make_client, mock):
    tokens = tokens_in_order(mock, "clt.old", "clt.new")
    verify = mock.post(VERIFY_URL).mock(
        side_effect=[
            httpx.Response(200, json=fail(2190008, "access_token过期")),
            httpx.Response(200, json=ok({"verify_results": [{"result": 0, "verify_id": "v1"}]})),
        ]
    )
    client = make_client()
    result = await client.verify(verify_token="vt", poi_id=POI_ID, encrypted_codes=[ENC])
    assert result.items[0].verify_id == "v1"
    assert tokens.call_count == 2
    assert [c.request.headers["access-token"] for c in verify.calls] == ["clt.old", "clt.new"]
    # the replay is the same request: same body
    assert verify.calls[0].request.content == verify.calls[1].request.content
    assert json.loads(verify.calls[1].request.content)["verify_token"] == "vt"
    assert (await client.get_token()).access_token == "clt.new"


@pytest.mark.parametrize("code", [2190002, 2190008, 28001008])
async def test_every_token_rejection_code_triggers_the_replay(make_client, mock, code):
    tokens_in_order(mock, "clt.old", "clt.new")
    route = mock.get(GET_URL).mock(
        side_effect=[httpx.Response(200, json=fail(code)), httpx.Response(200, json=ok({"certificate": {}}))]
    )
    await make_client(retry=NO_RETRY).get_certificate(ENC)
    assert route.call_count == 2


async def test_rejected_twice_is_an_auth_error_after_exactly_one_replay(make_client, mock):
    tokens = tokens_in_order(mock, "clt.old", "clt.new", "clt.third")
    verify = mock.post(VERIFY_URL).mock(return_value=httpx.Response(200, json=fail(2190008, "access_token过期")))
    client = make_client()
    with pytest.raises(DouyinAuthError) as info:
        await client.verify(verify_token="vt", poi_id=POI_ID, encrypted_codes=[ENC])
    assert info.value.code == 2190008
    assert verify.call_count == 2
    assert tokens.call_count == 2


async def test_rejection_on_a_read_is_not_multiplied_by_read_retries(make_client, mock):
    tokens = tokens_in_order(mock, "clt.1", "clt.2", "clt.3", "clt.4")
    route = mock.get(GET_URL).mock(return_value=httpx.Response(200, json=fail(2190002)))
    with pytest.raises(DouyinAuthError):
        await make_client().get_certificate(ENC)
    assert route.call_count == 2 and tokens.call_count == 2


async def test_concurrent_rejections_share_one_refresh(make_client, mock):
    tokens = tokens_in_order(mock, "clt.old", "clt.new")

    arrived: list[str] = []
    all_in = asyncio.Event()

    async def answer(request):
        if request.headers["access-token"] == "clt.old":
            # hold every first attempt until all ten are in flight, so they are rejected together
            arrived.append("x")
            if len(arrived) == 10:
                all_in.set()
            await all_in.wait()
            return httpx.Response(200, json=fail(2190008))
        return httpx.Response(200, json=ok({"certificate": {}}))

    route = mock.get(GET_URL).mock(side_effect=answer)
    client = make_client()
    await client.get_token()
    await asyncio.gather(*(client.get_certificate(ENC) for _ in range(10)))
    assert tokens.call_count == 2
    assert route.call_count == 20


async def test_token_is_saved_to_and_loaded_from_the_store(make_client, mock, store, clock):
    route = tokens_in_order(mock, "clt.persisted")
    client = make_client()
    await client.get_token()
    assert client.client_key == CLIENT_KEY
    saved = await store.load(CLIENT_KEY)
    assert saved == Token("clt.persisted", clock.now + timedelta(seconds=7200))
    # a new process (new client, same store) does not ask Douyin again
    again = make_client()
    assert (await again.get_token()).access_token == "clt.persisted"
    assert route.call_count == 1


async def test_a_stored_token_near_expiry_is_replaced(make_client, mock, store, clock):
    await store.save(CLIENT_KEY, Token("clt.stale", clock.now + timedelta(minutes=5)))
    route = tokens_in_order(mock, "clt.fresh")
    assert (await make_client().get_token()).access_token == "clt.fresh"
    assert route.call_count == 1
    assert (await store.load(CLIENT_KEY)).access_token == "clt.fresh"


async def test_a_rejected_stored_token_is_not_loaded_back(make_client, mock, store, clock):
    await store.save(CLIENT_KEY, Token("clt.killed", clock.now + timedelta(hours=1)))
    tokens_in_order(mock, "clt.fresh")
    route = mock.get(GET_URL).mock(
        side_effect=lambda r: httpx.Response(
            200, json=fail(2190008) if r.headers["access-token"] == "clt.killed" else ok({"certificate": {}})
        )
    )
    await make_client().get_certificate(ENC)
    assert [c.request.headers["access-token"] for c in route.calls] == ["clt.killed", "clt.fresh"]


class BrokenStore:
    async def load(self, client_key: str) -> Token | None:
        raise OSError("keyring locked")

    async def save(self, client_key: str, token: Token) -> None:
        raise OSError("disk full")


async def test_a_broken_store_does_not_stop_calls(make_client, mock, token_route):
    assert isinstance(BrokenStore(), TokenStore) and isinstance(MemoryTokenStore(), TokenStore)
    client = make_client(token_store=BrokenStore())
    assert (await client.get_token()).access_token == "clt.first"
    assert (await client.get_token()).access_token == "clt.first"
    assert token_route.call_count == 1


async def test_refresh_failure_falls_back_to_a_still_valid_token(make_client, mock, clock):
    mock.post("/oauth/client_token/").mock(
        side_effect=[httpx.Response(200, json=token_body("clt.one")), httpx.Response(503, text="down")]
    )
    client = make_client(retry=NO_RETRY)
    await client.get_token()
    clock.advance(minutes=115)  # 5 minutes left: due for refresh, refresh fails
    assert (await client.get_token()).access_token == "clt.one"


async def test_refresh_failure_with_an_expired_token_raises(make_client, mock, clock):
    mock.post("/oauth/client_token/").mock(
        side_effect=[httpx.Response(200, json=token_body("clt.one")), httpx.Response(503, text="down")]
    )
    client = make_client(retry=NO_RETRY)
    await client.get_token()
    clock.advance(minutes=121)
    with pytest.raises(DouyinUnavailable):
        await client.get_token()


async def test_token_endpoint_is_retried_on_rate_limit(make_client, mock):
    route = mock.post("/oauth/client_token/").mock(
        side_effect=[
            httpx.Response(200, json={"data": {"error_code": 10020, "description": "频控"}, "message": ""}),
            httpx.Response(200, json=token_body("clt.after")),
        ]
    )
    assert (await make_client().get_token()).access_token == "clt.after"
    assert route.call_count == 2


def test_token_repr_hides_the_secret(clock):
    token = Token("clt.75c380db41e815978a733994d96f5d23RqilUxH48iobyWhbIOQFo", clock.now)
    assert "75c380db" not in repr(token) and "IOQFo"[-4:] in repr(token)


# -- a due refresh runs in the background while the cached token is still valid --------------------


async def background_refreshes_done() -> None:
    """Wait for the refresh a request started without waiting for it."""
    tasks = [t for t in asyncio.all_tasks() if t.get_name() == "douyin-token-refresh"]
    await asyncio.gather(*tasks, return_exceptions=True)


async def test_a_due_refresh_does_not_hold_up_requests(make_client, mock, clock):
    release = asyncio.Event()
    asked = asyncio.Event()
    answers = iter(["clt.one", "clt.two"])

    async def token(request):
        name = next(answers)
        if name == "clt.two":
            asked.set()
            await release.wait()  # the token endpoint hangs until the test lets it answer
        return httpx.Response(200, json=token_body(name))

    tokens = mock.post("/oauth/client_token/").mock(side_effect=token)
    route = mock.get(GET_URL).mock(return_value=httpx.Response(200, json=ok({"certificate": {}})))
    client = make_client()
    await client.get_certificate(ENC)
    clock.advance(minutes=115)  # 5 minutes left: due for refresh, still valid
    # answered with the cached token although the refresh it started has not finished
    await asyncio.wait_for(client.get_certificate(ENC), timeout=1)
    await asyncio.wait_for(asked.wait(), timeout=1)
    await asyncio.wait_for(client.get_certificate(ENC), timeout=1)
    release.set()
    await background_refreshes_done()
    await client.get_certificate(ENC)
    assert [c.request.headers["access-token"] for c in route.calls] == ["clt.one", "clt.one", "clt.one", "clt.two"]
    assert tokens.call_count == 2


async def test_a_failing_token_endpoint_is_retried_every_30_seconds_not_per_request(make_client, mock, clock, caplog):
    tokens = mock.post("/oauth/client_token/").mock(
        side_effect=[httpx.Response(200, json=token_body("clt.one"))] + [httpx.Response(500, text="down")] * 9
    )
    route = mock.get(GET_URL).mock(return_value=httpx.Response(200, json=ok({"certificate": {}})))
    client = make_client()  # 3 attempts per refresh
    await client.get_certificate(ENC)
    clock.advance(minutes=115)
    for _ in range(5):
        await client.get_certificate(ENC)
        await background_refreshes_done()
        clock.advance(seconds=5)
    assert tokens.call_count == 1 + 3  # one failed refresh, not one per request
    assert "douyin token refresh failed" in caplog.text
    clock.advance(seconds=6)  # 31 s after the failure
    await client.get_certificate(ENC)
    await background_refreshes_done()
    assert tokens.call_count == 1 + 3 + 3
    assert {c.request.headers["access-token"] for c in route.calls} == {"clt.one"}


async def test_a_background_refresh_that_fails_is_logged(make_client, mock, clock, caplog):
    answered: list[str] = []

    async def token(request):
        answered.append("x")
        if len(answered) == 1:
            return httpx.Response(200, json=token_body("clt.one"))
        clock.advance(minutes=5)  # the cached token runs out while the endpoint is failing
        return httpx.Response(503, text="down")

    mock.post("/oauth/client_token/").mock(side_effect=token)
    mock.get(GET_URL).mock(return_value=httpx.Response(200, json=ok({"certificate": {}})))
    client = make_client(retry=NO_RETRY)
    await client.get_certificate(ENC)
    clock.advance(minutes=115)
    await client.get_certificate(ENC)  # answered with clt.one; nobody awaits the refresh
    await background_refreshes_done()
    assert "douyin token refresh failed" in caplog.text
    # no token is valid any more: the next request waits for a refresh, and fails with it
    with pytest.raises(DouyinUnavailable):
        await client.get_certificate(ENC)


async def test_a_token_about_to_expire_is_not_used_while_refreshing(make_client, mock, clock):
    tokens = tokens_in_order(mock, "clt.one", "clt.two")
    route = mock.get(GET_URL).mock(return_value=httpx.Response(200, json=ok({"certificate": {}})))
    client = make_client()
    await client.get_certificate(ENC)
    clock.advance(seconds=7200 - 30)  # 30 s left: too little to hand out, the request waits
    await client.get_certificate(ENC)
    assert [c.request.headers["access-token"] for c in route.calls] == ["clt.one", "clt.two"]
    assert tokens.call_count == 2
