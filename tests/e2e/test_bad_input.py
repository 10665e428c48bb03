"""Bad input gets a clear error, the contract's envelope, and changes nothing."""

from __future__ import annotations

import httpx
import pytest

from gateway_core import signing


async def _raw(gateway, path: str, body: bytes, content_type: str = "application/json") -> httpx.Response:
    headers = signing.signed_headers(gateway.client.client_key, gateway.secret, "POST", path, body)
    async with httpx.AsyncClient() as http:
        return await http.post(gateway.url + path, content=body, headers={**headers, "Content-Type": content_type})


async def test_malformed_json(gateway):
    r = await _raw(gateway, "/v1/open/coupons/verify", b'{"poi_id": "1", "code": ')
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "invalid_request"
    assert "body" in r.json()["error"]["fields"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"code": "123456789012"}, "poi_id"),
        ({"poi_id": 7, "code": "123456789012"}, "poi_id"),
        ({"poi_id": "1", "code": 123456789012}, "code"),
        ({"poi_id": "1"}, "short_link"),
        ({"poi_id": "1", "code": "1234", "short_link": "https://v.douyin.com/x/"}, "code"),
        ({"poi_id": "1", "code": "1234", "count": "2"}, "count"),
        ({"poi_id": "1", "code": "1234", "count": 0}, "count"),
        ({"poi_id": "1", "code": "1234", "count": True}, "count"),
        ({"poi_id": "1", "encrypted_code": "abc"}, "verify_token"),
        ({"poi_id": "1", "encrypted_code": "abc", "verify_token": "t", "count": 2}, "count"),
        ({"poi_id": "1", "code": "1234", "request_id": "x" * 65}, "request_id"),
        ({"poi_id": "1", "code": "1234", "request_id": ""}, "request_id"),
        ({"poi_id": "1", "code": "券码123456"}, "code"),
        ({"poi_id": "1", "code": "1" * 65}, "code"),
        ({"poi_id": "1", "code": "\U0001f600" * 2000}, "code"),
    ],
)
async def test_wrong_fields_name_the_field(gateway, body, field):
    r = await gateway.client.post("/v1/open/coupons/verify", body)
    assert r.status_code == 400, r.text
    assert field in r.json()["error"]["fields"]
    assert gateway.counters().get("prepare", 0) == 0


@pytest.mark.parametrize("code", ["券码123456", "9" * 65, "\U0001f600" * 2000])
async def test_a_code_that_cannot_be_a_coupon_is_refused_before_douyin(gateway, code):
    """Not "Douyin unreachable" (a 4,000-character emoji code does not fit in Douyin's URL)."""
    r = await gateway.client.post("/v1/open/coupons/prepare", {"poi_id": gateway.poi_id, "code": code})
    assert r.status_code == 400, r.text
    assert r.json()["error"]["code"] == "invalid_request" and "code" in r.json()["error"]["fields"]
    assert gateway.counters().get("prepare", 0) == 0


async def test_json_that_is_not_an_object(gateway):
    r = await gateway.client.post("/v1/open/coupons/verify", [1, 2, 3])
    assert r.status_code == 400


async def test_huge_body_is_413(gateway):
    body = b'{"poi_id": "' + b"x" * (70 * 1024) + b'", "code": "1"}'
    r = await _raw(gateway, "/v1/open/coupons/verify", body)
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "payload_too_large"


async def test_form_body_is_415(gateway):
    r = await _raw(gateway, "/v1/open/coupons/verify", b"poi_id=1&code=2", "application/x-www-form-urlencoded")
    assert r.status_code == 415
    assert r.json()["error"]["code"] == "unsupported_media_type"


async def test_unknown_route_and_method(gateway):
    async with httpx.AsyncClient() as http:
        r = await http.get(gateway.url + "/v1/nothing-here")
        assert r.status_code == 404
        assert r.json()["error"]["code"] == "not_found"
        r = await http.delete(gateway.url + "/health")
        assert r.status_code == 405


async def test_health(gateway):
    async with httpx.AsyncClient() as http:
        r = await http.get(gateway.url + "/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["douyin_token"] in ("valid", "missing")
    assert isinstance(body["checks"]["sync_backlog"], int)


async def test_access_token_needs_permission(gateway):
    r = await gateway.client.get("/v1/open/douyin/access-token")
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "token_read_forbidden"
    r = await gateway.internal.internal(
        "PATCH", f"/v1/internal/apps/{gateway.app['id']}/token-access", {"allow_token_read": True}
    )
    assert r.status_code == 200
    assert "message" in r.json()
    r = await gateway.client.get("/v1/open/douyin/access-token")
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert data["access_token"].startswith("clt.")
    assert 0 < data["expires_in"] <= 7200
    r = await gateway.internal.internal("PATCH", "/v1/internal/apps/424242/token-access", {"allow_token_read": True})
    assert r.status_code == 404


async def test_shops_passthrough_and_paging_limits(gateway):
    r = await gateway.client.get("/v1/open/shops", {"page": "1", "size": "2"})
    assert r.status_code == 200, r.text
    raw = r.json()
    assert raw["extra"]["error_code"] == 0
    assert len(raw["data"]["pois"]) == 2
    r = await gateway.client.get("/v1/open/shops", {"size": "51"})
    assert r.status_code == 400
    assert "size" in r.json()["error"]["fields"]


async def test_douyin_down_on_prepare_is_502_and_slow_is_504(gateway):
    from gateway_core.sandbox import Fault

    gateway.sandbox.state.faults.add(Fault(endpoint="prepare", kind="http_500", times=None))
    r = await gateway.client.post("/v1/open/coupons/prepare", {"poi_id": gateway.poi_id, "code": "123456789012"})
    assert r.status_code == 502
    assert r.json()["error"]["code"] == "upstream_unavailable"
    gateway.sandbox.state.faults.clear()
    gateway.set_douyin_timeout(0.3)
    gateway.sandbox.state.faults.add(Fault(endpoint="prepare", kind="latency", latency_ms=2000, times=None))
    r = await gateway.client.post("/v1/open/coupons/prepare", {"poi_id": gateway.poi_id, "code": "123456789012"})
    assert r.status_code == 504
    assert r.json()["error"]["code"] == "upstream_timeout"
