"""Verifier apps: the clients that may call the open API, and their secrets (sealed at rest)."""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from gateway_core.clock import iso
from gateway_core.ledger.errors import LedgerConflict, LedgerNotFound, LedgerValidation
from gateway_core.ledger.models import APP_STATUSES, AppAuth
from gateway_core.ledger.views import APP_SELECT, app_view
from gateway_core.secretbox import SecretBox

UPDATABLE = frozenset({"name", "description", "status", "allow_token_read"})


def secret_context(client_key: str) -> str:
    # Binds the sealed secret to its app: a secret_enc copied onto another app does not open.
    return f"app-secret:{client_key}"


def new_secret() -> str:
    return secrets.token_urlsafe(32)  # 32 random bytes, URL-safe (contract: at least 32)


def new_client_key() -> str:
    return "dyv_" + secrets.token_hex(12)


def _conflict_field(exc: sqlite3.IntegrityError) -> str | None:
    message = str(exc)
    for field in ("code", "client_key"):
        if f"apps.{field}" in message:
            return field
    return None


def _check(changes: Mapping[str, Any]) -> None:
    errors: dict[str, str] = {}
    for key, value in changes.items():
        if key in ("name", "description") and not isinstance(value, str):
            errors[key] = "must be a string"
        elif key == "name" and not value.strip():
            errors[key] = "must not be empty"
        elif key == "status" and value not in APP_STATUSES:
            errors[key] = f"must be one of {', '.join(APP_STATUSES)}"
        elif key == "allow_token_read" and not isinstance(value, bool):
            errors[key] = "must be true or false"
    if errors:
        raise LedgerValidation(errors)


def get(conn: sqlite3.Connection, app_id: int) -> dict[str, Any] | None:
    row = conn.execute(f"SELECT {APP_SELECT} FROM apps WHERE id = ?", (app_id,)).fetchone()
    return app_view(row) if row else None


def get_by_code(conn: sqlite3.Connection, code: str) -> dict[str, Any] | None:
    row = conn.execute(f"SELECT {APP_SELECT} FROM apps WHERE code = ?", (code,)).fetchone()
    return app_view(row) if row else None


def list_all(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    return [app_view(r) for r in conn.execute(f"SELECT {APP_SELECT} FROM apps ORDER BY id")]


def create(
    conn: sqlite3.Connection,
    box: SecretBox,
    now: datetime,
    *,
    name: str,
    code: str,
    description: str = "",
    client_key: str | None = None,
    secret: str | None = None,
    status: str = "active",
    allow_token_read: bool = False,
    builtin: bool = False,
) -> tuple[dict[str, Any], str]:
    """Insert an app; returns (view, secret). LedgerConflict("code"|"client_key") when taken."""
    _check({"name": name, "description": description, "status": status, "allow_token_read": allow_token_read})
    if not code or not isinstance(code, str):
        raise LedgerValidation({"code": "required"})
    client_key = client_key or new_client_key()
    secret = secret or new_secret()
    stamp = iso(now)
    try:
        cursor = conn.execute(
            "INSERT INTO apps (created_at, updated_at, name, code, description, client_key, secret_enc, status, "
            "allow_token_read, builtin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                stamp,
                stamp,
                name,
                code,
                description,
                client_key,
                box.encrypt(secret, secret_context(client_key)),
                status,
                int(allow_token_read),
                int(builtin),
            ),
        )
    except sqlite3.IntegrityError as exc:
        field = _conflict_field(exc)
        if field:
            raise LedgerConflict(field) from exc
        raise
    view = get(conn, int(cursor.lastrowid or 0))
    assert view is not None
    return view, secret


def update(
    conn: sqlite3.Connection, app_id: int, changes: Mapping[str, Any], now: datetime
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Change name / description / status / allow_token_read; returns (before, after)."""
    unknown = set(changes) - UPDATABLE
    if unknown:
        raise LedgerValidation({k: "cannot be changed" for k in sorted(unknown)})
    _check(changes)
    before = get(conn, app_id)
    if before is None:
        raise LedgerNotFound("app", app_id)
    values = {k: int(v) if isinstance(v, bool) else v for k, v in changes.items()}
    if values:
        values["updated_at"] = iso(now)
        assignments = ", ".join(f"{k} = ?" for k in values)
        conn.execute(f"UPDATE apps SET {assignments} WHERE id = ?", (*values.values(), app_id))
    after = get(conn, app_id)
    assert after is not None
    return before, after


def set_secret(
    conn: sqlite3.Connection, box: SecretBox, app_id: int, secret: str | None, now: datetime
) -> tuple[dict[str, Any], str]:
    app = get(conn, app_id)
    if app is None:
        raise LedgerNotFound("app", app_id)
    secret = secret or new_secret()
    conn.execute(
        "UPDATE apps SET secret_enc = ?, updated_at = ? WHERE id = ?",
        (box.encrypt(secret, secret_context(app["client_key"])), iso(now), app_id),
    )
    view = get(conn, app_id)
    assert view is not None
    return view, secret


def auth(conn: sqlite3.Connection, box: SecretBox, client_key: str) -> AppAuth | None:
    row = conn.execute(
        "SELECT id, name, status, allow_token_read, secret_enc FROM apps WHERE client_key = ?", (client_key,)
    ).fetchone()
    if row is None:
        return None
    secret = box.decrypt(row[4], secret_context(client_key))
    return AppAuth(id=row[0], name=row[1], status=row[2], allow_token_read=bool(row[3]), secret=secret)


def touch(conn: sqlite3.Connection, app_id: int, at: datetime) -> None:
    stamp = iso(at)
    # Never moves backwards when two requests finish out of order.
    conn.execute(
        "UPDATE apps SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)",
        (stamp, app_id, stamp),
    )
