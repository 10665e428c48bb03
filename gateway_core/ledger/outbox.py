"""The sync outbox (filled by triggers, see migrations.py) and the push's bookkeeping."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

from gateway_core.clock import iso

SYNC_KEYS = ("last_success_at", "last_error", "last_error_at", "pushed_total")


class OutboxRecord(Mapping[str, Any]):
    """One queued VerificationView, kept as the JSON text its trigger wrote.

    The pusher only needs a record's id, updated_at and store_id to batch it, and then sends the
    text as it is: decoding every record and encoding it again was a fifth of a store's CPU while
    it drained a backlog (bench/bench_sync.py). Read as a mapping, it is the decoded view.
    """

    __slots__ = ("_decoded", "_known", "raw")

    def __init__(self, raw: bytes, record_id: Any, updated_at: Any, store_id: Any) -> None:
        self.raw = raw
        self._known = {"id": record_id, "updated_at": updated_at, "store_id": store_id}
        self._decoded: dict[str, Any] | None = None

    def _view(self) -> dict[str, Any]:
        if self._decoded is None:
            self._decoded = json.loads(self.raw)
        return self._decoded

    def get(self, key: str, default: Any = None) -> Any:
        if key in self._known:
            return self._known[key]
        return self._view().get(key, default)

    def __getitem__(self, key: str) -> Any:
        return self._view()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._view())

    def __len__(self) -> int:
        return len(self._view())

    def __repr__(self) -> str:
        return f"OutboxRecord({self.raw[:80]!r}...)"


def batch(conn: sqlite3.Connection, limit: int, max_bytes: int, after_id: int = 0) -> list[tuple[int, OutboxRecord]]:
    """Oldest entries first (those after `after_id`: the ones not already on their way), at most
    `limit` of them and about `max_bytes` of JSON (never fewer than one entry, so an oversized
    record still moves)."""
    out: list[tuple[int, OutboxRecord]] = []
    size = 0
    rows = conn.execute(
        "SELECT id, record_json, json_extract(record_json, '$.id'), json_extract(record_json, '$.updated_at'), "
        "json_extract(record_json, '$.store_id') FROM outbox WHERE id > ? ORDER BY id LIMIT ?",
        (after_id, limit),
    )
    for outbox_id, record_json, record_id, updated_at, store_id in rows:
        raw = record_json.encode("utf-8")
        size += len(raw) + 1
        if out and size > max_bytes:
            break
        out.append((outbox_id, OutboxRecord(raw, record_id, updated_at, store_id)))
    return out


def ack(conn: sqlite3.Connection, ids: Sequence[int], now: datetime) -> int:
    """Drop pushed entries and count them as a successful push; returns how many were dropped."""
    removed = 0
    for start in range(0, len(ids), 500):  # stay under SQLite's bound-parameter limit
        chunk = list(ids[start : start + 500])
        marks = ", ".join("?" for _ in chunk)
        removed += conn.execute(f"DELETE FROM outbox WHERE id IN ({marks})", chunk).rowcount
    conn.execute(
        "UPDATE sync_state SET last_success_at = ?, pushed_total = pushed_total + ? WHERE id = 1",
        (iso(now), removed),
    )
    return removed


def backlog(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT COUNT(*) FROM outbox").fetchone()[0])


def record_error(conn: sqlite3.Connection, error: str, now: datetime) -> None:
    conn.execute("UPDATE sync_state SET last_error = ?, last_error_at = ? WHERE id = 1", (error[:2000], iso(now)))


def state(conn: sqlite3.Connection) -> dict[str, Any]:
    row = conn.execute(f"SELECT {', '.join(SYNC_KEYS)} FROM sync_state WHERE id = 1").fetchone()
    result = dict(zip(SYNC_KEYS, row, strict=True))
    result["backlog"] = backlog(conn)
    return result
