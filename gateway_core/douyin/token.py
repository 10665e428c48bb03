"""The app-level client_token: cache, single-flight refresh, persistence, and the httpx.Auth that uses it.

Douyin keeps only the two newest tokens of an app alive and each new one kills the previous after
5 minutes, so fetching a token is not free: every process of ours shares one token through the
`TokenStore`, concurrent callers share one refresh, and a token is replaced a margin before it
expires rather than after a call failed. That refresh runs in the background: a request waits for a
token only when there is no valid one.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol, runtime_checkable

import httpx

from gateway_core.clock import utc_now
from gateway_core.douyin.envelope import rejected_token_code
from gateway_core.douyin.errors import DouyinError, DouyinUnavailable
from gateway_core.douyin.redact import mask

log = logging.getLogger("gateway_core.douyin")

DEFAULT_REFRESH_MARGIN = timedelta(minutes=10)
# When a refresh fails, a cached token that still has this long to live is used rather than failing.
_STALE_GRACE = timedelta(seconds=60)
# After a refresh failed and the cached token was kept, the next refresh is tried this much later.
_RETRY_AFTER_FAILURE = timedelta(seconds=30)


@dataclass(frozen=True)
class Token:
    access_token: str
    expires_at: datetime

    def __repr__(self) -> str:
        return f"Token(access_token={mask(self.access_token)!r}, expires_at={self.expires_at.isoformat()!r})"


@runtime_checkable
class TokenStore(Protocol):
    """Where a token survives restarts and is shared between processes (the ledger encrypts it)."""

    async def load(self, client_key: str) -> Token | None: ...

    async def save(self, client_key: str, token: Token) -> None: ...


class MemoryTokenStore:
    """A TokenStore that forgets on exit: tests, the sandbox, and as the default."""

    def __init__(self) -> None:
        self._tokens: dict[str, Token] = {}

    async def load(self, client_key: str) -> Token | None:
        return self._tokens.get(client_key)

    async def save(self, client_key: str, token: Token) -> None:
        self._tokens[client_key] = token


TokenFetcher = Callable[[], Awaitable[Token]]


class TokenCache:
    """Hands out a valid token; at most one fetch runs at a time, whoever asks."""

    def __init__(
        self,
        client_key: str,
        fetch: TokenFetcher,
        store: TokenStore,
        *,
        refresh_margin: timedelta = DEFAULT_REFRESH_MARGIN,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._client_key = client_key
        self._fetch = fetch
        self._store = store
        self._margin = refresh_margin
        self._clock = clock
        self._token: Token | None = None
        self._refresh_at: datetime | None = None
        self._inflight: asyncio.Task[Token] | None = None
        # Tokens Douyin rejected; remembered so the store's copy of one is not loaded back.
        self._rejected: deque[str] = deque(maxlen=16)

    async def get(self, *, wait_for_refresh: bool = False) -> Token:
        """A valid token. While the cached one still has `_STALE_GRACE` to live, a due refresh runs in
        the background and the cached token is returned at once, unless `wait_for_refresh` (for
        callers that hand the token on and want the newest). Without a usable token, callers wait."""
        token = self._token
        if token is not None and self._refresh_at is not None and self._clock() < self._refresh_at:
            return token
        task = self._inflight
        if task is None:
            task = asyncio.get_running_loop().create_task(self._refresh(), name="douyin-token-refresh")
            self._inflight = task  # also the reference that keeps a background refresh alive
            task.add_done_callback(self._refresh_done)
        if token is not None and not wait_for_refresh and self._usable(token, _STALE_GRACE):
            return token
        # shield: a caller that gives up must not cancel the refresh the others are waiting for
        return await asyncio.shield(task)

    async def aclose(self) -> None:
        """Stop a refresh still running (the HTTP client it uses is about to close)."""
        task = self._inflight
        if task is not None and not task.done():
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    def invalidate(self, access_token: str) -> None:
        """Douyin rejected this token: never hand it out again."""
        if access_token not in self._rejected:
            self._rejected.append(access_token)
        if self._token is not None and self._token.access_token == access_token:
            self._token = None
            self._refresh_at = None

    def _refresh_done(self, task: asyncio.Task[Token]) -> None:
        if self._inflight is task:
            self._inflight = None
        if task.cancelled():
            return
        # retrieved here, and logged once, so a failure nobody awaited (a background refresh) is seen
        exc = task.exception()
        if exc is not None:
            log.warning("douyin token refresh failed: %s", exc, exc_info=not isinstance(exc, DouyinError))

    def _usable(self, token: Token, margin: timedelta) -> bool:
        return token.access_token not in self._rejected and self._clock() < token.expires_at - margin

    async def _refresh(self) -> Token:
        stored = await self._load()
        if stored is not None and self._usable(stored, self._margin):
            log.debug("douyin token: using the stored one, expires %s", stored.expires_at.isoformat())
            self._remember(stored, self._margin)
            return stored
        previous = self._token
        try:
            token = await self._fetch()
        except DouyinError as exc:
            if previous is not None and self._usable(previous, _STALE_GRACE):
                # try again at a steady pace, not on every request until the token expires
                self._refresh_at = self._clock() + _RETRY_AFTER_FAILURE
                log.warning(
                    "douyin token refresh failed (%s); using the current token, next try in %d s",
                    exc,
                    _RETRY_AFTER_FAILURE.total_seconds(),
                )
                return previous
            raise
        lifetime = token.expires_at - self._clock()
        # a short-lived token (sandbox) would otherwise be "due for refresh" the moment it arrives
        self._remember(token, min(self._margin, lifetime / 2))
        log.info("douyin token refreshed, expires %s", token.expires_at.isoformat())
        await self._save(token)
        return token

    def _remember(self, token: Token, margin: timedelta) -> None:
        self._token = token
        self._refresh_at = token.expires_at - margin

    async def _load(self) -> Token | None:
        try:
            return await self._store.load(self._client_key)
        except Exception:
            # the store is an optimisation; a broken one must not stop verification
            log.exception("douyin token store: load failed")
            return None

    async def _save(self, token: Token) -> None:
        try:
            await self._store.save(self._client_key, token)
        except Exception:
            log.exception("douyin token store: save failed")


class TokenAuth(httpx.Auth):
    """Signs goodlife requests with `access-token`; on a rejected token, refreshes once and replays once.

    Douyin reports a rejected token as HTTP 200 with 2190002 / 2190008 / 28001008 in the JSON, so the
    body is needed to decide. Replaying is safe even for verify: Douyin refused the token before doing
    anything. A second rejection is returned as is and becomes DouyinAuthError in the envelope check.
    """

    requires_response_body = True

    def __init__(self, cache: TokenCache) -> None:
        self._cache = cache

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        raise RuntimeError("TokenAuth works with httpx.AsyncClient only")

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        token = await self._token()
        request.headers["access-token"] = token.access_token
        response = yield request
        await response.aread()
        code = rejected_token_code(response)
        if code is None:
            return
        log.warning(
            "douyin rejected token %s (%s) on %s; refreshing and replaying once",
            mask(token.access_token),
            code,
            request.url.path,
        )
        self._cache.invalidate(token.access_token)
        token = await self._token()
        request.headers["access-token"] = token.access_token
        yield request

    async def _token(self) -> Token:
        try:
            return await self._cache.get()
        except DouyinUnavailable as exc:
            # Without a token the goodlife request was never sent: a write is certainly not applied.
            raise exc.with_request_sent(False) from exc
