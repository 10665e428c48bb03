"""How each fault kind looks on the wire, given the clean answer it replaces or follows."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from aiohttp import web

from gateway_core.sandbox.faults import Fault
from gateway_core.sandbox.state import SandboxState
from gateway_core.sandbox.tokens import TOKEN_ERRORS, TOO_FREQUENT
from gateway_core.sandbox.wire import (
    BUSY,
    CONTACT_DOUYIN,
    RATE_LIMITED,
    TOKEN_EXPIRED,
    BusinessError,
    envelope,
    json_response,
    token_error,
)

Answer = Callable[[web.Request], Awaitable[web.StreamResponse]]

# "Forever" for apply_then_timeout: long enough that any sane client gives up first; the hang
# also ends when the caller hangs up or the sandbox stops, so nothing lingers.
FOREVER_S = 3600.0
POLL_S = 0.02

STOPPING = web.AppKey("sandbox_stopping", asyncio.Event)

HTML_502 = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway"
    "</h1></center>\r\n<hr><center>Tengine</center>\r\n</body>\r\n</html>\r\n"
)
HTML_BUSY = (
    "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>抖音开放平台</title></head>"
    "<body><h1>系统繁忙</h1><p>请稍后再试</p></body></html>"
)
# A success envelope cut off mid-way: what a proxy that lost the upstream connection sends.
GARBAGE = b'{"data":{"error_code":0,"description":"success","verify_results":[{"result":0,"msg":"'


async def act_out(state: SandboxState, endpoint: str, fault: Fault, request: web.Request,
                  answer: Answer) -> web.StreamResponse:
    kind, delay = fault.kind, fault.latency_ms / 1000
    if kind.startswith("apply_then_"):
        await answer(request)  # the state change happens; its answer never reaches the caller
        if kind == "apply_then_timeout":
            await _hang(request, delay or FOREVER_S)
            return _drop(request)
        await _hang(request, delay)
        if kind == "apply_then_drop":
            return _drop(request)
        if kind == "apply_then_500":
            return web.Response(status=fault.code or 500, text="Internal Server Error")
        return _error(state, endpoint, fault.code or CONTACT_DOUYIN)  # apply_then_error
    if delay:
        await asyncio.sleep(delay)
    if kind == "latency":
        return await answer(request)
    if kind == "drop":
        return _drop(request)
    if kind in ("http_500", "http_502"):
        status = fault.code or int(kind[-3:])
        return web.Response(status=status, text="Internal Server Error" if status == 500 else "Bad Gateway")
    if kind == "html":
        status = fault.code or 502
        return web.Response(status=status, text=HTML_502 if status >= 500 else HTML_BUSY,
                            content_type="text/html")
    if kind == "garbage":
        return web.Response(body=GARBAGE, content_type="application/json")
    if kind == "no_extra":
        # An edge answering for Douyin: looks like success but has no `extra`; must not be trusted.
        return json_response({"data": {"error_code": 0, "description": "success"}})
    if kind == "rate_limit":
        return _error(state, endpoint, fault.code or (TOO_FREQUENT if endpoint == "token" else RATE_LIMITED))
    if kind == "busy":
        return _error(state, endpoint, fault.code or BUSY)
    if kind == "token_expired":
        return _error(state, endpoint, fault.code or TOKEN_EXPIRED)
    raise AssertionError(f"fault kind {kind} not acted out")


def _error(state: SandboxState, endpoint: str, code: int) -> web.Response:
    now = state.now()
    logid = state.logids.next(now)
    error = BusinessError(code)
    if endpoint == "token":
        return token_error(code, TOKEN_ERRORS.get(code, error.description), logid)
    return json_response(envelope({}, now, logid, error), logid)


def _drop(request: web.Request) -> web.Response:
    transport = request.transport
    if transport is not None:
        transport.close()
    # aiohttp cannot write this to a closed transport: the caller sees a bare disconnect.
    return web.Response(status=204)


async def _hang(request: web.Request, seconds: float) -> None:
    if seconds <= 0:
        return
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    stopping = request.app[STOPPING]
    transport = request.transport
    while not stopping.is_set() and transport is not None and not transport.is_closing():
        left = deadline - loop.time()
        if left <= 0:
            return
        await asyncio.sleep(min(POLL_S, left))
