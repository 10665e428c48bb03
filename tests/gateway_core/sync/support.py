"""Helpers for the sync tests and bench/bench_sync.py.

* `fill_outbox`: our own verification rows written through the ledger's API (so the outbox is
  filled by its triggers, exactly as in production), many per transaction.
* `Receiver`: a real aiohttp head office on 127.0.0.1 in front of a real ledger's ingest, whose
  behaviour a test switches (down, 500, garbage, slow, 400), recording every body it was sent.
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web

from gateway_core.ledger import Ledger
from gateway_core.secretbox import SecretBox
from gateway_core.service.errors import ServiceError
from gateway_core.sync import ingest_batch

RECEIVER_KEY = "head-office-key-0123456789"
PRODUCTS = ("双人套餐", "单人午市套餐", "100元代金券", "招牌烤鱼四人餐", "奶茶第二杯半价")


# One key for every test ledger, so a test can close a ledger and open the same file again.
TEST_KEY = bytes(range(32))


async def open_ledger(path: Path, store_id: str | None = None) -> Ledger:
    return await Ledger.open(path, SecretBox(TEST_KEY, "test"), store_id=store_id, settle_sync="NORMAL")


def processing_row(i: int, store_id: str, *, app_id: int = 1, poi_id: str = "7001000000000000001") -> dict[str, Any]:
    """A plausible row as the service writes it before Douyin's verify (about 700 bytes of JSON)."""
    return {
        "app_id": app_id, "app_name": "收银台", "poi_id": poi_id, "certificate_id": f"{store_id}-cert-{i:09d}",
        "encrypted_code": f"CgYIASAHKAESLgos{i:09d}VfS0JNT1BQdlNhd1pYZ0VqQm9vZ2tDb1VSV3l6eGJWT2N3PT0aAA==",
        "origin_code": f"{(i * 7919) % 10**12:012d}", "coupon_status": "unused",
        "product_id": f"10000000{i % 97:04d}", "product_name": PRODUCTS[i % len(PRODUCTS)],
        "sku_id": f"17000000{i % 89:04d}", "sku_name": "默认规格", "order_id": f"10{i:017d}",
        "pay_amount": 5800, "receipt_amount": 5700, "discount_amount": 100, "store_id": store_id,
        "operator": "张三", "mode": "code",
    }  # fmt: skip


async def fill_outbox(ledger: Ledger, count: int, store_id: str, *, chunk: int = 1000, start: int = 0) -> list[int]:
    """Insert `count` rows (one outbox entry each), `chunk` per transaction; their ids."""
    ids: list[int] = []
    for first in range(start, start + count, chunk):
        rows = [processing_row(i, store_id) for i in range(first, min(first + chunk, start + count))]
        ids += [view["id"] for view in await ledger.insert_processing(rows)]
    return ids


async def settle(ledger: Ledger, ids: list[int]) -> None:
    for local_id in ids:
        await ledger.update_verification(local_id, {"verify_status": "success", "coupon_status": "verified"})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Receiver:
    """mode: "ok" (ingest), "500", "garbage" (200 with HTML), "slow" (answers after `delay` s),
    "400" (refuses), "ok_then_drop" (ingests, then drops the connection without answering)."""

    ledger: Ledger
    mode: str = "ok"
    delay: float = 5.0
    bodies: list[bytes] = field(default_factory=list)
    answered: list[int] = field(default_factory=list)
    port: int = 0
    max_body: int = 64 * 1024
    fail_requests: set[int] = field(default_factory=set)  # 1-based request numbers answered 500
    on_request: Callable[[bytes], Awaitable[None]] | None = None
    _runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        self.bodies.append(body)
        if self.on_request is not None:
            await self.on_request(body)
        if request.headers.get("X-XTJ-UID") != RECEIVER_KEY:
            return web.json_response({"error": {"code": "unknown_operator", "message": "no"}}, status=401)
        mode = self.mode
        if mode == "500" or len(self.bodies) in self.fail_requests:
            return web.json_response({"error": {"code": "internal_error", "message": "boom"}}, status=500)
        if mode == "garbage":
            return web.Response(text="<html>captive portal</html>", content_type="text/html")
        if mode == "400":
            return web.json_response(
                {"error": {"code": "invalid_request", "message": "bad", "fields": {"records[0].mode": "bad"}}},
                status=400,
            )
        if mode == "slow":
            await asyncio.sleep(self.delay)
        try:
            counts = await ingest_batch(self.ledger, json.loads(body))
        except ServiceError as err:
            return web.json_response({"error": {"code": err.code, "fields": err.fields}}, status=err.status)
        if mode == "ok_then_drop":
            assert request.transport is not None
            request.transport.close()
            raise ConnectionResetError("dropped on purpose")
        self.answered.append(counts["accepted"] + counts["stale"])
        return web.json_response({"data": counts})

    async def start(self, port: int = 0) -> Receiver:
        app = web.Application(client_max_size=self.max_body)
        app.router.add_post("/v1/internal/sync/verifications", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port or self.port)
        await site.start()
        assert site._server is not None
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


async def remote_rows(ledger: Ledger) -> list[dict[str, Any]]:
    """Every row the head office holds: (store_id, id) views."""
    from gateway_core.ledger import VerificationFilter

    rows: list[dict[str, Any]] = []
    async for chunk in ledger.iter_verifications(VerificationFilter()):
        rows += chunk
    return rows
