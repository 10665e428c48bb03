"""The one table that says what each Douyin error code means for us (upstream spec section 10).

Every non-zero code from the token endpoint or a goodlife envelope goes through `error_for`; no other
module decides on codes. Codes not listed are business refusals: the safe default, because a refusal
is never retried and is shown to the cashier with Douyin's own description.
"""

from __future__ import annotations

from enum import StrEnum
from types import MappingProxyType
from typing import Final

from gateway_core.douyin.errors import (
    DouyinAuthError,
    DouyinError,
    DouyinRateLimited,
    DouyinRefused,
    DouyinUnavailable,
)


class ErrorKind(StrEnum):
    REFUSED = "refused"
    AUTH = "auth"
    # The access-token was rejected: drop it, refresh once, replay once; a second time is AUTH.
    TOKEN_REJECTED = "token_rejected"
    RATE_LIMITED = "rate_limited"
    # Douyin says "busy / try later": a transient failure, retried on safe reads only.
    BUSY = "busy"


_K = ErrorKind

CODE_KINDS: Final = MappingProxyType(
    {
        # token rejected (goodlife, HTTP 200): 无效 / 过期 / new-style 过期
        2190002: _K.TOKEN_REJECTED,
        2190008: _K.TOKEN_REJECTED,
        28001008: _K.TOKEN_REJECTED,
        # credentials and authorisation: a person has to fix configuration
        10002: _K.AUTH,  # client_token: 参数错误 (missing key/secret)
        10003: _K.AUTH,  # client_token: client_key 不存在
        10013: _K.AUTH,  # client_token: client_key 或 client_secret 错误
        2190004: _K.AUTH,  # 应用未获得该能力
        28001018: _K.AUTH,  # 应用未获得该能力 (new style)
        2119005: _K.AUTH,  # 应用未获商家授权
        1508: _K.AUTH,  # 商户未授权给应用
        2100007: _K.AUTH,  # 无权限操作 (IP whitelist)
        2119008: _K.AUTH,  # 因平台管控,访问被拒绝
        # slow down
        10020: _K.RATE_LIMITED,  # client_token: >500 calls / 5 min
        2119003: _K.RATE_LIMITED,  # 请求太过频繁
        28003018: _K.RATE_LIMITED,  # 请求频率过高
        2190001: _K.RATE_LIMITED,  # quota 已用完
        28003017: _K.RATE_LIMITED,  # quota 用完
        # transient on Douyin's side
        2100001: _K.BUSY,  # 未知错误 (doc: retry <= 3)
        2100004: _K.BUSY,  # 系统繁忙
        2119002: _K.BUSY,  # 系统繁忙
        28001005: _K.BUSY,  # 系统繁忙
        28001006: _K.BUSY,  # 网络错误
        5000001: _K.BUSY,  # business error, treated as transient by every client seen
        6001001: _K.BUSY,  # 服务器打瞌睡了
    }
)

TOKEN_REJECTED_CODES: Final = frozenset(c for c, k in CODE_KINDS.items() if k is _K.TOKEN_REJECTED)

_ERROR_TYPES: Final[dict[ErrorKind, type[DouyinError]]] = {
    _K.REFUSED: DouyinRefused,
    _K.AUTH: DouyinAuthError,
    _K.TOKEN_REJECTED: DouyinAuthError,
    _K.RATE_LIMITED: DouyinRateLimited,
    _K.BUSY: DouyinUnavailable,  # request_sent=True: Douyin got it and said "busy", so a write's outcome is unknown
}


def kind_of(code: int) -> ErrorKind:
    return CODE_KINDS.get(code, ErrorKind.REFUSED)


def error_for(
    code: int,
    *,
    sub_code: int | None = None,
    description: str = "",
    sub_description: str = "",
    logid: str = "",
    http_status: int | None = None,
) -> DouyinError:
    """The exception for a non-zero Douyin code (`code` 0 with a non-zero `sub_code` uses the sub-code)."""
    deciding = code or sub_code or 0
    error_type = _ERROR_TYPES[kind_of(deciding)]
    message = description or sub_description or f"Douyin error {deciding}"
    return error_type(
        message,
        code=code,
        sub_code=sub_code,
        description=description,
        sub_description=sub_description,
        logid=logid,
        http_status=http_status,
    )
