"""`python -m gateway_core sandbox`: serve the sandbox Douyin alone, for demos and tests.

The first line printed is always `sandbox Douyin on http://HOST:PORT`, so a script that starts
it with `--port 0` reads the address from there.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from gateway_core.sandbox.data import (
    GROUPON_TYPE_NAMES,
    POIS_BY_ID,
    SANDBOX_ACCOUNT_ID,
    SANDBOX_CLIENT_KEY,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_POIS,
)
from gateway_core.sandbox.models import CouponView
from gateway_core.sandbox.runner import SandboxServer
from gateway_core.sandbox.state import DEFAULT_CANCEL_WINDOW, SandboxState

BEIJING = timedelta(hours=8)
STATE_NAMES = {"usable": "可用", "used": "已使用", "expired": "已过期", "refunded": "已退款"}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m gateway_core sandbox",
        description="A Douyin-compatible fake upstream with seeded test coupons (demo / training / tests).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8849, help="TCP port; 0 picks a free one (default 8849)")
    parser.add_argument("--cancel-window", type=float, default=DEFAULT_CANCEL_WINDOW, metavar="S",
                        help=f"seconds after a verification during which it may be cancelled "
                             f"(default {DEFAULT_CANCEL_WINDOW})")
    parser.add_argument("--quiet", action="store_true", help="print only the address line")
    return parser


def _width(text: str) -> int:
    # Chinese characters take two terminal columns; pad by display width, not by len().
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def coupon_table(coupons: Sequence[CouponView]) -> str:
    header = ("券码 code", "短链 short link", "商品 title", "类型", "可用门店 POIs", "状态", "场景 tag")
    rows = [header]
    for c in coupons:
        stores = "/".join(POIS_BY_ID[p].short_name for p in c.poi_ids)
        state = STATE_NAMES.get(c.state, c.state)
        if c.times_count > 1:
            state += f" {c.times_used}/{c.times_count}次"
        expires = (datetime.fromtimestamp(c.expire_time, UTC) + BEIJING).strftime("%m-%d %H:%M")
        rows.append((c.code, c.short_link, c.title, GROUPON_TYPE_NAMES[c.groupon_type], stores,
                     f"{state} 至{expires}", c.tag))
    widths = [max(_width(row[i]) for row in rows) for i in range(len(header))]
    return "\n".join("  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip()
                     for row in rows)


def banner(base_url: str, state: SandboxState) -> str:
    stores = "\n".join(f"  {p.poi_id}  {p.poi_name}  {p.address}" for p in SANDBOX_POIS)
    return (
        f"sandbox Douyin on {base_url}\n"
        f"client_key    {SANDBOX_CLIENT_KEY}\n"
        f"client_secret {SANDBOX_CLIENT_SECRET}\n"
        f"account_id    {SANDBOX_ACCOUNT_ID}\n"
        f"short links   https://v.douyin.com/<slug>/ are served here at {base_url}/<slug>/\n"
        f"admin         {base_url}/_sandbox/ (faults, clock, counters, coupons, orders, reset)\n"
        f"stores (POI):\n{stores}\n\n"
        f"test coupons:\n{coupon_table(state.coupons())}\n"
    )


async def _serve(args: argparse.Namespace) -> None:
    server = SandboxServer(cancel_window=args.cancel_window)
    base_url = await server.start(args.host, args.port)
    if args.quiet:
        print(f"sandbox Douyin on {base_url}", flush=True)
    else:
        print(banner(base_url, server.state), flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        # Windows has no loop signal handlers; there Ctrl+C arrives as KeyboardInterrupt instead.
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await server.stop()


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    # A console that cannot show Chinese (cp1252) should get "?" rather than a crash.
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="replace")
    try:
        asyncio.run(_serve(args))
    except KeyboardInterrupt:
        pass
    except OSError as exc:
        print(f"sandbox: cannot serve on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    return 0
