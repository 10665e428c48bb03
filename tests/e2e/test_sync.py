"""Ledger sync end to end, in one process: stores (Runtime in demo mode, redeeming against the
in-process sandbox through the service) push to a head office (another Runtime) over loopback HTTP."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from gateway_core.api_client import GatewayClient
from gateway_core.runtime import Runtime
from gateway_core.sandbox import SANDBOX_POIS
from gateway_core.service.requests import VerifyRequest
from gateway_core.sync import Backoff
from tests.e2e.conftest import OPERATOR_KEY, make_settings
from tests.gateway_core.sync.support import free_port

POI = SANDBOX_POIS[0].poi_id
LIST = "/v1/internal/reports/verifications"
SUMMARY = LIST + "/summary"
INGEST = "/v1/internal/sync/verifications"


async def eventually(check: Callable[[], Awaitable[bool]], within: float = 20.0, what: str = "") -> None:
    deadline = asyncio.get_running_loop().time() + within
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what or check}")
        await asyncio.sleep(0.05)


class HeadOffice:
    def __init__(self, data_dir: Path) -> None:
        self.runtime = Runtime(make_settings(data_dir, store_id="head-office"), demo=True)
        self.url = ""
        self.client: GatewayClient | None = None

    async def start(self, port: int = 0) -> HeadOffice:
        await self.runtime.start()
        self.url = await self.runtime.start_http(host="127.0.0.1", port=port)
        self.client = GatewayClient(self.url, operator_key=OPERATOR_KEY)
        return self

    async def stop(self) -> None:
        if self.client is not None:
            await self.client.aclose()
        await self.runtime.stop()

    async def get(self, path: str, **params: str) -> dict[str, Any]:
        assert self.client is not None
        r = await self.client.internal("GET", path, params={"page_size": "200", **params})
        assert r.status_code == 200, r.text
        return r.json()


async def start_store(data_dir: Path, store_id: str, reporting_url: str) -> Runtime:
    settings = make_settings(data_dir, store_id=store_id, reporting_url=reporting_url, reporting_key=OPERATOR_KEY)
    store = Runtime(settings, demo=True, sync_interval=0.05)
    await store.start()
    assert store.pusher is not None
    store.pusher.backoff = Backoff(base=0.05, cap=0.5)  # the test's outage is seconds, not hours
    return store


async def redeem(store: Runtime, n: int) -> list[int]:
    """Redeem n fresh sandbox coupons at the store's counter; the ids of the rows written."""
    ids = []
    for _ in range(n):
        order = store.sandbox.state.mint_order(poi_id=POI, count=1)
        req = VerifyRequest(poi_id=POI, code=order.certificates[0].code)
        outcome = await store.service.verify_coupon(req, app=store.counter_app, operator="张三")
        assert outcome.status == 200, outcome
        ids += [item["id"] for item in outcome.items]
    return ids


async def store_views(store: Runtime) -> dict[int, dict[str, Any]]:
    views, _total = await store.ledger.list_verifications(_all(), 1, 1000)
    return {v["id"]: v for v in views}


def _all() -> Any:
    from gateway_core.ledger import VerificationFilter

    return VerificationFilter()


async def in_step(store: Runtime, office: HeadOffice) -> bool:
    """The head office holds exactly the store's current rows (enrichment may still be changing them)."""
    if (await store.sync_status()).backlog:
        return False
    mine = await store_views(store)
    theirs = [v for v in (await office.get(LIST))["data"] if v["store_id"] == store.store_id]
    return len(theirs) == len(mine) and all(mine[v["id"]] == v for v in theirs)


@pytest.fixture
async def office(tmp_path: Path) -> AsyncIterator[HeadOffice]:
    ho = HeadOffice(tmp_path / "office")
    yield ho
    await ho.stop()


async def test_head_office_down_while_a_store_redeems_then_up_everything_arrives_once(tmp_path, office):
    port = free_port()
    store = await start_store(tmp_path / "store", "store-a", f"http://127.0.0.1:{port}")
    try:
        ids = await redeem(store, 8)
        await eventually(lambda: _failing(store), what="the store to notice the head office is down")
        status = await store.sync_status()
        assert status.backlog >= 8 and "cannot reach" in (status.last_error or "")
        health = (await store_health(store))["checks"]
        assert health["sync_backlog"] >= status.backlog  # enrichment may have queued more since

        await office.start(port)
        await store.sync_now()
        await eventually(lambda: in_step(store, office), what="the head office to catch up")
        listed = await office.get(LIST)
        assert listed["total"] == 8
        assert sorted(v["id"] for v in listed["data"]) == sorted(ids)
        assert {v["store_id"] for v in listed["data"]} == {"store-a"}
        assert {v["verify_status"] for v in listed["data"]} == {"success"}
        summary = await office.get(SUMMARY, group_by="store_id")
        assert [(r["store_id"], r["total_count"], r["success_count"]) for r in summary["data"]] == [("store-a", 8, 8)]
        status = await store.sync_status()
        assert status.backlog == 0 and not status.failing and status.pushed_total >= 8
        assert (await store_health(store))["checks"]["sync_backlog"] == 0
    finally:
        await store.stop()


async def _failing(store: Runtime) -> bool:
    return (await store.sync_status()).failing


async def store_health(store: Runtime) -> dict[str, Any]:
    async with httpx.AsyncClient() as http:
        url = store.http_url or await store.start_http(host="127.0.0.1", port=0)
        return (await http.get(url + "/health")).json()


async def test_two_stores_syncing_at_once_into_one_head_office(tmp_path, office):
    await office.start()
    a = await start_store(tmp_path / "a", "store-a", office.url)
    b = await start_store(tmp_path / "b", "store-b", office.url)
    try:
        ids_a, ids_b = await asyncio.gather(redeem(a, 6), redeem(b, 4))
        # Both stores number their rows from 1: the head office must keep them apart.
        assert set(ids_a) & set(ids_b)
        await eventually(lambda: in_step(a, office), what="store a")
        await eventually(lambda: in_step(b, office), what="store b")
        summary = await office.get(SUMMARY, group_by="store_id")
        assert {r["store_id"]: r["total_count"] for r in summary["data"]} == {"store-a": 6, "store-b": 4}
        assert summary["totals"]["total_count"] == 10
        both = await office.get(SUMMARY, group_by="day,store_id")
        assert sum(r["success_count"] for r in both["data"]) == 10
        assert (await office.get(LIST))["total"] == 10
    finally:
        await a.stop()
        await b.stop()


async def test_a_cancel_at_the_store_reaches_the_head_office(tmp_path, office):
    await office.start()
    store = await start_store(tmp_path / "store", "store-a", office.url)
    try:
        [first, _second] = await redeem(store, 2)
        await store.service.cancel_verification(first, app=store.counter_app, reason="顾客退单")
        await eventually(lambda: in_step(store, office), what="the cancel to arrive")
        rows = {v["id"]: v for v in (await office.get(LIST))["data"]}
        assert rows[first]["verify_status"] == "cancelled" and rows[first]["cancelled_at"]
        summary = await office.get(SUMMARY, group_by="store_id")
        assert summary["data"][0]["cancelled_count"] == 1 and summary["data"][0]["success_count"] == 1
    finally:
        await store.stop()


async def test_ingest_over_http_replays_are_stale_and_malformed_batches_write_nothing(tmp_path, office):
    await office.start()
    store = await start_store(tmp_path / "store", "store-a", "http://127.0.0.1:9")  # never reached
    try:
        await redeem(store, 3)
        records = list((await store_views(store)).values())
    finally:
        await store.stop()
    assert office.client is not None
    post = office.client.internal
    batch = {"store_id": "store-a", "records": records}
    r = await post("POST", INGEST, batch)
    assert r.status_code == 200 and r.json() == {"data": {"accepted": 3, "stale": 0}}
    r = await post("POST", INGEST, batch)
    assert r.json() == {"data": {"accepted": 0, "stale": 3}}

    older = [{**records[0], "verify_status": "failed", "updated_at": "2020-01-01T00:00:00.000Z"}]
    r = await post("POST", INGEST, {"store_id": "store-a", "records": older})
    assert r.json() == {"data": {"accepted": 0, "stale": 1}}

    bad = [{**rec, "id": rec["id"] + 100} for rec in records]
    bad[2] = {**bad[2], "updated_at": "not a time"}
    r = await post("POST", INGEST, {"store_id": "store-a", "records": bad})
    assert r.status_code == 400
    error = r.json()["error"]
    assert error["code"] == "invalid_request" and "records[2].updated_at" in error["fields"]
    listed = await office.get(LIST)
    assert listed["total"] == 3 and {v["verify_status"] for v in listed["data"]} == {"success"}

    async with httpx.AsyncClient() as http:
        r = await http.post(office.url + INGEST, json=batch)
        assert r.status_code == 401
        huge = json.dumps({"store_id": "store-a", "records": records * 100}).encode()
        assert len(huge) > 64 * 1024
        r = await http.post(
            office.url + INGEST, content=huge,
            headers={"X-XTJ-UID": OPERATOR_KEY, "Content-Type": "application/json"},
        )  # fmt: skip
        assert r.status_code == 413
    r = await post("POST", INGEST, {"store_id": "head-office", "records": []})
    assert r.status_code == 400 and "store_id" in r.json()["error"]["fields"]  # not into itself


async def test_without_a_reporting_url_sync_is_off_but_the_backlog_shows(tmp_path):
    store = Runtime(make_settings(tmp_path / "solo", store_id="solo"), demo=True)
    await store.start()
    try:
        await redeem(store, 2)
        status = await store.sync_status()
        assert not status.enabled and status.backlog >= 2
        assert (await store.sync_now()).backlog == status.backlog
    finally:
        await store.stop()
