"""The file itself: owner-only permissions, WAL, versioned migrations from older files."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest
from ledger_support import make_row

from gateway_core.ledger import CouponBusy, Ledger, LedgerError, VerificationFilter, migrations
from gateway_core.ledger.migrations import LATEST_VERSION, migrate, schema_version
from gateway_core.ledger.views import VIEW_KEYS
from gateway_core.secretbox import SecretBox

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX permission bits")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_new_file_is_owner_only_and_in_wal(db_path: Path, box: SecretBox) -> None:
    old_umask = os.umask(0o022)  # a typical permissive umask must not leak into the file mode
    try:
        ledger = await Ledger.open(db_path, box)
        await ledger.insert_processing([make_row()])
    finally:
        os.umask(old_umask)
    try:
        assert _mode(db_path) == 0o600
        for side_mode in _side_file_modes(db_path):
            assert side_mode == 0o600
        assert _mode(db_path.parent) == 0o700
        conn = sqlite3.connect(db_path)
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert schema_version(conn) == LATEST_VERSION
        conn.close()
    finally:
        await ledger.close()


async def test_loose_permissions_on_an_existing_file_are_tightened(db_path: Path, box: SecretBox) -> None:
    ledger = await Ledger.open(db_path, box)
    await ledger.close()
    os.chmod(db_path, 0o644)
    ledger = await Ledger.open(db_path, box)
    await ledger.close()
    assert _mode(db_path) == 0o600


def _side_file_modes(path: Path) -> list[int]:
    return [_mode(side) for side in (Path(f"{path}-wal"), Path(f"{path}-shm")) if side.exists()]


def _write_v1_file(path: Path) -> None:
    """A ledger as the first release left it: schema v1, with a settled row and an app."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, target=1)
    conn.execute(
        "INSERT INTO apps (id, created_at, updated_at, name, code, client_key, secret_enc) "
        "VALUES (1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', '收银台', 'counter', 'ck', 'x')"
    )
    for i, status in enumerate(["success", "success", "failed"]):
        conn.execute(
            "INSERT INTO verifications (app_id, app_name, poi_id, verify_status, certificate_id, mode, "
            "pay_amount, store_id, created_at, updated_at) VALUES (1, '收银台', 'poi-1', ?, ?, 'code', 1000, "
            "'s1', '2026-03-01T04:00:00.000Z', '2026-03-01T04:00:00.000Z')",
            (status, f"c{i}"),
        )
    conn.close()


async def test_opening_a_v1_file_migrates_it_and_keeps_the_data(db_path: Path, box: SecretBox) -> None:
    _write_v1_file(db_path)
    conn = sqlite3.connect(db_path)
    assert schema_version(conn) == 1
    assert "verification_hourly" not in {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()

    ledger = await Ledger.open(db_path, box)
    try:
        views, total = await ledger.list_verifications(VerificationFilter())
        assert total == 3
        assert {v["certificate_id"] for v in views} == {"c0", "c1", "c2"}
        # v2's rollup was backfilled from the existing rows, so the summary sees them.
        rows, totals = await ledger.summary(VerificationFilter(), ["day"], "Asia/Shanghai")
        assert rows == [{"day": "2026-03-01", **totals}]
        assert totals["success_count"] == 2 and totals["failed_count"] == 1 and totals["pay_amount"] == 2000
        # v3: the old rows are coupons of one use, so a success still holds its coupon...
        with pytest.raises(CouponBusy):
            await ledger.insert_processing([make_row(certificate_id="c0")])
        # ...a failed one does not, and a 次卡's success lets its next visit through.
        await ledger.insert_processing([make_row(certificate_id="c2")])
        [visit] = await ledger.insert_processing([make_row(certificate_id="card", multi_use=1)])
        await ledger.update_verification(visit["id"], {"verify_status": "success"})
        await ledger.insert_processing([make_row(certificate_id="card", multi_use=1)])
        with pytest.raises(CouponBusy):  # but not while a visit is in flight
            await ledger.insert_processing([make_row(certificate_id="card", multi_use=1)])
    finally:
        await ledger.close()
    conn = sqlite3.connect(db_path)
    assert schema_version(conn) == LATEST_VERSION
    conn.close()


async def test_only_a_real_migration_is_logged(db_path: Path, box: SecretBox, caplog) -> None:
    """Every start logged 'migrated from schema version 3' for a file already at version 3."""
    _write_v1_file(db_path)
    caplog.set_level("INFO", logger="gateway_core.ledger.ledger")
    for expected in ([f"migrated from schema version 1 to {LATEST_VERSION}"], []):
        caplog.clear()
        ledger = await Ledger.open(db_path, box)
        await ledger.close()
        assert [m.split("sqlite3 ")[-1] for m in caplog.messages if "migrated" in m] == expected


def test_a_failing_migration_leaves_the_file_at_its_old_version(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "l.sqlite3"
    _write_v1_file(path)

    def broken(db) -> None:
        db.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(migrations, "MIGRATIONS", [migrations.MIGRATIONS[0], broken])
    conn = sqlite3.connect(path, isolation_level=None)
    with pytest.raises(RuntimeError):
        migrate(conn, target=2)
    assert schema_version(conn) == 1
    assert "half_done" not in {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()


async def test_a_file_from_a_newer_version_is_refused(db_path: Path, box: SecretBox) -> None:
    db_path.parent.mkdir(parents=True)
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.close()
    with pytest.raises(LedgerError, match="newer"):
        await Ledger.open(db_path, box)


def test_the_outbox_trigger_snapshots_exactly_the_view_columns() -> None:
    assert migrations.V1_VIEW_COLUMNS == VIEW_KEYS
