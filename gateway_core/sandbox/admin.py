"""`/_sandbox/...`: drive the sandbox over HTTP (faults, clock, counters, coupons, reset).

Plain JSON, no auth: the sandbox has no secrets worth guarding. Admin requests are neither
counted nor subject to faults.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from gateway_core.sandbox.data import (
    PRODUCTS,
    SANDBOX_ACCOUNT_ID,
    SANDBOX_CLIENT_KEY,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_POIS,
)
from gateway_core.sandbox.faults import Fault
from gateway_core.sandbox.models import Order
from gateway_core.sandbox.state import SandboxState
from gateway_core.sandbox.wire import dumps

PREFIX = "/_sandbox"


def _json(payload: Any, status: int = 200) -> web.Response:
    return web.Response(body=dumps(payload), status=status, content_type="application/json",
                        charset="utf-8")


def _bad(message: str) -> web.Response:
    return _json({"error": message}, status=400)


async def _body(request: web.Request) -> Any:
    raw = await request.read()
    return json.loads(raw) if raw.strip() else {}


def order_summary(state: SandboxState, order: Order) -> dict[str, Any]:
    return {
        "order_id": order.order_id,
        "short_link": order.short_link,
        "object_id": order.object_id,
        "coupons": [c.to_dict() for c in state.coupons_of(order)],
    }


def add_admin_routes(app: web.Application, state: SandboxState) -> None:
    async def info(request: web.Request) -> web.Response:
        return _json({
            "client_key": SANDBOX_CLIENT_KEY,
            "client_secret": SANDBOX_CLIENT_SECRET,
            "account_id": SANDBOX_ACCOUNT_ID,
            "pois": [p.to_dict() for p in SANDBOX_POIS],
            "products": sorted(PRODUCTS),
            "now": state.now(),
            "cancel_window": state.cancel_window,
        })

    async def list_faults(request: web.Request) -> web.Response:
        return _json({"faults": [armed.to_dict() for armed in state.faults]})

    async def add_faults(request: web.Request) -> web.Response:
        try:
            raw = await _body(request)
            specs = raw if isinstance(raw, list) else [raw]
            faults = [Fault.from_dict(spec) for spec in specs]
        except (ValueError, TypeError) as exc:
            return _bad(str(exc))
        return _json({"faults": [state.faults.add(f).to_dict() for f in faults]}, status=201)

    async def clear_faults(request: web.Request) -> web.Response:
        return _json({"cleared": state.faults.clear()})

    async def remove_fault(request: web.Request) -> web.Response:
        raw_id = request.match_info["fault_id"]
        if not raw_id.isdigit() or not state.faults.remove(int(raw_id)):
            return _json({"error": f"no armed fault {raw_id}"}, status=404)
        return _json({"removed": int(raw_id)})

    async def counters(request: web.Request) -> web.Response:
        return _json(dict(state.counters))

    async def reset(request: web.Request) -> web.Response:
        state.reset()
        return _json({"reset": True, "now": state.now()})

    async def coupons(request: web.Request) -> web.Response:
        q = request.query
        try:
            found = state.coupons(
                tag=q.get("tag"), state=q.get("state"), poi_id=q.get("poi_id"),
                groupon_type=int(q["groupon_type"]) if "groupon_type" in q else None,
                order_size=int(q["order_size"]) if "order_size" in q else None,
            )
        except ValueError as exc:
            return _bad(str(exc))
        return _json({"coupons": [c.to_dict() for c in found]})

    async def get_clock(request: web.Request) -> web.Response:
        return _json({"now": state.now(), "offset": state.offset})

    async def move_clock(request: web.Request) -> web.Response:
        try:
            seconds = float((await _body(request))["advance_seconds"])
        except (ValueError, TypeError, KeyError):
            return _bad("send {\"advance_seconds\": <number>}")
        return _json({"now": state.advance(seconds), "offset": state.offset})

    async def mint(request: web.Request) -> web.Response:
        try:
            raw = await _body(request)
            if not isinstance(raw, dict):
                raise ValueError("send a JSON object")
            allowed = {"poi_id", "count", "product", "poi_ids", "expires_in", "tag"}
            if set(raw) - allowed:
                raise ValueError(f"unknown fields {sorted(set(raw) - allowed)}")
            order = state.mint_order(**raw)
        except (ValueError, TypeError) as exc:
            return _bad(str(exc))
        return _json(order_summary(state, order), status=201)

    async def refund(request: web.Request) -> web.Response:
        try:
            cert = state.refund(str((await _body(request))["certificate_id"]))
        except (ValueError, TypeError, KeyError) as exc:
            return _bad(f"cannot refund: {exc}")
        return _json({"refunded": cert.certificate_id})

    router = app.router
    router.add_get(PREFIX, info)
    router.add_get(f"{PREFIX}/", info)
    router.add_get(f"{PREFIX}/faults", list_faults)
    router.add_post(f"{PREFIX}/faults", add_faults)
    router.add_delete(f"{PREFIX}/faults", clear_faults)
    router.add_delete(f"{PREFIX}/faults/{{fault_id}}", remove_fault)
    router.add_get(f"{PREFIX}/counters", counters)
    router.add_post(f"{PREFIX}/reset", reset)
    router.add_get(f"{PREFIX}/coupons", coupons)
    router.add_get(f"{PREFIX}/clock", get_clock)
    router.add_post(f"{PREFIX}/clock", move_clock)
    router.add_post(f"{PREFIX}/orders", mint)
    router.add_post(f"{PREFIX}/refund", refund)
