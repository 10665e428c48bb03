"""A Douyin you can run: a Douyin-compatible fake upstream for demo/training mode, e2e tests and
benchmarks. Same wire format as open.douyin.com (envelope, codes, token rules), seeded with
deterministic test coupons, with fault knobs for the unhappy paths.

    sb = SandboxServer()
    base_url = await sb.start()            # http://127.0.0.1:<free port>
    sb.state.coupon(tag="party-of-4")      # a seeded coupon; sb.state.mint_order(...) for more
    sb.state.faults.add(Fault(endpoint="verify", kind="apply_then_drop"))
    await sb.stop()

Module map: data (world and id minting), models (records), tokens (client_token rules), state
(the store), rules (endpoint business rules), views (wire shapes), wire (envelope, codes),
faults (knobs), acting (faults on the wire), app / admin (aiohttp routes), runner, cli.

The coupon world imports without aiohttp (its import, CA certificates included, was a fifth of
the desktop's start in training mode); the server's modules load when first asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gateway_core.sandbox.data import (
    SANDBOX_ACCOUNT_ID,
    SANDBOX_CLIENT_KEY,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_POIS,
)
from gateway_core.sandbox.faults import Fault
from gateway_core.sandbox.runner import SandboxServer
from gateway_core.sandbox.state import SandboxState

if TYPE_CHECKING:
    from gateway_core.sandbox.app import create_sandbox_app


def __getattr__(name: str) -> Any:
    if name == "create_sandbox_app":
        from gateway_core.sandbox.app import create_sandbox_app

        return create_sandbox_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "SANDBOX_ACCOUNT_ID",
    "SANDBOX_CLIENT_KEY",
    "SANDBOX_CLIENT_SECRET",
    "SANDBOX_POIS",
    "Fault",
    "SandboxServer",
    "SandboxState",
    "create_sandbox_app",
]
