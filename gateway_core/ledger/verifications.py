"""Our own verification rows: written `processing` before Douyin is asked, then settled.

Functions here run on the writer thread inside the transaction `Database.write` opened; the
outbox entry and the hourly rollup of every change are written by triggers in that same
transaction (see migrations.py).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from gateway_core.clock import iso, parse_iso
from gateway_core.ledger import audit as audit_log
from gateway_core.ledger.errors import CouponBusy, LedgerNotFound, LedgerValidation
from gateway_core.ledger.migrations import LIVE_ROW
from gateway_core.ledger.models import Audit
from gateway_core.ledger.validation import VIEW_KEY_SET, check_fields
from gateway_core.ledger.views import (
    INTERNAL_SELECT,
    VIEW_DEFAULTS,
    VIEW_SELECT,
    verification_internal,
    verification_view,
)

# A verify in flight is the request's own business for this long; only after it does the
# background reconciler treat a still-processing row as an unknown outcome.
RECONCILE_GRACE = timedelta(seconds=60)

INTERNAL_WRITABLE = frozenset(
    {
        "details",
        "reconcile_attempts",
        "next_reconcile_at",
        "enrich_attempts",
        "next_enrich_at",
        "last_error",
        "outcome_unknown_at",
    }
)
# Fixed when the row is written `processing`: who asked, where, how, and when.
INSERT_ONLY = frozenset({"app_id", "app_name", "poi_id", "store_id", "mode", "request_id", "created_at"})
INSERTABLE = (VIEW_KEY_SET - {"id", "verify_status", "updated_at"}) | INTERNAL_WRITABLE | {"multi_use"}
UPDATABLE = (VIEW_KEY_SET - {"id", "updated_at"} - INSERT_ONLY) | INTERNAL_WRITABLE
REQUIRED_ON_INSERT = ("app_id", "poi_id", "mode")
NOT_NULL_KEYS = frozenset(VIEW_DEFAULTS) | {"verify_status"}


def _column_values(clean: dict[str, Any]) -> dict[str, Any]:
    values = dict(clean)
    if "details" in values:
        details = values.pop("details")
        values["details_json"] = json.dumps(details, ensure_ascii=False) if details is not None else None
    return values


def _check(data: Mapping[str, Any], allowed: frozenset[str], prefix: str, errors: dict[str, str]) -> dict[str, Any]:
    """Checked fields; `details` (the coupon card) is any JSON object, the rest typed columns."""
    clean = check_fields({k: v for k, v in data.items() if k != "details"}, allowed, prefix, errors)
    if "details" in data:
        details = data["details"]
        if details is not None and not isinstance(details, dict):
            errors[f"{prefix}details"] = "must be an object"
        clean["details"] = details
    return clean


def get_view(conn: sqlite3.Connection, local_id: int) -> dict[str, Any] | None:
    row = conn.execute(f"SELECT {VIEW_SELECT} FROM verifications v WHERE v.id = ?", (local_id,)).fetchone()
    return verification_view(row) if row else None


def get_internal(conn: sqlite3.Connection, local_id: int) -> dict[str, Any] | None:
    row = conn.execute(f"SELECT {INTERNAL_SELECT} FROM verifications v WHERE v.id = ?", (local_id,)).fetchone()
    return verification_internal(row) if row else None


def live_for_coupon(
    conn: sqlite3.Connection, coupon_key: str, encrypted_code: str | None = None
) -> dict[str, Any] | None:
    """The row that holds the coupon (migrations.LIVE_ROW), if any.

    Also looked up by the encrypted code: a row written for an `encrypted_code` request has no
    certificate id yet, so it is keyed by the code, while a row from a prepare is keyed by the
    certificate id and carries the code; the same coupon asked for both ways is one coupon.
    """
    lookups = (("coupon_key", coupon_key), ("coupon_key", encrypted_code), ("encrypted_code", encrypted_code))
    for column, value in lookups:
        if value is None:
            continue
        row = conn.execute(
            f"SELECT {VIEW_SELECT} FROM verifications v WHERE v.{column} = ? AND {LIVE_ROW}", (value,)
        ).fetchone()
        if row:
            return verification_view(row)
    return None


def insert_processing(
    conn: sqlite3.Connection, rows: Sequence[Mapping[str, Any]], now: datetime, default_store_id: str | None
) -> list[dict[str, Any]]:
    """Insert every row as `processing`, or none: raises CouponBusy / LedgerValidation."""
    if not rows:
        raise LedgerValidation({"rows": "at least one row is needed"})
    errors: dict[str, str] = {}
    prepared: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for i, row in enumerate(rows):
        prefix = f"rows[{i}]." if len(rows) > 1 else ""
        clean = _check(row, INSERTABLE, prefix, errors)
        for key in REQUIRED_ON_INSERT:
            if clean.get(key) is None and f"{prefix}{key}" not in errors:
                errors[f"{prefix}{key}"] = "required"
        key = clean.get("certificate_id") or clean.get("encrypted_code")
        if not key:
            errors[f"{prefix}certificate_id"] = "certificate_id or encrypted_code is required"
        elif key in seen:
            errors[f"{prefix}certificate_id"] = f"same coupon as rows[{seen[key]}]"
        else:
            seen[key] = i
        prepared.append(clean)
    if errors:
        raise LedgerValidation(errors)

    stamp = iso(now)
    names: dict[int, str] = {}
    inserted: list[int] = []
    for clean in prepared:
        coupon_key = clean.get("certificate_id") or clean.get("encrypted_code")
        existing = live_for_coupon(conn, coupon_key, clean.get("encrypted_code"))
        if existing:
            # The caller's transaction rolls back, taking any rows of this batch with it.
            raise CouponBusy(coupon_key, existing)
        if clean.get("app_name") is None:
            app_id = clean["app_id"]
            if app_id not in names:
                found = conn.execute("SELECT name FROM apps WHERE id = ?", (app_id,)).fetchone()
                names[app_id] = found[0] if found else ""
            clean["app_name"] = names[app_id]
        values = {k: v for k, v in _column_values(clean).items() if v is not None or k not in VIEW_DEFAULTS}
        if values.get("store_id") is None:
            values["store_id"] = default_store_id
        values.setdefault("created_at", stamp)
        values["updated_at"] = max(stamp, values["created_at"])
        values["verify_status"] = "processing"
        values.setdefault("next_reconcile_at", iso(parse_iso(values["created_at"]) + RECONCILE_GRACE))
        columns = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        try:
            cursor = conn.execute(f"INSERT INTO verifications ({columns}) VALUES ({marks})", tuple(values.values()))
        except sqlite3.IntegrityError as exc:
            if "coupon_key" in str(exc):  # only reachable if another process won the race
                raise CouponBusy(coupon_key, live_for_coupon(conn, coupon_key)) from exc
            raise
        inserted.append(int(cursor.lastrowid or 0))
    return [view for local_id in inserted if (view := get_view(conn, local_id))]


def _next_updated_at(old: str, now: datetime) -> str:
    """Strictly later than the row's previous `updated_at`, even within one millisecond or with a
    clock that stepped back: the head office keeps a change only when `updated_at` is newer."""
    stamp = iso(now)
    if stamp > old:
        return stamp
    return iso(parse_iso(old) + timedelta(milliseconds=1))


def update_verification(
    conn: sqlite3.Connection,
    local_id: int,
    changes: Mapping[str, Any],
    now: datetime,
    audit: Audit | None = None,
) -> dict[str, Any]:
    """Apply `changes` (view fields and bookkeeping) to one of our rows; returns the new view.

    Becoming `success` stamps `verified_at` (and queues enrichment now) unless given; becoming
    `cancelled` stamps `cancelled_at`. Nothing goes back to `processing`.
    """
    old = get_internal(conn, local_id)
    if old is None:
        raise LedgerNotFound("verification", local_id)
    if old["remote_id"] is not None:
        raise LedgerValidation({"id": "a row synced from another store cannot be changed here"})
    errors: dict[str, str] = {}
    clean = _check(changes, UPDATABLE, "", errors)
    status = clean.get("verify_status", old["verify_status"])
    if status == "processing" and old["verify_status"] != "processing":
        errors["verify_status"] = f"cannot go back to processing from {old['verify_status']}"
    for key in NOT_NULL_KEYS:
        if key in changes and changes[key] is None:
            errors[key] = "cannot be null"
    if errors:
        raise LedgerValidation(errors)

    stamp = iso(now)
    if status != old["verify_status"]:
        if status == "success":
            clean.setdefault("verified_at", old["verified_at"] or stamp)
            if old["enrichment_status"] == "pending" and clean.get("enrichment_status", "pending") == "pending":
                clean.setdefault("next_enrich_at", stamp)
        elif status == "cancelled":
            clean.setdefault("cancelled_at", old["cancelled_at"] or stamp)
    values = _column_values(clean)
    if any(k in VIEW_KEY_SET and values[k] != old[k] for k in values):
        values["updated_at"] = _next_updated_at(old["updated_at"], now)
    if not values:
        return {k: old[k] for k in old if k in VIEW_KEY_SET}
    assignments = ", ".join(f"{k} = ?" for k in values)
    try:
        conn.execute(f"UPDATE verifications SET {assignments} WHERE id = ?", (*values.values(), local_id))
    except sqlite3.IntegrityError as exc:
        if "coupon_key" in str(exc):
            key = values.get("certificate_id") or old["coupon_key"]
            raise CouponBusy(key, live_for_coupon(conn, key)) from exc
        raise
    view = get_view(conn, local_id)
    assert view is not None
    if audit:
        before = {k: old[k] for k in old if k in VIEW_KEY_SET}
        audit_log.add(conn, now, audit.actor_type, audit.actor, audit.action, f"verification:{local_id}", before, view)
    return view


def unsettled(conn: sqlite3.Connection, now: datetime, limit: int) -> list[dict[str, Any]]:
    """Our `processing` rows whose reconciliation is due, most overdue first."""
    rows = conn.execute(
        f"""SELECT {INTERNAL_SELECT} FROM verifications v
            WHERE v.verify_status = 'processing' AND v.remote_id IS NULL
              AND (v.next_reconcile_at IS NULL OR v.next_reconcile_at <= ?)
            ORDER BY v.next_reconcile_at LIMIT ?""",
        (iso(now), limit),
    ).fetchall()
    return [verification_internal(r) for r in rows]


def enrichment_due(conn: sqlite3.Connection, now: datetime, limit: int) -> list[dict[str, Any]]:
    """Our `success` rows still waiting for order details, whose next attempt is due."""
    rows = conn.execute(
        f"""SELECT {INTERNAL_SELECT} FROM verifications v
            WHERE v.enrichment_status = 'pending' AND v.verify_status = 'success' AND v.remote_id IS NULL
              AND (v.next_enrich_at IS NULL OR v.next_enrich_at <= ?)
            ORDER BY v.next_enrich_at LIMIT ?""",
        (iso(now), limit),
    ).fetchall()
    return [verification_internal(r) for r in rows]
