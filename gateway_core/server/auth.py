"""Who may call: signed requests for /v1/open, an operator key for /v1/internal (contract §2)."""

from __future__ import annotations

import re
import time
from collections.abc import Awaitable, Callable

from aiohttp import web

from gateway_core import signing
from gateway_core.ledger import Ledger
from gateway_core.operator_keys import OperatorKeys
from gateway_core.server.errors import Handler
from gateway_core.service.errors import ServiceError
from gateway_core.service.models import AppIdentity

APP_KEY = web.RequestKey("verifier_app", AppIdentity)
BODY_KEY = web.RequestKey("raw_body", bytes)
TOUCH_INTERVAL_SECONDS = 1.0
# Unix seconds in ASCII digits. str.isdigit() also passes "²" or "１" (which int() refuses or reads
# as another number) and any number of digits (int() refuses over 4,300): a malformed timestamp
# is the caller's fault, 401 timestamp_out_of_window, never a 500.
_TIMESTAMP = re.compile(r"[0-9]{1,12}")


def _unauthorized(code: str, message: str) -> ServiceError:
    return ServiceError(401, code, message, "身份验证失败")


def make_auth_middleware(
    ledger: Ledger, operator_keys: OperatorKeys, clock: Callable[[], float] = time.time
) -> Callable[[web.Request, Handler], Awaitable[web.StreamResponse]]:
    last_touch: dict[int, float] = {}

    async def check_signed(request: web.Request) -> AppIdentity:
        headers = request.headers
        missing = signing.missing_headers(headers)
        if missing:
            raise _unauthorized("missing_credentials", f"missing header {missing[0]}")
        auth = await ledger.get_app_auth(headers[signing.HEADER_CLIENT_KEY])
        if auth is None:
            raise _unauthorized("unknown_client", "unknown X-Client-Key")
        timestamp = headers[signing.HEADER_TIMESTAMP]
        now = clock()
        if not _TIMESTAMP.fullmatch(timestamp) or abs(now - int(timestamp)) > signing.TIMESTAMP_WINDOW_SECONDS:
            raise _unauthorized("timestamp_out_of_window", "X-Timestamp is more than 300 s from the server clock")
        nonce = headers[signing.HEADER_NONCE]
        if not signing.NONCE_RE.match(nonce):
            raise _unauthorized("bad_signature", "X-Nonce must be 8 to 64 of A-Z a-z 0-9 - _")
        body = await request.read()
        request[BODY_KEY] = body
        raw_query = request.rel_url.raw_query_string
        expected = signing.sign(
            auth.secret,
            request.method,
            request.rel_url.raw_path,
            signing.canonical_query(signing.parse_query(raw_query)),
            timestamp,
            nonce,
            body,
        )
        if not signing.signatures_equal(expected, headers[signing.HEADER_SIGNATURE].lower()):
            raise _unauthorized("bad_signature", "X-Signature does not match")
        # Only a correctly signed request may spend a nonce, so forgeries cannot burn them.
        if not await ledger.claim_nonce(headers[signing.HEADER_CLIENT_KEY], nonce, int(now)):
            raise _unauthorized("nonce_reused", "X-Nonce was already used")
        if auth.status != "active":
            raise ServiceError(403, "app_disabled", "this app is disabled", "该应用已停用")
        if now - last_touch.get(auth.id, 0.0) >= TOUCH_INTERVAL_SECONDS:
            last_touch[auth.id] = now
            await ledger.touch_app(auth.id)
        return AppIdentity(id=auth.id, name=auth.name, allow_token_read=auth.allow_token_read)

    @web.middleware
    async def auth_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        path = request.path
        if path.startswith("/v1/open/"):
            request[APP_KEY] = await check_signed(request)
        elif path.startswith("/v1/internal/"):
            key = request.headers.get("X-XTJ-UID")
            if not key:
                raise _unauthorized("missing_credentials", "missing header X-XTJ-UID")
            if not operator_keys.accepts(key):
                raise _unauthorized("unknown_operator", "X-XTJ-UID is not an accepted operator key")
        return await handler(request)

    return auth_middleware
