"""Builds the aiohttp application: middlewares in order, routes, body limit."""

from __future__ import annotations

from aiohttp import web

from gateway_core.ledger import Ledger
from gateway_core.operator_keys import OperatorKeys
from gateway_core.server.auth import make_auth_middleware
from gateway_core.server.bodies import MAX_BODY_BYTES
from gateway_core.server.errors import error_middleware
from gateway_core.server.routes import Deps, build_routes


def create_http_app(deps: Deps, ledger: Ledger, operator_keys: OperatorKeys) -> web.Application:
    app = web.Application(
        client_max_size=MAX_BODY_BYTES,
        middlewares=[error_middleware, make_auth_middleware(ledger, operator_keys)],
    )
    app.add_routes(build_routes(deps))
    return app
