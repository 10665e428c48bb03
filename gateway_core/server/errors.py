"""One error format everywhere (contract section 3), a trace id per request, never a traceback."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Awaitable, Callable

from aiohttp import web

from gateway_core.service.errors import ServiceError
from gateway_core.service.render import error_body

log = logging.getLogger("gateway_core.http")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
TRACE_KEY = web.RequestKey("trace_id", str)
TRACE_HEADER = "X-Trace-Id"

_HTTP_CODES = {
    400: ("invalid_request", "bad request"),
    401: ("missing_credentials", "authentication required"),
    403: ("forbidden", "forbidden"),
    404: ("not_found", "no such resource"),
    405: ("method_not_allowed", "method not allowed"),
    413: ("payload_too_large", "request body is larger than 64 KiB"),
    415: ("unsupported_media_type", "send the body as application/json"),
}


def json_error(request: web.Request, error: ServiceError) -> web.Response:
    trace_id = request.get(TRACE_KEY, "")
    response = web.json_response(error_body(error, trace_id), status=error.status)
    for name, value in (error.headers or {}).items():
        response.headers[name] = value
    return response


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    trace_id = uuid.uuid4().hex[:16]
    request[TRACE_KEY] = trace_id
    started = time.perf_counter()
    status = 500
    try:
        response = await handler(request)
        status = response.status
    except ServiceError as err:
        response = json_error(request, err)
        status = err.status
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        code, message = _HTTP_CODES.get(exc.status, ("http_error", exc.reason))
        response = json_error(request, ServiceError(exc.status, code, message))
        if exc.status == 405 and "Allow" in exc.headers:
            response.headers["Allow"] = exc.headers["Allow"]
        status = exc.status
    except Exception:
        log.exception("unhandled error trace_id=%s %s %s", trace_id, request.method, request.path)
        response = json_error(request, ServiceError(500, "internal_error", "internal error", "系统内部错误"))
        status = 500
    finally:
        log.info(
            "%s %s %s %.1fms trace_id=%s",
            request.method,
            request.path,
            status,
            (time.perf_counter() - started) * 1000,
            trace_id,
        )
    response.headers[TRACE_HEADER] = trace_id
    return response
