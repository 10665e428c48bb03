"""Cashiers with PINs, and the append-only audit log."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from ledger_support import make_row

from gateway_core.ledger import Audit, Ledger, LedgerConflict, LedgerValidation


def _file_bytes(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())


async def test_cashier_pins(ledger: Ledger, db_path: Path) -> None:
    wang = await ledger.add_cashier("小王", "482913")
    assert wang["role"] == "cashier" and wang["active"] is True
    assert (await ledger.check_pin("小王", "482913"))["id"] == wang["id"]
    assert await ledger.check_pin("小王", "000000") is None
    assert await ledger.check_pin("nobody", "482913") is None
    assert b"482913" not in _file_bytes(db_path)
    with pytest.raises(LedgerConflict):
        await ledger.add_cashier("小王", "1")
    with pytest.raises(LedgerValidation):
        await ledger.add_cashier("小张", "1234", role="boss")


async def test_updating_a_cashier(ledger: Ledger) -> None:
    li = await ledger.add_cashier("小李", "1111", role="manager")
    await ledger.update_cashier(li["id"], pin="2222", audit=Audit("cashier", "店长", "cashier.pin"))
    assert await ledger.check_pin("小李", "1111") is None
    assert await ledger.check_pin("小李", "2222") is not None
    await ledger.update_cashier(li["id"], active=False)
    assert await ledger.check_pin("小李", "2222") is None  # inactive cashiers cannot sign in
    assert [c["name"] for c in await ledger.list_cashiers()] == ["小李"]
    [entry] = await ledger.list_audit(target=f"cashier:{li['id']}")
    assert "pin_hash" not in entry["after"]


async def test_audit_log_is_append_only(ledger: Ledger, db_path: Path) -> None:
    [view] = await ledger.insert_processing([make_row()])
    await ledger.update_verification(view["id"], {"verify_status": "success"})
    await ledger.update_verification(
        view["id"], {"verify_status": "cancelled"}, audit=Audit("cashier", "小王", "verification.cancel")
    )
    await ledger.add_audit("system", "reconciler", "note", "verification:1", None, {"why": "test"})
    entries = await ledger.list_audit()
    assert [e["action"] for e in entries] == ["note", "verification.cancel"]  # newest first
    cancel = entries[1]
    assert cancel["before"]["verify_status"] == "success" and cancel["after"]["verify_status"] == "cancelled"
    assert cancel["actor_type"] == "cashier" and cancel["actor"] == "小王"
    assert [e["id"] for e in await ledger.list_audit(before_id=entries[0]["id"])] == [cancel["id"]]

    conn = sqlite3.connect(db_path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE audit_log SET actor = 'someone else'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM audit_log")
    conn.close()
    with pytest.raises(LedgerValidation):
        await ledger.add_audit("robot", "x", "y")


async def test_settings_round_trip(ledger: Ledger) -> None:
    assert await ledger.get_setting("printer", {"none": True}) == {"none": True}
    await ledger.set_setting("printer", {"name": "前台", "width": 58})
    assert await ledger.get_setting("printer") == {"name": "前台", "width": 58}
