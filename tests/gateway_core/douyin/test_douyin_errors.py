"""Every way a Douyin answer can be bad, and the exception type the service gets for it."""

from __future__ import annotations

import httpx
import pytest
from douyin_fakes import ENC, GET_URL, POI_ID, PREPARE_URL, VERIFY_URL, fail, ok

from gateway_core.douyin import (
    CODE_KINDS,
    DouyinAuthError,
    DouyinError,
    DouyinRateLimited,
    DouyinRefused,
    DouyinTimeout,
    DouyinUnavailable,
    ErrorKind,
    RetryPolicy,
    kind_of,
)

NO_RETRY = RetryPolicy(attempts=1)

REFUSALS = [1208, 3000002, 1212, 3000001, 45005117, 2100005, 1502, 1250, 1229, 1265, 4000001, 12345678]
AUTH = [2190004, 2119005, 1508, 2100007, 28001018, 2119008]
RATE = [2119003, 28003018, 2190001, 28003017]
BUSY = [2100001, 2100004, 2119002, 28001005, 28001006, 5000001, 6001001]


@pytest.fixture
def one_shot(make_client, token_route):
    return make_client(retry=NO_RETRY)


async def prepare_error(client, mock, response: httpx.Response) -> DouyinError:
    mock.get(PREPARE_URL).mock(return_value=response)
    with pytest.raises(DouyinError) as info:
        await client.prepare(poi_id=POI_ID, code="104686126200130")
    return info.value


@pytest.mark.parametrize("code", REFUSALS)
async def test_business_codes_are_refusals(one_shot, mock, code):
    error = await prepare_error(one_shot, mock, httpx.Response(200, json=fail(code, "不行", logid="LG")))
    assert type(error) is DouyinRefused
    assert (error.code, error.description, error.logid, error.http_status) == (code, "不行", "LG", 200)


@pytest.mark.parametrize("code", AUTH)
async def test_authorisation_codes(one_shot, mock, code):
    error = await prepare_error(one_shot, mock, httpx.Response(200, json=fail(code)))
    assert type(error) is DouyinAuthError and error.code == code


@pytest.mark.parametrize("code", RATE)
async def test_rate_limit_codes(one_shot, mock, code):
    error = await prepare_error(one_shot, mock, httpx.Response(200, json=fail(code)))
    assert type(error) is DouyinRateLimited and error.code == code


@pytest.mark.parametrize("code", BUSY)
async def test_busy_codes_are_unavailable_with_request_sent(one_shot, mock, code):
    error = await prepare_error(one_shot, mock, httpx.Response(200, json=fail(code)))
    assert type(error) is DouyinUnavailable and error.code == code
    assert error.request_sent is True


def test_the_table_matches_the_spec_lists():
    for codes, kind in ((AUTH, ErrorKind.AUTH), (RATE, ErrorKind.RATE_LIMITED), (BUSY, ErrorKind.BUSY)):
        assert {kind_of(c) for c in codes} == {kind}
    assert {kind_of(c) for c in REFUSALS} == {ErrorKind.REFUSED}
    assert {c for c, k in CODE_KINDS.items() if k is ErrorKind.TOKEN_REJECTED} == {2190002, 2190008, 28001008}
    assert {kind_of(c) for c in (10002, 10003, 10013)} == {ErrorKind.AUTH}
    assert kind_of(10020) is ErrorKind.RATE_LIMITED


async def test_sub_error_code_alone_is_a_failure(one_shot, mock):
    body = ok()
    body["extra"]["sub_error_code"] = 2034000910
    body["extra"]["sub_description"] = "已超过可撤销时限"
    error = await prepare_error(one_shot, mock, httpx.Response(200, json=body))
    assert isinstance(error, DouyinRefused)
    assert (error.code, error.sub_code, error.sub_description) == (0, 2034000910, "已超过可撤销时限")


async def test_data_error_code_alone_is_a_failure(one_shot, mock):
    body = ok()
    body["data"]["error_code"] = 1212
    body["data"]["description"] = "查不到券信息"
    error = await prepare_error(one_shot, mock, httpx.Response(200, json=body))
    assert isinstance(error, DouyinRefused) and error.code == 1212 and error.description == "查不到券信息"


async def test_string_codes_in_the_envelope_are_read(one_shot, mock):
    body = fail(3000002)
    body["extra"]["error_code"] = "3000002"
    body["data"]["error_code"] = "3000002"
    error = await prepare_error(one_shot, mock, httpx.Response(200, json=body))
    assert isinstance(error, DouyinRefused) and error.code == 3000002


async def test_cancel_window_keeps_code_and_sub_code(one_shot, mock):
    from douyin_fakes import CANCEL_URL

    mock.post(CANCEL_URL).mock(
        return_value=httpx.Response(200, json=fail(3000001, "已超过可撤销时限,无法撤销核销", sub_code=2034000910))
    )
    with pytest.raises(DouyinRefused) as info:
        await one_shot.cancel(certificate_id="1", verify_id="2")
    assert (info.value.code, info.value.sub_code) == (3000001, 2034000910)
    assert "3000001" in str(info.value) and "2034000910" in str(info.value)


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(200, html="<html><body>502 Bad Gateway</body></html>"),
        httpx.Response(200, text="not json at all"),
        httpx.Response(200, content=b"\xff\xfe\x00garbage"),
        httpx.Response(200, json=["a", "list"]),
        httpx.Response(200, json={"data": {"error_code": 0}}),  # no extra: an edge proxy, not Douyin
        httpx.Response(200, json={"data": {"error_code": 0}, "extra": "oops"}),
        httpx.Response(200, json={"extra": {"error_code": 0, "sub_error_code": 0}}),  # no data
        httpx.Response(200, json={"data": {}, "extra": {"error_code": "abc"}}),
        httpx.Response(500, json=ok()),
        httpx.Response(502, html="<h1>Bad Gateway</h1>"),
        httpx.Response(503, text=""),
        httpx.Response(404, html="<h1>Not Found</h1>"),
        httpx.Response(403, json=ok()),
    ],
    ids=[
        "html",
        "text",
        "binary",
        "json-list",
        "no-extra",
        "extra-not-object",
        "no-data",
        "bad-code",
        "500-json",
        "502-html",
        "503-empty",
        "404-html",
        "403-ok-json",
    ],
)
async def test_answers_that_are_not_douyin_envelopes_are_unavailable(one_shot, mock, response):
    error = await prepare_error(one_shot, mock, response)
    assert type(error) is DouyinUnavailable
    assert error.request_sent is True
    assert error.http_status == response.status_code


async def test_http_429_is_rate_limited(one_shot, mock):
    error = await prepare_error(one_shot, mock, httpx.Response(429, text="slow down"))
    assert type(error) is DouyinRateLimited and error.http_status == 429


async def test_error_envelope_with_non_200_status_keeps_its_class(one_shot, mock):
    error = await prepare_error(one_shot, mock, httpx.Response(400, json=fail(2100005, "参数不合法")))
    assert type(error) is DouyinRefused and error.code == 2100005 and error.http_status == 400


async def test_connect_error_was_not_sent(one_shot, mock):
    mock.post(VERIFY_URL).mock(side_effect=httpx.ConnectError("refused"))
    with pytest.raises(DouyinUnavailable) as info:
        await one_shot.verify(verify_token="t", poi_id=POI_ID, encrypted_codes=[ENC])
    assert type(info.value) is DouyinUnavailable
    assert info.value.request_sent is False


@pytest.mark.parametrize(
    ("exc", "sent"),
    [
        (httpx.ReadTimeout("slow"), True),
        (httpx.WriteTimeout("slow"), True),
        (httpx.ConnectTimeout("slow"), False),
        (httpx.PoolTimeout("slow"), False),
    ],
)
async def test_timeouts(one_shot, mock, exc, sent):
    mock.post(VERIFY_URL).mock(side_effect=exc)
    with pytest.raises(DouyinTimeout) as info:
        await one_shot.verify(verify_token="t", poi_id=POI_ID, encrypted_codes=[ENC])
    assert isinstance(info.value, DouyinUnavailable)
    assert info.value.request_sent is sent


@pytest.mark.parametrize(
    "exc", [httpx.ReadError("reset"), httpx.RemoteProtocolError("Server disconnected"), httpx.WriteError("pipe")]
)
async def test_broken_connection_after_sending_is_unknown_outcome(one_shot, mock, exc):
    mock.post(VERIFY_URL).mock(side_effect=exc)
    with pytest.raises(DouyinUnavailable) as info:
        await one_shot.verify(verify_token="t", poi_id=POI_ID, encrypted_codes=[ENC])
    assert type(info.value) is DouyinUnavailable and info.value.request_sent is True


async def test_get_without_certificate_is_unavailable(one_shot, mock):
    mock.get(GET_URL).mock(return_value=httpx.Response(200, json=ok()))
    with pytest.raises(DouyinUnavailable):
        await one_shot.get_certificate(ENC)


# -- token endpoint ----------------------------------------------------------------------------


def token_error(code: int | str, description: str = "配置无效") -> dict:
    return {"data": {"captcha": "", "desc_url": "", "description": description, "error_code": code}, "message": ""}


@pytest.mark.parametrize(
    ("code", "error_type"),
    [(10002, DouyinAuthError), (10003, DouyinAuthError), ("10013", DouyinAuthError), (10020, DouyinRateLimited)],
)
async def test_token_endpoint_codes(make_client, mock, code, error_type):
    client = make_client(retry=NO_RETRY)
    mock.post("/oauth/client_token/").mock(return_value=httpx.Response(200, json=token_error(code)))
    route = mock.get(GET_URL).mock(return_value=httpx.Response(200, json=ok({"certificate": {}})))
    with pytest.raises(error_type) as info:
        await client.get_certificate(ENC)
    assert info.value.code == int(code) and info.value.description == "配置无效"
    assert route.call_count == 0


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(200, html="<html></html>"),
        httpx.Response(502, text="bad gateway"),
        httpx.Response(200, json={"data": {"error_code": 0, "expires_in": 7200}, "message": "success"}),
        httpx.Response(200, json={"data": {"error_code": 0, "access_token": "x", "expires_in": "0"}}),
        httpx.Response(200, json={"message": "success"}),
    ],
    ids=["html", "502", "no-token", "zero-expiry", "no-data"],
)
async def test_token_endpoint_garbage_is_unavailable(make_client, mock, response):
    client = make_client(retry=NO_RETRY)
    mock.post("/oauth/client_token/").mock(return_value=response)
    with pytest.raises(DouyinUnavailable):
        await client.get_token()


async def test_token_failure_during_a_verify_means_verify_was_not_sent(make_client, mock):
    client = make_client(retry=NO_RETRY)
    mock.post("/oauth/client_token/").mock(return_value=httpx.Response(503, text="down"))
    route = mock.post(VERIFY_URL).mock(return_value=httpx.Response(200, json=ok()))
    with pytest.raises(DouyinUnavailable) as info:
        await client.verify(verify_token="t", poi_id=POI_ID, encrypted_codes=[ENC])
    assert info.value.request_sent is False
    assert route.call_count == 0


async def test_token_timeout_during_a_verify_keeps_the_timeout_type(make_client, mock):
    client = make_client(retry=NO_RETRY)
    mock.post("/oauth/client_token/").mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(DouyinTimeout) as info:
        await client.verify(verify_token="t", poi_id=POI_ID, encrypted_codes=[ENC])
    assert info.value.request_sent is False


def test_with_request_sent_copies_every_field_and_chains_the_original():
    original = DouyinTimeout(
        "slow", code=2100004, sub_code=7, description="d", sub_description="sd", logid="L", http_status=504
    )
    clone = original.with_request_sent(False)
    assert type(clone) is DouyinTimeout and clone is not original
    assert clone.request_sent is False and original.request_sent is True
    fields = ("message", "code", "sub_code", "description", "sub_description", "logid", "http_status")
    assert [getattr(clone, f) for f in fields] == [getattr(original, f) for f in fields]
    assert str(clone) == str(original).replace("request_sent=True", "request_sent=False")
    assert clone.__cause__ is original
