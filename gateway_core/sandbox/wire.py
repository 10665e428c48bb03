"""Douyin's wire shapes: the goodlife envelope, the token answer, error codes and log ids.

HTTP status is 200 for every business answer, errors included (douyin-upstream.md §1); the same
code sits in `data.error_code` and `extra.error_code`.
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aiohttp import web

OK = 0
# Platform-level codes (douyin-upstream.md §10a).
UNKNOWN_ERROR = 2100001
BUSY = 2100004
INVALID_PARAM = 2100005
TOKEN_INVALID = 2190002
TOKEN_EXPIRED = 2190008
RATE_LIMITED = 2119003
NOT_AUTHORIZED = 2119005
BUSINESS = 3000001
CONTACT_DOUYIN = 5000001
# Business codes (§10b).
CODES_EMPTY = 1502
NO_SUCH_COUPON = 1212
COUPON_INVALID = 1250
ALREADY_CANCELLED = 1265
NO_SUCH_RECORD = 1033000519
WRONG_POI = 3000002
NO_SUCH_ORDER = 3100101
ALREADY_VERIFIED = 1208  # verify item result on a replay: the earlier attempt succeeded
CANCEL_WINDOW_SUB = 2034000910

DESCRIPTIONS: dict[int, str] = {
    OK: "success",
    UNKNOWN_ERROR: "未知错误",
    BUSY: "系统繁忙,请稍后重试",
    INVALID_PARAM: "参数不合法",
    TOKEN_INVALID: "access_token无效",
    TOKEN_EXPIRED: "access_token过期,请刷新或重新授权",
    RATE_LIMITED: "请求太过频繁,请稍后再试",
    NOT_AUTHORIZED: "应用未获商家授权",
    CONTACT_DOUYIN: "服务器错误,请稍后重试",
    CODES_EMPTY: "券码/加密券码不能同时为空",
    NO_SUCH_COUPON: "查不到券信息,请确认是否为可用的券",
    COUPON_INVALID: "券码已失效",
    ALREADY_CANCELLED: "存在已撤销券",
    NO_SUCH_RECORD: "没有对应凭证单信息",
    WRONG_POI: "所选门店不在商品适用门店内",
    NO_SUCH_ORDER: "订单不存在",
}


class BusinessError(Exception):
    """A refusal answered as HTTP 200 with a non-zero error_code."""

    def __init__(self, code: int, description: str | None = None, *, sub_code: int = 0,
                 sub_description: str = "", data: dict[str, Any] | None = None) -> None:
        self.code = code
        self.description = description or DESCRIPTIONS.get(code, "业务错误")
        self.sub_code = sub_code
        self.sub_description = sub_description
        self.data = data or {}
        super().__init__(f"{code} {self.description}")


def invalid(sub_description: str) -> BusinessError:
    return BusinessError(INVALID_PARAM, sub_description=sub_description)


class LogIds:
    """32-character log ids: Beijing wall time to the second, then 18 hex digits of a counter."""

    def __init__(self) -> None:
        self._n = 0
        self._second = -1
        self._prefix = ""

    def next(self, now: float) -> str:
        self._n += 1
        second = int(now)
        if second != self._second:  # strftime costs more than the rest of an answer
            self._second = second
            self._prefix = time.strftime("%Y%m%d%H%M%S", time.gmtime(second + 8 * 3600))
        return f"{self._prefix}{(self._n * 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFFFF:018X}"


def envelope(payload: dict[str, Any], now: float, logid: str, error: BusinessError | None = None) -> dict:
    code = error.code if error else OK
    description = error.description if error else "success"
    data = {**payload, "error_code": code, "description": description}
    extra = {
        "error_code": code,
        "description": description,
        "sub_error_code": error.sub_code if error else 0,
        "sub_description": error.sub_description if error else "",
        "logid": logid,
        "now": int(now),
    }
    return {"data": data, "extra": extra}


def dumps(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def json_response(payload: Any, logid: str = "", status: int = 200) -> web.Response:
    from aiohttp import web  # here: the coupon world (state, rules) is used without a server

    headers = {"X-Tt-Logid": logid} if logid else None
    return web.Response(body=dumps(payload), status=status, headers=headers,
                        content_type="application/json", charset="utf-8")


def token_error(code: int, description: str, logid: str) -> web.Response:
    """The token endpoint's refusal: its own shape, not the goodlife envelope (HTTP 200 too)."""
    data = {"captcha": "", "desc_url": "", "description": description, "error_code": code, "log_id": logid}
    return json_response({"data": data, "message": "error"}, logid)


def parse_json_object(body: bytes) -> dict[str, Any]:
    """A POST body as Douyin's Go JSON reader takes it: an object (or null), else 2100005."""
    text = body.decode("utf-8", errors="replace")
    stripped = text.lstrip()
    if not stripped or stripped[0] not in "{n":
        # The exact wording a form body earns upstream (douyin-upstream.md §1, forum 657eb3a1).
        found = stripped[:1] or "EOF"
        raise invalid(f"ReadMapCB: expect {{ or n, but found {found}, error found in #1 byte of "
                      f"...|{stripped[:10]}|..., bigger context ...|{stripped[:60]}|...")
    try:
        value = json.loads(stripped)
    except ValueError as exc:
        raise invalid(f"ReadMapCB: {exc}") from None
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise invalid("ReadMapCB: expect { or n")
    return value
