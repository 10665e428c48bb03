"""Douyin reads that the gateway passes through to its apps: the access token and the shop list."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from gateway_core.clock import iso, utc_now
from gateway_core.douyin import DouyinClient
from gateway_core.douyin import errors as dy
from gateway_core.service.douyin_errors import service_error
from gateway_core.service.errors import ServiceError, invalid_request
from gateway_core.service.models import AppIdentity

MAX_SHOP_PAGE_SIZE = 50


class GatewayService:
    def __init__(
        self, douyin: DouyinClient, *, account_id: str | None, clock: Callable[[], datetime] = utc_now
    ) -> None:
        self._douyin = douyin
        self._account_id = account_id
        self._clock = clock

    async def read_access_token(self, app: AppIdentity) -> dict[str, Any]:
        if not app.allow_token_read:
            raise ServiceError(
                403, "token_read_forbidden", "this app may not read the Douyin access token", "该应用无权读取抖音令牌"
            )
        try:
            token = await self._douyin.get_token()
        except dy.DouyinError as exc:
            raise service_error(exc) from exc
        left = max(0, int((token.expires_at - self._clock()).total_seconds()))
        return {"access_token": token.access_token, "expires_at": iso(token.expires_at), "expires_in": left}

    async def query_shops(self, query: Mapping[str, str]) -> dict[str, Any]:
        errors: dict[str, str] = {}
        page = _int(query.get("page"), 1, errors, "page", 1, 10_000)
        size = _int(query.get("size"), 20, errors, "size", 1, MAX_SHOP_PAGE_SIZE)
        if errors:
            raise invalid_request(errors)
        if not self._account_id:
            raise ServiceError(
                502,
                "upstream_error",
                "no Douyin account id is configured (DYGW_DOUYIN_ACCOUNT_ID)",
                "未配置抖音商户账号",
            )
        try:
            return await self._douyin.query_shops(page=page, size=size, poi_id=query.get("poi_id") or None)
        except dy.DouyinError as exc:
            raise service_error(exc, refused_code="upstream_error") from exc


def _int(raw: str | None, default: int, errors: dict[str, str], name: str, low: int, high: int) -> int:
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        errors[name] = f"an integer from {low} to {high}"
        return default
    return int(raw)
