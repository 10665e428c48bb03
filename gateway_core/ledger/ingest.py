"""The head office's side of sync: upsert other stores' VerificationViews (contract section 6).

Rows are keyed by (store_id, remote_id = the record's id). A record whose `updated_at` is not
newer than the stored one changes nothing and counts as stale, so replays and out-of-order
batches are harmless. Ingested rows never enter the outbox and never trip the exactly-once guard.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

from gateway_core.ledger.errors import LedgerValidation
from gateway_core.ledger.validation import check_field
from gateway_core.ledger.views import VIEW_DEFAULTS, VIEW_KEYS

REQUIRED = ("id", "app_id", "poi_id", "verify_status", "mode", "created_at", "updated_at")
_COLUMNS = tuple(k for k in VIEW_KEYS if k != "id")
_UPSERT = (
    f"INSERT INTO verifications (remote_id, {', '.join(_COLUMNS)}) "
    f"VALUES (?, {', '.join('?' for _ in _COLUMNS)}) "
    "ON CONFLICT (store_id, remote_id) WHERE remote_id IS NOT NULL DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in _COLUMNS if c != "store_id")
    + " WHERE excluded.updated_at > verifications.updated_at"
)


def _validate(store_id: str, records: Sequence[Any]) -> list[tuple[Any, ...]]:
    errors: dict[str, str] = {}
    if not isinstance(store_id, str) or not store_id.strip():
        errors["store_id"] = "required"
    if not isinstance(records, Sequence) or isinstance(records, str | bytes):
        raise LedgerValidation({"records": "must be a list"})
    rows: list[tuple[Any, ...]] = []
    for i, record in enumerate(records):
        prefix = f"records[{i}]."
        if not isinstance(record, Mapping):
            errors[f"records[{i}]"] = "must be an object"
            continue
        values: dict[str, Any] = {}
        for key in VIEW_KEYS:  # unknown keys are ignored: a newer store may send more fields
            stored, reason = check_field(key, record.get(key))
            if reason:
                errors[prefix + key] = reason
            values[key] = stored
        for key in REQUIRED:
            if values[key] is None and prefix + key not in errors:
                errors[prefix + key] = "required"
        if isinstance(values["id"], int) and values["id"] <= 0:
            errors[prefix + "id"] = "must be positive"
        if values["certificate_id"] is None and values["encrypted_code"] is None:
            errors[prefix + "certificate_id"] = "certificate_id or encrypted_code is required"
        if values["store_id"] not in (None, store_id):
            errors[prefix + "store_id"] = "differs from the batch's store_id"
        values["store_id"] = store_id
        for key, default in VIEW_DEFAULTS.items():
            if values[key] is None:
                values[key] = default
        rows.append((values["id"], *(values[c] for c in _COLUMNS)))
    if errors:
        raise LedgerValidation(errors)
    return rows


def ingest(conn: sqlite3.Connection, store_id: str, records: Sequence[Any]) -> tuple[int, int]:
    """(accepted, stale); validates every record before writing any (all or nothing)."""
    rows = _validate(store_id, records)
    # executemany sums the rows each statement changed: a stale record's upsert changes none.
    accepted = conn.executemany(_UPSERT, rows).rowcount if rows else 0
    return accepted, len(rows) - accepted
