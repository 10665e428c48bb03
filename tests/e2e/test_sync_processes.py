"""Sync between real processes: a store (`serve`, DYGW_SANDBOX=1) SIGKILLed in the middle of a
batch and restarted, pushing through a loopback proxy to a head office (`serve`).

The proxy is where "the middle of a batch" is made exact: it kills the store either before the
head office has seen the batch, or after the head office has stored it but before the store hears
the answer (the case that would duplicate rows if replays were not harmless).
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
from pathlib import Path

import httpx
import pytest
from aiohttp import web

from gateway_core.api_client import GatewayClient
from gateway_core.ledger import Ledger
from gateway_core.sandbox import SANDBOX_POIS, SandboxState
from gateway_core.secretbox import SecretBox, generate_key_text
from gateway_core.settings import Settings
from tests.e2e import conftest as e2e
from tests.gateway_core.sync.support import processing_row

OPERATOR_KEY = "sync-proc-operator-key-0123456789"
INGEST = "/v1/internal/sync/verifications"
POI = SANDBOX_POIS[0].poi_id
BACKLOG = 2000
pytestmark = pytest.mark.slow


def start_serve(data_dir: Path, env: dict[str, str]) -> tuple[subprocess.Popen[str], str]:
    return e2e.start_serve(data_dir, {"DYGW_INTERNAL_API_KEYS": OPERATOR_KEY, **env})


def stop(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


async def prefill(data_dir: Path, secret_key: str, store_id: str, n: int) -> None:
    """A store that redeemed n coupons while offline: its ledger, written with the ledger's API."""
    settings = Settings(data_dir=data_dir, secret_key=secret_key)
    ledger = await Ledger.open(settings.database_path, SecretBox.from_settings(settings, prefer_keyring=False))
    try:
        for first in range(0, n, 500):
            # Left `processing` with the reconciler's next look far off: the sandbox of the store's
            # next run never saw these certificates, and the subject here is sync, not settling.
            rows = [{**processing_row(i, store_id), "next_reconcile_at": "2099-01-01T00:00:00.000Z"}
                    for i in range(first, min(first + 500, n))]  # fmt: skip
            await ledger.insert_processing(rows)
        assert await ledger.outbox_backlog() == n
    finally:
        await ledger.close()


class KillingProxy:
    """Forwards sync batches to the head office; on batch `kill_at` kills the store first."""

    def __init__(self, target: str, kill_at: int, when: str) -> None:
        self.target = target
        self.kill_at = kill_at
        self.when = when
        self.store_pid = 0
        self.batches = 0
        self.pending = 0  # batches being forwarded: they may land after the store is dead
        self.killed = asyncio.Event()
        self.http = httpx.AsyncClient(timeout=30)
        self.runner: web.AppRunner | None = None
        self.url = ""

    def _kill_store(self) -> None:
        os.kill(self.store_pid, signal.SIGKILL)
        self.killed.set()

    async def handle(self, request: web.Request) -> web.Response:
        self.pending += 1
        try:
            return await self._forward(request)
        finally:
            self.pending -= 1

    async def _forward(self, request: web.Request) -> web.Response:
        body = await request.read()
        self.batches += 1
        kill_now = self.batches == self.kill_at and not self.killed.is_set()
        if kill_now and self.when == "before_ingest":
            self._kill_store()
            return web.Response(status=502)
        upstream = await self.http.post(self.target + INGEST, content=body, headers=dict(request.headers))
        if kill_now:
            self._kill_store()  # the head office has committed the batch; the store never hears so
        return web.Response(body=upstream.content, status=upstream.status_code, content_type="application/json")

    async def start(self) -> KillingProxy:
        app = web.Application(client_max_size=1024 * 1024)
        app.router.add_post(INGEST, self.handle)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        assert site._server is not None
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def stop(self) -> None:
        await self.http.aclose()
        if self.runner is not None:
            await self.runner.cleanup()


async def wait_for(check, within: float, what: str) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.1)


@pytest.mark.parametrize("when", ["after_ingest", "before_ingest"])
async def test_store_killed_in_the_middle_of_a_batch_loses_and_duplicates_nothing(tmp_path: Path, when: str):
    secret_key = generate_key_text()
    store_dir = tmp_path / "store"
    await prefill(store_dir, secret_key, "store-k", BACKLOG)
    office, office_url = start_serve(tmp_path / "office", {"DYGW_STORE_ID": "head-office"})
    proxy = await KillingProxy(office_url, kill_at=3, when=when).start()
    store_env = {
        "DYGW_SANDBOX": "1", "DYGW_SECRET_KEY": secret_key, "DYGW_STORE_ID": "store-k",
        "DYGW_REPORTING_URL": proxy.url, "DYGW_REPORTING_KEY": OPERATOR_KEY,
    }  # fmt: skip
    ho = GatewayClient(office_url, operator_key=OPERATOR_KEY)
    store = None
    try:
        store, _ = start_serve(store_dir, store_env)
        proxy.store_pid = store.pid
        await asyncio.wait_for(proxy.killed.wait(), 60)
        assert await asyncio.to_thread(store.wait, 15) == -signal.SIGKILL

        async def settled() -> bool:
            return proxy.pending == 0

        await wait_for(settled, 30, "the batches the proxy was forwarding")

        async def office_total() -> int:
            r = await ho.internal("GET", "/v1/internal/reports/verifications/summary", params={"group_by": "store_id"})
            return int(r.json()["totals"]["total_count"])

        held = await office_total()
        assert 0 < held < BACKLOG  # the kill really was half-way through the backlog

        store, store_url = start_serve(store_dir, store_env)  # the restart
        async with httpx.AsyncClient() as http:

            async def drained() -> bool:
                return (await http.get(store_url + "/health")).json()["checks"]["sync_backlog"] == 0

            await wait_for(drained, 90, "the restarted store to drain its outbox")

            # The restarted store redeems for real (its sandbox Douyin, signed API) and syncs that too.
            r = await http.post(store_url + "/v1/internal/apps", json={"name": "pos", "code": "pos"},
                                headers={"X-XTJ-UID": OPERATOR_KEY})  # fmt: skip
            app = r.json()["data"]
        coupon = SandboxState().coupon(state="usable", poi_id=POI)  # the store's sandbox is seeded alike
        async with GatewayClient(store_url, app["app"]["client_key"], app["secret"]) as pos:
            r = await pos.post("/v1/open/coupons/verify", {"poi_id": POI, "code": coupon.code})
            assert r.status_code == 200, r.text

        async def all_there() -> bool:
            return await office_total() == BACKLOG + 1

        await wait_for(all_there, 60, "the head office to hold every row")
        ids: list[int] = []
        for page in range(1, BACKLOG // 200 + 2):
            r = await ho.internal("GET", "/v1/internal/reports/verifications",
                                  params={"page": str(page), "page_size": "200"})  # fmt: skip
            ids += [v["id"] for v in r.json()["data"] if v["store_id"] == "store-k"]
        assert sorted(ids) == list(range(1, BACKLOG + 2))  # every row once: none lost, none twice
        assert proxy.batches > 3
    finally:
        await ho.aclose()
        if store is not None:
            stop(store)
        stop(office)
        await proxy.stop()
