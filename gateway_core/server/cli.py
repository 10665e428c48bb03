"""`python -m gateway_core serve`: the headless gateway (contract section 1)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys

from gateway_core.ledger import LedgerError
from gateway_core.runtime import Runtime
from gateway_core.secretbox import SecretBoxError
from gateway_core.settings import SettingsError, load_settings


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m gateway_core serve", description="dy-verifier headless gateway")
    parser.add_argument("--host", help="bind address (default 127.0.0.1)")
    parser.add_argument("--port", type=int, help="TCP port, 0 picks a free one (default 8848)")
    parser.add_argument("--data-dir", help="ledger and state folder (DYGW_DATA_DIR)")
    parser.add_argument("--sandbox", action="store_true", default=None, help="serve the built-in sandbox Douyin")
    parser.add_argument("--log-level", help="DEBUG, INFO, WARNING (default INFO)")
    return parser.parse_args(argv)


async def serve(args: argparse.Namespace) -> int:
    try:
        settings = load_settings(
            {
                "host": args.host,
                "port": args.port,
                "data_dir": args.data_dir,
                "sandbox": args.sandbox,
                "log_level": args.log_level,
            }
        )
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=settings.log_level.upper(),
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if not settings.has_douyin_credentials and not settings.sandbox:
        # A head office that only collects stores' ledgers needs no Douyin credentials.
        print(
            "warning: no Douyin credentials (DYGW_DOUYIN_CLIENT_KEY / _SECRET): coupon endpoints "
            "answer 502 until they are set; DYGW_SANDBOX=1 serves the built-in sandbox",
            file=sys.stderr,
        )
    try:
        runtime = Runtime(settings, demo=settings.sandbox)
        await runtime.start()
    except (LedgerError, SecretBoxError, OSError) as exc:
        # A ledger from a newer version, a wrong key, a key file others can read, a bad folder.
        print(f"error: {exc}", file=sys.stderr)
        return 2
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):  # Windows has no add_signal_handler
            loop.add_signal_handler(sig, stop.set)
    try:
        url = await runtime.start_http()
    except OSError as exc:
        await runtime.stop()
        print(f"error: cannot listen on {settings.host}:{settings.port}: {exc}", file=sys.stderr)
        return 2
    if runtime.generated_internal_key:
        print(f"internal API key (X-XTJ-UID), shown once: {runtime.generated_internal_key}", file=sys.stderr)
    if runtime.demo:
        print("douyin: built-in sandbox (demo mode)", file=sys.stderr)
    print(f"listening on {url}", flush=True)
    try:
        await stop.wait()
    finally:
        # AppRunner.cleanup lets in-flight requests finish before the ledger closes.
        await runtime.stop()
    return 0


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    try:
        return asyncio.run(serve(args))
    except KeyboardInterrupt:
        return 0
