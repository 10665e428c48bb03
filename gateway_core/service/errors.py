"""The one error type the service raises; both doors (HTTP and Qt) render it.

`code` and `status` follow contract section 3. `reason` is the plain-language sentence a cashier can
act on, in Chinese (`reason_zh`) and English (`message`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ServiceError(Exception):
    status: int
    code: str
    message: str
    reason_zh: str = ""
    fields: dict[str, str] | None = None
    upstream: dict[str, Any] | None = None
    # rows touched by the failed call (contract: 422/502/504 on verify carry data/items)
    items: list[dict[str, Any]] = field(default_factory=list)
    headers: dict[str, str] | None = None

    def __str__(self) -> str:
        return f"{self.status} {self.code}: {self.message}"


def invalid_request(fields: dict[str, str], message: str = "invalid request") -> ServiceError:
    return ServiceError(400, "invalid_request", message, "请求参数有误", fields=fields)


def not_found(what: str = "resource") -> ServiceError:
    return ServiceError(404, "not_found", f"{what} not found", "找不到该记录")


def conflict(message: str, reason_zh: str = "操作冲突", items: list[dict[str, Any]] | None = None) -> ServiceError:
    return ServiceError(409, "conflict", message, reason_zh, items=items or [])
