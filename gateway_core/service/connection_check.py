"""'Test connection' for the settings screen: do these Douyin credentials work, which stores exist?

A throw-away client with its own in-memory token, so a wrong key typed into settings never
replaces the running client's token or touches the ledger.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from gateway_core.douyin import DouyinClient
from gateway_core.douyin import errors as dy
from gateway_core.service.errors import invalid_request
from gateway_core.service.gateway import TOKEN_READ, TOKEN_READ_ZH, douyin_read_error


@dataclass(frozen=True)
class ConnectionCheck:
    token_expires_at: datetime
    pois: list[dict[str, Any]]  # {"poi_id", "poi_name", "address"} of the account's stores
    total: int


async def check_douyin_credentials(
    base_url: str,
    client_key: str,
    client_secret: str,
    account_id: str,
    *,
    request_timeout: float = 10.0,
    page_size: int = 50,
) -> ConnectionCheck:
    """Fetch a token, then the account's first page of stores; raises ServiceError."""
    missing = {
        n: "required"
        for n, v in (("client_key", client_key), ("client_secret", client_secret), ("account_id", account_id))
        if not v
    }
    if missing:
        raise invalid_request(missing, "Douyin credentials are incomplete")
    client = DouyinClient(base_url, client_key, client_secret, account_id=account_id, timeout=request_timeout)
    try:
        try:
            token = await client.get_token()
        except dy.DouyinError as exc:
            raise douyin_read_error(exc, TOKEN_READ, TOKEN_READ_ZH) from exc
        try:
            raw = await client.query_shops(page=1, size=page_size)
        except dy.DouyinError as exc:
            raise douyin_read_error(exc) from exc
    finally:
        await client.aclose()
    data = raw.get("data") or {}
    pois = []
    for entry in data.get("pois") or []:
        poi = entry.get("poi") or {}
        if poi.get("poi_id"):
            pois.append(
                {
                    "poi_id": str(poi["poi_id"]),
                    "poi_name": poi.get("poi_name") or "",
                    "address": poi.get("address") or "",
                }
            )
    return ConnectionCheck(token.expires_at, pois, int(data.get("total") or len(pois)))
