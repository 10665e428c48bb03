"""Reading request bodies: JSON only, 64 KiB at most, a clear error for anything else."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from gateway_core.server.auth import BODY_KEY
from gateway_core.service.errors import ServiceError, invalid_request

MAX_BODY_BYTES = 64 * 1024


async def raw_body(request: web.Request) -> bytes:
    if BODY_KEY in request:
        return request[BODY_KEY]
    body = await request.read()
    request[BODY_KEY] = body
    return body


async def json_body(request: web.Request, *, allow_empty: bool = False) -> Any:
    body = await raw_body(request)
    if not body.strip():
        if allow_empty:
            return {}
        raise invalid_request({"body": "a JSON object is required"})
    # aiohttp reports a missing Content-Type as application/octet-stream, so one check covers both.
    if request.content_type != "application/json":
        raise ServiceError(
            415, "unsupported_media_type", "send the body with Content-Type: application/json", "请求格式错误"
        )
    try:
        parsed = json.loads(body.decode("utf-8"))
        if b"\\ud" in body.lower():
            # JSON may escape lone surrogates (\ud800) that no UTF-8 text can hold: refuse them
            # here rather than fail later when a value is logged, hashed or stored.
            json.dumps(parsed, ensure_ascii=False).encode("utf-8")
    except (UnicodeDecodeError, UnicodeEncodeError, json.JSONDecodeError, RecursionError) as exc:
        raise invalid_request({"body": f"malformed JSON: {exc}"}, "malformed JSON") from exc
    return parsed


def path_id(request: web.Request, name: str = "id") -> int:
    raw = request.match_info[name]
    # ASCII digits only: "²" passes str.isdigit() but int() refuses it.
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 18:
        raise ServiceError(404, "not_found", "no such resource", "找不到该记录")
    return int(raw)
