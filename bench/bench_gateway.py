"""The gateway's own cost on the verify path, and its throughput.

Layout: this process (the caller) -> gateway process (`python -m gateway_core serve`) -> sandbox
process (`python -m gateway_core sandbox`). The direct baseline sends the same prepare + verify
straight to the sandbox from this process with the same Douyin client the gateway uses.

    .venv/bin/python -m bench.bench_gateway [--n 300] [--throughput 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from gateway_core.api_client import GatewayClient
from gateway_core.douyin import DouyinClient
from gateway_core.sandbox import SANDBOX_CLIENT_KEY, SANDBOX_CLIENT_SECRET, SANDBOX_POIS
from tests.e2e.conftest import start_process, start_serve

OPERATOR_KEY = "bench-operator-key-0123456789"
POI = SANDBOX_POIS[0].poi_id


def _start(start: Callable[[], tuple[subprocess.Popen[str], str]]) -> tuple[subprocess.Popen[str], str]:
    try:
        return start()
    except AssertionError as err:
        raise SystemExit(str(err)) from None


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def _mint(http: httpx.AsyncClient, sandbox: str, n: int) -> list[str]:
    codes: list[str] = []
    for _ in range(n):
        r = await http.post(sandbox + "/_sandbox/orders", json={"poi_id": POI, "count": 1})
        codes.append(r.json()["coupons"][0]["code"])
    return codes


async def run(n: int, throughput_n: int) -> None:
    root = Path(tempfile.mkdtemp(prefix="bench-gw-"))  # the gateway's ledger and both processes' stderr
    procs: list[subprocess.Popen[str]] = []
    try:
        sandbox_proc, line = _start(
            lambda: start_process(["sandbox", "--port", "0", "--quiet"], {}, root / "sandbox.log", "sandbox Douyin on ")
        )
        procs.append(sandbox_proc)
        sandbox = line.split()[-1].rstrip("/")
        env = {
            "DYGW_DOUYIN_BASE_URL": sandbox,
            "DYGW_DOUYIN_CLIENT_KEY": SANDBOX_CLIENT_KEY,
            "DYGW_DOUYIN_CLIENT_SECRET": SANDBOX_CLIENT_SECRET,
            "DYGW_INTERNAL_API_KEYS": OPERATOR_KEY,
            "DYGW_LOG_LEVEL": "WARNING",
        }
        gateway_proc, gateway = _start(lambda: start_serve(root / "gateway", env))
        procs.append(gateway_proc)
        async with httpx.AsyncClient(timeout=30) as http:
            r = await http.post(
                gateway + "/v1/internal/apps",
                json={"name": "bench", "code": "bench"},
                headers={"X-XTJ-UID": OPERATOR_KEY},
            )
            created = r.json()["data"]
            # 10 + 10 warm-up, n + n interleaved, then throughput_n // 2 at each of the two concurrencies
            codes = await _mint(http, sandbox, 2 * n + throughput_n + 20)
        douyin = DouyinClient(sandbox, SANDBOX_CLIENT_KEY, SANDBOX_CLIENT_SECRET)
        client = GatewayClient(gateway, created["app"]["client_key"], created["secret"], timeout=60)

        async def direct(code: str) -> None:
            prepared = await douyin.prepare(poi_id=POI, code=code)
            await douyin.verify(
                verify_token=prepared.verify_token,
                poi_id=POI,
                encrypted_codes=[prepared.certificates[0].encrypted_code],
            )

        async def through(code: str) -> None:
            r = await client.post("/v1/open/coupons/verify", {"poi_id": POI, "code": code})
            if r.status_code != 200:
                raise RuntimeError(r.text)

        # warm both paths (token, connections, imports)
        for _ in range(10):
            await direct(codes.pop())
            await through(codes.pop())
        direct_ms: list[float] = []
        gateway_ms: list[float] = []
        for _ in range(n):  # interleaved so both see the same machine load
            t = time.perf_counter()
            await direct(codes.pop())
            direct_ms.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            await through(codes.pop())
            gateway_ms.append((time.perf_counter() - t) * 1000)

        print(f"sequential, n={n} each")
        print(
            f"  direct prepare+verify  p50 {statistics.median(direct_ms):6.2f} ms  p95 {_pct(direct_ms, 0.95):6.2f} ms"
        )
        print(
            f"  through the gateway    p50 {statistics.median(gateway_ms):6.2f} ms"
            f"  p95 {_pct(gateway_ms, 0.95):6.2f} ms"
        )
        ratio = statistics.median(gateway_ms) / statistics.median(direct_ms)
        extra = statistics.median(gateway_ms) - statistics.median(direct_ms)
        print(f"  gateway overhead       x{ratio:.2f} (p50), +{extra:.2f} ms")

        for concurrency in (16, 32):
            batch = [codes.pop() for _ in range(throughput_n // 2)]
            queue = list(batch)
            errors = 0

            async def worker(queue: list[str] = queue) -> None:
                nonlocal errors
                while queue:
                    code = queue.pop()
                    try:
                        await through(code)
                    except Exception:
                        errors += 1

            t = time.perf_counter()
            cpu_gw, cpu_sb = _cpu_seconds(gateway_proc.pid), _cpu_seconds(sandbox_proc.pid)
            cpu_me = time.process_time()
            await asyncio.gather(*(worker() for _ in range(concurrency)))
            elapsed = time.perf_counter() - t
            per = 1000 / len(batch)
            print(
                f"  CPU per verify: gateway {(_cpu_seconds(gateway_proc.pid) - cpu_gw) * per:.2f} ms, "
                f"sandbox {(_cpu_seconds(sandbox_proc.pid) - cpu_sb) * per:.2f} ms, "
                f"caller {(time.process_time() - cpu_me) * per:.2f} ms; load {os.getloadavg()[0]:.1f}"
            )
            print(
                f"throughput at {concurrency} concurrent: {len(batch) / elapsed:7.1f} verifies/s "
                f"({len(batch)} in {elapsed:.2f}s, {errors} errors)"
            )
        print(f"gateway resident memory: {_rss_mb(gateway_proc.pid):.1f} MB")
        await client.aclose()
        await douyin.aclose()
    finally:
        for proc in reversed(procs):  # the gateway first
            proc.terminate()
            proc.wait(timeout=15)
        shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--throughput", type=int, default=2000)
    args = parser.parse_args()
    asyncio.run(run(args.n, args.throughput))


if __name__ == "__main__":
    main()
