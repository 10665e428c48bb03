"""The contract's response bodies (section 3), built once for both fresh and replayed answers."""

from __future__ import annotations

from typing import Any

from gateway_core.service.errors import ServiceError


def error_body(error: ServiceError, trace_id: str) -> dict[str, Any]:
    inner: dict[str, Any] = {"code": error.code, "message": error.message, "trace_id": trace_id}
    if error.reason_zh:
        inner["reason_zh"] = error.reason_zh
    if error.fields:
        inner["fields"] = error.fields
    body: dict[str, Any] = {"error": inner}
    if error.upstream:
        body["upstream"] = error.upstream
    if error.items:
        body["data"] = error.items[0]
        body["items"] = error.items
    return body


def verification_body(items: list[dict[str, Any]]) -> dict[str, Any]:
    return {"data": items[0] if items else None, "items": items}
