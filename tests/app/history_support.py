"""Helpers for the history and day-report tests and the history benchmark.

* `fill_ledger`: writes many verification rows straight into a ledger file in one transaction
  (tens of thousands a second), so paging can be tested on a realistic size in seconds.
* `LedgerReports`: the three report reads the screens use, over a bare Ledger, for tests that do
  not need a whole runtime (Douyin client, sandbox, workers).
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from gateway_core.clock import iso
from gateway_core.ledger import Ledger, VerificationFilter
from gateway_core.ledger.migrations import migrate, rebuild_hourly_rollup

# (title, paid in fen): a coupon's price goes with its product
PRODUCTS = (("双人套餐", 19400), ("单人午市套餐", 3900), ("100元代金券", 8800), ("招牌烤鱼四人餐", 25600),
            ("奶茶第二杯半价", 1990), ("周末亲子套餐", 12800))  # fmt: skip
OPERATORS = ("张三", "李四", "王五", "赵六")
POIS = ("7001000000000000001", "7001000000000000002", "7001000000000000003")
APPS = ((1, "收银台"), (2, "自助点餐机"))
STATUSES = ("success",) * 8 + ("failed", "cancelled")

COLUMNS = (
    "app_id", "app_name", "poi_id", "verify_status", "error_code", "error_description", "certificate_id",
    "encrypted_code", "origin_code", "coupon_status", "product_name", "sku_name", "verify_id", "order_id",
    "pay_amount", "receipt_amount", "discount_amount", "store_id", "operator", "mode", "created_at",
    "updated_at", "verified_at", "cancelled_at",
)  # fmt: skip


@dataclass(frozen=True)
class Generated:
    """What `fill_ledger` wrote, for tests that compute expectations on their own."""

    rows: list[dict[str, Any]]

    def matching(self, predicate: Callable[[dict[str, Any]], bool]) -> list[dict[str, Any]]:
        return [r for r in self.rows if predicate(r)]


def make_rows(
    count: int,
    newest: datetime,
    spacing: timedelta = timedelta(seconds=37),
    seed: int = 4,
    id_base: int = 0,
    pois: Sequence[str] = POIS,
    operators: Sequence[str] = OPERATORS,
    store_id: str = "store-test",
) -> list[dict[str, Any]]:
    """`count` plausible rows, the newest at `newest`, going back about `spacing` apart."""
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        at = newest - spacing * i
        status = STATUSES[rng.randrange(len(STATUSES))]
        app_id, app_name = APPS[0] if rng.random() < 0.8 else APPS[1]
        product, pay = PRODUCTS[rng.randrange(len(PRODUCTS))]
        code = f"{rng.randrange(10**11, 10**12)}"
        at_text = iso(at)
        rows.append({
            "app_id": app_id, "app_name": app_name, "poi_id": pois[rng.randrange(len(pois))],
            "verify_status": status, "error_code": 1208 if status == "failed" else 0,
            "error_description": "券已使用" if status == "failed" else "",
            "certificate_id": f"cert-{id_base + i:09d}", "encrypted_code": f"enc-{id_base + i:09d}",
            "origin_code": code, "coupon_status": "verified" if status == "success" else "unused",
            "product_name": product, "sku_name": "",
            "verify_id": f"v-{id_base + i}", "order_id": f"10{rng.randrange(10**16, 10**17)}",
            "pay_amount": pay, "receipt_amount": pay, "discount_amount": pay * 3 // 10,
            "store_id": store_id, "operator": operators[rng.randrange(len(operators))], "mode": "code",
            "created_at": at_text, "updated_at": at_text,
            "verified_at": at_text if status in ("success", "cancelled") else None,
            "cancelled_at": iso(at + timedelta(minutes=5)) if status == "cancelled" else None,
        })  # fmt: skip
    return rows


def fill_ledger(path: Path, rows: Sequence[dict[str, Any]], batch: int = 100_000) -> None:
    """Create (or migrate) the ledger file at `path` and insert `rows` oldest first, so ids grow
    with time as at a real counter.

    Speed: the row triggers (outbox snapshot, hourly rollup) and index updates would cost more than
    the rows; they are set aside during the load and recreated from their own SQL at the end, and
    the rollup is rebuilt once (`rebuild_hourly_rollup` is the ledger's own repair tool). Nothing here syncs, so the
    outbox stays empty.
    """
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        migrate(conn)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = OFF")
        # Indexes too: building each once over sorted keys beats updating it row by row.
        extras = conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE type IN ('trigger', 'index') "
            "AND tbl_name = 'verifications' AND sql IS NOT NULL"
        ).fetchall()
        sql = f"INSERT INTO verifications ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
        ordered = list(reversed(rows))
        conn.execute("BEGIN")
        for kind, name, _sql in extras:
            conn.execute(f"DROP {kind.upper()} {name}")
        for start in range(0, len(ordered), batch):
            conn.executemany(sql, ([r[c] for c in COLUMNS] for r in ordered[start : start + batch]))
        rebuild_hourly_rollup(conn)
        for _kind, _name, create_sql in extras:
            conn.execute(create_sql)
        conn.execute("COMMIT")
    finally:
        conn.close()


class LedgerReports:
    """The report reads of gateway_core.service.reports.ReportsService, over a bare Ledger."""

    def __init__(self, ledger: Ledger, timezone: str = "Asia/Shanghai") -> None:
        self._ledger = ledger
        self.timezone = timezone
        self.calls = 0

    async def list_verifications(
        self, flt: VerificationFilter, page: int = 1, page_size: int = 50
    ) -> tuple[list[dict[str, Any]], int]:
        self.calls += 1
        return await self._ledger.list_verifications(flt, page, page_size)

    async def summary(
        self, flt: VerificationFilter, group_by: list[str] | None = None
    ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        return await self._ledger.summary(flt, group_by or ["day"], self.timezone)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)
