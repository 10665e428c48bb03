"""The desktop's own figures: cold/warm start to a usable counter, scan-to-answer, memory.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m bench.bench_app [--starts 5] [--scans 50]

* start: `python -m app` in a subprocess until it prints `ready` (the counter's first frame is
  drawn and it takes scans), with our packages' bytecode compiled first as in any installed copy
  (see compile_bytecode): the first run on a fresh data dir (cold: ledger created, migrations),
  then warm runs of training mode (--demo) and live mode (Douyin credentials set) in turns; the
  process's resident memory at ready; SIGTERM and the exit status of a clean stop.
* scan-to-answer: in this process, the real counter controller on the real runtime and the
  in-process sandbox: scan -> the coupon card on the screen, Enter -> the answer on the screen.
  "On the screen" is the end of the window's own paint that follows the change (Qt paints when
  its event loop gets to the update, as in the app; nothing is forced). The time spent awaiting
  the Douyin client (sandbox + loopback HTTP) is measured by wrapping the client and subtracted,
  leaving our own cost (service, ledger, Qt, painting, event loop). As in the app, the collector
  is frozen once the window is up (app/__main__.py).
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import gc
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_API", "pyside6")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def rss_mib(pid: int | str = "self") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def one_start(data_dir: Path, live: bool = False) -> tuple[float, float, float, int]:
    """(seconds to ready, the app's own figure, RSS MiB at ready, exit status after SIGTERM).

    live: Douyin credentials set, so the real client (HTTPS context included) instead of the
    sandbox; its URL is a closed local port, as nothing talks to Douyin before the counter is up."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "DYGW_DATA_DIR": str(data_dir)}
    if live:
        env.update(
            DYGW_DOUYIN_CLIENT_KEY="bench-key",
            DYGW_DOUYIN_CLIENT_SECRET="bench-secret",
            DYGW_DOUYIN_ACCOUNT_ID="7000000000000000001",
            DYGW_DOUYIN_BASE_URL=f"http://127.0.0.1:{closed_port()}",
        )
    errors = tempfile.TemporaryFile(mode="w+")  # a file, not a pipe: nobody reads it while it runs
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "app", *([] if live else ["--demo"])],
        stdout=subprocess.PIPE,
        stderr=errors,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    wall = time.perf_counter() - t0
    if not line.startswith("ready"):
        proc.kill()
        status = proc.wait(timeout=20)
        errors.seek(0)
        tail = errors.read()[-4000:]
        raise RuntimeError(f"the app did not get ready: {line!r}, exit status {status}, stderr:\n{tail}")
    errors.close()
    own = float(line.split()[2])
    time.sleep(0.3)  # let the first paint and deferred work finish before sampling memory
    rss = rss_mib(proc.pid)
    proc.send_signal(signal.SIGTERM)
    status = proc.wait(timeout=20)
    return wall, own, rss, status


def compile_bytecode() -> None:
    """Give our packages their bytecode caches, as every installed copy has them.

    pip compiles a package when it installs it, the PyInstaller bundle carries compiled modules,
    and a checkout writes __pycache__ on its first run, unless PYTHONDONTWRITEBYTECODE is set (as
    in this development machine's environment): then every start would compile our ~190 modules
    again, about 0.4 s that no cashier's machine spends. (Measured without caches: 1.2-1.5 s.)
    """
    import compileall

    root = Path(__file__).resolve().parent.parent
    for package in ("app", "gateway_core"):
        compileall.compile_dir(root / package, quiet=1)


def bench_start(n: int) -> None:
    """Training mode cold once, then warm starts of training and live mode taken in turns, so
    the machine's drift between minutes falls on both alike."""
    compile_bytecode()
    with tempfile.TemporaryDirectory(prefix="dyv-bench-") as tmp:
        demo_dir, live_dir = Path(tmp) / "demo", Path(tmp) / "live"
        cold = one_start(demo_dir)
        one_start(live_dir, live=True)  # its ledger created: the live starts below are warm
        warm: list[tuple[float, float, float, int]] = []
        live: list[tuple[float, float, float, int]] = []
        for _ in range(n - 1):
            warm.append(one_start(demo_dir))
            live.append(one_start(live_dir, live=True))
    runs = [cold, *warm, *live]
    print(f"start, cold (new data dir): {cold[0]:.2f} s to ready (app's own clock {cold[1]:.2f} s)")
    for name, group in (("training mode", warm), ("live mode", live)):
        if group:
            walls = [r[0] for r in group]
            print(
                f"start, warm, {name} x{len(group)}: median {statistics.median(walls):.2f} s, "
                f"p90 {statistics.quantiles(walls, n=10)[-1] if len(walls) > 1 else walls[0]:.2f} s, "
                f"best {min(walls):.2f} s (app's own clock median {statistics.median(r[1] for r in group):.2f} s)"
            )
    print(f"resident memory at ready: {max(r[2] for r in runs):.0f} MiB (max of {len(runs)} runs)")
    print(f"exit status after SIGTERM: {sorted({r[3] for r in runs})}")


class Stopwatch:
    """Wraps coroutine methods of an object and adds up the time spent awaiting them."""

    def __init__(self, target: Any, methods: tuple[str, ...]) -> None:
        self.spent = 0.0
        for name in methods:
            if hasattr(target, name):
                setattr(target, name, self._timed(getattr(target, name)))

    def _timed(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return await fn(*args, **kwargs)
            finally:
                self.spent += time.perf_counter() - t0

        return wrapper


async def phase(ctl: Any, wanted: str) -> float:
    """When the controller entered `wanted`, from its own signal: no polling delay in the figure."""
    if ctl.phase == wanted:
        return time.perf_counter()
    reached = asyncio.Event()
    at: list[float] = []

    def seen(p: str) -> None:
        if p == wanted and not at:
            at.append(time.perf_counter())
            reached.set()

    ctl.phase_changed.connect(seen)
    try:
        await reached.wait()
    finally:
        ctl.phase_changed.disconnect(seen)
    return at[0]


class Frames:
    """When the window last finished painting: its UpdateRequest (the paint of everything marked
    dirty) is timed from a filter on the window alone, so the app's own event path is unchanged."""

    def __init__(self, window: Any) -> None:
        from PySide6.QtCore import QEvent, QObject, QTimer

        self.done: list[float] = []
        self._event = asyncio.Event()
        frames = self

        class _Filter(QObject):
            def eventFilter(self, _watched: Any, event: Any) -> bool:
                if event.type() == QEvent.Type.UpdateRequest:
                    # a zero timer fires once this event (the paint) has been handled
                    QTimer.singleShot(0, frames._painted)
                return False

        self._filter = _Filter(window)
        window.installEventFilter(self._filter)

    def _painted(self) -> None:
        self.done.append(time.perf_counter())
        self._event.set()

    async def after(self, moment: float) -> float:
        """The end of the first paint that finished after `moment`."""
        while not self.done or self.done[-1] <= moment:
            self._event.clear()
            await self._event.wait()
        return next(t for t in self.done if t > moment)


async def bench_scans(n: int) -> None:
    from app.common.prefs import Prefs
    from app.desktop import DesktopApp
    from app.sound.player import SoundPlayer
    from gateway_core.runtime import Runtime
    from gateway_core.settings import load_settings

    with tempfile.TemporaryDirectory(prefix="dyv-bench-") as tmp:
        rt = Runtime(load_settings({"data_dir": Path(tmp)}, environ={}), demo=True)
        await rt.start()
        try:
            desk = DesktopApp(rt, Prefs(), Path(tmp), sounds=SoundPlayer(enabled=False, backend=None))
            desk.window.resize(1366, 768)
            desk.show()  # as the app does: focus, then the app-wide key filters after the first frame
            frames = Frames(desk.window)
            await asyncio.sleep(0.3)
            if not desk.keyboard_watched:
                raise RuntimeError("the key filters did not start: the figures would leave out their cost")
            gc.collect()
            gc.freeze()
            ctl = desk.controller
            # the sandbox (and loopback HTTP) on one side; the ledger's SQLite thread on the other
            clock = Stopwatch(
                rt.douyin,
                ("get_token", "resolve_short_link", "prepare", "verify", "get_certificate", "query_certificates"),
            )
            db = getattr(rt.ledger, "_db", None)
            disk = Stopwatch(db, ("write", "read")) if db is not None else None
            poi = desk.poi_id()
            codes = [rt.sandbox.state.mint_order(poi_id=poi, product="set2").certificates[0].code for _ in range(n + 3)]
            totals, ours, ledger = [], [], []
            for i, code in enumerate(codes):
                spent0 = clock.spent
                disk0 = disk.spent if disk else 0.0
                t0 = time.perf_counter()
                ctl.submit(code, scanned=True)
                card_at = await phase(ctl, "card")
                await frames.after(card_at)  # the cashier sees the card, then presses Enter
                ctl.confirm()
                result_at = await phase(ctl, "result")
                t2 = await frames.after(result_at)
                assert ctl.result is not None and ctl.result.kind == "success", ctl.result
                if i >= 3:  # the first scans warm caches and the token
                    totals.append(t2 - t0)
                    ours.append((t2 - t0) - (clock.spent - spent0))
                    ledger.append((disk.spent - disk0) if disk else 0.0)
            ms = [x * 1000 for x in totals]
            own = [x * 1000 for x in ours]
            p95 = sorted(ms)[int(len(ms) * 0.95) - 1]
            print(
                f"scan-to-answer x{len(ms)} (prepare, card on screen, verify, answer on screen): "
                f"median {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms"
            )
            print(
                f"  our own share (minus time awaiting the sandbox): median {statistics.median(own):.1f} ms, "
                f"p95 {sorted(own)[int(len(own) * 0.95) - 1]:.1f} ms"
            )
            db_ms = [x * 1000 for x in ledger]
            print(
                f"    of which awaiting the ledger's SQLite writer/readers (durable commits): "
                f"median {statistics.median(db_ms):.1f} ms"
            )
            print(f"resident memory after {len(codes)} redemptions, window shown: {rss_mib():.0f} MiB")
            desk.release()
            desk.window.allow_close()
            desk.window.close()
        finally:
            await rt.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--scans", type=int, default=50)
    args = parser.parse_args(argv)
    if args.starts:
        bench_start(args.starts)
    if args.scans:
        import qasync
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance() or QApplication(sys.argv[:1])
        assert isinstance(app, QApplication)
        app.setQuitOnLastWindowClosed(False)
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
        with loop:
            loop.run_until_complete(bench_scans(args.scans))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
