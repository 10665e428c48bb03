"""client_token issue, rotation and expiry, and the access-token check on goodlife calls."""

from __future__ import annotations

import pytest
from sandbox_helpers import FULFILMENT, Douyin, FakeClock, assert_error, client

from gateway_core.sandbox import (
    SANDBOX_ACCOUNT_ID,
    SANDBOX_CLIENT_KEY,
    SANDBOX_CLIENT_SECRET,
    Fault,
    SandboxServer,
)
from gateway_core.sandbox.state import SandboxState

SHOPS = "/goodlife/v1/shop/poi/query/"


async def _shops(dy: Douyin, token: str | None) -> dict:
    r = await dy.http.get(SHOPS, params={"account_id": SANDBOX_ACCOUNT_ID, "page": 1, "size": 10},
                          headers={"access-token": token} if token is not None else {})
    return r.json()


async def test_token_answer_has_douyins_own_shape(dy: Douyin):
    r = await dy.token()
    body = r.json()
    assert r.status_code == 200 and "extra" not in body
    assert body["message"] == "success"
    data = body["data"]
    assert data["access_token"].startswith("clt.") and len(data["access_token"]) > 30
    assert data["expires_in"] == 7200 and data["error_code"] == 0 and data["description"] == ""
    again = (await dy.token()).json()["data"]["access_token"]
    assert again != data["access_token"]


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"client_key": "awnope"}, 10003),
        ({"client_secret": "wrong"}, 10013),
        ({"grant_type": "authorization_code"}, 10002),
        ({"client_secret": ""}, 10002),
    ],
)
async def test_token_refusals(dy: Douyin, overrides, code):
    body = (await dy.token(**overrides)).json()
    assert body["data"]["error_code"] == code
    assert "access_token" not in body["data"]
    assert body["message"] == "error"


async def test_a_token_refusal_and_a_token_fault_have_the_same_shape(dy: Douyin):
    refused = await dy.token(client_secret="wrong")
    dy.state.faults.add(Fault(endpoint="token", kind="rate_limit", times=1))
    faulted = await dy.token()
    for r, code in ((refused, 10013), (faulted, 10020)):
        body = r.json()
        assert set(body) == {"data", "message"} and body["message"] == "error"
        data = body["data"]
        assert set(data) == {"captcha", "desc_url", "description", "error_code", "log_id"}
        assert data["error_code"] == code and data["description"]
        assert data["log_id"] == r.headers["x-tt-logid"]


@pytest.mark.parametrize("path", ["/oauth/client_token/", "/oauth/client_token", "/oauth/stable_client_token/"])
async def test_token_paths_with_and_without_slash_and_get_form(dy: Douyin, path):
    creds = {"client_key": SANDBOX_CLIENT_KEY, "client_secret": SANDBOX_CLIENT_SECRET,
             "grant_type": "client_credential"}
    assert (await dy.http.post(path, json=creds)).json()["data"]["error_code"] == 0
    assert (await dy.http.get(path, params=creds)).json()["data"]["error_code"] == 0
    assert (await dy.http.post(path, data=creds)).json()["data"]["error_code"] == 0


async def test_goodlife_call_without_or_with_unknown_token_is_2190002(dy: Douyin):
    assert_error(await _shops(dy, None), 2190002)
    assert_error(await _shops(dy, "clt.forged"), 2190002)
    assert (await _shops(dy, dy.access_token))["data"]["error_code"] == 0


async def test_token_expires_after_7200_seconds(dy: Douyin, clock: FakeClock):
    clock.now += 7199
    assert (await _shops(dy, dy.access_token))["data"]["error_code"] == 0
    clock.now += 2
    answer = await _shops(dy, dy.access_token)
    assert_error(answer, 2190008)
    assert "过期" in answer["extra"]["description"]


async def test_rotation_keeps_the_two_newest_and_gives_the_older_five_minutes(dy: Douyin, clock: FakeClock):
    first = dy.access_token
    second = await dy.login()
    assert (await _shops(dy, first))["data"]["error_code"] == 0  # grace
    clock.now += 299
    assert (await _shops(dy, first))["data"]["error_code"] == 0
    clock.now += 2
    assert_error(await _shops(dy, first), 2190008)
    assert (await _shops(dy, second))["data"]["error_code"] == 0


async def test_a_third_token_kills_the_first_at_once(dy: Douyin):
    first = dy.access_token
    second = await dy.login()
    third = await dy.login()
    assert_error(await _shops(dy, first), 2190008)
    assert (await _shops(dy, second))["data"]["error_code"] == 0
    assert (await _shops(dy, third))["data"]["error_code"] == 0


async def test_stable_token_is_reused_until_near_expiry(dy: Douyin, clock: FakeClock):
    creds = {"client_key": SANDBOX_CLIENT_KEY, "client_secret": SANDBOX_CLIENT_SECRET,
             "grant_type": "client_credential"}
    one = (await dy.http.post("/oauth/stable_client_token/", json=creds)).json()["data"]
    clock.now += 1000
    two = (await dy.http.post("/oauth/stable_client_token/", json=creds)).json()["data"]
    assert two["access_token"] == one["access_token"] and two["expires_in"] == 6200
    clock.now += 6000
    three = (await dy.http.post("/oauth/stable_client_token/", json=creds)).json()["data"]
    assert three["access_token"] != one["access_token"] and three["expires_in"] == 7200


async def test_token_rate_limit_is_10020():
    server = SandboxServer(SandboxState(token_rate_limit=3))
    await server.start()
    try:
        async with client(server.base_url) as http:
            dy = Douyin(http, server)
            codes = [(await dy.token()).json()["data"]["error_code"] for _ in range(4)]
    finally:
        await server.stop()
    assert codes == [0, 0, 0, 10020]


async def test_expired_token_on_a_write_applies_nothing(dy: Douyin, clock: FakeClock):
    coupon = dy.state.coupon(tag="single")
    prepared = (await dy.prepare(code=coupon.code))["data"]
    clock.now += 7201
    r = await dy.post(f"{FULFILMENT}/verify/", {"verify_token": prepared["verify_token"], "poi_id": coupon.poi_ids[0],
                                                "encrypted_codes": [coupon.encrypted_code]})
    assert_error(r.json(), 2190008)
    assert dy.state.counters["verify_applied"] == 0
