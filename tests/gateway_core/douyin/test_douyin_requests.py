"""The exact bytes each call puts on the wire: method, path (with its slash), headers, query, body."""

from __future__ import annotations

import json
import logging

import httpx
import pytest
from douyin_fakes import (
    ACCOUNT_ID,
    CANCEL_URL,
    CLIENT_KEY,
    CLIENT_SECRET,
    ENC,
    GET_URL,
    ORDER_URL,
    POI_ID,
    PREPARE_URL,
    QUERY_URL,
    SHOPS_URL,
    VERIFY_URL,
    fail,
    ok,
)

from gateway_core.douyin import DouyinUnavailable
from gateway_core.douyin.client import encode_query

ENC_QUERY = "CgwIARDhJxjLLyABKAESLgos%2Bb%2F9Zz%3D%3D%2FAA%3D%3D"


def only_request(route) -> httpx.Request:
    assert route.call_count == 1
    return route.calls.last.request


def assert_goodlife_headers(request: httpx.Request, token: str = "clt.first") -> None:
    assert request.headers["access-token"] == token
    # exactly application/json, no charset, on GET too
    assert request.headers["content-type"] == "application/json"
    assert request.headers.get_list("content-type") == ["application/json"]
    assert "authorization" not in request.headers


async def test_token_request(client, token_route):
    await client.get_token()
    request = only_request(token_route)
    assert request.method == "POST"
    assert request.url.raw_path == b"/oauth/client_token/"
    assert request.headers["content-type"] == "application/json"
    assert "access-token" not in request.headers
    assert json.loads(request.content) == {
        "client_key": CLIENT_KEY,
        "client_secret": CLIENT_SECRET,
        "grant_type": "client_credential",
    }


async def test_prepare_by_encrypted_data_encodes_base64_once(client, mock):
    route = mock.get(PREPARE_URL).mock(return_value=httpx.Response(200, json=ok()))
    await client.prepare(poi_id=POI_ID, encrypted_data=ENC)
    request = only_request(route)
    assert request.method == "GET"
    assert request.url.raw_path == (
        f"/goodlife/v1/fulfilment/certificate/prepare/?encrypted_data={ENC_QUERY}&poi_id={POI_ID}".encode()
    )
    # decoding the wire form once gives back the exact token: no double encoding, `+` not a space
    assert request.url.params["encrypted_data"] == ENC
    assert request.content == b""
    assert_goodlife_headers(request)


async def test_prepare_by_code(client, mock):
    route = mock.get(PREPARE_URL).mock(return_value=httpx.Response(200, json=ok()))
    await client.prepare(poi_id=POI_ID, code="104686126200130")
    request = only_request(route)
    assert request.url.raw_path == (
        f"/goodlife/v1/fulfilment/certificate/prepare/?code=104686126200130&poi_id={POI_ID}".encode()
    )
    assert_goodlife_headers(request)


async def test_a_percent_in_a_value_is_sent_as_a_percent(client, mock):
    # a value that already looks encoded is data, not an escape: it must arrive unchanged
    route = mock.get(PREPARE_URL).mock(return_value=httpx.Response(200, json=ok()))
    await client.prepare(poi_id=POI_ID, encrypted_data="a%2Bb")
    request = only_request(route)
    assert b"encrypted_data=a%252Bb&" in request.url.raw_path
    assert request.url.params["encrypted_data"] == "a%2Bb"


@pytest.mark.parametrize(
    "kwargs", [{}, {"code": "1", "encrypted_data": ENC}, {"code": ""}, {"code": "1", "poi_id": ""}]
)
async def test_prepare_needs_exactly_one_input_and_a_poi(client, mock, kwargs):
    route = mock.get(PREPARE_URL).mock(return_value=httpx.Response(200, json=ok()))
    kwargs = {"poi_id": POI_ID, **kwargs}
    with pytest.raises(ValueError):
        await client.prepare(**kwargs)
    assert route.call_count == 0


async def test_verify_request(client, mock):
    route = mock.post(VERIFY_URL).mock(return_value=httpx.Response(200, json=ok({"verify_results": []})))
    await client.verify(verify_token="vt-1", poi_id=POI_ID, encrypted_codes=[ENC, "second"])
    request = only_request(route)
    assert request.method == "POST"
    assert request.url.raw_path == b"/goodlife/v1/fulfilment/certificate/verify/"
    assert_goodlife_headers(request)
    # raw JSON (a form body gets 2100005 "ReadMapCB: expect { or n")
    assert json.loads(request.content) == {
        "verify_token": "vt-1",
        "poi_id": POI_ID,
        "encrypted_codes": [ENC, "second"],
    }


@pytest.mark.parametrize(
    "kwargs",
    [
        {"verify_token": "", "poi_id": POI_ID, "encrypted_codes": [ENC]},
        {"verify_token": "t", "poi_id": "", "encrypted_codes": [ENC]},
        {"verify_token": "t", "poi_id": POI_ID, "encrypted_codes": []},
        {"verify_token": "t", "poi_id": POI_ID, "encrypted_codes": [""]},
    ],
)
async def test_verify_refuses_incomplete_input_without_sending(client, mock, kwargs):
    route = mock.post(VERIFY_URL).mock(return_value=httpx.Response(200, json=ok()))
    with pytest.raises(ValueError):
        await client.verify(**kwargs)
    assert route.call_count == 0


async def test_cancel_request(client, mock):
    route = mock.post(CANCEL_URL).mock(return_value=httpx.Response(200, json=ok()))
    result = await client.cancel(certificate_id="7091180835810052103", verify_id="7091478021421631519")
    request = only_request(route)
    assert request.url.raw_path == b"/goodlife/v1/fulfilment/certificate/cancel/"
    assert_goodlife_headers(request)
    assert json.loads(request.content) == {
        "certificate_id": "7091180835810052103",
        "verify_id": "7091478021421631519",
    }
    assert result.logid == "LOGID-OK"


async def test_get_request(client, mock):
    route = mock.get(GET_URL).mock(return_value=httpx.Response(200, json=ok({"certificate": {"status": 1}})))
    await client.get_certificate(ENC)
    request = only_request(route)
    assert request.url.raw_path == f"/goodlife/v1/fulfilment/certificate/get/?encrypted_code={ENC_QUERY}".encode()
    assert_goodlife_headers(request)


@pytest.mark.parametrize(
    ("kwargs", "query"),
    [({"encrypted_code": ENC}, f"encrypted_code={ENC_QUERY}"), ({"order_id": "106144"}, "order_id=106144")],
)
async def test_query_request(client, mock, kwargs, query):
    route = mock.get(QUERY_URL).mock(return_value=httpx.Response(200, json=ok({"certificates": []})))
    assert await client.query_certificates(**kwargs) == []
    request = only_request(route)
    assert request.url.raw_path == f"/goodlife/v1/fulfilment/certificate/query/?{query}".encode()
    assert_goodlife_headers(request)


async def test_query_needs_exactly_one_key(client):
    with pytest.raises(ValueError):
        await client.query_certificates()
    with pytest.raises(ValueError):
        await client.query_certificates(encrypted_code=ENC, order_id="1")


async def test_order_query_request(client, mock):
    route = mock.get(ORDER_URL).mock(return_value=httpx.Response(200, json=ok({"orders": []})))
    await client.query_order("1061449651423386211")
    request = only_request(route)
    assert request.url.raw_path == (
        f"/goodlife/v1/trade/order/query/?account_id={ACCOUNT_ID}&order_id=1061449651423386211".encode()
    )
    assert_goodlife_headers(request)


async def test_shop_query_request(client, mock):
    route = mock.get(SHOPS_URL).mock(return_value=httpx.Response(200, json=ok({"pois": []})))
    await client.query_shops()
    await client.query_shops(page=2, size=50, poi_id="111111")
    first, second = (c.request for c in route.calls)
    assert first.url.raw_path == f"/goodlife/v1/shop/poi/query/?account_id={ACCOUNT_ID}&page=1&size=20".encode()
    assert second.url.raw_path == (
        f"/goodlife/v1/shop/poi/query/?account_id={ACCOUNT_ID}&page=2&size=50&poi_id=111111".encode()
    )
    assert_goodlife_headers(second)


async def test_account_calls_need_an_account_id(make_client, token_route, mock):
    client = make_client(account_id=None)
    route = mock.get(SHOPS_URL).mock(return_value=httpx.Response(200, json=ok()))
    with pytest.raises(ValueError):
        await client.query_shops()
    with pytest.raises(ValueError):
        await client.query_order("1")
    assert route.call_count == 0


async def test_life_account_header_on_every_goodlife_call_when_configured(make_client, token_route, mock):
    client = make_client(life_account="6943233382746834985")
    get = mock.get(GET_URL).mock(return_value=httpx.Response(200, json=ok({"certificate": {}})))
    verify = mock.post(VERIFY_URL).mock(return_value=httpx.Response(200, json=ok()))
    await client.get_certificate(ENC)
    await client.verify(verify_token="t", poi_id=POI_ID, encrypted_codes=[ENC])
    for route in (get, verify):
        assert route.calls.last.request.headers["Rpc-Transit-Life-Account"] == "6943233382746834985"
    assert "rpc-transit-life-account" not in token_route.calls.last.request.headers


async def test_no_life_account_header_by_default(client, mock):
    route = mock.get(GET_URL).mock(return_value=httpx.Response(200, json=ok({"certificate": {}})))
    await client.get_certificate(ENC)
    assert "rpc-transit-life-account" not in route.calls.last.request.headers


def test_encode_query_escapes_every_reserved_character():
    assert encode_query([("a", "+/= &?#%")]) == "a=%2B%2F%3D%20%26%3F%23%25"
    assert encode_query([("k", "中")]) == "k=%E4%B8%AD"


async def test_injected_http_client_is_used_and_not_closed(mock, token_route, clock, store):
    from gateway_core.douyin import DouyinClient

    route = mock.get(GET_URL).mock(return_value=httpx.Response(200, json=ok({"certificate": {}})))
    async with httpx.AsyncClient() as shared:
        async with DouyinClient(
            "https://open.douyin.test/", "k", "s", http_client=shared, clock=clock, token_store=store
        ) as client:
            await client.get_certificate(ENC)
        assert not shared.is_closed
    assert route.call_count == 1


async def test_owned_http_client_is_closed(make_client):
    client = make_client()
    await client.aclose()
    assert client._http.is_closed


async def test_logs_never_carry_secrets_tokens_or_whole_codes(make_client, mock, caplog):
    secret_token = "clt.75c380db41e815978a733994d96f5d23RqilUxH48iobyWhbIOQFo"
    mock.post("/oauth/client_token/").mock(
        side_effect=[
            httpx.Response(200, json={"data": {"access_token": secret_token, "error_code": 0, "expires_in": 7200}}),
            httpx.Response(
                200, json={"data": {"access_token": secret_token + "2", "error_code": 0, "expires_in": 7200}}
            ),
        ]
    )
    mock.get(PREPARE_URL).mock(
        side_effect=[httpx.Response(200, json=fail(2190008)), httpx.Response(200, json=ok({"order_id": "9"}))]
    )
    mock.post(VERIFY_URL).mock(
        return_value=httpx.Response(
            200, json=ok({"verify_results": [{"result": 0, "code": ENC, "origin_code": "104686126200130"}]})
        )
    )
    mock.get(GET_URL).mock(return_value=httpx.Response(500))
    client = make_client()
    with caplog.at_level(logging.DEBUG, logger="gateway_core.douyin"):
        await client.prepare(poi_id=POI_ID, code="104686126200130")
        await client.verify(verify_token="vt", poi_id=POI_ID, encrypted_codes=[ENC])
        with pytest.raises(DouyinUnavailable):
            await client.get_certificate(ENC)
    text = caplog.text + "".join(repr(r.args) for r in caplog.records)
    assert caplog.records  # something was logged, so the checks below mean something
    for secret in (CLIENT_SECRET, secret_token, secret_token[4:20], "104686126200130", ENC, ENC_QUERY, "CgwIARDh"):
        assert secret not in text
    assert "0130" in text  # the last four digits stay, for support
