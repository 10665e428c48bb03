"""Turning the oldest outbox entries into one POST body that the receiver will take.

The receiver refuses bodies over 64 KiB (contract §3), so the body is sized in encoded bytes, not
guessed from a record count. Entries of one verification are coalesced to its newest snapshot:
the head office keeps only the newest `updated_at` anyway, and sending the older ones would only
come back as `stale`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from gateway_core.ledger.outbox import OutboxRecord

# The server's limit is 65,536 bytes; the margin absorbs a proxy's or a future version's overhead.
MAX_BODY_BYTES = 60_000
# Above this the receiver answers 413: a single record this large cannot be sent at all.
MAX_BODY_BYTES_HARD = 64 * 1024
MAX_BATCH_RECORDS = 500  # the receiver takes up to 1,000; bytes are the tighter bound in practice

Entry = tuple[int, Mapping[str, Any]]


@dataclass(frozen=True)
class Batch:
    store_id: str
    body: bytes
    records: int  # after coalescing: what the receiver will count as accepted + stale
    entry_ids: tuple[int, ...]  # every outbox entry this body covers: acked together on success
    verification_ids: tuple[int, ...]

    @property
    def oversized(self) -> bool:
        return len(self.body) > MAX_BODY_BYTES_HARD


# One encoder for every record: json.dumps with these options would build a new one per call,
# a measurable share of the store's CPU when it drains a large backlog.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _encode(value: Any) -> bytes:
    return _ENCODER.encode(value).encode("utf-8")


def _newer(record: Mapping[str, Any], outbox_id: int, than: tuple[int, Mapping[str, Any]]) -> bool:
    return (str(record.get("updated_at") or ""), outbox_id) >= (str(than[1].get("updated_at") or ""), than[0])


def coalesce(entries: Sequence[Entry]) -> list[Entry]:
    """One entry per verification id: its newest snapshot (by `updated_at`, then outbox order),
    in the outbox order of the snapshots kept. (`build_batch` applies the same rule as it goes.)"""
    newest: dict[Any, Entry] = {}
    for outbox_id, record in entries:
        seen = newest.get(record.get("id"))
        if seen is None or _newer(record, outbox_id, seen):
            newest[record.get("id")] = (outbox_id, record)
    return sorted(newest.values(), key=lambda e: e[0])


def _record_store(record: Mapping[str, Any], default_store_id: str) -> str:
    return record.get("store_id") or default_store_id


def build_batch(entries: Sequence[Entry], default_store_id: str, max_bytes: int = MAX_BODY_BYTES) -> Batch | None:
    """The body for the longest prefix of `entries` that fits `max_bytes` (at least one entry).

    Each record is encoded once and the body measured as it grows, so the byte bound is exact
    whatever JSON text the ledger sized its read on. A batch carries one store id: rows written
    before the store's id was changed keep the id they were made under, and go in batches of
    their own rather than being refused as a mismatch.
    """
    if not entries:
        return None
    store_id = _record_store(entries[0][1], default_store_id)
    head = b'{"store_id":' + _encode(store_id) + b',"records":['
    size = len(head) + len(b"]}")
    # verification id -> (outbox id, record, encoded record) of its newest snapshot so far
    kept: dict[Any, tuple[int, Mapping[str, Any], bytes]] = {}
    taken = 0
    for outbox_id, record in entries:
        if _record_store(record, default_store_id) != store_id:
            break
        key = record.get("id")
        seen = kept.get(key)
        if seen is not None and not _newer(record, outbox_id, (seen[0], seen[1])):
            taken += 1  # an older snapshot than one already in the body: covered by it
            continue
        if not record.get("store_id"):
            encoded = _encode({**record, "store_id": store_id})
        elif isinstance(record, OutboxRecord):
            encoded = record.raw  # the ledger's own JSON text, sent as it is
        else:
            encoded = _encode(record)
        grown = size + len(encoded) + (0 if seen is not None else 1) - (len(seen[2]) if seen is not None else 0)
        if grown > max_bytes and kept:
            break
        kept[key] = (outbox_id, record, encoded)
        size = grown
        taken += 1
    ordered = sorted(kept.values(), key=lambda k: k[0])
    body = head + b",".join(encoded for _, _, encoded in ordered) + b"]}"
    return Batch(
        store_id=store_id,
        body=body,
        records=len(ordered),
        entry_ids=tuple(outbox_id for outbox_id, _ in entries[:taken]),
        verification_ids=tuple(record.get("id") for _, record, _ in ordered),
    )


def split_batches(
    entries: Sequence[Entry], default_store_id: str, max_bytes: int = MAX_BODY_BYTES, most: int = 1
) -> list[Batch]:
    """Up to `most` consecutive batches covering the oldest of `entries`."""
    batches: list[Batch] = []
    rest = entries
    while rest and len(batches) < most:
        batch = build_batch(rest, default_store_id, max_bytes)
        assert batch is not None
        batches.append(batch)
        rest = rest[len(batch.entry_ids) :]
    return batches
