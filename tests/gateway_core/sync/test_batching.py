import json

from hypothesis import given, settings
from hypothesis import strategies as st

from gateway_core.sync import build_batch, coalesce, split_batches
from gateway_core.sync.batching import MAX_BODY_BYTES


def rec(i: int, updated: str = "2026-03-16T02:00:00.000Z", **extra):
    return {"id": i, "store_id": "s1", "updated_at": updated, "product_name": "双人套餐", **extra}


def test_coalesce_keeps_the_newest_snapshot_of_each_verification_in_outbox_order():
    entries = [
        (1, rec(7, "2026-03-16T02:00:00.000Z", verify_status="processing")),
        (2, rec(8)),
        (3, rec(7, "2026-03-16T02:00:01.000Z", verify_status="success")),
        (4, rec(9)),
    ]
    kept = coalesce(entries)
    assert [outbox_id for outbox_id, _ in kept] == [2, 3, 4]
    assert kept[1][1]["verify_status"] == "success"


def test_coalesce_never_prefers_an_older_updated_at_even_if_queued_later():
    entries = [(1, rec(7, "2026-03-16T02:00:05.000Z", v="new")), (2, rec(7, "2026-03-16T02:00:01.000Z", v="old"))]
    assert [r["v"] for _, r in coalesce(entries)] == ["new"]


def test_batch_body_is_the_contract_envelope_and_acks_every_entry_it_covers():
    entries = [(1, rec(7)), (2, rec(7, "2026-03-16T02:00:01.000Z")), (3, rec(8))]
    batch = build_batch(entries, "s1")
    assert batch is not None
    body = json.loads(batch.body)
    assert body["store_id"] == "s1" and [r["id"] for r in body["records"]] == [7, 8]
    assert batch.entry_ids == (1, 2, 3) and batch.records == 2


def test_batch_is_cut_to_fit_the_byte_budget():
    entries = [(i, rec(i, product_name="套餐" * 300)) for i in range(1, 200)]
    batch = build_batch(entries, "s1", max_bytes=20_000)
    assert batch is not None and len(batch.body) <= 20_000
    assert batch.entry_ids == tuple(range(1, len(batch.entry_ids) + 1))  # a prefix: oldest first
    assert len(json.loads(batch.body)["records"]) == len(batch.entry_ids)
    assert build_batch([], "s1") is None


def test_one_store_id_per_batch_and_missing_store_ids_take_ours():
    entries = [(1, {**rec(1), "store_id": None}), (2, rec(2)), (3, {**rec(3), "store_id": "old-id"}), (4, rec(4))]
    batch = build_batch(entries, "s1")
    assert batch is not None and batch.entry_ids == (1, 2)
    assert {r["store_id"] for r in json.loads(batch.body)["records"]} == {"s1"}
    later = build_batch(entries[2:], "s1")
    assert later is not None and later.store_id == "old-id" and later.entry_ids == (3,)


def test_a_single_record_over_the_limit_is_flagged_not_split():
    huge = [(1, rec(1, product_name="x" * 70_000))]
    batch = build_batch(huge, "s1", MAX_BODY_BYTES)
    assert batch is not None and batch.oversized


@settings(max_examples=100, deadline=None)
@given(
    changes=st.lists(st.tuples(st.integers(1, 6), st.integers(0, 50), st.text(max_size=300)), max_size=60),
    max_bytes=st.integers(300, 5000),
    most=st.integers(1, 5),
)
def test_batches_cover_every_entry_once_in_order_and_deliver_the_same_final_state(changes, max_bytes, most):
    entries = [
        (n + 1, {"id": vid, "store_id": "s1", "updated_at": f"2026-03-16T02:00:{sec:02d}.000Z", "note": note})
        for n, (vid, sec, note) in enumerate(changes)
    ]
    batches = split_batches(entries, "s1", max_bytes, most=10**6)
    assert [i for b in batches for i in b.entry_ids] == [e[0] for e in entries]  # each once, oldest first
    for b in batches:
        assert len(b.body) <= max_bytes or b.records == 1
    assert [b.entry_ids for b in split_batches(entries, "s1", max_bytes, most=most)] == [
        b.entry_ids for b in batches[:most]
    ]

    def apply(state, records):  # the head office's rule: a newer updated_at wins, else stale
        for r in records:
            if r["id"] not in state or r["updated_at"] > state[r["id"]]["updated_at"]:
                state[r["id"]] = r
        return state

    everything = apply({}, [r for _, r in entries])
    # Batches may land in any order (they travel side by side): the result must not depend on it.
    for order in (batches, list(reversed(batches))):
        delivered = apply({}, [r for b in order for r in json.loads(b.body)["records"]])
        assert {k: v["updated_at"] for k, v in delivered.items()} == {
            k: v["updated_at"] for k, v in everything.items()
        }
