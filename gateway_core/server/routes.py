"""Route handlers: parse, call the service, render. No business rule lives here."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from gateway_core.server.auth import APP_KEY
from gateway_core.server.bodies import json_body, path_id
from gateway_core.server.errors import TRACE_KEY, json_error
from gateway_core.service.apps import AppsService
from gateway_core.service.errors import invalid_request
from gateway_core.service.gateway import GatewayService
from gateway_core.service.models import AppIdentity
from gateway_core.service.render import verification_body
from gateway_core.service.reports import ReportsService
from gateway_core.service.requests import PrepareRequest, VerifyRequest
from gateway_core.service.verification import VerificationService


@dataclass(frozen=True)
class Deps:
    verification: VerificationService
    gateway: GatewayService
    reports: ReportsService
    apps: AppsService
    health: Callable[[], Awaitable[dict[str, Any]]]
    ingest: Callable[[Any], Awaitable[dict[str, Any]]]


def _app(request: web.Request) -> AppIdentity:
    return request[APP_KEY]


def _export(query: Any) -> str | None:
    export = query.get("export")
    if export not in (None, "", "csv"):
        raise invalid_request({"export": "only csv is supported"})
    return export


def build_routes(deps: Deps) -> list[web.RouteDef]:
    async def health(request: web.Request) -> web.Response:
        return web.json_response(await deps.health())

    async def prepare(request: web.Request) -> web.Response:
        req = PrepareRequest.from_json(await json_body(request))
        return web.json_response(await deps.verification.prepare_raw(req))

    async def verify(request: web.Request) -> web.Response:
        body = await json_body(request)
        req = VerifyRequest.from_json(body)
        outcome = await deps.verification.verify_coupon(
            req, app=_app(request), raw_body=body, trace_id=request[TRACE_KEY]
        )
        if outcome.replayed:
            return web.json_response(outcome.extra["body"], status=outcome.status)
        if outcome.error is not None:
            return json_error(request, outcome.error)
        return web.json_response(verification_body(outcome.items), status=200)

    async def cancel(request: web.Request) -> web.Response:
        verification_id = path_id(request)
        body = await json_body(request, allow_empty=True)
        if not isinstance(body, dict):
            raise invalid_request({"body": "must be a JSON object"})
        reason = body.get("reason")
        if reason is not None and (not isinstance(reason, str) or len(reason) > 500):
            raise invalid_request({"reason": "a string of at most 500 characters"})
        view = await deps.verification.cancel_verification(verification_id, app=_app(request), reason=reason)
        return web.json_response({"data": view})

    async def access_token(request: web.Request) -> web.Response:
        return web.json_response({"data": await deps.gateway.read_access_token(_app(request))})

    async def shops(request: web.Request) -> web.Response:
        return web.json_response(await deps.gateway.query_shops(request.query))

    async def list_verifications(request: web.Request) -> web.StreamResponse:
        query = request.query
        export = _export(query)
        flt = deps.reports.filter_from_query(query)
        if export == "csv":
            return await _stream_csv(request, deps.reports.csv_chunks(flt), "verifications.csv")
        page, page_size = deps.reports.paging_from_query(query)
        views, total = await deps.reports.list_verifications(flt, page, page_size)
        return web.json_response({"data": views, "page": page, "page_size": page_size, "total": total})

    async def summary(request: web.Request) -> web.StreamResponse:
        query = request.query
        export = _export(query)
        flt = deps.reports.filter_from_query(query, with_rows=False)
        group_by = deps.reports.group_by_from_query(query)
        rows, totals = await deps.reports.summary(flt, group_by)
        if export == "csv":
            data = deps.reports.summary_csv(rows, totals, group_by)
            return web.Response(
                body=data,
                content_type="text/csv",
                charset="utf-8",
                headers={"Content-Disposition": 'attachment; filename="verification-summary.csv"'},
            )
        return web.json_response({"data": rows, "totals": totals})

    async def create_app(request: web.Request) -> web.Response:
        return web.json_response({"data": await deps.apps.create_app(await json_body(request))}, status=201)

    async def list_apps(request: web.Request) -> web.Response:
        return web.json_response({"data": await deps.apps.list_apps()})

    async def token_access(request: web.Request) -> web.Response:
        app_id = path_id(request)
        await deps.apps.set_token_access(app_id, await json_body(request))
        return web.json_response({"message": "token access updated"})

    async def update_app(request: web.Request) -> web.Response:
        app_id = path_id(request)
        return web.json_response({"data": await deps.apps.update_app(app_id, await json_body(request))})

    async def rotate_secret(request: web.Request) -> web.Response:
        app_id = path_id(request)
        return web.json_response({"data": await deps.apps.rotate_secret(app_id)})

    async def ingest(request: web.Request) -> web.Response:
        return web.json_response({"data": await deps.ingest(await json_body(request))})

    async def openapi(request: web.Request) -> web.Response:
        from gateway_core.server.openapi import openapi_document

        return web.json_response(openapi_document())

    return [
        web.get("/health", health),
        web.get("/openapi.json", openapi),
        web.post("/v1/open/coupons/prepare", prepare),
        web.post("/v1/open/coupons/verify", verify),
        web.post("/v1/open/coupons/{id}/cancel", cancel),
        web.get("/v1/open/douyin/access-token", access_token),
        web.get("/v1/open/shops", shops),
        web.get("/v1/internal/reports/verifications", list_verifications),
        web.get("/v1/internal/reports/verifications/summary", summary),
        web.post("/v1/internal/apps", create_app),
        web.get("/v1/internal/apps", list_apps),
        web.patch("/v1/internal/apps/{id}/token-access", token_access),
        web.patch("/v1/internal/apps/{id}", update_app),
        web.post("/v1/internal/apps/{id}/rotate-secret", rotate_secret),
        web.post("/v1/internal/sync/verifications", ingest),
    ]


async def _stream_csv(request: web.Request, chunks: Any, filename: str) -> web.StreamResponse:
    response = web.StreamResponse(
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{filename}"',
        }
    )
    await response.prepare(request)
    async for data in chunks:
        await response.write(data)
    await response.write_eof()
    return response
