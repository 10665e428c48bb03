"""The audit trail: who changed what, with the state before and after. Append-only: triggers
refuse UPDATE and DELETE on the table, so not even a bug here can rewrite history."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import Any

from gateway_core.clock import iso
from gateway_core.ledger.errors import LedgerValidation
from gateway_core.ledger.models import ACTOR_TYPES

AUDIT_KEYS = ("id", "at", "actor_type", "actor", "action", "target", "before", "after")


def _dump(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, default=str)


def add(
    conn: sqlite3.Connection,
    now: datetime,
    actor_type: str,
    actor: str,
    action: str,
    target: str | None = None,
    before: Any = None,
    after: Any = None,
) -> int:
    if actor_type not in ACTOR_TYPES:
        raise LedgerValidation({"actor_type": f"must be one of {', '.join(ACTOR_TYPES)}"})
    cursor = conn.execute(
        "INSERT INTO audit_log (at, actor_type, actor, action, target, before_json, after_json) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (iso(now), actor_type, actor, action, target, _dump(before), _dump(after)),
    )
    return int(cursor.lastrowid or 0)


def list_entries(
    conn: sqlite3.Connection, *, target: str | None, before_id: int | None, limit: int
) -> list[dict[str, Any]]:
    """Newest first; page backwards with `before_id` = the last id seen."""
    clauses, params = [], []
    if target is not None:
        clauses.append("target = ?")
        params.append(target)
    if before_id is not None:
        clauses.append("id < ?")
        params.append(before_id)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = conn.execute(
        "SELECT id, at, actor_type, actor, action, target, before_json, after_json FROM audit_log "
        f"{where} ORDER BY id DESC LIMIT ?",
        (*params, limit),
    ).fetchall()
    return [
        dict(
            zip(
                AUDIT_KEYS,
                (*r[:6], json.loads(r[6]) if r[6] else None, json.loads(r[7]) if r[7] else None),
                strict=True,
            )
        )
        for r in rows
    ]
