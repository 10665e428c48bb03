"""Replay protection: signed-request nonces and idempotency keys (`request_id`)."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta
from typing import Any

from gateway_core.clock import iso
from gateway_core.ledger.models import IdemResult
from gateway_core.signing import NONCE_TTL_SECONDS  # the contract's 10 minutes

IDEMPOTENCY_TTL = timedelta(days=7)
# A request_id's claim outlives its request only if the process died holding it: no verify takes
# this long (Douyin's timeout is seconds). After it the claim is stale and the id may be used
# again; the exactly-once guard still stands between a retry and a second redemption.
STALE_CLAIM = timedelta(minutes=15)


def claim_nonce(conn: sqlite3.Connection, client_key: str, nonce: str, now: float) -> bool:
    """True the first time (client_key, nonce) is seen within the TTL; False on a replay."""
    cursor = conn.execute(
        """INSERT INTO nonces (client_key, nonce, seen_at) VALUES (?, ?, ?)
           ON CONFLICT (client_key, nonce) DO UPDATE SET seen_at = excluded.seen_at
           WHERE nonces.seen_at < excluded.seen_at - ?""",
        (client_key, nonce, int(now), NONCE_TTL_SECONDS),
    )
    return cursor.rowcount == 1


def prune_nonces(conn: sqlite3.Connection, now: float) -> int:
    return conn.execute("DELETE FROM nonces WHERE seen_at < ?", (int(now) - NONCE_TTL_SECONDS,)).rowcount


def idempotency_begin(
    conn: sqlite3.Connection, app_id: int, request_id: str, body_hash: str, now: datetime
) -> IdemResult:
    """Claim `request_id` for this body, or report what an earlier request with it did."""
    row = conn.execute(
        "SELECT body_hash, state, status_code, response_json FROM idempotency WHERE app_id = ? AND request_id = ?",
        (app_id, request_id),
    ).fetchone()
    if row is None:
        conn.execute(
            "INSERT INTO idempotency (app_id, request_id, body_hash, state, created_at) "
            "VALUES (?, ?, ?, 'in_progress', ?)",
            (app_id, request_id, body_hash, iso(now)),
        )
        return IdemResult("new")
    stored_hash, state, status_code, response_json = row
    if stored_hash != body_hash:
        return IdemResult("mismatch")
    if state == "in_progress":
        claimed = conn.execute(
            "UPDATE idempotency SET created_at = ? WHERE app_id = ? AND request_id = ? AND created_at < ?",
            (iso(now), app_id, request_id, iso(now - STALE_CLAIM)),
        ).rowcount
        return IdemResult("new" if claimed else "in_progress")
    return IdemResult("done", status_code, json.loads(response_json) if response_json else None)


def idempotency_finish(conn: sqlite3.Connection, app_id: int, request_id: str, status_code: int, body: Any) -> None:
    conn.execute(
        "UPDATE idempotency SET state = 'done', status_code = ?, response_json = ? WHERE app_id = ? AND request_id = ?",
        (status_code, json.dumps(body, ensure_ascii=False), app_id, request_id),
    )


def idempotency_abandon(conn: sqlite3.Connection, app_id: int, request_id: str) -> None:
    """Forget an in-progress claim (the request failed before anything irreversible)."""
    conn.execute(
        "DELETE FROM idempotency WHERE app_id = ? AND request_id = ? AND state = 'in_progress'",
        (app_id, request_id),
    )


def prune_idempotency(conn: sqlite3.Connection, now: datetime) -> int:
    """Drop week-old answers and stale claims."""
    return conn.execute(
        "DELETE FROM idempotency "
        "WHERE (state = 'done' AND created_at < ?) OR (state = 'in_progress' AND created_at < ?)",
        (iso(now - IDEMPOTENCY_TTL), iso(now - STALE_CLAIM)),
    ).rowcount
