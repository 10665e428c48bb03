"""`dy-verifier --self-test`: proves that this build (above all a frozen one) works, in one line.

It exercises what a PyInstaller bundle most often loses: keyring's backends (found through package
metadata), the ledger's SQLite and migrations, aiohttp serving on loopback, httpx signing a real
request, and Qt's platform plugins. Everything happens in a temporary folder against the built-in
sandbox Douyin, so it is safe on a cashier's machine:

    self-test ok: keyring=file:/tmp/.../secret.key ledger=ok http=ok verify=ok qt=ok in 1.23s
    self-test FAILED: keyring: backend SecretService not discoverable (...) (ledger=ok ...) in 0.91s

Exit status 0 when every check passed, 1 otherwise. The windowed Windows build has no console;
run `dy-verifier-console --self-test` there.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import logging
import os
import secrets
import sqlite3
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

OK = "ok"

# The keyring backend each platform's desktop relies on, and the modules it needs at run time. A
# frozen build that dropped keyring's entry-point metadata, or these modules, silently ends up on
# keyring's "fail" backend: that is exactly the regression this check must catch.
NATIVE_KEYRING_BACKENDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "win32": ("Windows", ("win32ctypes.pywin32.win32cred",)),
    "darwin": ("macOS", ("keyring.backends.macOS.api",)),
    "linux": ("SecretService", ("secretstorage", "jeepney")),
}


class CheckFailed(Exception):
    """One check failed; the message is the reason shown on the result line."""


class Stopwatch:
    """Seconds spent per check, for `--verbose`: tells a slow disk from a slow import."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = self.laps.get(name, 0.0) + now - self._last
        self._last = now


def _native_backend(platform: str) -> tuple[str, tuple[str, ...]]:
    if platform in NATIVE_KEYRING_BACKENDS:
        return NATIVE_KEYRING_BACKENDS[platform]
    return NATIVE_KEYRING_BACKENDS["linux"]  # other Unixes use the Secret Service too


def keyring_entry_points() -> Mapping[str, Any]:
    return {ep.name: ep for ep in entry_points(group="keyring.backends")}


def check_keyring_discovery(
    platform: str = sys.platform, discover: Callable[[], Mapping[str, Any]] | None = None
) -> Any:
    """The active keyring backend, after proving the platform's native backend can be loaded.

    Headless Linux legitimately has no usable keyring (no D-Bus session): that is not a failure,
    the key file is the documented fallback. A backend that cannot even be *found* is.
    """
    import keyring
    import keyring.backend

    name, modules = _native_backend(platform)
    found = (discover or keyring_entry_points)()
    if name not in found:
        raise CheckFailed(
            f"keyring backend {name} not discoverable (found: {', '.join(sorted(found)) or 'none'}); "
            "the build lost keyring's entry-point metadata"
        )
    try:
        found[name].load()
        for module in modules:
            importlib.import_module(module)
    except Exception as exc:
        raise CheckFailed(f"keyring backend {name} cannot load: {type(exc).__name__}: {exc}") from exc
    try:
        keyring.backend.get_all_keyring()
        return keyring.get_keyring()
    except Exception as exc:
        raise CheckFailed(f"keyring backend discovery failed: {type(exc).__name__}: {exc}") from exc


def check_secret_store(scratch: Path, environ: Mapping[str, str] = os.environ) -> str:
    """Seals and opens a value through the store the app would use; returns its source.

    Same order as `SecretBox.from_settings` on a desktop: DYGW_SECRET_KEY, else a usable OS
    keyring, else the owner-only key file. The keyring probe uses its own entry, removed
    afterwards, so the real ledger key is never read or created by a self-test.
    """
    from gateway_core.secretbox import (
        KEYRING_SERVICE,
        EnvKeyProvider,
        FileKeyProvider,
        KeyProvider,
        KeyringKeyProvider,
        SecretBox,
        SecretBoxError,
        keyring_refusal,
    )

    backend = check_keyring_discovery()
    provider: KeyProvider
    cleanup: Callable[[], None] = lambda: None  # noqa: E731
    try:
        if environ.get("DYGW_SECRET_KEY"):
            provider = EnvKeyProvider(environ["DYGW_SECRET_KEY"])
        elif keyring_refusal(backend) is None:
            username = f"self-test-{secrets.token_hex(4)}"
            provider = KeyringKeyProvider(KEYRING_SERVICE, username)
            cleanup = lambda: backend.delete_password(KEYRING_SERVICE, username)  # noqa: E731
        else:
            provider = FileKeyProvider(scratch)
        probe = "self-test " + secrets.token_hex(8)
        sealed = SecretBox.from_provider(provider).encrypt(probe, "self-test")
        if probe in sealed:
            raise CheckFailed("the secret store wrote the value in clear")
        # A second box reads the key back from the store: a store that accepts a key and keeps
        # nothing would orphan every secret sealed with it.
        if SecretBox.from_provider(provider).decrypt(sealed, "self-test") != probe:
            raise CheckFailed("a sealed value did not open again")
        if isinstance(provider, FileKeyProvider) and os.name != "nt":
            mode = stat.S_IMODE(provider.path.stat().st_mode)
            if mode != 0o600:
                raise CheckFailed(f"key file mode is {oct(mode)}, not 0o600")
        return provider.source
    except SecretBoxError as exc:
        raise CheckFailed(str(exc)) from exc
    finally:
        try:
            cleanup()
        except Exception:  # a probe left behind is harmless; the result above is what matters
            logging.getLogger(__name__).warning("could not remove the keyring self-test entry", exc_info=True)


async def run_engine(scratch: Path, results: dict[str, str], watch: Stopwatch | None = None) -> None:
    """Runtime on the sandbox: ledger migrated, HTTP on 127.0.0.1:0, one signed redeem end to end."""
    from gateway_core.api_client import GatewayClient
    from gateway_core.ledger.migrations import LATEST_VERSION
    from gateway_core.runtime import Runtime
    from gateway_core.sandbox import SANDBOX_POIS
    from gateway_core.settings import Settings

    watch = watch or Stopwatch()
    watch.lap("engine imports")
    operator_key = "op_" + secrets.token_urlsafe(24)
    settings = Settings(data_dir=scratch / "data", internal_api_keys=(operator_key,), secret_key=None)
    runtime = Runtime(settings, demo=True)
    stage = "ledger"
    try:
        await runtime.start()
        # Read the version with a connection of our own: it proves the file on disk is migrated,
        # not just what the ledger object believes.
        with sqlite3.connect(settings.database_path) as conn:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version != LATEST_VERSION:
            raise CheckFailed(f"schema version {version}, expected {LATEST_VERSION}")
        results["ledger"] = OK
        watch.lap("engine start + ledger")

        stage = "http"
        url = await runtime.start_http(host="127.0.0.1", port=0)
        async with GatewayClient(url, operator_key=operator_key, timeout=10) as internal:
            r = await internal.internal("POST", "/v1/internal/apps", {"name": "self-test", "code": "selftest"})
            if r.status_code != 201:
                raise CheckFailed(f"creating an app answered {r.status_code}: {r.text[:200]}")
            created = r.json()["data"]
        results["http"] = OK
        watch.lap("http")

        stage = "verify"
        poi_id = SANDBOX_POIS[0].poi_id
        order = runtime.sandbox.state.mint_order(poi_id=poi_id, count=1)
        code = order.certificates[0].code
        async with GatewayClient(url, created["app"]["client_key"], created["secret"], timeout=10) as client:
            r = await client.post("/v1/open/coupons/verify", {"poi_id": poi_id, "code": code})
        if r.status_code != 200:
            raise CheckFailed(f"verify answered {r.status_code}: {r.text[:200]}")
        view = r.json()["data"]
        if view.get("verify_status") != "success":
            raise CheckFailed(f"verify_status {view.get('verify_status')!r}")
        stored = await runtime.ledger.get_verification(view["id"])
        if not stored or stored.get("verify_status") != "success":
            raise CheckFailed("the redeemed coupon is not settled in the ledger")
        results["verify"] = OK
        watch.lap("verify")
    except CheckFailed as exc:
        results[stage] = "FAILED"
        raise CheckFailed(f"{stage}: {exc}") from exc
    except Exception as exc:
        results[stage] = "FAILED"
        raise CheckFailed(f"{stage}: {type(exc).__name__}: {exc}") from exc
    finally:
        await runtime.stop()
        watch.lap("engine stop")


def check_qt() -> None:
    """A QApplication and one painted widget: fails when the platform plugin or Qt libraries are missing."""
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        # Without a display and without this, Qt aborts the process with a misleading xcb message.
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # PySide6 before qasync, or qasync may bind to another Qt binding it finds first.
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler  # noqa: I001
    from PySide6.QtGui import QPixmap
    from PySide6.QtWidgets import QApplication, QLabel
    import qasync  # the desktop's event loop: proves it is bundled and bound to PySide6

    # Imported only when a day report is saved as PDF (app/reports/pdf_text.py): a bundle without
    # it would fail at a manager's first PDF, not here, unless this proves it is there.
    import pypdf  # noqa: F401

    if qasync.QtModuleName != "PySide6":
        raise CheckFailed(f"qasync bound to {qasync.QtModuleName}, not PySide6")

    from app.common.paths import resource

    style = resource("style", "app.qss")
    if getattr(sys, "frozen", False) and not style.is_file():
        raise CheckFailed(f"resources are not bundled ({style} missing)")

    fatal: list[str] = []

    def on_message(kind: QtMsgType, _context: object, message: str) -> None:
        # Qt's warnings would break the one-line output; only its criticals matter here.
        if kind in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
            fatal.append(message)

    previous = qInstallMessageHandler(on_message)
    try:
        app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "dy-verifier"])
        if not isinstance(app, QApplication):
            raise CheckFailed(f"a {type(app).__name__} already exists, widgets need a QApplication")
        icon = resource("icons", "dy-verifier.png")
        # The window icon the desktop sets (app/common/theme.py): bundled resources plus Qt's image loading.
        if icon.is_file() and QPixmap(str(icon)).isNull():
            raise CheckFailed(f"cannot load {icon.name}")
        label = QLabel("核销 self-test 0123")
        label.setStyleSheet("QLabel { background: white; color: black; font-size: 20px; }")
        label.resize(240, 48)
        image = label.grab().toImage()
        label.deleteLater()
        if image.isNull() or image.width() < 1:
            raise CheckFailed("rendering a widget gave an empty image")
        # Text drawn means fonts and the paint engine work, not just that a window was allocated.
        colours = {image.pixel(x, y) for x in range(0, image.width(), 2) for y in range(0, image.height(), 2)}
        if len(colours) < 2:
            raise CheckFailed("a rendered widget is blank (no fonts?)")
        if fatal:
            raise CheckFailed(fatal[0])
    finally:
        qInstallMessageHandler(previous)


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def run_checks(scratch: Path, timeout: float, watch: Stopwatch) -> tuple[dict[str, str], list[str]]:
    results = {"keyring": "-", "ledger": "-", "http": "-", "verify": "-", "qt": "-"}
    failures: list[str] = []
    try:
        results["keyring"] = check_secret_store(scratch / "keys")
    except CheckFailed as exc:
        results["keyring"] = "FAILED"
        failures.append(f"keyring: {exc}")
    watch.lap("keyring")
    try:
        asyncio.run(asyncio.wait_for(run_engine(scratch, results, watch), timeout))
    except CheckFailed as exc:
        failures.append(str(exc))
    except TimeoutError:
        stage = next(name for name in ("ledger", "http", "verify") if results[name] != OK)
        results[stage] = "FAILED"
        failures.append(f"{stage}: no result within {timeout:g}s")
    except Exception as exc:  # the engine did not even import or start
        results["ledger"] = "FAILED"
        failures.append(f"engine: {type(exc).__name__}: {exc}")
    watch.lap("engine")  # whatever the engine did not account for (a failure, the loop's teardown)
    try:
        check_qt()
        results["qt"] = OK
    except (CheckFailed, ImportError) as exc:
        results["qt"] = "FAILED"
        failures.append(f"qt: {exc}")
    watch.lap("qt")
    return results, failures


def main(argv: list[str] | None = None) -> int:
    started = time.perf_counter()
    parser = argparse.ArgumentParser(prog="dy-verifier --self-test", description=__doc__.split("\n\n")[0])
    parser.add_argument("--self-test", action="store_true", help="(the switch that brings you here)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds allowed for the engine checks")
    parser.add_argument("--verbose", action="store_true", help="let the engine's log through to stderr")
    args, _unknown = parser.parse_known_args(sys.argv[1:] if argv is None else argv)

    watch = Stopwatch()
    previous_disable = logging.root.manager.disable
    if args.verbose:
        logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    else:
        # The engine warns when it creates a key file; here that file is a throwaway.
        logging.disable(logging.WARNING)
    try:
        with tempfile.TemporaryDirectory(prefix="dy-verifier-selftest-", ignore_cleanup_errors=True) as tmp:
            results, failures = run_checks(Path(tmp), args.timeout, watch)
    except Exception as exc:  # the one line must still come out, whatever broke
        results, failures = {}, [f"unexpected: {type(exc).__name__}: {exc}"]
    finally:
        logging.disable(previous_disable)

    elapsed = time.perf_counter() - started
    summary = " ".join(f"{k}={v}" for k, v in results.items())
    if failures:
        line = f"self-test FAILED: {_one_line(failures[0])} ({summary}) in {elapsed:.2f}s"
    else:
        line = f"self-test ok: {summary} in {elapsed:.2f}s"
    if args.verbose and sys.stderr is not None:
        laps = " ".join(f"{name}={secs:.2f}s" for name, secs in watch.laps.items())
        print(f"self-test timings: {laps}", file=sys.stderr, flush=True)
    out = sys.stdout or sys.stderr  # a windowed Windows build has neither
    if out is not None:
        print(line, file=out, flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
