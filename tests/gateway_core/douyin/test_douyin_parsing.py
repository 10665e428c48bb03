"""Every sample in tests/samples parsed through the client, quirks included."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
from douyin_fakes import ENC, GET_URL, ORDER_URL, POI_ID, PREPARE_URL, QUERY_URL, SHOPS_URL, VERIFY_URL, ok

from gateway_core.douyin import (
    CertificateState,
    DouyinClient,
    OrderCertificate,
    OrderInfo,
    PreparedCertificate,
    VerifyItem,
)
from gateway_core.douyin.models import CERTIFICATE_STATUSES, ORDER_ITEM_STATUSES


def ts(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


async def test_token_sample_with_string_codes_and_expiry(client, mock, samples, clock):
    # the SKIT fixture sends error_code "0" and expires_in "7200" as strings
    mock.post("/oauth/client_token/").mock(
        return_value=httpx.Response(200, json=samples("OAuthClientTokenResponse.json"))
    )
    token = await client.get_token()
    assert token.access_token == "access_token"
    assert (token.expires_at - clock.now).total_seconds() == 7200


async def test_prepare_example(client: DouyinClient, mock, samples):
    sample = samples("prepare-example.json")
    mock.get(PREPARE_URL).mock(return_value=httpx.Response(200, json=sample))
    result = await client.prepare(poi_id=POI_ID, code="104686126200130")

    assert result.verify_token == "81cc8e05-123a-49c1-a358-bbc370e3262a"
    assert result.order_id == "1061449651423386211"
    assert result.logid == "202503261548358CD21E3C41F95D031744"
    assert result.raw == sample
    [cert] = result.certificates
    assert isinstance(cert, PreparedCertificate)
    assert cert.encrypted_code == sample["data"]["certificates"][0]["encrypted_code"]
    assert cert.certificate_id is None  # not sent by goodlife prepare
    assert cert.start_time == ts(1742918400)
    assert cert.expire_time == ts(1750694399)
    assert cert.time_card is None
    a = cert.amount
    assert (a.original_amount, a.list_market_amount, a.pay_amount, a.coupon_pay_amount) == (
        26895,
        26900,
        19400,
        19400,
    )
    assert (a.merchant_ticket_amount, a.payment_discount_amount, a.platform_discount_amount) == (7495, 0, 0)
    s = cert.sku
    assert (s.sku_id, s.title, s.groupon_type, s.market_price) == ("1730440745530376", "双人套餐", 1, 26900)
    assert (s.third_sku_id, s.account_id) == ("", "6943233382746834985")
    assert s.sold_start_time == ts(1650278040)


async def test_prepare_reads_certificate_id_and_time_card_when_present(client, mock):
    body = {
        "data": {
            "error_code": 0,
            "verify_token": "vt",
            "order_id": "1",
            "certificates": [
                {
                    "encrypted_code": ENC,
                    "certificate_id": 7382420130108424203,  # a number: must come back as the same digits
                    "expire_time": "1750694399",
                    "time_card": {"times_count": "5", "times_used": 2},
                    "amount": {"pay_amount": "100"},
                }
            ],
        },
        "extra": {"error_code": 0, "sub_error_code": 0, "logid": "L"},
    }
    mock.get(PREPARE_URL).mock(return_value=httpx.Response(200, json=body))
    [cert] = (await client.prepare(poi_id=POI_ID, encrypted_data=ENC)).certificates
    assert cert.certificate_id == "7382420130108424203"
    assert cert.expire_time == ts(1750694399)
    assert cert.time_card is not None and (cert.time_card.times_count, cert.time_card.times_used) == (5, 2)
    assert cert.amount.pay_amount == 100 and cert.amount.original_amount == 0
    assert cert.sku.sku_id == ""


async def test_prepare_with_no_usable_certificates_is_an_empty_list(client, mock):
    mock.get(PREPARE_URL).mock(return_value=httpx.Response(200, json=ok({"verify_token": "", "order_id": ""})))
    result = await client.prepare(poi_id=POI_ID, code="1")
    assert result.certificates == []


async def test_verify_sample(client, mock, samples):
    sample = samples("GoodLifeFulfilmentCertificateVerifyV1Response.json")
    mock.post(VERIFY_URL).mock(return_value=httpx.Response(200, json=sample))
    result = await client.verify(verify_token="t", poi_id=POI_ID, encrypted_codes=[ENC])
    [item] = result.items
    assert isinstance(item, VerifyItem)
    assert item.result == 0 and item.msg == "验券成功"
    assert item.encrypted_code == sample["data"]["verify_results"][0]["code"]
    assert item.origin_code == "102539929601"
    assert (item.verify_id, item.certificate_id, item.account_id) == (
        "7091478021421631519",
        "7091180835810052103",
        "123456",
    )
    assert item.order_id == "" and item.verify_time is None
    assert item.succeeded and not item.already_verified
    assert result.all_succeeded
    assert result.raw == sample and result.logid == "xxx"


@pytest.mark.parametrize(
    ("result", "succeeded", "already"),
    [(0, True, False), (1208, True, True), (2, True, True), (1228, False, False), (None, False, False)],
)
def test_verify_item_outcomes(result, succeeded, already):
    item = VerifyItem.from_json({"result": result} if result is not None else {})
    assert item.succeeded is succeeded
    assert item.already_verified is already


def test_verify_item_reads_time_and_order():
    item = VerifyItem.from_json({"result": "0", "order_id": 1061449651423386211, "verify_time": 1742975316})
    assert item.result == 0
    assert item.order_id == "1061449651423386211"
    assert item.verify_time == ts(1742975316)


async def test_certificate_get_sample_with_millisecond_times(client, mock, samples):
    sample = samples("GoodLifeFulfilmentCertificateGetV1Response.json")
    mock.get(GET_URL).mock(return_value=httpx.Response(200, json=sample))
    state = await client.get_certificate(sample["data"]["certificate"]["encrypted_code"])
    assert isinstance(state, CertificateState)
    assert state.code == "104930181552"
    assert state.status == 2 and state.coupon_status == "verified"
    assert state.expire_time == ts(1682265599)  # sent as 1682265599000 ms
    assert state.sku.sold_start_time == ts(1650278040)  # also ms
    assert state.amount.original_amount == 10 and state.amount.merchant_ticket_amount == 0
    v = state.verify
    assert v is not None
    assert (v.verify_id, v.certificate_id, v.verify_type, v.can_cancel) == (
        "7091644694387591181",
        "7091293506194655239",
        4,
        False,
    )
    assert v.verify_time == ts(1651152314)
    assert state.raw == sample["data"]["certificate"]
    assert state.logid == "xxx"


async def test_certificate_query_sample(client, mock, samples):
    sample = samples("GoodLifeFulfilmentCertificateQueryV1Response.json")
    mock.get(QUERY_URL).mock(return_value=httpx.Response(200, json=sample))
    states = await client.query_certificates(order_id="7000277894522046508")
    assert [s.coupon_status for s in states] == ["verified", "unused"]
    assert [s.code for s in states] == ["104930181552", "104930181553"]
    assert states[0].verify is not None and states[1].verify is None
    assert states[0].expire_time == ts(1682265599)
    assert states[1].sku.third_sku_id == "1111" and states[1].sku.groupon_type == 1


@pytest.mark.parametrize(("status", "expected"), [*CERTIFICATE_STATUSES.items(), (0, "unknown"), (99, "unknown")])
def test_coupon_status_mapping(status, expected):
    assert CertificateState.from_json({"status": status}, "").coupon_status == expected


def test_statuses_one_and_two_are_the_confirmed_ones():
    assert CERTIFICATE_STATUSES[1] == "unused" and CERTIFICATE_STATUSES[2] == "verified"


@pytest.mark.parametrize(
    ("item_status", "used"), [(401, False), (402, True), (403, False), (404, False), (0, False), (499, False)]
)
def test_order_certificate_used_follows_the_item_status_table(item_status, used):
    assert OrderCertificate.from_json({"item_status": item_status}).used is used


def test_item_status_401_the_one_seen_is_unused():
    assert ORDER_ITEM_STATUSES[401] == "unused" and ORDER_ITEM_STATUSES[402] == "verified"


async def test_order_query_sample(client, mock, samples):
    sample = samples("GoodLifeTradeOrderQueryV1Response.json")
    mock.get(ORDER_URL).mock(return_value=httpx.Response(200, json=sample))
    order = await client.query_order("7000278755910502444")  # the second order of the page
    assert isinstance(order, OrderInfo)
    assert order.order_id == "7000278755910502444"
    assert (order.order_status, order.order_type, order.pay_amount, order.original_amount) == (200, 21, 20, 20)
    assert (order.sku_id, order.sku_name, order.count) == ("1708941687677982", "在线修改test1的副本", 1)
    assert order.create_order_time == ts(1629880093) and order.pay_time is None
    [cert] = order.certificates
    assert (cert.certificate_id, cert.order_item_id, cert.item_status) == ("", "710525525737414864913240082", 401)
    assert cert.refund_time is None and cert.item_update_time == ts(1654348496)
    assert order.raw == sample["data"]["orders"][1]
    assert order.ext_order_id is None and order.products == []
    assert order.product_id is None and order.product_name is None


async def test_order_query_reads_amount_info_products_and_ext_ids(client, mock):
    order = {
        "order_id": "42",
        "ext_order_id": "EXT-1",
        "payment_discount": 5,
        "amount_info": {
            "origin_amount": 300,
            "pay_amount": 250,
            "merchant_discount_amount": 30,
            "platform_discount_amount": 20,
            "pay_discount_amount": 5,
        },
        "products": [{"product_id": "p1", "product_name": "双人餐"}],
    }
    mock.get(ORDER_URL).mock(return_value=httpx.Response(200, json=ok({"orders": [order]})))
    info = await client.query_order("42")
    assert info is not None
    assert (info.pay_amount, info.original_amount) == (250, 300)
    assert (info.merchant_discount_amount, info.platform_discount_amount, info.pay_discount_amount) == (30, 20, 5)
    assert info.payment_discount == 5
    assert info.ext_order_id == "EXT-1"
    assert [(p.product_id, p.product_name) for p in info.products] == [("p1", "双人餐")]
    assert (info.product_id, info.product_name) == ("p1", "双人餐")


async def test_order_query_without_the_order_is_none(client, mock, samples):
    mock.get(ORDER_URL).mock(return_value=httpx.Response(200, json=samples("GoodLifeTradeOrderQueryV1Response.json")))
    assert await client.query_order("1") is None
    mock.get(ORDER_URL).mock(return_value=httpx.Response(200, json=ok({"orders": []})))
    assert await client.query_order("1") is None


async def test_shop_query_sample_is_returned_unchanged(client, mock, samples):
    sample = samples("GoodLifeShopPOIQueryV1Response.json")
    mock.get(SHOPS_URL).mock(return_value=httpx.Response(200, json=sample))
    assert await client.query_shops() == sample


def test_reprs_do_not_leak_codes(samples):
    sample = samples("GoodLifeFulfilmentCertificateGetV1Response.json")["data"]["certificate"]
    state = CertificateState.from_json(sample, "")
    item = VerifyItem.from_json({"code": ENC, "origin_code": "102539929601", "result": 0})
    cert = PreparedCertificate.from_json({"encrypted_code": ENC})
    for text in (repr(state), repr(item), repr(cert)):
        assert ENC not in text and "102539929601" not in text and sample["encrypted_code"] not in text
        assert "104930181552" not in text
    assert "9601" in repr(item)  # the last 4 stay, for a cashier to compare
