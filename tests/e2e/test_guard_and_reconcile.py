"""The exactly-once guard and the settling of lost answers, at their edges: 次卡 (one certificate
verified once per visit), a coupon asked for by encrypted code and by code, answers Douyin's
certificate/get leaves open, and request_ids whose answers only hold for a moment."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import timedelta

import pytest

from gateway_core.clock import iso, utc_now
from gateway_core.sandbox import SANDBOX_POIS, Fault
from tests.e2e.test_unknown_outcome import _settled

SALON = SANDBOX_POIS[3].poi_id  # sells the 10-visit haircut card


def _card(gateway):
    return gateway.sandbox.state.mint_order(product="haircut10", count=1).certificates[0]


async def _verify(gateway, code: str, poi_id: str = SALON, **extra):
    return await gateway.client.post("/v1/open/coupons/verify", {"poi_id": poi_id, "code": code, **extra})


async def test_a_multi_visit_card_is_verified_once_per_visit(gateway):
    card = _card(gateway)
    first = await _verify(gateway, card.code)
    second = await _verify(gateway, card.code)
    assert (first.status_code, second.status_code) == (200, 200), second.text
    assert card.times_used == 2 and gateway.counters().get("verify") == 2
    assert first.json()["data"]["id"] != second.json()["data"]["id"]


@pytest.mark.parametrize("kind", ["apply_then_drop", "apply_then_500"])
async def test_a_multi_visit_card_whose_answer_was_lost_settles_success(gateway, kind):
    """Its status stays "unused" while visits are left: the latest verification says it."""
    card = _card(gateway)
    gateway.sandbox.state.faults.add(Fault(endpoint="verify", kind=kind))
    r = await _verify(gateway, card.code)
    view = await _settled(gateway, r.json()["data"]["id"])
    assert card.times_used == 1
    assert view["verify_status"] == "success" and view["verify_id"]


async def test_a_multi_visit_undo_lost_before_douyin_applied_it_is_not_reported_done(gateway):
    card = _card(gateway)
    done = (await _verify(gateway, card.code)).json()["data"]
    gateway.sandbox.state.faults.add(Fault(endpoint="cancel", kind="drop"))  # lost, never applied
    r = await gateway.client.post(f"/v1/open/coupons/{done['id']}/cancel")
    assert r.status_code in (502, 504), r.text
    assert card.times_used == 1
    assert (await gateway.runtime.ledger.get_verification(done["id"]))["verify_status"] == "success"


async def _hold(gateway, **row):
    [held] = await gateway.runtime.ledger.insert_processing(
        [{"app_id": gateway.app["id"], "poi_id": gateway.poi_id, "mode": "code", **row}]
    )
    return held


async def test_a_coupon_held_by_its_encrypted_code_is_held_for_its_code_too(gateway):
    cert = gateway.sandbox.state.mint_order(poi_id=gateway.poi_id, count=1).certificates[0]
    await _hold(gateway, mode="encrypted_code", encrypted_code=cert.encrypted_code)  # no certificate id yet
    r = await _verify(gateway, cert.code, poi_id=gateway.poi_id)
    assert r.status_code == 409, r.text
    assert gateway.counters().get("verify", 0) == 0


async def test_a_coupon_held_by_its_certificate_is_held_for_its_encrypted_code_too(gateway):
    cert = gateway.sandbox.state.mint_order(poi_id=gateway.poi_id, count=1).certificates[0]
    await _hold(gateway, certificate_id=cert.certificate_id, encrypted_code=cert.encrypted_code)
    r = await gateway.client.post(
        "/v1/open/coupons/verify",
        {"poi_id": gateway.poi_id, "encrypted_code": cert.encrypted_code, "verify_token": "any"},
    )
    assert r.status_code == 409, r.text
    assert gateway.counters().get("verify", 0) == 0


async def test_another_apps_row_is_not_shown_to_the_caller(gateway):
    cert = gateway.sandbox.state.mint_order(poi_id=gateway.poi_id, count=1).certificates[0]
    await _hold(gateway, app_id=gateway.runtime.counter_app.id, certificate_id=cert.certificate_id)
    r = await _verify(gateway, cert.code, poi_id=gateway.poi_id)
    assert r.status_code == 409, r.text
    assert "items" not in r.json() or r.json()["items"] == []


async def test_the_grace_counts_from_the_lost_answer_not_from_the_row(gateway):
    """A verify that took Douyin's whole timeout has not used the grace up."""
    service = gateway.runtime.service
    cert = gateway.sandbox.state.mint_order(poi_id=gateway.poi_id, count=1).certificates[0]
    long_ago = iso(utc_now() - timedelta(hours=1))
    held = await _hold(gateway, certificate_id=cert.certificate_id, encrypted_code=cert.encrypted_code,
                       created_at=long_ago)
    first = await service._reconcile_one(held, first_look=True)
    assert first["verify_status"] == "processing"
    row = await gateway.runtime.ledger.get_verification_internal(held["id"])
    assert row["outcome_unknown_at"] > long_ago
    again = await service._reconcile_one(row)
    assert again["verify_status"] == "processing"  # 0.5 s of grace from the lost answer
    await asyncio.sleep(service.unknown_outcome_grace.total_seconds() + 0.1)
    last = await service._reconcile_one(await gateway.runtime.ledger.get_verification_internal(held["id"]))
    assert last["verify_status"] == "failed"


async def test_a_certificate_status_we_cannot_read_never_settles_failed(gateway, monkeypatch):
    service = gateway.runtime.service
    cert = gateway.sandbox.state.mint_order(poi_id=gateway.poi_id, count=1).certificates[0]
    real = gateway.runtime.douyin.get_certificate

    async def odd_status(encrypted_code):
        return dataclasses.replace(await real(encrypted_code), status=99, verify=None)

    monkeypatch.setattr(gateway.runtime.douyin, "get_certificate", odd_status)
    held = await _hold(gateway, certificate_id=cert.certificate_id, encrypted_code=cert.encrypted_code,
                       created_at=iso(utc_now() - timedelta(hours=1)))
    await service._reconcile_one(held, first_look=True)
    await asyncio.sleep(service.unknown_outcome_grace.total_seconds() + 0.1)
    view = await service._reconcile_one(await gateway.runtime.ledger.get_verification_internal(held["id"]))
    assert view["verify_status"] == "processing"


async def test_one_certificate_settled_and_one_still_open_after_a_lost_answer_is_200(gateway, monkeypatch):
    """Contract: 200 when at least one certificate succeeded; the other stays processing."""
    order = gateway.sandbox.state.mint_order(poi_id=gateway.poi_id, count=2)
    second = order.certificates[1].encrypted_code
    real = gateway.runtime.douyin.get_certificate

    async def second_unreadable(encrypted_code):
        state = await real(encrypted_code)
        return dataclasses.replace(state, status=99, verify=None) if encrypted_code == second else state

    monkeypatch.setattr(gateway.runtime.douyin, "get_certificate", second_unreadable)
    gateway.sandbox.state.faults.add(Fault(endpoint="verify", kind="apply_then_drop"))
    r = await _verify(gateway, order.certificates[0].code, poi_id=gateway.poi_id, count=2)
    assert r.status_code == 200, r.text
    assert sorted(item["verify_status"] for item in r.json()["items"]) == ["processing", "success"]


async def test_a_rate_limited_answer_is_not_kept_for_the_request_id(gateway):
    cert = gateway.sandbox.state.mint_order(poi_id=gateway.poi_id, count=1).certificates[0]
    gateway.sandbox.state.faults.add(Fault(endpoint="prepare", kind="rate_limit", times=3))
    limited = await _verify(gateway, cert.code, poi_id=gateway.poi_id, request_id="pos-42")
    assert limited.status_code == 429, limited.text
    gateway.sandbox.state.faults.clear()
    retried = await _verify(gateway, cert.code, poi_id=gateway.poi_id, request_id="pos-42")
    assert retried.status_code == 200, retried.text
    assert gateway.counters().get("verify") == 1


async def test_a_request_id_claimed_by_a_process_that_died_can_be_used_again(gateway):
    ledger, app_id = gateway.runtime.ledger, gateway.app["id"]
    assert (await ledger.idempotency_begin(app_id, "pos-1", "h")).kind == "new"
    assert (await ledger.idempotency_begin(app_id, "pos-1", "h")).kind == "in_progress"  # its request runs
    await ledger._db.write(
        lambda conn: conn.execute("UPDATE idempotency SET created_at = ?", (iso(utc_now() - timedelta(hours=1)),))
    )
    assert (await ledger.idempotency_begin(app_id, "pos-1", "h")).kind == "new"  # it died an hour ago
    assert (await ledger.idempotency_begin(app_id, "pos-1", "h")).kind == "in_progress"
