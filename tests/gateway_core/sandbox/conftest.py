"""A sandbox on a real loopback socket with a fake clock, and a logged-in raw Douyin caller."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from sandbox_helpers import Douyin, FakeClock, client

from gateway_core.sandbox import SandboxServer


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def sandbox(clock: FakeClock) -> AsyncIterator[SandboxServer]:
    server = SandboxServer(clock=clock)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture
async def http(sandbox: SandboxServer) -> AsyncIterator[httpx.AsyncClient]:
    async with client(sandbox.base_url, timeout=10) as http_client:
        yield http_client


@pytest.fixture
async def dy(http: httpx.AsyncClient, sandbox: SandboxServer) -> Douyin:
    caller = Douyin(http, sandbox)
    await caller.login()
    return caller
