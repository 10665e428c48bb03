"""DouyinClient: the goodlife calls a coupon counter needs, over one shared httpx.AsyncClient.

Reads (token, short link, prepare, get, query, order, shops) are retried with back-off on transient
failures. verify and cancel are sent once: the only replay is TokenAuth's, after Douyin rejected the
token and therefore did nothing. Everything else about an uncertain write (timeouts, 5xx, "busy") is
reported as DouyinUnavailable(request_sent=True) for the service to reconcile with get/query.
"""

from __future__ import annotations

import asyncio
import json
import logging
import ssl
import time
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any, Self, TypeVar
from urllib.parse import quote

import httpx

from gateway_core.clock import utc_now
from gateway_core.douyin.envelope import Envelope, read_goodlife, read_token
from gateway_core.douyin.errors import DouyinError, DouyinTimeout, DouyinUnavailable
from gateway_core.douyin.lenient import as_int, as_list, as_str
from gateway_core.douyin.models import (
    CancelResult,
    CertificateState,
    OrderInfo,
    PrepareResult,
    VerifyResult,
)
from gateway_core.douyin.redact import mask
from gateway_core.douyin.retry import RetryPolicy
from gateway_core.douyin.shortlink import DEFAULT_SHORT_LINK_HOSTS, normalise_hosts, resolve_short_link
from gateway_core.douyin.token import DEFAULT_REFRESH_MARGIN, Token, TokenAuth, TokenCache, TokenStore
from gateway_core.douyin.token import MemoryTokenStore as _MemoryTokenStore
from gateway_core.version import __version__

log = logging.getLogger("gateway_core.douyin")
# httpx logs every request line at INFO, query string included: prepare's `code=` would put whole
# coupon codes into the log. Our own log lines mask them; httpx's are kept to warnings.
logging.getLogger("httpx").setLevel(logging.WARNING)

T = TypeVar("T")

TOKEN_PATH = "/oauth/client_token/"
PREPARE_PATH = "/goodlife/v1/fulfilment/certificate/prepare/"
VERIFY_PATH = "/goodlife/v1/fulfilment/certificate/verify/"
CANCEL_PATH = "/goodlife/v1/fulfilment/certificate/cancel/"
GET_PATH = "/goodlife/v1/fulfilment/certificate/get/"
QUERY_PATH = "/goodlife/v1/fulfilment/certificate/query/"
ORDER_QUERY_PATH = "/goodlife/v1/trade/order/query/"
SHOP_QUERY_PATH = "/goodlife/v1/shop/poi/query/"

# Douyin requires exactly this, also on GET; some gateways reject a `; charset=...` suffix.
JSON_CONTENT_TYPE = "application/json"
LIFE_ACCOUNT_HEADER = "Rpc-Transit-Life-Account"

Params = Sequence[tuple[str, str]]


def encode_query(params: Params) -> str:
    """`a=1&b=2` with every reserved character escaped: `+ / =` in Douyin's base64 tokens become
    `%2B %2F %3D`. Done here rather than by httpx so the bytes on the wire do not depend on its version.
    """
    return "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in params)


def _one_of(**values: str | None) -> tuple[str, str]:
    given = [(k, v) for k, v in values.items() if v]
    if len(given) != 1:
        raise ValueError(f"pass exactly one of {', '.join(values)}")
    return given[0]


POOL_SIZE = 8


class DouyinClient:
    def __init__(
        self,
        base_url: str,
        client_key: str,
        client_secret: str,
        account_id: str | None = None,
        token_store: TokenStore | None = None,
        short_link_hosts: Collection[str] = DEFAULT_SHORT_LINK_HOSTS,
        host_map: Mapping[str, str] | None = None,
        timeout: float | httpx.Timeout = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
        *,
        life_account: str | None = None,
        http_client: httpx.AsyncClient | None = None,
        retry: RetryPolicy | None = None,
        token_refresh_margin: timedelta = DEFAULT_REFRESH_MARGIN,
        clock: Callable[[], datetime] = utc_now,
        verify: ssl.SSLContext | bool = True,
    ) -> None:
        """`http_client`, when given, is shared and not closed by `aclose`; otherwise one is created
        (with `transport` if given, e.g. respx or httpx.MockTransport in tests, and `verify` as
        httpx takes it: True loads the CA bundle, 40-100 ms of a desktop start)."""
        self._base_url = base_url.rstrip("/")
        self._client_key = client_key
        self._client_secret = client_secret
        self.account_id = account_id
        self._life_account = life_account
        self._short_link_hosts = normalise_hosts(short_link_hosts)
        self._host_map = dict(host_map or {})
        self._retry = retry or RetryPolicy()
        self._clock = clock
        self._timeout = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
        self._owns_http = http_client is None
        self._http = http_client or httpx.AsyncClient(
            transport=transport,
            timeout=self._timeout,
            # httpcore scans every pooled connection on each request: a small pool is measurably
            # cheaper (bench_gateway: 380 verifies at 16 concurrent took 4.2 s with 100, 2.5 s with 4)
            # and a counter never needs more than a few calls in flight. Waiting for a connection
            # is bounded by the same timeout and fails as "not sent".
            limits=httpx.Limits(max_connections=POOL_SIZE, max_keepalive_connections=POOL_SIZE),
            follow_redirects=False,
            headers={"user-agent": f"dy-verifier/{__version__}"},
            verify=verify,
        )
        self._tokens = TokenCache(
            client_key,
            self._fetch_token,
            token_store if token_store is not None else _MemoryTokenStore(),
            refresh_margin=token_refresh_margin,
            clock=clock,
        )
        self._auth = TokenAuth(self._tokens)

    @property
    def client_key(self) -> str:
        """The app id tokens are stored under (TokenStore.load / save key)."""
        return self._client_key

    # -- lifecycle -------------------------------------------------------------------------------

    async def aclose(self) -> None:
        await self._tokens.aclose()
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    # -- token and short link --------------------------------------------------------------------

    async def get_token(self) -> Token:
        """The token, for handing on (token read, connection check): a due refresh is waited for so
        the newest is given out. Requests themselves never wait for a refresh while theirs is valid."""
        return await self._tokens.get(wait_for_refresh=True)

    async def resolve_short_link(self, url: str) -> str:
        """The `object_id` (prepare's `encrypted_data`) behind a QR code's short link."""

        async def attempt(target: str) -> httpx.Response:
            # only the status and Location matter: the body (a whole HTML page on a 200) is not read
            response = await self._send(self._http.build_request("GET", target), auth=None, stream=True)
            await response.aclose()
            if response.status_code >= 500:
                raise DouyinUnavailable(
                    f"short-link host answered HTTP {response.status_code}", http_status=response.status_code
                )
            return response

        async def fetch(target: str) -> httpx.Response:
            return await self._run("short_link", lambda: attempt(target), retry=True)

        return await resolve_short_link(
            url, fetch, allowed_hosts=self._short_link_hosts, host_map=self._host_map
        )

    # -- certificates ----------------------------------------------------------------------------

    async def prepare(
        self, *, poi_id: str, code: str | None = None, encrypted_data: str | None = None
    ) -> PrepareResult:
        """The usable certificates behind a plaintext `code` or a QR's `encrypted_data` (exactly one)."""
        if not poi_id:
            raise ValueError("poi_id is required")
        name, value = _one_of(code=code, encrypted_data=encrypted_data)
        env = await self._goodlife(
            "GET", PREPARE_PATH, params=[(name, value), ("poi_id", poi_id)], retry=True
        )
        result = PrepareResult.from_json(env.raw, env.logid)
        log.info(
            "douyin prepare %s=%s poi=%s -> order=%s certificates=%d logid=%s",
            name,
            mask(value),
            poi_id,
            result.order_id,
            len(result.certificates),
            env.logid,
        )
        return result

    async def verify(self, *, verify_token: str, poi_id: str, encrypted_codes: Sequence[str]) -> VerifyResult:
        """Redeem. Sent once, never retried: on DouyinUnavailable with request_sent=True the outcome
        is unknown and must be looked up (get/query) before anything else is tried."""
        codes = [c for c in encrypted_codes]
        if not verify_token or not poi_id or not codes or not all(codes):
            raise ValueError("verify needs verify_token, poi_id and at least one encrypted code")
        body = {"verify_token": verify_token, "poi_id": poi_id, "encrypted_codes": codes}
        env = await self._goodlife("POST", VERIFY_PATH, body=body, retry=False)
        result = VerifyResult.from_json(env.raw, env.logid)
        log.info(
            "douyin verify poi=%s codes=%s -> results=%s logid=%s",
            poi_id,
            [mask(c) for c in codes],
            [i.result for i in result.items],
            env.logid,
        )
        return result

    async def cancel(self, *, certificate_id: str, verify_id: str) -> CancelResult:
        """Undo a verification (Douyin allows about 1 h). Sent once, never retried."""
        if not certificate_id or not verify_id:
            raise ValueError("cancel needs certificate_id and verify_id")
        body = {"certificate_id": certificate_id, "verify_id": verify_id}
        env = await self._goodlife("POST", CANCEL_PATH, body=body, retry=False)
        log.info("douyin cancel certificate=%s verify=%s logid=%s", certificate_id, verify_id, env.logid)
        return CancelResult(logid=env.logid, raw=env.raw)

    async def get_certificate(self, encrypted_code: str) -> CertificateState:
        if not encrypted_code:
            raise ValueError("encrypted_code is required")
        env = await self._goodlife("GET", GET_PATH, params=[("encrypted_code", encrypted_code)], retry=True)
        certificate = env.data.get("certificate")
        if not isinstance(certificate, dict):
            raise DouyinUnavailable("certificate/get answered without a certificate", logid=env.logid)
        return CertificateState.from_json(certificate, env.logid)

    async def query_certificates(
        self, encrypted_code: str | None = None, order_id: str | None = None
    ) -> list[CertificateState]:
        """All certificates of an order, by one of its encrypted codes or by order id (exactly one)."""
        param = _one_of(encrypted_code=encrypted_code, order_id=order_id)
        env = await self._goodlife("GET", QUERY_PATH, params=[param], retry=True)
        return [CertificateState.from_json(c, env.logid) for c in as_list(env.data.get("certificates"))]

    # -- merchant data ---------------------------------------------------------------------------

    async def query_order(self, order_id: str) -> OrderInfo | None:
        """The order (for enrichment), or None when Douyin has no such order for our account."""
        if not order_id:
            raise ValueError("order_id is required")
        params = [("account_id", self._require_account()), ("order_id", order_id)]
        env = await self._goodlife("GET", ORDER_QUERY_PATH, params=params, retry=True)
        orders = [OrderInfo.from_json(o) for o in as_list(env.data.get("orders"))]
        return next((o for o in orders if o.order_id == order_id), None)

    async def query_shops(self, page: int = 1, size: int = 20, poi_id: str | None = None) -> dict[str, Any]:
        """Douyin's answer unchanged: `data.pois[]` with `poi{poi_id, poi_name, address}`, `data.total`."""
        params = [("account_id", self._require_account()), ("page", str(page)), ("size", str(size))]
        if poi_id:
            params.append(("poi_id", poi_id))
        env = await self._goodlife("GET", SHOP_QUERY_PATH, params=params, retry=True)
        return env.raw

    # -- plumbing --------------------------------------------------------------------------------

    def _require_account(self) -> str:
        if not self.account_id:
            raise ValueError("this call needs the merchant account_id (settings: douyin_account_id)")
        return self.account_id

    def _headers(self) -> dict[str, str]:
        headers = {"content-type": JSON_CONTENT_TYPE}
        if self._life_account:
            headers[LIFE_ACCOUNT_HEADER] = self._life_account
        return headers

    def _url(self, path: str, params: Params | None = None) -> str:
        query = encode_query(params) if params else ""
        return f"{self._base_url}{path}" + (f"?{query}" if query else "")

    async def _goodlife(
        self,
        method: str,
        path: str,
        *,
        params: Params | None = None,
        body: Mapping[str, Any] | None = None,
        retry: bool,
    ) -> Envelope:
        url = self._url(path, params)
        content = None if body is None else json.dumps(body, ensure_ascii=False).encode()

        async def attempt() -> Envelope:
            request = self._http.build_request(method, url, content=content, headers=self._headers())
            started = time.monotonic()
            response = await self._send(request, auth=self._auth)
            envelope = read_goodlife(response)
            log.debug(
                "douyin %s %s -> HTTP %s logid=%s in %.0f ms",
                method,
                path,
                response.status_code,
                envelope.logid,
                (time.monotonic() - started) * 1000,
            )
            return envelope

        return await self._run(path, attempt, retry=retry)

    async def _fetch_token(self) -> Token:
        body = {
            "client_key": self._client_key,
            "client_secret": self._client_secret,
            "grant_type": "client_credential",
        }
        content = json.dumps(body).encode()

        async def attempt() -> Token:
            request = self._http.build_request(
                "POST",
                self._url(TOKEN_PATH),
                content=content,
                headers={"content-type": JSON_CONTENT_TYPE},
            )
            data = read_token(await self._send(request, auth=None))
            access_token = as_str(data.get("access_token"))
            expires_in = as_int(data.get("expires_in"))
            if not access_token or expires_in <= 0:
                raise DouyinUnavailable("token endpoint answered without a usable access_token")
            return Token(access_token=access_token, expires_at=self._clock() + timedelta(seconds=expires_in))

        return await self._run(TOKEN_PATH, attempt, retry=True)

    async def _run(self, what: str, attempt: Callable[[], Awaitable[T]], *, retry: bool) -> T:
        attempts = max(1, self._retry.attempts) if retry else 1
        for n in range(attempts):
            try:
                return await attempt()
            except DouyinError as exc:
                if n + 1 >= attempts or not self._retry.should_retry(exc):
                    log.info("douyin %s failed: %s", what, exc)
                    raise
                delay = self._retry.delay(n)
                log.info(
                    "douyin %s failed (%s); retry %d/%d in %.2f s", what, exc, n + 1, attempts - 1, delay
                )
                await asyncio.sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _send(
        self, request: httpx.Request, *, auth: httpx.Auth | None, stream: bool = False
    ) -> httpx.Response:
        """One HTTP exchange; httpx's exceptions become ours, saying whether the request went out."""
        try:
            return await self._http.send(request, auth=auth, follow_redirects=False, stream=stream)
        except (httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            raise DouyinTimeout(
                f"timed out before sending: {type(exc).__name__}", request_sent=False
            ) from exc
        except httpx.TimeoutException as exc:
            raise DouyinTimeout(f"no answer in time: {type(exc).__name__}", request_sent=True) from exc
        except (
            httpx.ConnectError,
            httpx.ProxyError,
            httpx.UnsupportedProtocol,
            httpx.LocalProtocolError,
        ) as exc:
            raise DouyinUnavailable(
                f"could not send: {type(exc).__name__}: {exc}", request_sent=False
            ) from exc
        except httpx.RequestError as exc:
            # the connection broke after (part of) the request went out: the outcome is unknown
            raise DouyinUnavailable(
                f"connection failed: {type(exc).__name__}: {exc}", request_sent=True
            ) from exc


__all__ = ["DouyinClient", "encode_query"]
