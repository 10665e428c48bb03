"""More bad input that must get the contract's 4xx, never 500 (review of the service and server)."""

from __future__ import annotations

import time

import httpx
import pytest

from gateway_core import signing
from gateway_core.sandbox import Fault

# "²" passes str.isdigit() but not int(); 5,000 digits pass isdigit() but int() refuses them.
NOT_INTS = ["\u00b2", "9" * 5000, "\uff11\uff17\uff10\uff10"]
NOT_INT_IDS = ["superscript", "5000-digits", "fullwidth"]


@pytest.mark.parametrize("timestamp", NOT_INTS, ids=NOT_INT_IDS)
async def test_a_timestamp_that_is_not_ascii_digits_is_out_of_window(gateway, timestamp):
    headers = signing.signed_headers(gateway.client.client_key, gateway.secret, "GET", "/v1/open/shops")
    raw = {k: v.encode() for k, v in headers.items()}
    raw[signing.HEADER_TIMESTAMP] = timestamp.encode()
    async with httpx.AsyncClient() as http:
        r = await http.get(gateway.url + "/v1/open/shops", headers=raw)
    assert r.status_code == 401, r.text
    assert r.json()["error"]["code"] == "timestamp_out_of_window"


async def test_a_timestamp_with_a_sign_is_out_of_window(gateway):
    r = await gateway.client.get("/v1/open/shops", timestamp=f"+{int(time.time())}")
    assert r.status_code == 401, r.text
    assert r.json()["error"]["code"] == "timestamp_out_of_window"


@pytest.mark.parametrize("raw_id", ["%C2%B2", "%EF%BC%91", "9" * 19])
async def test_a_path_id_that_is_not_ascii_digits_is_404(gateway, raw_id):
    path = f"/v1/open/coupons/{raw_id}/cancel"
    headers = signing.signed_headers(gateway.client.client_key, gateway.secret, "POST", path)
    async with httpx.AsyncClient() as http:
        r = await http.post(gateway.url + path, headers=headers)
        assert r.status_code == 404, r.text
        assert r.json()["error"]["code"] == "not_found"
        r = await http.patch(
            gateway.url + f"/v1/internal/apps/{raw_id}",
            content=b'{"name": "x"}',
            headers={"X-XTJ-UID": gateway.internal.operator_key, "Content-Type": "application/json"},
        )
        assert r.status_code == 404, r.text
        assert r.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("name", ["page", "size"])
@pytest.mark.parametrize(
    "value",
    ["\u00b2", "9" * 5000, "0", "-1", "abc", "1.5"],
    ids=["superscript", "5000-digits", "0", "-1", "abc", "1.5"],
)
async def test_shops_paging_that_is_not_a_positive_int_is_400(gateway, name, value):
    r = await gateway.client.get("/v1/open/shops", {name: value})
    assert r.status_code == 400, r.text
    assert r.json()["error"]["code"] == "invalid_request"
    assert name in r.json()["error"]["fields"]
    assert gateway.counters().get("shops", 0) == 0


async def test_shops_refused_by_douyin_is_502_upstream_error_with_douyin_answer(gateway):
    gateway.sandbox.state.faults.add(Fault(endpoint="shops", kind="busy", times=None, code=1212))
    r = await gateway.client.get("/v1/open/shops")
    assert r.status_code == 502, r.text
    body = r.json()
    assert body["error"]["code"] == "upstream_error"
    assert "shop" in body["error"]["message"].lower()
    assert "coupon" not in body["error"]["message"].lower()
    assert body["upstream"]["error_code"] == 1212


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"poi_id": "\U0001f600" * 4000, "code": "123456789012"}, "poi_id"),
        ({"poi_id": "门店1", "code": "123456789012"}, "poi_id"),
        ({"poi_id": "1 2", "code": "123456789012"}, "poi_id"),
        ({"poi_id": "1" * 65, "code": "123456789012"}, "poi_id"),
        ({"poi_id": "1", "short_link": "https://v.douyin.com/" + "x" * 4100}, "short_link"),
    ],
)
async def test_overlong_or_non_ascii_fields_are_400_before_douyin(gateway, body, field):
    for path in ("/v1/open/coupons/prepare", "/v1/open/coupons/verify"):
        r = await gateway.client.post(path, body)
        assert r.status_code == 400, r.text
        assert r.json()["error"]["code"] == "invalid_request"
        assert field in r.json()["error"]["fields"]
    assert gateway.counters().get("prepare", 0) == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"poi_id": "1" * 5000, "encrypted_code": "abc", "verify_token": "t"}, "poi_id"),
        ({"poi_id": "1", "encrypted_code": "a" * 4097, "verify_token": "t"}, "encrypted_code"),
        ({"poi_id": "1", "encrypted_code": "abc", "verify_token": "t" * 4097}, "verify_token"),
    ],
)
async def test_encrypted_code_mode_fields_the_ledger_cannot_store_are_400(gateway, body, field):
    r = await gateway.client.post("/v1/open/coupons/verify", body)
    assert r.status_code == 400, r.text
    assert r.json()["error"]["code"] == "invalid_request"
    assert field in r.json()["error"]["fields"]
    assert gateway.counters().get("verify", 0) == 0


async def test_a_4096_character_encrypted_code_is_still_accepted_as_input(gateway):
    """The bound is the ledger's MAX_TEXT: exactly that many characters pass validation."""
    body = {"poi_id": gateway.poi_id, "encrypted_code": "a" * 4096, "verify_token": "t"}
    r = await gateway.client.post("/v1/open/coupons/verify", body)
    assert r.status_code not in (400, 500), r.text


async def test_missing_content_type_is_415(gateway):
    body = b'{"poi_id": "1", "code": "123456789012"}'
    path = "/v1/open/coupons/prepare"
    headers = signing.signed_headers(gateway.client.client_key, gateway.secret, "POST", path, body)
    async with httpx.AsyncClient() as http:
        r = await http.post(gateway.url + path, content=body, headers=headers)
    assert r.status_code == 415, r.text
    assert r.json()["error"]["code"] == "unsupported_media_type"
    assert "application/json" in r.json()["error"]["message"]


async def test_token_read_refused_by_douyin_is_502_upstream_error_not_a_coupon_refusal(gateway):
    r = await gateway.internal.internal(
        "PATCH", f"/v1/internal/apps/{gateway.app['id']}/token-access", {"allow_token_read": True}
    )
    assert r.status_code == 200, r.text
    gateway.sandbox.state.faults.add(Fault(endpoint="token", kind="busy", times=None, code=1212))
    r = await gateway.client.get("/v1/open/douyin/access-token")
    assert r.status_code == 502, r.text
    assert r.json()["error"]["code"] == "upstream_error"
    assert "coupon" not in r.json()["error"]["message"].lower()


async def test_settings_connection_check_reports_a_refused_shop_query_as_upstream_error(gateway):
    from gateway_core.sandbox import SANDBOX_ACCOUNT_ID, SANDBOX_CLIENT_KEY, SANDBOX_CLIENT_SECRET
    from gateway_core.service.connection_check import check_douyin_credentials
    from gateway_core.service.errors import ServiceError

    gateway.sandbox.state.faults.add(Fault(endpoint="shops", kind="busy", times=None, code=1212))
    with pytest.raises(ServiceError) as caught:
        await check_douyin_credentials(
            gateway.sandbox.base_url, SANDBOX_CLIENT_KEY, SANDBOX_CLIENT_SECRET, SANDBOX_ACCOUNT_ID
        )
    assert (caught.value.status, caught.value.code) == (502, "upstream_error")
    assert "门店" in caught.value.reason_zh
    assert caught.value.upstream is not None and caught.value.upstream["error_code"] == 1212
