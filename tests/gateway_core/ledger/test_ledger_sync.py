"""The outbox (every change of our rows, in the same transaction) and the head office's ingest."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from ledger_support import make_row

from gateway_core.ledger import CouponBusy, Ledger, LedgerValidation, VerificationFilter


async def test_every_change_queues_the_new_view(ledger: Ledger) -> None:
    [view] = await ledger.insert_processing([make_row()])
    settled = await ledger.update_verification(view["id"], {"verify_status": "success", "verify_id": "v"})
    batch = await ledger.outbox_batch()
    assert [record for _, record in batch] == [view, settled]  # same keys, order, types and values
    assert list(batch[0][1]) == list(view)
    ids = [outbox_id for outbox_id, _ in batch]
    assert ids == sorted(ids)


async def test_bookkeeping_only_updates_queue_nothing(ledger: Ledger) -> None:
    [view] = await ledger.insert_processing([make_row()])
    await ledger.update_verification(view["id"], {"reconcile_attempts": 3, "last_error": "timeout"})
    assert await ledger.outbox_backlog() == 1


async def test_a_rolled_back_write_leaves_no_outbox_entry(ledger: Ledger) -> None:
    [view] = await ledger.insert_processing([make_row(certificate_id="A")])
    await ledger.insert_processing([make_row(certificate_id="B")])
    before = await ledger.outbox_backlog()
    with pytest.raises(CouponBusy):  # the update itself ran and fired the trigger, then rolled back
        await ledger.update_verification(view["id"], {"certificate_id": "B"})
    assert await ledger.outbox_backlog() == before


def test_the_outbox_is_written_by_the_database_whoever_writes(db_path: Path, ledger: Ledger) -> None:
    """A repair by hand in the sqlite3 shell is synced too: the trigger, not Python, queues it."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute(
        "INSERT INTO verifications (app_id, poi_id, verify_status, certificate_id, mode, created_at, updated_at) "
        "VALUES (1, 'p', 'failed', 'hand', 'code', '2026-03-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z')"
    )
    conn.execute("UPDATE verifications SET error_description = 'fixed by hand' WHERE certificate_id = 'hand'")
    records = [r for (r,) in conn.execute("SELECT record_json FROM outbox ORDER BY id")]
    conn.close()
    assert len(records) == 2 and "fixed by hand" in records[1]


async def test_batches_respect_limits_and_acks_drop_entries(ledger: Ledger) -> None:
    for _ in range(5):
        await ledger.insert_processing([make_row()])
    assert len(await ledger.outbox_batch(limit=3)) == 3
    one = await ledger.outbox_batch(limit=10, max_bytes=10)
    assert len(one) == 1  # an oversized first record still moves, alone
    batch = await ledger.outbox_batch(limit=2)
    assert await ledger.outbox_ack([i for i, _ in batch]) == 2
    assert await ledger.outbox_backlog() == 3
    state = await ledger.sync_state()
    assert state["pushed_total"] == 2 and state["last_success_at"] and state["backlog"] == 3
    await ledger.record_sync_error("HTTP 503")
    state = await ledger.sync_state()
    assert state["last_error"] == "HTTP 503" and state["last_error_at"]
    rest = await ledger.outbox_batch()
    assert [i for i, _ in rest] > [i for i, _ in batch]  # oldest first, acked ones gone


def _remote(record_id: int, updated_at: str, **fields: Any) -> dict[str, Any]:
    record = {
        "id": record_id,
        "app_id": 1,
        "app_name": "收银台",
        "poi_id": "poi-9",
        "verify_status": "success",
        "error_code": 0,
        "error_description": "",
        "certificate_id": f"rc-{record_id}",
        "encrypted_code": None,
        "origin_code": "1234",
        "coupon_status": "verified",
        "product_id": None,
        "product_name": None,
        "sku_id": None,
        "sku_name": None,
        "verify_records_count": 1,
        "verify_id": "v",
        "order_id": "o",
        "source_order_id": None,
        "ext_order_id": None,
        "order_status": 1,
        "pay_amount": 500,
        "receipt_amount": 450,
        "discount_amount": 50,
        "enrichment_status": "enriched",
        "store_id": "store-b",
        "operator": None,
        "mode": "code",
        "request_id": None,
        "created_at": "2026-03-01T02:00:00.000Z",
        "updated_at": updated_at,
        "verified_at": "2026-03-01T02:00:01.000Z",
        "cancelled_at": None,
    }
    record.update(fields)
    return record


async def test_ingest_upserts_and_counts_stale_records(ledger: Ledger) -> None:
    first = [_remote(1, "2026-03-01T02:00:01.000Z"), _remote(2, "2026-03-01T02:00:01.000Z")]
    assert await ledger.ingest("store-b", first) == (2, 0)
    assert await ledger.ingest("store-b", first) == (0, 2)  # a replay changes nothing
    newer = _remote(1, "2026-03-01T03:00:00.000Z", verify_status="cancelled", cancelled_at="2026-03-01T03:00:00Z")
    older = _remote(2, "2026-03-01T01:00:00.000Z", verify_status="failed")
    assert await ledger.ingest("store-b", [newer, older]) == (1, 1)
    views, total = await ledger.list_verifications(VerificationFilter(store_id="store-b"))
    assert total == 2
    by_id = {v["id"]: v for v in views}  # the source store's ids, not ours
    assert by_id[1]["verify_status"] == "cancelled" and by_id[1]["cancelled_at"] == "2026-03-01T03:00:00.000Z"
    assert by_id[2]["verify_status"] == "success"
    # Same ids from another store are other rows.
    assert await ledger.ingest("store-c", [_remote(1, "2026-03-01T02:00:01.000Z", store_id=None)]) == (1, 0)
    rows, totals = await ledger.summary(VerificationFilter(), ["store_id"], "Asia/Shanghai")
    assert [(r["store_id"], r["total_count"]) for r in rows] == [("store-b", 2), ("store-c", 1)]
    assert totals["cancelled_count"] == 1


async def test_ingested_rows_are_not_queued_nor_guarded(ledger: Ledger) -> None:
    await ledger.ingest("store-b", [_remote(7, "2026-03-01T02:00:01.000Z", certificate_id="shared")])
    assert await ledger.outbox_backlog() == 0
    await ledger.insert_processing([make_row(certificate_id="shared")])  # our own coupon, our own guard


async def test_ingest_is_all_or_nothing(ledger: Ledger) -> None:
    good = _remote(1, "2026-03-01T02:00:01.000Z")
    bad = _remote(2, "2026-03-01T02:00:01.000Z", pay_amount="500", verify_status="done", created_at=None)
    with pytest.raises(LedgerValidation) as caught:
        await ledger.ingest("store-b", [good, bad, "nope"])
    assert set(caught.value.errors) == {
        "records[1].pay_amount",
        "records[1].verify_status",
        "records[1].created_at",
        "records[2]",
    }
    assert (await ledger.list_verifications(VerificationFilter()))[1] == 0


async def test_ingest_refuses_a_record_of_another_store(ledger: Ledger) -> None:
    with pytest.raises(LedgerValidation) as caught:
        await ledger.ingest("store-b", [_remote(1, "2026-03-01T02:00:01.000Z", store_id="store-x")])
    assert "records[0].store_id" in caught.value.errors


async def test_a_store_outbox_record_ingests_as_is(ledger: Ledger, tmp_path: Path, box) -> None:
    """What one store queues, the head office accepts unchanged (the wire format round-trips)."""
    [view] = await ledger.insert_processing([make_row()])
    await ledger.update_verification(view["id"], {"verify_status": "success"})
    records = [r for _, r in await ledger.outbox_batch()]
    office = await Ledger.open(tmp_path / "office.sqlite3", box)
    try:
        assert await office.ingest("store-1", records) == (2, 0)
        [stored], _ = await office.list_verifications(VerificationFilter())
        assert stored == records[-1]
    finally:
        await office.close()


async def test_ingested_text_stays_text_whatever_it_looks_like(ledger: Ledger) -> None:
    """The batch travels to SQLite as one JSON array: text that reads as JSON, a number or null
    must still be stored as the same text (and leading zeros kept)."""
    odd = {
        "product_name": '[1, {"a": null}]',
        "origin_code": "0012",
        "sku_name": "null",
        "operator": '"quoted" \\ back\\slash 收银员\u2028',
        "product_id": "123",
        "verify_id": "1e3",
    }
    record = _remote(5, "2026-03-01T02:00:01.000Z", **odd)
    assert await ledger.ingest("store-b", [record]) == (1, 0)
    [stored], _ = await ledger.list_verifications(VerificationFilter(store_id="store-b"))
    assert stored == record
