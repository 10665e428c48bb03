"""A small raw-HTTP Douyin caller (httpx, deliberately not the project's client) and test helpers."""

from __future__ import annotations

import functools
import ssl
from typing import Any

import httpx

from gateway_core.sandbox import (
    SANDBOX_CLIENT_KEY,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_POIS,
    SandboxServer,
    SandboxState,
)

FULFILMENT = "/goodlife/v1/fulfilment/certificate"
WANGJING, GUOMAO, ZHONGGUANCUN, SALON = (p.poi_id for p in SANDBOX_POIS)


@functools.cache
def _tls() -> ssl.SSLContext:
    return ssl.create_default_context()


def client(base_url: str, **kwargs: Any) -> httpx.AsyncClient:
    """An httpx client sharing one TLS context: building one per test costs ~0.2 s."""
    return httpx.AsyncClient(base_url=base_url, verify=_tls(), **kwargs)


class FakeClock:
    def __init__(self, start: float = 1_790_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


class Douyin:
    """Raw calls shaped exactly as a Douyin client sends them; every answer is returned whole."""

    def __init__(self, http: httpx.AsyncClient, sandbox: SandboxServer) -> None:
        self.http = http
        self.sandbox = sandbox
        self.access_token: str | None = None

    @property
    def state(self) -> SandboxState:
        return self.sandbox.state

    async def token(self, **overrides: Any) -> httpx.Response:
        body = {"client_key": SANDBOX_CLIENT_KEY, "client_secret": SANDBOX_CLIENT_SECRET,
                "grant_type": "client_credential", **overrides}
        return await self.http.post("/oauth/client_token/", json=body)

    async def login(self) -> str:
        r = await self.token()
        self.access_token = r.json()["data"]["access_token"]
        return self.access_token

    def headers(self, token: str | None = None) -> dict[str, str]:
        return {"access-token": token or self.access_token or "", "content-type": "application/json"}

    async def get(self, path: str, params: dict[str, Any] | None = None, token: str | None = None) -> httpx.Response:
        return await self.http.get(path, params=params, headers=self.headers(token))

    async def post(self, path: str, body: Any, token: str | None = None) -> httpx.Response:
        return await self.http.post(path, json=body, headers=self.headers(token))

    async def prepare(self, token: str | None = None, **params: Any) -> dict[str, Any]:
        r = await self.get(f"{FULFILMENT}/prepare/", params, token)
        assert r.status_code == 200
        return r.json()

    async def verify(self, verify_token: str, codes: list[str], poi_id: str = WANGJING) -> dict[str, Any]:
        r = await self.post(f"{FULFILMENT}/verify/",
                            {"verify_token": verify_token, "poi_id": poi_id, "encrypted_codes": codes})
        assert r.status_code == 200
        return r.json()

    async def redeem(self, code: str, poi_id: str = WANGJING, count: int | None = None) -> dict[str, Any]:
        """prepare by plaintext code, then verify the first `count` (default all) certificates."""
        prepared = (await self.prepare(code=code, poi_id=poi_id))["data"]
        codes = [c["encrypted_code"] for c in prepared["certificates"]][:count]
        return await self.verify(prepared["verify_token"], codes, poi_id)

    async def cancel(self, certificate_id: str, verify_id: str) -> dict[str, Any]:
        r = await self.post(f"{FULFILMENT}/cancel/", {"certificate_id": certificate_id, "verify_id": verify_id})
        assert r.status_code == 200
        return r.json()

    async def certificate(self, encrypted_code: str) -> dict[str, Any]:
        r = await self.get(f"{FULFILMENT}/get/", {"encrypted_code": encrypted_code})
        assert r.status_code == 200
        return r.json()


def codes_of(answer: dict[str, Any]) -> list[str]:
    return [c["encrypted_code"] for c in answer["data"]["certificates"]]


def assert_error(answer: dict[str, Any], code: int, sub_code: int | None = None) -> None:
    assert answer["data"]["error_code"] == code, answer
    assert answer["extra"]["error_code"] == code, answer
    if sub_code is not None:
        assert answer["extra"]["sub_error_code"] == sub_code, answer
