"""A real gateway for end-to-end tests: Runtime in demo mode (in-process sandbox Douyin), its HTTP
server on 127.0.0.1:0, a real SQLite file in tmp_path, and a signed client for a fresh verifier app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from gateway_core.api_client import GatewayClient
from gateway_core.runtime import Runtime
from gateway_core.sandbox import SANDBOX_POIS
from gateway_core.settings import Settings

OPERATOR_KEY = "test-operator-key-0123456789"


@dataclass
class Gateway:
    runtime: Runtime
    url: str
    client: GatewayClient
    internal: GatewayClient
    app: dict
    secret: str
    data_dir: Path

    @property
    def sandbox(self):  # the in-process sandbox Douyin
        return self.runtime.sandbox

    @property
    def poi_id(self) -> str:
        return SANDBOX_POIS[0].poi_id

    def set_douyin_timeout(self, seconds: float) -> None:
        """Make the gateway give up on Douyin quickly (the client's shared httpx timeout)."""
        self.runtime.douyin._http.timeout = httpx.Timeout(seconds)

    def counters(self) -> dict[str, int]:
        return dict(self.sandbox.state.counters)

    async def new_client(self, code: str, **fields) -> GatewayClient:
        r = await self.internal.internal("POST", "/v1/internal/apps", {"name": code, "code": code, **fields})
        assert r.status_code == 201, r.text
        data = r.json()["data"]
        return GatewayClient(self.url, data["app"]["client_key"], data["secret"])


def make_settings(data_dir: Path, **overrides) -> Settings:
    return Settings(data_dir=data_dir, internal_api_keys=(OPERATOR_KEY,), secret_key=None, **overrides)


@pytest.fixture
async def gateway(tmp_path: Path) -> AsyncIterator[Gateway]:
    runtime = Runtime(
        make_settings(tmp_path / "data"),
        demo=True,
        reconcile_interval=0.2,
        unknown_outcome_grace=timedelta(seconds=0.5),
    )
    await runtime.start()
    url = await runtime.start_http(host="127.0.0.1", port=0)
    internal = GatewayClient(url, operator_key=OPERATOR_KEY)
    r = await internal.internal("POST", "/v1/internal/apps", {"name": "ERP 收银", "code": "erp"})
    assert r.status_code == 201, r.text
    data = r.json()["data"]
    client = GatewayClient(url, data["app"]["client_key"], data["secret"])
    gw = Gateway(runtime, url, client, internal, data["app"], data["secret"], tmp_path / "data")
    try:
        yield gw
    finally:
        await client.aclose()
        await internal.aclose()
        await runtime.stop()
