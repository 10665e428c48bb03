"""The sandbox as an aiohttp application: Douyin's routes, the short-link host, admin routes.

Every Douyin route counts its request, gives an armed fault the first word, checks
`access-token` (goodlife routes), parses the parameters and hands them to `rules`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from aiohttp import web

from gateway_core.sandbox import rules
from gateway_core.sandbox.acting import STOPPING, Answer, act_out
from gateway_core.sandbox.admin import add_admin_routes
from gateway_core.sandbox.state import SandboxState
from gateway_core.sandbox.tokens import PARAM_ERROR, TokenError
from gateway_core.sandbox.wire import (
    TOKEN_EXPIRED,
    TOKEN_INVALID,
    BusinessError,
    envelope,
    json_response,
    parse_json_object,
    token_error,
)

STATE = web.AppKey("sandbox_state", SandboxState)
Rule = Callable[[SandboxState, Any], dict[str, Any]]

FULFILMENT = "/goodlife/v1/fulfilment/certificate"
GOODLIFE_ROUTES: tuple[tuple[str, str, str, Rule], ...] = (
    ("GET", f"{FULFILMENT}/prepare/", "prepare", rules.prepare),
    ("POST", f"{FULFILMENT}/verify/", "verify", rules.verify),
    ("POST", f"{FULFILMENT}/cancel/", "cancel", rules.cancel),
    ("GET", f"{FULFILMENT}/get/", "get", rules.get_certificate),
    ("GET", f"{FULFILMENT}/query/", "query", rules.query_certificates),
    ("GET", f"{FULFILMENT}/verify_record/query/", "records", rules.verify_records),
    ("GET", "/goodlife/v1/trade/order/query/", "order", rules.query_orders),
    ("GET", "/goodlife/v1/shop/poi/query/", "shops", rules.query_shops),
)
TOKEN_PATHS = (("/oauth/client_token/", False), ("/oauth/stable_client_token/", True))
LONG_LINK = ("https://www.iesdouyin.com/share/commerce/coupon/{obj}/?schema_type=13&object_id={obj}"
             "&utm_campaign=client_scan_share&app=aweme&utm_medium=ios&tt_from=scan_share&iid="
             "&utm_source=scan_share")
NOT_FOUND_HTML = "<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1></body></html>"


def create_sandbox_app(state: SandboxState | None = None) -> web.Application:
    state = state if state is not None else SandboxState()
    # Douyin bodies are small; a 64 KiB cap keeps a runaway client from eating memory.
    app = web.Application(client_max_size=64 * 1024)
    app[STATE] = state
    app[STOPPING] = asyncio.Event()
    for method, path, endpoint, rule in GOODLIFE_ROUTES:
        handler = _counted(state, endpoint, _goodlife_answer(state, method, rule))
        _add_both(app, method, path, handler)
    for path, stable in TOKEN_PATHS:
        handler = _counted(state, "token", _token_answer(state, stable=stable))
        _add_both(app, "POST", path, handler)
        # Some clients fetch the token with GET and a query string, and upstream answers them.
        _add_both(app, "GET", path, handler)
    add_admin_routes(app, state)
    # Last, so it only catches single-segment paths nothing else claimed.
    short_link = _counted(state, "shortlink", _short_link_answer(state))
    app.router.add_get("/{slug}", short_link)
    app.router.add_get("/{slug}/", short_link)
    return app


def _add_both(app: web.Application, method: str, path: str, handler: Answer) -> None:
    # Douyin documents trailing slashes; some SDKs drop them. Accept both spellings.
    app.router.add_route(method, path, handler)
    app.router.add_route(method, path.rstrip("/"), handler)


def _counted(state: SandboxState, endpoint: str, answer: Answer) -> Answer:
    async def handle(request: web.Request) -> web.StreamResponse:
        state.counters[endpoint] += 1
        if state.faults:
            fault = state.faults.take(endpoint)
            if fault is not None:
                state.counters[f"fault:{fault.kind}"] += 1
                return await act_out(state, endpoint, fault, request, answer)
        return await answer(request)

    return handle


def _authorize(state: SandboxState, request: web.Request, now: float) -> None:
    token = request.headers.get("access-token", "")
    verdict = state.tokens.check(token, now) if token else "unknown"
    if verdict == "unknown":
        raise BusinessError(TOKEN_INVALID)
    if verdict == "expired":
        raise BusinessError(TOKEN_EXPIRED)


def _goodlife_answer(state: SandboxState, method: str, rule: Rule) -> Answer:
    post = method == "POST"

    async def answer(request: web.Request) -> web.StreamResponse:
        now = state.now()
        logid = state.logids.next(now)
        try:
            _authorize(state, request, now)
            params = parse_json_object(await request.read()) if post else request.query
            body = envelope(rule(state, params), now, logid)
        except BusinessError as err:
            body = envelope(err.data, now, logid, err)
        return json_response(body, logid)

    return answer


async def _token_params(request: web.Request) -> dict[str, str]:
    # Lenient on purpose (UNCONFIRMED upstream): JSON body, form body or query string.
    params: dict[str, str] = dict(request.query)
    if request.method == "POST" and request.can_read_body:
        raw = await request.read()
        if request.content_type == "application/x-www-form-urlencoded":
            params.update({k: v for k, v in (await request.post()).items() if isinstance(v, str)})
        elif raw.strip():
            try:
                body = parse_json_object(raw)
            except BusinessError:
                raise TokenError(PARAM_ERROR) from None
            params.update({k: v for k, v in body.items() if isinstance(v, str)})
    return params


def _token_answer(state: SandboxState, *, stable: bool) -> Answer:
    async def answer(request: web.Request) -> web.StreamResponse:
        now = state.now()
        logid = state.logids.next(now)
        try:
            p = await _token_params(request)
            key = p.get("client_key", "")
            state.tokens.authenticate(key, p.get("client_secret", ""), p.get("grant_type", ""))
            token = state.tokens.stable(key, now) if stable else state.tokens.issue(key, now)
        except TokenError as err:
            return token_error(err.code, err.description, logid)
        data = {"access_token": token.access_token, "captcha": "", "desc_url": "", "description": "",
                "error_code": 0, "expires_in": token.expires_in(now), "log_id": logid}
        return json_response({"data": data, "message": "success"}, logid)

    return answer


def _short_link_answer(state: SandboxState) -> Answer:
    async def answer(request: web.Request) -> web.StreamResponse:
        order = state.orders_by_slug.get(request.match_info["slug"])
        if order is None or not state.short_link_alive(order):
            return web.Response(status=404, text=NOT_FOUND_HTML, content_type="text/html")
        # Percent-encoded in the path too: a raw "/" there would split the segment.
        obj = quote(order.object_id, safe="")
        return web.Response(status=302, headers={"Location": LONG_LINK.format(obj=obj)})

    return answer
