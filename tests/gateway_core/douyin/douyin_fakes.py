"""Builders shared by the Douyin client tests: URLs, envelopes, a settable clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

BASE = "https://open.douyin.test"
TOKEN_URL = f"{BASE}/oauth/client_token/"
PREPARE_URL = f"{BASE}/goodlife/v1/fulfilment/certificate/prepare/"
VERIFY_URL = f"{BASE}/goodlife/v1/fulfilment/certificate/verify/"
CANCEL_URL = f"{BASE}/goodlife/v1/fulfilment/certificate/cancel/"
GET_URL = f"{BASE}/goodlife/v1/fulfilment/certificate/get/"
QUERY_URL = f"{BASE}/goodlife/v1/fulfilment/certificate/query/"
ORDER_URL = f"{BASE}/goodlife/v1/trade/order/query/"
SHOPS_URL = f"{BASE}/goodlife/v1/shop/poi/query/"

CLIENT_KEY = "awtestkey"
CLIENT_SECRET = "s3cr3t-value"
ACCOUNT_ID = "7113893944009705516"
POI_ID = "7000000000000000001"
# base64 with all three troublesome characters
ENC = "CgwIARDhJxjLLyABKAESLgos+b/9Zz==/AA=="


def ok(data: dict[str, Any] | None = None, logid: str = "LOGID-OK") -> dict[str, Any]:
    """A successful goodlife envelope around `data`."""
    body = {"error_code": 0, "description": "success"}
    body.update(data or {})
    return {
        "data": body,
        "extra": {
            "error_code": 0,
            "description": "success",
            "sub_error_code": 0,
            "sub_description": "",
            "logid": logid,
            "now": 1742975316,
        },
    }


def fail(code: int, description: str = "failed", sub_code: int = 0, logid: str = "LOGID-ERR") -> dict[str, Any]:
    """A goodlife error envelope: Douyin repeats the code in `data` and `extra`, with HTTP 200."""
    return {
        "data": {"error_code": code, "description": description},
        "extra": {
            "error_code": code,
            "description": description,
            "sub_error_code": sub_code,
            "sub_description": description if sub_code else "",
            "logid": logid,
            "now": 1742975316,
        },
    }


def token_body(token: str = "clt.first", expires_in: int | str = 7200) -> dict[str, Any]:
    return {
        "data": {"access_token": token, "description": "", "error_code": 0, "expires_in": expires_in},
        "message": "success",
    }


class FakeClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 16, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw)
