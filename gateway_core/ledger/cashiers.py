"""Cashiers and their PINs (salted scrypt; the PIN itself is never stored).

Hashing is deliberately slow (~tens of ms), so it runs off the writer thread: `hash_pin` before
the write, `verify_pin` on a reader thread.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import secrets
import sqlite3
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from gateway_core.clock import iso
from gateway_core.ledger.errors import LedgerConflict, LedgerNotFound, LedgerValidation
from gateway_core.ledger.models import CASHIER_ROLES
from gateway_core.ledger.views import CASHIER_SELECT, cashier_view

_N, _R, _P = 2**14, 8, 1  # 16 MiB per hash: cheap for one login, costly for a brute-force run
UPDATABLE = frozenset({"name", "role", "active", "pin_hash"})


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_pin(pin: str) -> str:
    if not pin:
        raise LedgerValidation({"pin": "required"})
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${_b64(salt)}${_b64(digest)}"


def verify_pin(pin: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            pin.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), dklen=len(expected)
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def _check(changes: Mapping[str, Any]) -> None:
    errors: dict[str, str] = {}
    if "name" in changes and (not isinstance(changes["name"], str) or not changes["name"].strip()):
        errors["name"] = "must be a non-empty string"
    if "role" in changes and changes["role"] not in CASHIER_ROLES:
        errors["role"] = f"must be one of {', '.join(CASHIER_ROLES)}"
    if "active" in changes and not isinstance(changes["active"], bool):
        errors["active"] = "must be true or false"
    if errors:
        raise LedgerValidation(errors)


def get(conn: sqlite3.Connection, cashier_id: int) -> dict[str, Any] | None:
    row = conn.execute(f"SELECT {CASHIER_SELECT} FROM cashiers WHERE id = ?", (cashier_id,)).fetchone()
    return cashier_view(row) if row else None


def list_all(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    return [cashier_view(r) for r in conn.execute(f"SELECT {CASHIER_SELECT} FROM cashiers ORDER BY name")]


def add(conn: sqlite3.Connection, name: str, pin_hash: str, role: str, now: datetime) -> dict[str, Any]:
    _check({"name": name, "role": role})
    stamp = iso(now)
    try:
        cursor = conn.execute(
            "INSERT INTO cashiers (name, pin_hash, role, active, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)",
            (name.strip(), pin_hash, role, stamp, stamp),
        )
    except sqlite3.IntegrityError as exc:
        raise LedgerConflict("name", f"a cashier named {name!r} exists") from exc
    view = get(conn, int(cursor.lastrowid or 0))
    assert view is not None
    return view


def update(
    conn: sqlite3.Connection, cashier_id: int, changes: Mapping[str, Any], now: datetime
) -> tuple[dict[str, Any], dict[str, Any]]:
    unknown = set(changes) - UPDATABLE
    if unknown:
        raise LedgerValidation({k: "cannot be changed" for k in sorted(unknown)})
    _check(changes)
    before = get(conn, cashier_id)
    if before is None:
        raise LedgerNotFound("cashier", cashier_id)
    values = {k: int(v) if isinstance(v, bool) else v for k, v in changes.items()}
    if "name" in values:
        values["name"] = values["name"].strip()
    values["updated_at"] = iso(now)
    assignments = ", ".join(f"{k} = ?" for k in values)
    try:
        conn.execute(f"UPDATE cashiers SET {assignments} WHERE id = ?", (*values.values(), cashier_id))
    except sqlite3.IntegrityError as exc:
        raise LedgerConflict("name") from exc
    after = get(conn, cashier_id)
    assert after is not None
    return before, after


def check_pin(conn: sqlite3.Connection, name: str, pin: str) -> dict[str, Any] | None:
    """The active cashier `name` if `pin` is theirs, else None (same cost either way)."""
    row = conn.execute(f"SELECT {CASHIER_SELECT}, pin_hash FROM cashiers WHERE name = ?", (name.strip(),)).fetchone()
    # Hash even for an unknown name, so timing does not tell which names exist.
    stored = row[-1] if row else _dummy_hash()
    ok = verify_pin(pin, stored)
    if row is None or not ok:
        return None
    view = cashier_view(row[:-1])
    return view if view["active"] else None


@functools.cache
def _dummy_hash() -> str:
    return hash_pin("not-a-pin")
