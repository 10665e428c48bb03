"""`dy-verifier` / `python -m app`: the desktop counter on one qasync loop (Qt + aiohttp + httpx).

Settings: flags > DYGW_* environment > DATA_DIR/config.toml > defaults (gateway_core.settings);
Douyin credentials saved in the OS keyring override them. No credentials: training mode on the
built-in sandbox. Prints `ready <unix time> <seconds since start>` once the counter's first frame
is drawn and it takes scans (the benchmark and the packaging self-test wait for that line).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import asyncio

    from app.common.prefs import Prefs
    from gateway_core.runtime import Runtime
    from gateway_core.settings import Settings

_T0 = time.perf_counter()
log = logging.getLogger("app")
_phases: list[tuple[str, float]] = []


def _mark(phase: str) -> None:
    """Start-up phases, logged with the ready line: where the first second goes."""
    _phases.append((phase, time.perf_counter() - _T0))


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="dy-verifier", description="抖音团购核销 (dy-verifier desktop)")
    p.add_argument("--demo", action="store_true", help="training mode: the built-in Douyin sandbox, never Douyin")
    p.add_argument("--data-dir", type=Path, help="ledger and settings folder (DYGW_DATA_DIR)")
    p.add_argument("--language", choices=["zh_CN", "en"], help="UI language for this run")
    p.add_argument("--quit-after-ready", action="store_true", help=argparse.SUPPRESS)  # benchmarks
    p.add_argument("--self-test", action="store_true", help="(reserved for the packaged build)")
    return p.parse_args(argv)


def desktop_settings(args: argparse.Namespace) -> Settings:
    """Settings plus what the settings screen saved: the keyring's Douyin credentials win (they
    are what the manager entered); the reporting URL and key fill in only what nobody else set."""
    from app.common.prefs import Prefs
    from app.settings import keystore
    from gateway_core.settings import load_settings

    settings = load_settings({"data_dir": args.data_dir})
    prefs = Prefs.load(settings.data_dir)
    stored = keystore.load()
    reporting = {
        "reporting_url": None if settings.reporting_url else prefs.reporting_url or None,
        "reporting_key": None if settings.reporting_key else stored.get(keystore.REPORTING_KEY),
    }
    if args.demo:
        return settings.with_overrides(**reporting)
    return settings.with_overrides(
        douyin_client_key=stored.get(keystore.CLIENT_KEY),
        douyin_client_secret=stored.get(keystore.CLIENT_SECRET),
        douyin_account_id=stored.get(keystore.ACCOUNT_ID),
        **reporting,
    )


class _Preload(threading.Thread):
    """Qt-free start-up work on a second thread while the main thread brings up Qt.

    The desktop's settings with what the keyring holds (its backend detection imports every
    backend), the engine's imports (httpx, the ledger, the services; the sandbox's coupons in
    training mode) and, for HTTPS, the CA bundle do not need Qt. They still take the GIL for most
    of their bytecode, but file reads, dlopen and the CA bundle overlap with QApplication, fonts
    and the style sheet. Wait for `settings_read` before using `settings`, `join()` before
    building the runtime. A failure here is only logged: the main thread then repeats the read or
    import and meets the real error where it is handled.
    """

    def __init__(self, args: argparse.Namespace) -> None:
        super().__init__(name="preload", daemon=True)
        self._args = args
        self.settings_read = threading.Event()
        self.settings: Settings | None = None  # desktop_settings(args), once settings_read is set
        self.failure: BaseException | None = None

    def run(self) -> None:
        try:
            try:
                # The keyring read (backend detection: imports every backend) is most of this.
                self.settings = desktop_settings(self._args)
            finally:
                self.settings_read.set()
            settings = self.settings
            live = not self._args.demo and settings.has_douyin_credentials
            if settings.reporting_url or live:
                # HTTPS to Douyin or the reporting API: their CA bundle loads beside everything
                # else (mostly without the GIL); the runtime's clients take it when it is done.
                threading.Thread(target=_load_tls_context, name="preload-tls", daemon=True).start()
            if not live:
                importlib.import_module("gateway_core.sandbox")  # the coupon world (no server yet)
            importlib.import_module("gateway_core.runtime")  # httpx, the ledger, the services
        except BaseException as exc:
            self.failure = exc


def _load_tls_context() -> None:
    try:
        from gateway_core.tls import default_tls_context

        default_tls_context()
    except Exception:  # the runtime's own call meets the error again, where it is handled
        log.warning("loading the TLS context ahead failed", exc_info=True)


def main(argv: list[str] | None = None) -> int:
    if "--self-test" in (sys.argv[1:] if argv is None else argv):  # before argparse: it has options of its own
        from app.selftest import main as self_test

        return self_test(list(sys.argv[1:] if argv is None else argv))
    args = parse_args(list(sys.argv[1:] if argv is None else argv))
    # httpx's __init__ imports its command-line client (click, rich, pygments: ~0.15 s of this
    # start) whenever those happen to be installed, as in a developer's environment. This process
    # never runs that CLI; None here sends httpx down its own "CLI not installed" fallback.
    if "httpx" not in sys.modules:
        sys.modules.setdefault("httpx._main", None)  # type: ignore[assignment]
    # Start-up allocates and keeps (modules, classes, widgets): the collector's passes over it
    # find nothing to free. Off until the window is up, then one collection and gc.freeze().
    gc.disable()

    preload = _Preload(args)
    preload.start()

    # qasync must bind to PySide6, whatever other Qt binding happens to be installed.
    os.environ.setdefault("QT_API", "pyside6")
    import qasync
    from PySide6.QtWidgets import QApplication

    from app.common.exception_hook import ExceptionHook
    from app.common.logs import setup_logging
    from app.common.prefs import Prefs
    from app.common.theme import apply_theme
    from app.i18n import install_language
    from gateway_core.settings import SettingsError, load_settings

    _mark("imports")
    try:
        # A bad setting is reported before Qt starts: without a display QApplication aborts.
        load_settings({"data_dir": args.data_dir})
    except SettingsError as exc:
        print(f"dy-verifier: {exc}", file=sys.stderr)
        return 2
    # Qt before the settings: neither QApplication nor the theme needs them, and meanwhile the
    # preload thread reads the keyring the settings wait for.
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("dy-verifier")
    app.setOrganizationName("dy-verifier")
    # The end is DesktopApp.shutdown (runtime stopped first), not Qt noticing the last window went.
    app.setQuitOnLastWindowClosed(False)
    apply_theme(app)
    _mark("qt+theme")
    # The window's modules need no settings: they load while the preload thread reads the keyring
    # (waiting for it first left this thread idle for ~0.15 s of every start).
    importlib.import_module("app.desktop")
    _mark("window imports")
    preload.settings_read.wait()
    try:
        # The preload thread's reading; read again here only if it failed, to meet its error here.
        settings = preload.settings or desktop_settings(args)
    except SettingsError as exc:
        print(f"dy-verifier: {exc}", file=sys.stderr)
        return 2
    data_dir = settings.data_dir
    log_file = setup_logging(data_dir, settings.log_level)
    _mark("settings+keyring")
    prefs = Prefs.load(data_dir)
    if args.language:
        prefs.language = args.language
    install_language(prefs.language)
    _mark("language")
    preload.join()  # the engine's imports
    if preload.failure is not None:
        log.warning("start-up preload failed (repeated on the main thread): %r", preload.failure)

    import asyncio  # not at the top: qasync's import above brings it, after the preload thread started

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    hook = ExceptionHook(log_file)
    hook.install(loop)
    try:
        with loop:
            return loop.run_until_complete(run(args, settings, prefs, data_dir, loop))
    finally:
        gc.enable()  # also when the start failed before the window was up
        hook.uninstall()


async def run(
    args: argparse.Namespace, settings: Settings, prefs: Prefs, data_dir: Path, loop: asyncio.AbstractEventLoop
) -> int:
    import asyncio

    from PySide6.QtCore import QTimer

    from app.common import tasks
    from app.common.ops import show_message
    from app.desktop import DesktopApp
    from gateway_core.runtime import Runtime

    _mark("core imports")
    # aiohttp (the training sandbox's server, the local endpoint) is imported and served once
    # the window is up: its import, CA certificates included, held the window back ~0.2 s.
    runtime = Runtime(settings, demo=True if args.demo else None, prefer_keyring=True, serve_sandbox_later=True)
    try:
        await runtime.start()
    except Exception as exc:
        log.exception("the runtime did not start")
        done = loop.create_future()
        box = show_message(None, f"无法启动 / Cannot start:\n{exc}", critical=True)
        box.finished.connect(lambda _r: done.done() or done.set_result(None))
        await done
        return 1
    _mark("runtime start")
    try:
        desk = DesktopApp(runtime, prefs, data_dir)
        _mark("window built")
        finished = loop.create_future()
        desk.closed.connect(lambda: finished.done() or finished.set_result(0))
        on_screen = loop.create_future()
        desk.on_screen.connect(lambda: on_screen.done() or on_screen.set_result(None))
        _handle_signals(loop, desk.request_quit)
        desk.show()
        _mark("shown")
    except Exception:
        log.exception("the window could not be built")
        await runtime.stop()
        raise
    # Ready means drawn: the counter's first frame is on the screen (a quit meanwhile ends it).
    await asyncio.wait([on_screen, finished], return_when=asyncio.FIRST_COMPLETED)
    if finished.done():
        return int(finished.result())
    mode = "demo" if runtime.demo else "live"
    elapsed = time.perf_counter() - _T0
    _mark("first frame")
    log.info(
        "ready in %.3f s (%s mode, data dir %s); %s",
        elapsed,
        mode,
        data_dir,
        ", ".join(f"{name} {at:.3f}" for name, at in _phases),
    )
    print(f"ready {time.time():.3f} {elapsed:.3f}", flush=True)
    # Everything built so far lives as long as the window: moving it out of the collector's
    # reach removes the ~50 ms full collections that showed as dropped frames while scrolling
    # the history (bench_history: max frame 81 ms -> 43 ms). The collection itself takes about
    # 60 ms: it waits until the window's first paint is on the screen.
    QTimer.singleShot(GC_SETTLE_MS, _settle_collector)
    if args.quit_after_ready:
        QTimer.singleShot(0, desk.request_quit)
    # A task of the UI's own, so a quit during start-up cancels it before the runtime stops.
    tasks.spawn(_serve_after_window(runtime, prefs), name="serve-after-window")
    return int(await finished)


GC_SETTLE_MS = 250  # after the first paint and the login dialog's query


async def _serve_after_window(runtime: Runtime, prefs: Prefs) -> None:
    """The training sandbox and the local endpoint, once the counter is on the screen.

    A scan that comes first waits for the sandbox (its connection is queued by the kernel).
    """
    from app.common.ops import show_message

    try:
        await runtime.serve_sandbox()
    except Exception as exc:
        log.exception("the training sandbox did not start")
        show_message(None, f"训练沙箱未能启动 / The training sandbox did not start:\n{exc}", critical=True)
    if prefs.serve_http:
        try:
            url = await runtime.start_http(prefs.http_host, prefs.http_port)
            log.info("local endpoint at %s", url)
        except OSError:
            log.exception("local endpoint did not start")


def _settle_collector() -> None:
    gc.collect()
    gc.freeze()
    gc.enable()


def _handle_signals(loop: asyncio.AbstractEventLoop, quit_: Callable[[], None]) -> None:
    """SIGTERM/SIGINT close the window the same way as its close button (clean stop)."""
    from PySide6.QtCore import QCoreApplication, QTimer

    _wakeup = QTimer(QCoreApplication.instance())
    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(sig, quit_)
        except (NotImplementedError, RuntimeError, ValueError):
            # Windows: Python runs signal handlers only between bytecodes; a timer gives it the chance.
            signal.signal(sig, lambda *_a: QTimer.singleShot(0, quit_))
            _wakeup.start(300)
            _wakeup.timeout.connect(lambda: None)


if __name__ == "__main__":
    raise SystemExit(main())
