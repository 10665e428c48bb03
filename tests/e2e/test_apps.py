"""Verifier-app administration over the internal API."""

from __future__ import annotations


async def test_create_list_and_conflicts(gateway):
    r = await gateway.internal.internal(
        "POST",
        "/v1/internal/apps",
        {"name": "自助机", "code": "kiosk-1", "description": "大厅自助机", "allow_token_read": True},
    )
    assert r.status_code == 201, r.text
    data = r.json()["data"]
    assert len(data["secret"]) >= 43  # 32 random bytes, URL-safe
    app = data["app"]
    assert app["code"] == "kiosk-1"
    assert app["allow_token_read"] is True
    assert app["status"] == "active"
    assert app["last_used_at"] is None
    assert "secret" not in app
    r = await gateway.internal.internal("POST", "/v1/internal/apps", {"name": "again", "code": "kiosk-1"})
    assert r.status_code == 409
    r = await gateway.internal.internal(
        "POST", "/v1/internal/apps", {"name": "x", "code": "kiosk-2", "client_key": app["client_key"]}
    )
    assert r.status_code == 409
    listed = (await gateway.internal.internal("GET", "/v1/internal/apps")).json()["data"]
    codes = {a["code"] for a in listed}
    assert {"counter", "erp", "kiosk-1"} <= codes
    assert all("secret" not in a for a in listed)


async def test_given_client_key_and_secret_are_used(gateway):
    body = {"name": "ERP2", "code": "erp2", "client_key": "erp2-client-key", "secret": "s" * 40}
    r = await gateway.internal.internal("POST", "/v1/internal/apps", body)
    assert r.status_code == 201
    assert r.json()["data"]["secret"] == "s" * 40
    from gateway_core.api_client import GatewayClient

    async with GatewayClient(gateway.url, "erp2-client-key", "s" * 40) as client:
        r = await client.get("/v1/open/shops")
        assert r.status_code == 200, r.text


async def test_bad_fields(gateway):
    for body, field in [
        ({"name": "x", "code": "Bad Code"}, "code"),
        ({"name": "x", "code": "a"}, "code"),
        ({"code": "abc"}, "name"),
        ({"name": "x", "code": "abc", "status": "paused"}, "status"),
        ({"name": "x", "code": "abc", "allow_token_read": "yes"}, "allow_token_read"),
        ({"name": "x", "code": "abc", "secret": "short"}, "secret"),
    ]:
        r = await gateway.internal.internal("POST", "/v1/internal/apps", body)
        assert r.status_code == 400, (body, r.text)
        assert field in r.json()["error"]["fields"]


async def test_secret_is_not_stored_in_clear(gateway):
    r = await gateway.internal.internal("POST", "/v1/internal/apps", {"name": "x", "code": "secretive"})
    secret = r.json()["data"]["secret"]
    files = list(gateway.data_dir.glob("ledger.sqlite3*"))
    assert files
    blob = b"".join(p.read_bytes() for p in files)
    assert secret.encode() not in blob


async def test_update_unknown_app_is_404(gateway):
    r = await gateway.internal.internal("PATCH", "/v1/internal/apps/9999", {"name": "x"})
    assert r.status_code == 404
    r = await gateway.internal.internal("POST", "/v1/internal/apps/9999/rotate-secret")
    assert r.status_code == 404
