"""SandboxServer lifecycle, embedding, the wire envelope, paths with and without slash, short links."""

from __future__ import annotations

import asyncio
import re
from urllib.parse import parse_qs, quote, urlsplit

import httpx
import pytest
from aiohttp import web
from sandbox_helpers import FULFILMENT, WANGJING, Douyin, FakeClock, client

from gateway_core.sandbox import (
    SANDBOX_ACCOUNT_ID,
    Fault,
    SandboxServer,
    SandboxState,
    acting,
    create_sandbox_app,
)

GET_PATHS = [
    f"{FULFILMENT}/prepare/", f"{FULFILMENT}/get/", f"{FULFILMENT}/query/", f"{FULFILMENT}/verify_record/query/",
    "/goodlife/v1/trade/order/query/", "/goodlife/v1/shop/poi/query/",
]
POST_PATHS = [f"{FULFILMENT}/verify/", f"{FULFILMENT}/cancel/"]


async def test_start_stop_restart_and_host_map():
    server = SandboxServer()
    with pytest.raises(RuntimeError):
        _ = server.base_url
    url = await server.start()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", url) and server.base_url == url
    assert server.short_link_host_map == {"v.douyin.com": url}
    with pytest.raises(RuntimeError):
        await server.start()
    await server.stop()
    await server.stop()  # idempotent
    with pytest.raises(httpx.ConnectError):
        async with client(url) as http:
            await http.get("/_sandbox/")
    url2 = await server.start()
    async with client(url2) as http:
        assert (await http.get("/_sandbox/")).status_code == 200
    await server.stop()


async def test_context_manager_and_injected_clock():
    clock = FakeClock(1_800_000_000)
    async with SandboxServer(clock=clock) as server, client(server.base_url) as http:
        assert (await http.get("/_sandbox/clock")).json()["now"] == 1_800_000_000
        clock.now += 5
        assert (await http.get("/_sandbox/clock")).json()["now"] == 1_800_000_005
    with pytest.raises(ValueError):
        SandboxServer(SandboxState(), clock=clock)


async def test_create_sandbox_app_embeds_in_another_runner():
    state = SandboxState(FakeClock())
    outer = web.Application()
    outer.add_subapp("/douyin/", create_sandbox_app(state))
    runner = web.AppRunner(outer)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        async with client(f"http://127.0.0.1:{port}") as http:
            r = await http.get(f"/douyin/{state.coupon(tag='single').slug}/")
            assert r.status_code == 302
    finally:
        await runner.cleanup()
    assert state.counters["shortlink"] == 1


async def test_stop_ends_a_hanging_request_quickly(sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch):
    # The hang must notice the stop and drop the connection itself. If it did not, aiohttp would wait
    # out SHUTDOWN_TIMEOUT_S and then cancel the handler, which never reaches _drop.
    dropped: list[web.Request] = []
    real_drop = acting._drop

    def recording_drop(request: web.Request) -> web.Response:
        dropped.append(request)
        return real_drop(request)

    monkeypatch.setattr(acting, "_drop", recording_drop)
    sandbox.state.faults.add(Fault(endpoint="shops", kind="apply_then_timeout"))
    async with client(sandbox.base_url) as http:
        hanging = asyncio.create_task(http.get("/goodlife/v1/shop/poi/query/", timeout=30))
        for _ in range(1000):
            if sandbox.state.counters["shops"]:
                break
            await asyncio.sleep(0.01)
        assert sandbox.state.counters["shops"] == 1, "the hanging request never reached the sandbox"
        assert not dropped
        await sandbox.stop()
        assert len(dropped) == 1  # ended by the stop, not by the shutdown timeout cancelling it
        with pytest.raises(httpx.HTTPError) as caught:
            await hanging
        assert not isinstance(caught.value, httpx.TimeoutException)  # the client saw a drop, not its timeout


async def test_envelope_logid_and_now(dy: Douyin, clock: FakeClock):
    r = await dy.get("/goodlife/v1/shop/poi/query/", {"account_id": SANDBOX_ACCOUNT_ID, "page": 1, "size": 1})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    body = r.json()
    extra = body["extra"]
    assert set(extra) == {"error_code", "description", "sub_error_code", "sub_description", "logid", "now"}
    assert extra["now"] == int(clock.now) and isinstance(extra["now"], int)
    assert len(extra["logid"]) == 32 and r.headers["x-tt-logid"] == extra["logid"]
    assert extra["logid"][:14].isdigit()
    assert body["data"]["error_code"] == 0 and body["data"]["description"] == "success"
    other = (await dy.get("/goodlife/v1/shop/poi/query/", {"poi_id": WANGJING})).json()
    assert other["extra"]["logid"] != extra["logid"]


@pytest.mark.parametrize("path", GET_PATHS)
@pytest.mark.parametrize("slash", [True, False])
async def test_get_paths_answer_with_and_without_slash(dy: Douyin, path, slash):
    r = await dy.http.get(path if slash else path.rstrip("/"))
    assert r.status_code == 200
    assert r.json()["data"]["error_code"] == 2190002  # reached the handler, which wants a token


@pytest.mark.parametrize("path", POST_PATHS)
@pytest.mark.parametrize("slash", [True, False])
async def test_post_paths_answer_with_and_without_slash(dy: Douyin, path, slash):
    r = await dy.post(path if slash else path.rstrip("/"), {})
    assert r.status_code == 200
    assert r.json()["data"]["error_code"] == 2100005


async def test_short_link_redirects_to_the_long_link(dy: Douyin):
    coupon = dy.state.coupon(tag="single")
    for path in (f"/{coupon.slug}/", f"/{coupon.slug}"):
        r = await dy.http.get(path, headers={"host": "v.douyin.com"})
        assert r.status_code == 302
        location = r.headers["location"]
        parts = urlsplit(location)
        assert (parts.scheme, parts.netloc) == ("https", "www.iesdouyin.com")
        assert parts.path == f"/share/commerce/coupon/{quote(coupon.object_id, safe='')}/"
        query = parse_qs(parts.query, keep_blank_values=True)
        assert query["object_id"] == [coupon.object_id]
        assert query["schema_type"] == ["13"] and query["utm_campaign"] == ["client_scan_share"]
        assert "%2B" in location and "+" not in parts.query  # encoded, so "+" survives parsing
    assert (await dy.http.get("/iNoSuchX/")).status_code == 404
    assert (await dy.http.get("/iNoSuchX")).status_code == 404


async def test_unknown_paths_are_404(dy: Douyin):
    assert (await dy.http.get("/goodlife/v1/fulfilment/certificate/nope/")).status_code == 404
    assert (await dy.http.get("/a/b/c")).status_code == 404
