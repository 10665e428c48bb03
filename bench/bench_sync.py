"""Draining a store's sync backlog into a head office on the same machine.

Layout: a store process (`python -m gateway_core serve`, DYGW_SANDBOX=1, DYGW_REPORTING_URL set)
whose ledger was filled beforehand with N verification rows through the ledger's own API (so the
outbox holds N entries written by its triggers), pushing to a head office process (`serve`).
Measured from the store's start-up line to the head office holding all N rows: records/s, and
each process's CPU time over that wall time (from /proc, Linux).

    .venv/bin/python -m bench.bench_sync [--n 100000] [--log-level WARNING]

Measured 2026-11-26 on the 2-core development machine, quiet (load ~1.4): 5,372 to 6,070
records/s over five runs (target 5,000); store 47% of a core, head office ~90%. Where it went:
the head office's single ledger writer is the limit, ~110 us per record of SQLite (the upsert
into a table with 13 indexes and the hourly rollup trigger) and a FULL commit of each group of
~3 batches (~7 ms). Two changes took it from 4,046/s: the batch is checked on the event loop's
thread and upserted in one statement (json_each), so the writer no longer wins the GIL back from
the loop after every row (that alone had halved its speed); and the store sends each record's
queued JSON text as it is instead of decoding and re-encoding it (store CPU 11.4 -> 8.4 s per
100k records). Eight batches travel side by side (the body limit of 64 KiB caps a batch at ~68
records), so the round trip is hidden and the writer always has the next batch queued.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import httpx

from gateway_core.ledger import Ledger
from gateway_core.secretbox import SecretBox, generate_key_text
from gateway_core.settings import Settings
from tests.e2e import conftest as e2e
from tests.gateway_core.sync.support import processing_row

OPERATOR_KEY = "bench-sync-operator-key-0123456789"
TARGET = 5000.0  # records/s
CHUNK = 2000


def start_serve(data_dir: Path, env: dict[str, str]) -> tuple[subprocess.Popen[str], str]:
    try:
        return e2e.start_serve(data_dir, {"DYGW_INTERNAL_API_KEYS": OPERATOR_KEY, **env})
    except AssertionError as err:
        raise SystemExit(f"{data_dir.name} did not start: {err}") from None


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


async def fill(data_dir: Path, secret_key: str, n: int) -> float:
    """The store's ledger with n rows (n outbox entries); returns rows/s of the fill."""
    settings = Settings(data_dir=data_dir, secret_key=secret_key)
    ledger = await Ledger.open(settings.database_path, SecretBox.from_settings(settings, prefer_keyring=False))
    started = time.perf_counter()
    try:
        for first in range(0, n, CHUNK):
            # `processing` rows whose reconciliation is far off: the store's sandbox never saw them,
            # and the reconciler must not spend the benchmark asking it about them.
            rows = [
                {**processing_row(i, "store-bench"), "next_reconcile_at": "2099-01-01T00:00:00.000Z"}
                for i in range(first, min(first + CHUNK, n))
            ]
            await ledger.insert_processing(rows)
        assert await ledger.outbox_backlog() == n
    finally:
        await ledger.close()
    return n / (time.perf_counter() - started)


async def run(n: int, log_level: str) -> float:
    root = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    store_dir, office_dir = root / "store", root / "office"
    store_dir.mkdir()
    office_dir.mkdir()
    secret_key = generate_key_text()
    print(f"filling the store's ledger with {n:,} rows ...", flush=True)
    fill_rate = await fill(store_dir, secret_key, n)
    print(f"  {fill_rate:,.0f} rows/s through Ledger.insert_processing ({CHUNK} per transaction)")

    office = store = None
    try:
        office, office_url = start_serve(office_dir, {"DYGW_STORE_ID": "head-office", "DYGW_LOG_LEVEL": log_level})
        store_env = {
            "DYGW_SANDBOX": "1",
            "DYGW_SECRET_KEY": secret_key,
            "DYGW_STORE_ID": "store-bench",
            "DYGW_REPORTING_URL": office_url,
            "DYGW_REPORTING_KEY": OPERATOR_KEY,
            "DYGW_LOG_LEVEL": log_level,
        }
        office_cpu0 = cpu_seconds(office.pid)
        store, store_url = start_serve(store_dir, store_env)
        started = time.perf_counter()
        store_cpu0 = cpu_seconds(store.pid)
        async with httpx.AsyncClient(timeout=30) as http:
            headers = {"X-XTJ-UID": OPERATOR_KEY}
            last_report = started
            while True:
                await asyncio.sleep(0.25)
                backlog = (await http.get(store_url + "/health")).json()["checks"]["sync_backlog"]
                now = time.perf_counter()
                if now - last_report >= 5:
                    done = n - backlog
                    print(f"  {now - started:5.1f}s  {done:,} pushed ({done / (now - started):,.0f}/s)", flush=True)
                    last_report = now
                if backlog == 0:
                    break
                if now - started > 1800:
                    raise SystemExit(f"gave up: backlog still {backlog}")
            wall = time.perf_counter() - started
            store_cpu = cpu_seconds(store.pid) - store_cpu0
            office_cpu = cpu_seconds(office.pid) - office_cpu0
            r = await http.get(
                office_url + "/v1/internal/reports/verifications/summary",
                params={"group_by": "store_id"},
                headers=headers,
            )
            held = r.json()["totals"]["total_count"]
    finally:
        for proc in (store, office):
            if proc is not None:
                proc.terminate()
                proc.wait(timeout=30)
        shutil.rmtree(root, ignore_errors=True)  # two ledgers of n rows each: not worth keeping
    rate = n / wall
    cores = os.cpu_count() or 1
    load = os.getloadavg()[0]
    print(f"drained {n:,} records in {wall:.1f}s: {rate:,.0f} records/s (target {TARGET:,.0f})")
    print(f"store CPU while draining:       {store_cpu:.1f}s = {store_cpu / wall:.0%} of one core")
    print(f"head office CPU while ingesting: {office_cpu:.1f}s = {office_cpu / wall:.0%} of one core")
    print(f"machine: {cores} cores, load average {load:.1f} at the end; head office holds {held:,} rows")
    if held != n:
        raise SystemExit(f"head office holds {held} rows, expected {n}")
    return rate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_sync", description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="backlog size (default 100000)")
    parser.add_argument("--log-level", default="INFO", help="both processes' log level (default INFO)")
    args = parser.parse_args(argv)
    rate = asyncio.run(run(args.n, args.log_level))
    if rate < TARGET:
        print(f"exit status 1: {rate:,.0f} records/s is below the target of {TARGET:,.0f} "
              "(on a loaded machine, compare with the load average above)")  # fmt: skip
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
