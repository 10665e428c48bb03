"""The sync outbox (filled by triggers, see migrations.py) and the push's bookkeeping."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from gateway_core.clock import iso

SYNC_KEYS = ("last_success_at", "last_error", "last_error_at", "pushed_total")


def batch(
    conn: sqlite3.Connection, limit: int, max_bytes: int, after_id: int = 0
) -> list[tuple[int, dict[str, Any]]]:
    """Oldest entries first (those after `after_id`: the ones not already on their way), at most
    `limit` of them and about `max_bytes` of JSON (never fewer than one entry, so an oversized
    record still moves)."""
    out: list[tuple[int, dict[str, Any]]] = []
    size = 0
    rows = conn.execute("SELECT id, record_json FROM outbox WHERE id > ? ORDER BY id LIMIT ?", (after_id, limit))
    for outbox_id, record_json in rows:
        size += len(record_json.encode("utf-8")) + 1
        if out and size > max_bytes:
            break
        out.append((outbox_id, json.loads(record_json)))
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
