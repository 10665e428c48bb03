"""Douyin reads that the gateway passes through to its apps: the access token and the shop list."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from gateway_core.clock import iso, utc_now
from gateway_core.douyin import DouyinClient
from gateway_core.douyin import errors as dy
from gateway_core.service.douyin_errors import service_error, upstream_of
from gateway_core.service.errors import ServiceError, invalid_request
from gateway_core.service.models import AppIdentity
from gateway_core.service.reports import _positive_int

MAX_SHOP_PAGE_SIZE = 50
MAX_SHOP_PAGE = 10_000
TOKEN_READ, TOKEN_READ_ZH = "the access token request", "获取访问令牌"


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
            raise douyin_read_error(exc, TOKEN_READ, TOKEN_READ_ZH) from exc
        left = max(0, int((token.expires_at - self._clock()).total_seconds()))
        return {"access_token": token.access_token, "expires_at": iso(token.expires_at), "expires_in": left}

    async def query_shops(self, query: Mapping[str, str]) -> dict[str, Any]:
        errors: dict[str, str] = {}
        page = _positive_int(query, "page", 1, errors, MAX_SHOP_PAGE)
        size = _positive_int(query, "size", 20, errors, MAX_SHOP_PAGE_SIZE)
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
            raise douyin_read_error(exc) from exc


def douyin_read_error(exc: Exception, what: str = "the shop query", what_zh: str = "门店查询") -> ServiceError:
    """A failed Douyin read that is not about a coupon (shop query, access token). When Douyin
    refuses it (HTTP 200, non-zero error_code), that is 502 `upstream_error` naming `what`, with
    Douyin's answer in `upstream` (contract section 3: 422 is only for a refused coupon); any other
    failure is mapped as for every Douyin call."""
    if isinstance(exc, dy.DouyinRefused):
        detail = exc.description or f"error {exc.code}"
        return ServiceError(
            502,
            "upstream_error",
            f"Douyin refused {what}: {detail}",
            f"抖音拒绝了{what_zh}:{detail}",
            upstream=upstream_of(exc),
        )
    return service_error(exc)
