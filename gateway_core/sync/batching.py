"""Turning the oldest outbox entries into one POST body that the receiver will take.

The receiver refuses bodies over 64 KiB (contract §3), so the body is sized in encoded bytes, not
guessed from a record count. Entries of one verification are coalesced to its newest snapshot:
the head office keeps only the newest `updated_at` anyway, and sending the older ones would only
come back as `stale`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

# The server's limit is 65,536 bytes; the margin absorbs a proxy's or a future version's overhead.
MAX_BODY_BYTES = 60_000
# Above this the receiver answers 413: a single record this large cannot be sent at all.
MAX_BODY_BYTES_HARD = 64 * 1024
MAX_BATCH_RECORDS = 500  # the receiver takes up to 1,000; bytes are the tighter bound in practice

Entry = tuple[int, dict[str, Any]]


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


def _encode(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def coalesce(entries: Sequence[Entry]) -> list[Entry]:
    """One entry per verification id: its newest snapshot (by `updated_at`, then outbox order),
    in the outbox order of the snapshots kept."""
    newest: dict[Any, Entry] = {}
    for entry in entries:
        outbox_id, record = entry
        key = record.get("id")
        seen = newest.get(key)
        if seen is None or (str(record.get("updated_at") or ""), outbox_id) >= (
            str(seen[1].get("updated_at") or ""),
            seen[0],
        ):
            newest[key] = entry
    return sorted(newest.values(), key=lambda e: e[0])


def _record_store(record: dict[str, Any], default_store_id: str) -> str:
    return record.get("store_id") or default_store_id


def build_batch(entries: Sequence[Entry], default_store_id: str, max_bytes: int = MAX_BODY_BYTES) -> Batch | None:
    """The body for the longest prefix of `entries` that fits `max_bytes` (at least one entry).

    A batch carries one store id: rows written before the store's id was changed keep the id they
    were made under, and go in batches of their own rather than being refused as a mismatch.
    """
    if not entries:
        return None
    store_id = _record_store(entries[0][1], default_store_id)
    n = 0
    while n < len(entries) and _record_store(entries[n][1], default_store_id) == store_id:
        n += 1
    head = b'{"store_id":' + _encode(store_id) + b',"records":['
    while True:
        kept = coalesce(entries[:n])
        encoded = []
        for _, record in kept:
            if not record.get("store_id"):
                record = {**record, "store_id": store_id}
            encoded.append(_encode(record))
        body = head + b",".join(encoded) + b"]}"
        if len(body) <= max_bytes or n == 1:
            break
        # The ledger sized the batch on its own JSON text, which can differ slightly from ours:
        # shrink in proportion and try again (rare, and a few passes at most).
        n = max(1, min(n - 1, n * max_bytes // len(body)))
    return Batch(
        store_id=store_id,
        body=body,
        records=len(kept),
        entry_ids=tuple(outbox_id for outbox_id, _ in entries[:n]),
        verification_ids=tuple(record.get("id") for _, record in kept),
    )
