"""The head office's ingest over a real ledger: validation, all-or-nothing, replays, ordering."""

import pytest

from gateway_core.ledger import VerificationFilter
from gateway_core.service.errors import ServiceError
from gateway_core.sync import MAX_BATCH_RECORDS, ingest_batch
from tests.gateway_core.sync.support import fill_outbox, remote_rows, settle


async def store_views(store_ledger, n):
    ids = await fill_outbox(store_ledger, n, "store-a")
    await settle(store_ledger, ids[:1])
    entries = await store_ledger.outbox_batch(1000, 10**7)
    newest = {}
    for _, record in entries:
        newest[record["id"]] = record
    return list(newest.values())


async def test_batch_is_upserted_and_a_replay_is_all_stale(store_ledger, office_ledger):
    records = await store_views(store_ledger, 5)
    body = {"store_id": "store-a", "records": records}
    assert await ingest_batch(office_ledger, body) == {"accepted": 5, "stale": 0}
    assert await ingest_batch(office_ledger, body) == {"accepted": 0, "stale": 5}
    rows = await remote_rows(office_ledger)
    assert sorted(r["id"] for r in rows) == sorted(r["id"] for r in records)
    assert {r["store_id"] for r in rows} == {"store-a"}
    settled = next(r for r in rows if r["id"] == records[0]["id"])
    assert settled["verify_status"] == "success"


async def test_an_older_updated_at_never_overwrites_a_newer_one(store_ledger, office_ledger):
    [record] = await store_views(store_ledger, 1)
    newer = {**record, "verify_status": "cancelled", "updated_at": "2099-01-01T00:00:00.000Z"}
    assert await ingest_batch(office_ledger, {"store_id": "store-a", "records": [newer]}) == {"accepted": 1, "stale": 0}
    older = {**record, "verify_status": "success", "updated_at": "2098-01-01T00:00:00.000Z"}
    same = {**record, "verify_status": "failed", "updated_at": "2099-01-01T00:00:00.000Z"}
    result = await ingest_batch(office_ledger, {"store_id": "store-a", "records": [older, same]})
    assert result == {"accepted": 0, "stale": 2}
    [row] = await remote_rows(office_ledger)
    assert row["verify_status"] == "cancelled" and row["updated_at"] == "2099-01-01T00:00:00.000Z"


async def test_a_malformed_batch_is_refused_whole_naming_record_and_field(store_ledger, office_ledger):
    records = await store_views(store_ledger, 5)
    records[3] = {**records[3], "updated_at": "yesterday", "pay_amount": "58.00"}
    records[1] = {**records[1], "verify_status": "done"}
    with pytest.raises(ServiceError) as caught:
        await ingest_batch(office_ledger, {"store_id": "store-a", "records": records})
    err = caught.value
    assert err.status == 400 and err.code == "invalid_request"
    assert set(err.fields or {}) >= {"records[3].updated_at", "records[3].pay_amount", "records[1].verify_status"}
    assert await office_ledger.count_verifications(VerificationFilter()) == 0  # nothing of it written


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ([], "body"),
        ({"records": []}, "store_id"),
        ({"store_id": "", "records": []}, "store_id"),
        ({"store_id": " s ", "records": []}, "store_id"),
        ({"store_id": 5, "records": []}, "store_id"),
        ({"store_id": "s", "records": {}}, "records"),
        ({"store_id": "s", "records": [None]}, "records[0]"),
        ({"store_id": "s", "records": [{}]}, "records[0].id"),
        ({"store_id": "s", "records": [{}] * (MAX_BATCH_RECORDS + 1)}, "records"),
    ],
)
async def test_envelope_errors(office_ledger, body, field):
    with pytest.raises(ServiceError) as caught:
        await ingest_batch(office_ledger, body)
    assert caught.value.status == 400 and field in (caught.value.fields or {})


async def test_record_store_id_must_match_the_batch_and_not_be_the_receivers_own(store_ledger, office_ledger):
    records = await store_views(store_ledger, 2)
    with pytest.raises(ServiceError) as caught:
        await ingest_batch(office_ledger, {"store_id": "store-b", "records": records})
    assert "records[0].store_id" in (caught.value.fields or {})
    with pytest.raises(ServiceError) as caught:
        await ingest_batch(office_ledger, {"store_id": "store-a", "records": records}, own_store_id="store-a")
    assert "store_id" in (caught.value.fields or {})
    assert await office_ledger.count_verifications(VerificationFilter()) == 0


async def test_an_empty_batch_is_harmless(office_ledger):
    assert await ingest_batch(office_ledger, {"store_id": "s", "records": []}) == {"accepted": 0, "stale": 0}


async def test_two_stores_same_ids_stay_apart_and_group_by_store(store_ledger, office_ledger):
    records = await store_views(store_ledger, 3)
    other = [{**r, "store_id": "store-b"} for r in records]
    await ingest_batch(office_ledger, {"store_id": "store-a", "records": records})
    await ingest_batch(office_ledger, {"store_id": "store-b", "records": other})
    rows, totals = await office_ledger.summary(VerificationFilter(), ("store_id",))
    assert {r["store_id"]: r["total_count"] for r in rows} == {"store-a": 3, "store-b": 3}
    assert totals["total_count"] == 6


async def test_queued_json_is_sent_as_it_is_and_reads_the_same_as_a_re_encoded_body(store_ledger, office_ledger):
    """The pusher splices each record's queued JSON text into the body instead of decoding and
    encoding it again: the body must still be exactly the records, and a record queued without a
    store id (rows from before the store had one) must still go out with ours."""
    import json

    from gateway_core.sync import build_batch
    from tests.gateway_core.sync.support import processing_row

    await fill_outbox(store_ledger, 2, "store-a")
    odd = {**processing_row(2, "store-a"), "store_id": None, "product_name": '引号" \\ 和 \u2028'}
    await store_ledger.insert_processing([odd])
    entries = await store_ledger.outbox_batch(1000, 10**7)
    batch = build_batch(entries, "store-a")
    assert batch is not None and batch.records == 3
    assert entries[0][1].raw in batch.body  # the queued text itself, not a re-encoding of it
    plain = [{**dict(record), "store_id": record.get("store_id") or "store-a"} for _, record in entries]
    newest = {r["id"]: r for r in plain}
    assert json.loads(batch.body) == {"store_id": "store-a", "records": list(newest.values())}
    assert await ingest_batch(office_ledger, json.loads(batch.body)) == {"accepted": 3, "stale": 0}
