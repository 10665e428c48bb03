"""Helpers shared by the ledger tests (imported by name: pytest puts this folder on sys.path)."""

from __future__ import annotations

import itertools
import sqlite3
from typing import Any

from gateway_core.ledger.migrations import migrate

_serial = itertools.count(1)


def make_row(app_id: int = 1, **fields: Any) -> dict[str, Any]:
    """A `processing` row as the service would write it before Douyin's verify."""
    n = next(_serial)
    row: dict[str, Any] = {
        "app_id": app_id,
        "poi_id": "poi-1",
        "mode": "code",
        "certificate_id": f"cert-{n}",
        "encrypted_code": f"enc-{n}",
        "origin_code": f"{n:012d}",
        "product_id": "p-1",
        "product_name": "双人套餐",
        "pay_amount": 9900,
        "receipt_amount": 9000,
        "discount_amount": 900,
        "operator": "小王",
        "details": {"title": "双人套餐", "groupon_type": 1, "validity": "2026-12-31"},
    }
    row.update(fields)
    return row


def memory_db() -> sqlite3.Connection:
    """A migrated in-memory ledger for tests that call the sync modules directly."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    migrate(conn)
    conn.execute(
        "INSERT INTO apps (id, created_at, updated_at, name, code, client_key, secret_enc) "
        "VALUES (1, 'x', 'x', '收银台', 'counter', 'ck1', 'x'), (2, 'x', 'x', 'ERP', 'erp', 'ck2', 'x')"
    )
    return conn


def in_tx(conn: sqlite3.Connection, fn: Any) -> Any:
    conn.execute("BEGIN IMMEDIATE")
    try:
        result = fn()
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return result
