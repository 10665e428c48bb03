"""The signed-request rules of contract section 2, over real HTTP."""

from __future__ import annotations

import time

import httpx
import pytest

from gateway_core import signing
from gateway_core.api_client import GatewayClient


async def _shops(client: GatewayClient, **kwargs) -> httpx.Response:
    return await client.get("/v1/open/shops", {"page": "1", "size": "5"}, **kwargs)


async def test_good_signature_and_last_used_at(gateway):
    r = await _shops(gateway.client)
    assert r.status_code == 200, r.text
    apps = (await gateway.internal.internal("GET", "/v1/internal/apps")).json()["data"]
    mine = next(a for a in apps if a["id"] == gateway.app["id"])
    assert mine["last_used_at"] is not None


@pytest.mark.parametrize("header", signing.SIGNED_HEADERS)
async def test_each_missing_header_is_missing_credentials(gateway, header):
    url = gateway.url + "/v1/open/shops"
    headers = signing.signed_headers(gateway.client.client_key, gateway.secret, "GET", "/v1/open/shops")
    del headers[header]
    async with httpx.AsyncClient() as http:
        r = await http.get(url, headers=headers)
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "missing_credentials"
    assert r.json()["error"]["trace_id"] == r.headers["X-Trace-Id"]


async def test_unknown_client(gateway):
    stranger = GatewayClient(gateway.url, "no-such-client-key", gateway.secret)
    async with stranger:
        r = await _shops(stranger)
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "unknown_client"


async def test_bad_signature_with_wrong_secret(gateway):
    forger = GatewayClient(gateway.url, gateway.client.client_key, "not-the-secret-at-all-000000")
    async with forger:
        r = await _shops(forger)
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "bad_signature"


@pytest.mark.parametrize("skew", [-301, 301, 10_000])
async def test_stale_or_future_timestamp(gateway, skew):
    r = await _shops(gateway.client, timestamp=int(time.time()) + skew)
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "timestamp_out_of_window"


async def test_timestamp_inside_window_is_accepted(gateway):
    r = await _shops(gateway.client, timestamp=int(time.time()) - 250)
    assert r.status_code == 200


async def test_reused_nonce(gateway):
    first = await _shops(gateway.client, nonce="nonce-abcdef-123")
    assert first.status_code == 200
    second = await _shops(gateway.client, nonce="nonce-abcdef-123")
    assert second.status_code == 401
    assert second.json()["error"]["code"] == "nonce_reused"


async def test_forged_request_does_not_burn_the_nonce(gateway):
    forger = GatewayClient(gateway.url, gateway.client.client_key, "wrong-secret-wrong-secret-00")
    async with forger:
        r = await _shops(forger, nonce="nonce-shared-999")
    assert r.json()["error"]["code"] == "bad_signature"
    r = await _shops(gateway.client, nonce="nonce-shared-999")
    assert r.status_code == 200


async def test_tampered_body(gateway):
    body = b'{"poi_id":"1","code":"123456789012"}'
    path = "/v1/open/coupons/prepare"
    headers = signing.signed_headers(gateway.client.client_key, gateway.secret, "POST", path, body)
    async with httpx.AsyncClient() as http:
        r = await http.post(
            gateway.url + path,
            content=body.replace(b"123", b"124"),
            headers={**headers, "Content-Type": "application/json"},
        )
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "bad_signature"


async def test_query_canonicalisation(gateway):
    """Parameters signed sorted and RFC 3986 encoded, whatever order and encoding the client sends."""
    poi = gateway.poi_id
    raw_query = f"size=5&poi_id={poi}&page=1&note=a%20b~c%2Fd"
    path = "/v1/open/shops"
    canonical = signing.canonical_query(signing.parse_query(raw_query))
    assert canonical == f"note=a%20b~c%2Fd&page=1&poi_id={poi}&size=5"
    ts, nonce = str(int(time.time())), signing.new_nonce()
    signature = signing.sign(gateway.secret, "GET", path, canonical, ts, nonce, b"")
    headers = {
        "X-Client-Key": gateway.client.client_key,
        "X-Timestamp": ts,
        "X-Nonce": nonce,
        "X-Signature": signature,
    }
    async with httpx.AsyncClient() as http:
        r = await http.get(gateway.url + path + "?" + raw_query, headers=headers)
    assert r.status_code == 200, r.text
    # The same signature does not cover a different query.
    async with httpx.AsyncClient() as http:
        headers["X-Nonce"] = signing.new_nonce()
        r = await http.get(gateway.url + path + "?" + raw_query.replace("size=5", "size=6"), headers=headers)
    assert r.status_code == 401


async def test_malformed_nonce(gateway):
    r = await _shops(gateway.client, nonce="short")
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "bad_signature"  # not a missing header: the nonce was sent


async def test_disabled_app_is_403_and_rotated_secret_stops_the_old_one(gateway):
    app_id = gateway.app["id"]
    r = await gateway.internal.internal("PATCH", f"/v1/internal/apps/{app_id}", {"status": "disabled"})
    assert r.status_code == 200, r.text
    r = await _shops(gateway.client)
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "app_disabled"
    await gateway.internal.internal("PATCH", f"/v1/internal/apps/{app_id}", {"status": "active"})
    r = await gateway.internal.internal("POST", f"/v1/internal/apps/{app_id}/rotate-secret")
    assert r.status_code == 200
    new_secret = r.json()["data"]["secret"]
    assert new_secret != gateway.secret
    r = await _shops(gateway.client)
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "bad_signature"
    async with GatewayClient(gateway.url, gateway.client.client_key, new_secret) as fresh:
        assert (await _shops(fresh)).status_code == 200


async def test_internal_api_needs_the_operator_key(gateway):
    async with httpx.AsyncClient() as http:
        r = await http.get(gateway.url + "/v1/internal/apps")
        assert r.status_code == 401
        assert r.json()["error"]["code"] == "missing_credentials"
        r = await http.get(gateway.url + "/v1/internal/apps", headers={"X-XTJ-UID": "nope"})
        assert r.status_code == 401
        assert r.json()["error"]["code"] == "unknown_operator"
