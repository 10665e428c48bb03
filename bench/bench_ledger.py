"""Ledger benchmark: a million realistic rows, then the report reads and the verify write path.

    .venv/bin/python -m bench.bench_ledger [--rows 1000000] [--days 90] [--path DIR] [--keep]

Rows are bulk-loaded in one transaction through a plain sqlite3 connection (see `fill`). Every
timing goes through the async `Ledger` API, thread hop included.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from gateway_core.clock import iso
from gateway_core.ledger import Ledger, VerificationFilter, day_range
from gateway_core.ledger.migrations import rebuild_hourly_rollup
from gateway_core.secretbox import FileKeyProvider, SecretBox

TZ = ZoneInfo("Asia/Shanghai")
POIS = [f"7{n:018d}" for n in range(1, 7)]
APPS = [(1, "收银台"), (2, "ERP"), (3, "自助机"), (4, "小程序")]
OPERATORS = {poi: [f"收银员{i}-{j}" for j in range(3)] for i, poi in enumerate(POIS)}
PRODUCTS = [(f"10{n:08d}", f"套餐{n}", 990 + 1000 * n) for n in range(1, 25)]
# Opening hours 10:00-22:00 with lunch and dinner peaks (weights per local hour).
HOUR_WEIGHTS = {10: 2, 11: 6, 12: 10, 13: 8, 14: 3, 15: 2, 16: 2, 17: 5, 18: 10, 19: 9, 20: 5, 21: 3}
STATUSES = ["success"] * 930 + ["failed"] * 45 + ["cancelled"] * 24 + ["processing"]


def _rows(count: int, days: int, rng: random.Random) -> list[tuple]:
    now = datetime.now(UTC)
    first_day = (now.astimezone(TZ) - timedelta(days=days - 1)).date()
    hours = list(HOUR_WEIGHTS)
    weights = list(HOUR_WEIGHTS.values())
    per_day = count // days
    stamps: list[datetime] = []
    for d in range(days):
        day = first_day + timedelta(days=d)
        n = per_day if d < days - 1 else count - per_day * (days - 1)
        for hour in rng.choices(hours, weights, k=n):
            local = datetime(day.year, day.month, day.day, hour, tzinfo=TZ) + timedelta(seconds=rng.random() * 3600)
            stamps.append(min(local.astimezone(UTC), now))
    stamps.sort()
    out = []
    for i, at in enumerate(stamps):
        poi = rng.choice(POIS)
        app_id, app_name = APPS[0] if rng.random() < 0.7 else rng.choice(APPS[1:])
        operator = rng.choice(OPERATORS[poi]) if app_id == 1 else None
        status = rng.choice(STATUSES)
        product_id, product_name, price = rng.choice(PRODUCTS)
        created = iso(at)
        settled = iso(at + timedelta(milliseconds=300 + rng.randint(0, 900)))
        ok = status in ("success", "cancelled")
        out.append(
            (
                app_id,
                app_name,
                poi,
                status,
                0 if status != "failed" else 1208,
                "" if status != "failed" else "券码已使用",
                f"70{i:016d}",
                f"enc{i:012d}x",
                f"{rng.randint(10**11, 10**12 - 1)}",
                "verified" if ok else "unused",
                product_id,
                product_name,
                f"sku{product_id}",
                product_name,
                1 if ok else 0,
                f"v{i}" if ok else None,
                f"10{rng.randint(10**16, 10**17 - 1)}",
                None,
                None,
                1 if ok else 0,
                price,
                price - 200,
                200,
                "enriched" if ok else "skipped",
                "store-bench",
                operator,
                rng.choice(["code", "short_link", "short_link", "encrypted_code"]),
                None,
                created,
                settled,
                settled if ok else None,
                settled if status == "cancelled" else None,
            )
        )
    return out


INSERT_COLUMNS = (
    "app_id, app_name, poi_id, verify_status, error_code, error_description, certificate_id, encrypted_code, "
    "origin_code, coupon_status, product_id, product_name, sku_id, sku_name, verify_records_count, verify_id, "
    "order_id, source_order_id, ext_order_id, order_status, pay_amount, receipt_amount, discount_amount, "
    "enrichment_status, store_id, operator, mode, request_id, created_at, updated_at, verified_at, cancelled_at"
)


def fill(path: Path, count: int, days: int) -> float:
    rng = random.Random(20261116)
    rows = _rows(count, days, rng)
    started = time.perf_counter()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")  # a bench fill, not production
    conn.execute("PRAGMA cache_size = -400000")
    # Bulk-load the usual way: indexes and triggers off while the rows go in, then indexes built
    # by sorting and the rollup rebuilt by one GROUP BY (the same aggregate the v2 migration
    # backfills with; tests prove it equals what the triggers maintain). The outbox entries the
    # triggers would have queued are left out, as if synced long ago.
    ddl = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'verifications' "
        "AND type IN ('index', 'trigger') AND sql IS NOT NULL"
    ).fetchall()
    conn.execute(
        "INSERT INTO apps (id, created_at, updated_at, name, code, client_key, secret_enc) VALUES "
        "(2, 'x', 'x', 'ERP', 'erp', 'k2', 'x'), (3, 'x', 'x', '自助机', 'kiosk', 'k3', 'x'), "
        "(4, 'x', 'x', '小程序', 'mini', 'k4', 'x')"
    )
    marks = ", ".join("?" for _ in INSERT_COLUMNS.split(", "))
    conn.execute("BEGIN")
    for kind, name, _sql in ddl:
        conn.execute(f"DROP {kind.upper()} {name}")
    conn.executemany(f"INSERT INTO verifications ({INSERT_COLUMNS}) VALUES ({marks})", rows)
    for _kind, _name, sql in sorted(ddl, key=lambda d: d[0] != "index"):  # indexes, then triggers
        conn.execute(sql)
    rebuild_hourly_rollup(conn)
    conn.execute("COMMIT")
    conn.execute("ANALYZE")  # what `PRAGMA optimize` at close does for a long-lived ledger
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return time.perf_counter() - started


async def timed(fn: Callable[[], Awaitable[object]], repeat: int) -> tuple[float, float]:
    await fn()  # warm
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        await fn()
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.95))]


def line(name: str, p50: float, p95: float, note: str = "") -> None:
    print(f"  {name:<52} {p50:9.2f} {p95:9.2f}  {note}")


async def reads(path: Path, box: SecretBox, repeat: int) -> None:
    ledger = await Ledger.open(path, box, store_id="store-bench")
    today = datetime.now(TZ).date()
    t_start, t_end = day_range(today.isoformat(), TZ)
    m_start = day_range((today - timedelta(days=29)).isoformat(), TZ)[0]
    poi = POIS[2]
    today_poi = VerificationFilter(start=t_start, end=t_end, poi_id=poi)
    month = VerificationFilter(start=m_start, end=t_end)
    odd = VerificationFilter(start=m_start + timedelta(minutes=17, seconds=3), end=t_end - timedelta(minutes=41))
    sample = (await ledger.list_verifications(VerificationFilter(), 1, 1))[0][0]
    tail = sample["origin_code"][-6:]
    cases: list[tuple[str, Callable[[], Awaitable[object]], str]] = [
        ("list: today, one POI, page 1 (50 rows + total)", lambda: ledger.list_verifications(today_poi, 1, 50), ""),
        ("list: today, one POI, page 20", lambda: ledger.list_verifications(today_poi, 20, 50), ""),
        ("list: 30 days, all, page 1", lambda: ledger.list_verifications(month, 1, 50), ""),
        (
            "list: 30 days, status=cancelled, POI, page 1",
            lambda: ledger.list_verifications(
                VerificationFilter(start=m_start, end=t_end, status="cancelled", poi_id=poi), 1, 50
            ),
            "",
        ),
        (
            "list: search code tail (6 digits), all time",
            lambda: ledger.list_verifications(VerificationFilter(search=tail), 1, 50),
            "",
        ),
        ("list: no filter, page 1 (total of 1M)", lambda: ledger.list_verifications(VerificationFilter(), 1, 50), ""),
        ("count: today, one POI", lambda: ledger.count_verifications(today_poi), ""),
        ("count: 30 days, all", lambda: ledger.count_verifications(month), ""),
        ("count: whole ledger", lambda: ledger.count_verifications(VerificationFilter()), ""),
        ("count: 30 days, bounds mid-hour", lambda: ledger.count_verifications(odd), "rollup + raw ends"),
        ("summary: by day, 30 days", lambda: ledger.summary(month, ["day"], TZ), ""),
        ("summary: by poi_id, app_id, 30 days", lambda: ledger.summary(month, ["poi_id", "app_id"], TZ), ""),
        (
            "summary: by day, poi, operator, 30 days",
            lambda: ledger.summary(month, ["day", "poi_id", "operator"], TZ),
            "",
        ),
        ("summary: by day, 90 days (whole ledger)", lambda: ledger.summary(VerificationFilter(), ["day"], TZ), ""),
        ("summary: by day, 30 days, bounds mid-hour", lambda: ledger.summary(odd, ["day"], TZ), "rollup + raw ends"),
        (
            "summary: by store_id, today",
            lambda: ledger.summary(VerificationFilter(start=t_start, end=t_end), ["store_id"], TZ),
            "",
        ),
    ]
    print(f"\nReads at {await ledger.count_verifications(VerificationFilter()):,} rows (ms)")
    print(f"  {'':<52} {'p50':>9} {'p95':>9}")
    for name, fn, note in cases:
        p50, p95 = await timed(fn, repeat)
        line(name, p50, p95, note)

    for label, flt in (("30 days", month), ("whole ledger", VerificationFilter())):
        started = time.perf_counter()
        n = 0
        async for chunk in ledger.iter_verifications(flt, chunk=2000):
            n += len(chunk)
        took = time.perf_counter() - started
        print(f"  iter_verifications, {label}: {n:,} rows in {took:.2f} s = {n / took:,.0f} rows/s")
    await ledger.close()


async def writes(path: Path, box: SecretBox, sync: str, count: int) -> tuple[float, float, float, float]:
    ledger = await Ledger.open(path, box, store_id="store-bench", settle_sync=sync)  # type: ignore[arg-type]
    app = await ledger.ensure_builtin_app()
    pairs, inserts = [], []
    for i in range(count):
        row = {
            "app_id": app["id"],
            "poi_id": POIS[0],
            "mode": "code",
            "certificate_id": f"bench-{sync}-{i}-{time.time_ns()}",
            "origin_code": f"{i:012d}",
            "operator": "收银员0-0",
            "pay_amount": 1990,
        }
        t0 = time.perf_counter()
        [view] = await ledger.insert_processing([row])
        t1 = time.perf_counter()
        await ledger.update_verification(
            view["id"], {"verify_status": "success", "verify_id": f"v{i}", "coupon_status": "verified"}
        )
        t2 = time.perf_counter()
        inserts.append((t1 - t0) * 1000)
        pairs.append((t2 - t0) * 1000)
    await ledger.close()
    inserts.sort()
    pairs.sort()
    q = int(count * 0.95)
    return statistics.median(inserts), inserts[q], statistics.median(pairs), pairs[q]


async def writes_during_export(path: Path, box: SecretBox, count: int, read_threads: int) -> tuple[float, float, int]:
    """Verify writes while a whole-ledger export streams: do they wait behind the big read?"""
    ledger = await Ledger.open(path, box, store_id="store-bench", read_threads=read_threads)
    app = await ledger.ensure_builtin_app()
    exported = 0
    stop = False

    async def export() -> None:
        nonlocal exported
        while not stop:
            async for chunk in ledger.iter_verifications(VerificationFilter(), chunk=2000):
                exported += len(chunk)
                if stop:
                    return

    task = asyncio.create_task(export())
    await asyncio.sleep(0.2)
    samples = []
    for i in range(count):
        row = {"app_id": app["id"], "poi_id": POIS[1], "mode": "code", "certificate_id": f"exp-{i}-{time.time_ns()}"}
        t0 = time.perf_counter()
        [view] = await ledger.insert_processing([row])
        await ledger.update_verification(view["id"], {"verify_status": "success"})
        samples.append((time.perf_counter() - t0) * 1000)
        await asyncio.sleep(0.005)  # a counter, not a loop: leave the export room to run
    stop = True
    await task
    await ledger.close()
    samples.sort()
    return statistics.median(samples), samples[int(count * 0.95)], exported


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--writes", type=int, default=300)
    parser.add_argument("--path", type=Path, default=None, help="folder for the ledger (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the ledger file afterwards")
    args = parser.parse_args()
    folder = args.path or Path(tempfile.mkdtemp(prefix="bench-ledger-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "ledger.sqlite3"
    box = SecretBox.from_provider(FileKeyProvider(folder))  # reusable with --path
    try:
        if not path.exists():
            ledger = await Ledger.open(path, box, store_id="store-bench")  # creates + migrates
            await ledger.ensure_builtin_app()
            await ledger.close()
            took = fill(path, args.rows, args.days)
            size = path.stat().st_size / 2**20
            print(
                f"filled {args.rows:,} rows over {args.days} days in {took:.1f} s "
                f"({args.rows / took:,.0f} rows/s); file {size:,.0f} MiB"
            )
            conn = sqlite3.connect(path)
            n = conn.execute("SELECT COUNT(*) FROM verification_hourly").fetchone()[0]
            conn.close()
            print(f"hourly rollup rows: {n:,}")
        await reads(path, box, args.repeat)
        print(f"\nVerify write path, {args.writes} sequential verifications (ms)")
        print(
            f"  {'synchronous':<12} {'insert p50':>11} {'insert p95':>11} {'ins+settle p50':>15} {'ins+settle p95':>15}"
        )
        for sync in ("NORMAL", "FULL"):
            i50, i95, p50, p95 = await writes(path, box, sync, args.writes)
            print(f"  {sync:<12} {i50:11.3f} {i95:11.3f} {p50:15.3f} {p95:15.3f}")
        print("\nInsert + settle (FULL) while a whole-ledger export streams (ms)")
        p50, p95, n = await writes_during_export(path, box, min(args.writes, 100), read_threads=2)
        print(f"  reads on their own threads:  p50 {p50:.3f}  p95 {p95:.3f}  ({n:,} rows exported meanwhile)")
    finally:
        if not args.keep and args.path is None:
            shutil.rmtree(folder, ignore_errors=True)
        else:
            print(f"\nthe ledger is kept in {folder} (run again on it with --path {folder})")


if __name__ == "__main__":
    asyncio.run(main())
