"""Writing and settling verification rows; the exactly-once guard."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from ledger_support import make_row

from gateway_core.clock import parse_iso, utc_now
from gateway_core.ledger import CouponBusy, Ledger, LedgerNotFound, LedgerValidation
from gateway_core.ledger.views import VIEW_KEYS
from gateway_core.secretbox import SecretBox


async def test_insert_returns_contract_views(ledger: Ledger, counter_app: dict[str, Any]) -> None:
    [view] = await ledger.insert_processing(
        [make_row(counter_app["id"], certificate_id="c-1", app_name=None, store_id=None)]
    )
    assert list(view) == list(VIEW_KEYS)
    assert view["verify_status"] == "processing"
    assert view["app_name"] == "收银台"  # filled from the apps table
    assert view["store_id"] == "store-1"  # the ledger's own store by default
    assert isinstance(view["id"], int) and isinstance(view["pay_amount"], int)
    assert view["created_at"].endswith("Z") and len(view["created_at"]) == 24
    assert view["enrichment_status"] == "pending" and view["order_status"] == 0
    internal = await ledger.get_verification_internal(view["id"])
    assert internal is not None
    assert internal["details"]["title"] == "双人套餐"
    assert internal["coupon_key"] == "c-1"
    assert parse_iso(internal["next_reconcile_at"]) > parse_iso(view["created_at"])


async def test_concurrent_verifies_of_one_coupon_let_exactly_one_through(ledger: Ledger) -> None:
    async def attempt() -> str:
        try:
            await ledger.insert_processing([make_row(certificate_id="same-coupon")])
        except CouponBusy as busy:
            assert busy.existing is not None and busy.existing["certificate_id"] == "same-coupon"
            return "busy"
        return "won"

    results = await asyncio.gather(*(attempt() for _ in range(40)))
    assert results.count("won") == 1
    assert results.count("busy") == 39


async def test_two_processes_racing_on_one_file_still_let_one_through(db_path: Path, box: SecretBox) -> None:
    first = await Ledger.open(db_path, box)
    second = await Ledger.open(db_path, box)  # its own writer connection, like a second instance
    try:
        outcomes = await asyncio.gather(
            *(lg.insert_processing([make_row(certificate_id="shared")]) for lg in (first, second) * 10),
            return_exceptions=True,
        )
    finally:
        await first.close()
        await second.close()
    assert sum(isinstance(o, list) for o in outcomes) == 1
    assert all(isinstance(o, CouponBusy) for o in outcomes if not isinstance(o, list))


def test_the_unique_index_itself_refuses_a_second_live_row(db_path: Path) -> None:
    """The guard holds even for a writer that skips the ledger's own check (raw SQL)."""
    asyncio.run(_open_close(db_path))
    conn = sqlite3.connect(db_path, isolation_level=None)
    insert = (
        "INSERT INTO verifications (app_id, poi_id, verify_status, certificate_id, mode, created_at, updated_at) "
        "VALUES (1, 'p', ?, 'dup', 'code', '2026-03-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z')"
    )
    conn.execute(insert, ("processing",))
    with pytest.raises(sqlite3.IntegrityError, match="coupon_key"):
        conn.execute(insert, ("processing",))
    with pytest.raises(sqlite3.IntegrityError, match="coupon_key"):
        conn.execute(insert, ("success",))
    conn.execute(insert, ("failed",))  # failed and cancelled rows are outside the guard
    conn.execute(insert, ("cancelled",))
    conn.close()


async def _open_close(path: Path) -> None:
    ledger = await Ledger.open(path, SecretBox(b"k" * 32, "test"))
    await ledger.close()


async def test_a_verified_coupon_is_busy_until_cancelled(ledger: Ledger) -> None:
    [view] = await ledger.insert_processing([make_row(certificate_id="c-9")])
    await ledger.update_verification(view["id"], {"verify_status": "success"})
    with pytest.raises(CouponBusy) as caught:
        await ledger.insert_processing([make_row(certificate_id="c-9")])
    assert caught.value.existing is not None and caught.value.existing["verify_status"] == "success"
    cancelled = await ledger.update_verification(view["id"], {"verify_status": "cancelled"})
    assert cancelled["cancelled_at"] is not None
    [again] = await ledger.insert_processing([make_row(certificate_id="c-9")])
    assert again["id"] != view["id"]


async def test_a_failed_coupon_can_be_tried_again(ledger: Ledger) -> None:
    [view] = await ledger.insert_processing([make_row(certificate_id="c-f")])
    await ledger.update_verification(view["id"], {"verify_status": "failed", "error_code": 1208})
    await ledger.insert_processing([make_row(certificate_id="c-f")])


async def test_a_batch_is_all_or_nothing(ledger: Ledger) -> None:
    [held] = await ledger.insert_processing([make_row(certificate_id="held")])
    with pytest.raises(CouponBusy):
        await ledger.insert_processing([make_row(certificate_id="fresh-1"), make_row(certificate_id="held")])
    views, total = await ledger.list_verifications(_all())
    assert total == 1 and views[0]["id"] == held["id"]
    assert await ledger.outbox_backlog() == 1  # the rolled-back row left no outbox entry either


async def test_a_batch_naming_one_coupon_twice_is_invalid(ledger: Ledger) -> None:
    with pytest.raises(LedgerValidation) as caught:
        await ledger.insert_processing([make_row(certificate_id="x"), make_row(certificate_id="x")])
    assert "rows[1].certificate_id" in caught.value.errors


async def test_the_guard_key_falls_back_to_the_encrypted_code(ledger: Ledger) -> None:
    await ledger.insert_processing([make_row(certificate_id=None, encrypted_code="ENC", mode="encrypted_code")])
    with pytest.raises(CouponBusy):
        await ledger.insert_processing([make_row(certificate_id=None, encrypted_code="ENC", mode="encrypted_code")])


async def test_learning_a_certificate_id_that_is_already_live_is_refused(ledger: Ledger) -> None:
    await ledger.insert_processing([make_row(certificate_id="C")])
    [other] = await ledger.insert_processing([make_row(certificate_id=None, encrypted_code="E2")])
    with pytest.raises(CouponBusy):
        await ledger.update_verification(other["id"], {"certificate_id": "C"})


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ({"pay_amount": "100"}, "pay_amount"),
        ({"pay_amount": True}, "pay_amount"),
        ({"mode": "fax"}, "mode"),
        ({"certificate_id": None, "encrypted_code": None}, "certificate_id"),
        ({"poi_id": None}, "poi_id"),
        ({"verified_at": "yesterday"}, "verified_at"),
        ({"surprise": 1}, "surprise"),
        ({"details": "not an object"}, "details"),
    ],
)
async def test_bad_rows_are_refused_with_the_field_named(ledger: Ledger, row: dict, field: str) -> None:
    with pytest.raises(LedgerValidation) as caught:
        await ledger.insert_processing([make_row(**row)])
    assert field in caught.value.errors
    assert (await ledger.list_verifications(_all()))[1] == 0


async def test_settling_stamps_times_and_queues_enrichment(ledger: Ledger) -> None:
    [view] = await ledger.insert_processing([make_row()])
    settled = await ledger.update_verification(
        view["id"],
        {"verify_status": "success", "verify_id": "v-1", "coupon_status": "verified", "verify_records_count": 1},
    )
    assert settled["verified_at"] is not None
    assert settled["updated_at"] > view["updated_at"]
    due = await ledger.enrichment_due(utc_now() + timedelta(seconds=1))
    assert [d["id"] for d in due] == [view["id"]]
    await ledger.update_verification(view["id"], {"enrichment_status": "enriched", "order_id": "o-1"})
    assert await ledger.enrichment_due(utc_now() + timedelta(seconds=1)) == []


async def test_nothing_goes_back_to_processing(ledger: Ledger) -> None:
    [view] = await ledger.insert_processing([make_row()])
    await ledger.update_verification(view["id"], {"verify_status": "failed"})
    with pytest.raises(LedgerValidation):
        await ledger.update_verification(view["id"], {"verify_status": "processing"})


async def test_insert_only_fields_cannot_be_changed(ledger: Ledger) -> None:
    [view] = await ledger.insert_processing([make_row()])
    with pytest.raises(LedgerValidation) as caught:
        await ledger.update_verification(view["id"], {"poi_id": "elsewhere", "created_at": "2020-01-01T00:00:00Z"})
    assert set(caught.value.errors) == {"poi_id", "created_at"}


async def test_updated_at_strictly_increases_even_within_a_millisecond(ledger: Ledger) -> None:
    [view] = await ledger.insert_processing([make_row()])
    stamps = [view["updated_at"]]
    for i in range(20):
        changed = await ledger.update_verification(view["id"], {"error_description": f"try {i}"})
        stamps.append(changed["updated_at"])
    assert stamps == sorted(set(stamps))


async def test_unsettled_lists_overdue_processing_rows_only(ledger: Ledger) -> None:
    [fresh] = await ledger.insert_processing([make_row()])
    [overdue] = await ledger.insert_processing([make_row()])
    past = (utc_now() - timedelta(minutes=5)).isoformat()
    await ledger.update_verification(overdue["id"], {"next_reconcile_at": past, "reconcile_attempts": 1})
    [done] = await ledger.insert_processing([make_row()])
    await ledger.update_verification(done["id"], {"verify_status": "success"})
    due_now = await ledger.unsettled(utc_now())
    assert [d["id"] for d in due_now] == [overdue["id"]]
    assert due_now[0]["reconcile_attempts"] == 1
    later = await ledger.unsettled(utc_now() + timedelta(minutes=2))
    assert [d["id"] for d in later] == [overdue["id"], fresh["id"]]


async def test_unknown_ids(ledger: Ledger) -> None:
    assert await ledger.get_verification(12345) is None
    with pytest.raises(LedgerNotFound):
        await ledger.update_verification(12345, {"verify_status": "failed"})


def _all():
    from gateway_core.ledger import VerificationFilter

    return VerificationFilter()
