"""Douyin's success rules (upstream spec section 1 and 1a): an answer is either usable or an exception.

goodlife: HTTP 200, a JSON object with an `extra` object, and `extra.error_code == 0`,
`extra.sub_error_code == 0` (when present) and `data.error_code == 0`. Anything without `extra`
(an edge proxy's HTML or JSON, a 5xx page) is a transport failure, not a Douyin answer.
client_token: no `extra`; the verdict is `data.error_code` (often a string), text in `message`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import httpx

from gateway_core.douyin.codes import TOKEN_REJECTED_CODES, error_for
from gateway_core.douyin.errors import DouyinRateLimited, DouyinUnavailable
from gateway_core.douyin.lenient import as_code, as_dict, as_str


@dataclass(frozen=True)
class Envelope:
    raw: dict[str, Any] = field(repr=False)
    data: dict[str, Any] = field(repr=False)
    logid: str


def _json_object(response: httpx.Response) -> dict[str, Any] | None:
    try:
        body = json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        return None
    return body if isinstance(body, dict) else None


def _check_http_status(response: httpx.Response) -> None:
    status = response.status_code
    if status >= 500:
        raise DouyinUnavailable(f"Douyin answered HTTP {status}", request_sent=True, http_status=status)
    if status == 429:
        raise DouyinRateLimited(f"Douyin answered HTTP {status}", http_status=status)


def read_goodlife(response: httpx.Response) -> Envelope:
    """The envelope of a successful goodlife answer; raises the classified error otherwise."""
    _check_http_status(response)
    status = response.status_code
    body = _json_object(response)
    if body is None:
        raise DouyinUnavailable(
            f"Douyin answered HTTP {status} without a JSON object", request_sent=True, http_status=status
        )
    extra = body.get("extra")
    if not isinstance(extra, dict):
        raise DouyinUnavailable(
            f"Douyin answered HTTP {status} without `extra`", request_sent=True, http_status=status
        )
    data = as_dict(body.get("data"))
    logid = as_str(extra.get("logid"))
    code = as_code(extra.get("error_code"))
    sub_code = as_code(extra.get("sub_error_code"))
    data_code = as_code(data.get("error_code"))
    if code is None or sub_code is None or data_code is None:
        raise DouyinUnavailable(
            "Douyin answered with unreadable error codes", request_sent=True, http_status=status, logid=logid
        )
    if code or sub_code or data_code:
        # the description belongs with the code: `extra` says "success" when only `data` failed
        first, second = (extra, data) if code or not data_code else (data, extra)
        raise error_for(
            code or data_code,
            sub_code=sub_code,
            description=as_str(first.get("description")) or as_str(second.get("description")),
            sub_description=as_str(extra.get("sub_description")),
            logid=logid,
            http_status=status,
        )
    if status != 200:
        raise DouyinUnavailable(
            f"Douyin answered HTTP {status}", request_sent=True, http_status=status, logid=logid
        )
    if not isinstance(body.get("data"), dict):
        raise DouyinUnavailable(
            "Douyin answered without `data`", request_sent=True, http_status=status, logid=logid
        )
    return Envelope(raw=body, data=data, logid=logid)


def read_token(response: httpx.Response) -> dict[str, Any]:
    """`data` of a successful client_token answer; raises the classified error otherwise."""
    _check_http_status(response)
    status = response.status_code
    body = _json_object(response)
    if body is None or not isinstance(body.get("data"), dict):
        raise DouyinUnavailable(
            f"token endpoint answered HTTP {status} without a JSON `data` object",
            request_sent=True,
            http_status=status,
        )
    data: dict[str, Any] = body["data"]
    extra = as_dict(body.get("extra"))
    logid = as_str(data.get("log_id")) or as_str(extra.get("logid"))
    code = as_code(data.get("error_code"))
    if code is None:
        raise DouyinUnavailable(
            "token endpoint answered with an unreadable error code", http_status=status, logid=logid
        )
    # A gateway in front of the token endpoint may answer in the goodlife shape instead.
    code = code or as_code(extra.get("error_code")) or 0
    if code:
        raise error_for(
            code,
            description=as_str(data.get("description")) or as_str(body.get("message")),
            logid=logid,
            http_status=status,
        )
    if status != 200:
        raise DouyinUnavailable(f"token endpoint answered HTTP {status}", http_status=status, logid=logid)
    return data


def rejected_token_code(response: httpx.Response) -> int | None:
    """The code if this answer says our access-token is invalid or expired, else None. Never raises."""
    body = _json_object(response)
    if body is None:
        return None
    for section in (as_dict(body.get("extra")), as_dict(body.get("data"))):
        code = as_code(section.get("error_code"))
        if code in TOKEN_REJECTED_CODES:
            return code
    return None
