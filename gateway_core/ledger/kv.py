"""Small settings the program keeps in the ledger (values as JSON)."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import Any

from gateway_core.clock import iso


def get(conn: sqlite3.Connection, key: str, default: Any = None) -> Any:
    row = conn.execute("SELECT value_json FROM settings WHERE key = ?", (key,)).fetchone()
    return json.loads(row[0]) if row else default


def put(conn: sqlite3.Connection, key: str, value: Any, now: datetime) -> None:
    conn.execute(
        """INSERT INTO settings (key, value_json, updated_at) VALUES (?, ?, ?)
           ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at""",
        (key, json.dumps(value, ensure_ascii=False), iso(now)),
    )
