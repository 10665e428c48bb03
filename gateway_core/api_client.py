"""A small client for the local API that signs exactly as the server checks (same signing module).

For the store's other systems, the test suite and the benchmarks:

    async with GatewayClient("http://127.0.0.1:8848", client_key, secret) as gw:
        r = await gw.post("/v1/open/coupons/verify", {"poi_id": "...", "code": "..."})
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from gateway_core import signing


class GatewayClient:
    def __init__(
        self,
        base_url: str,
        client_key: str = "",
        secret: str = "",
        *,
        operator_key: str | None = None,
        timeout: float = 30.0,
        http: httpx.AsyncClient | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.client_key = client_key
        self.secret = secret
        self.operator_key = operator_key
        self._http = http or httpx.AsyncClient(timeout=timeout)
        self._owns_http = http is None

    async def __aenter__(self) -> GatewayClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    def _encode(self, body: Any) -> bytes:
        if body is None:
            return b""
        if isinstance(body, bytes):
            return body
        return json.dumps(body, ensure_ascii=False).encode("utf-8")

    async def signed(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        params: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        timestamp: int | None = None,
        nonce: str | None = None,
    ) -> httpx.Response:
        """A request to /v1/open/...: the body bytes sent are the bytes signed."""
        request = self._http.build_request(
            method,
            self.base_url + path,
            params=params,
            content=self._encode(body),
            headers={"Content-Type": "application/json"} if body is not None else {},
        )
        target = request.url.raw_path.decode("ascii")
        request.headers.update(
            signing.signed_headers(
                self.client_key, self.secret, method, target, request.content, timestamp=timestamp, nonce=nonce
            )
        )
        request.headers.update(headers or {})
        return await self._http.send(request)

    async def post(self, path: str, body: Any = None, **kwargs: Any) -> httpx.Response:
        return await self.signed("POST", path, body, **kwargs)

    async def get(self, path: str, params: dict[str, str] | None = None, **kwargs: Any) -> httpx.Response:
        return await self.signed("GET", path, None, params=params, **kwargs)

    async def internal(
        self, method: str, path: str, body: Any = None, *, params: dict[str, str] | None = None
    ) -> httpx.Response:
        """A request to /v1/internal/... with the operator key."""
        headers = {"X-XTJ-UID": self.operator_key or ""}
        if body is not None:
            headers["Content-Type"] = "application/json"
        return await self._http.request(
            method, self.base_url + path, params=params, content=self._encode(body), headers=headers
        )
