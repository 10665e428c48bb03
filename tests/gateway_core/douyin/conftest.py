"""Fixtures for the Douyin client tests: a client wired to respx, sample bodies, a fake clock."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
from douyin_fakes import ACCOUNT_ID, BASE, CLIENT_KEY, CLIENT_SECRET, FakeClock, token_body

from gateway_core.douyin import DouyinClient, MemoryTokenStore, RetryPolicy


@pytest.fixture
def samples(samples_dir: Path) -> Callable[[str], dict[str, Any]]:
    def load(name: str) -> dict[str, Any]:
        return json.loads((samples_dir / name).read_text(encoding="utf-8"))

    return load


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store() -> MemoryTokenStore:
    return MemoryTokenStore()


@pytest.fixture
def mock() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE, assert_all_called=False, assert_all_mocked=True) as router:
        yield router


@pytest.fixture
def token_route(mock: respx.MockRouter) -> respx.Route:
    return mock.post("/oauth/client_token/").mock(return_value=httpx.Response(200, json=token_body()))


@pytest.fixture
async def make_client(
    mock: respx.MockRouter, clock: FakeClock, store: MemoryTokenStore
) -> AsyncIterator[Callable[..., DouyinClient]]:
    made: list[DouyinClient] = []

    def make(**kw: Any) -> DouyinClient:
        kw.setdefault("account_id", ACCOUNT_ID)
        kw.setdefault("token_store", store)
        kw.setdefault("retry", RetryPolicy(attempts=3, base_delay=0.0, jitter=0.0))
        kw.setdefault("clock", clock)
        client = DouyinClient(BASE, CLIENT_KEY, CLIENT_SECRET, **kw)
        made.append(client)
        return client

    yield make
    for c in made:
        await c.aclose()


@pytest.fixture
def client(make_client: Callable[..., DouyinClient], token_route: respx.Route) -> DouyinClient:
    return make_client()
