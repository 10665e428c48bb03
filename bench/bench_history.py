"""History screen benchmark: first paint and scrolling over a ledger of 1,000,000 rows.

    .venv/bin/python -m bench.bench_history [--rows 1000000] [--days 90] [--path DIR] [--seconds 15]

The ledger is filled once by bench.bench_ledger's bulk loader (kept in --path for later runs;
the fill runs in a child process so its row lists never count in this process's memory). Then the
real HistoryView runs on the real ReportsService and Ledger in a qasync loop, offscreen unless
QT_QPA_PLATFORM says otherwise (e.g. xcb under Xvfb).

Figures:
* first paint: from constructing the view (today's rows) and from choosing the whole 90-day range
  (every row) to the first paint of the table showing rows;
* frame times while scrolling: a 4 ms probe timer records the gaps between its ticks; a gap is
  how long the GUI thread was busy (layout, paint, inserting a page), i.e. a frame's length;
* scrolling: a smooth flick (rows per second) for --seconds, then repeated jumps to the end (each
  asks for the next page), then a jump back to the top (pages dropped from memory come back);
* resident memory (current and peak) of this process.

gc.freeze() is called once the view is up, as the app does after its start-up (app/__main__.py):
Python's full collections then skip the hundreds of thousands of objects of Qt, PySide and the
modules, which otherwise make a collection take ~50 ms on this kind of machine (the largest
frames measured). `--no-gc-freeze` shows the difference: 2026-11-26, max frame 40.8 ms with it,
86.8 ms without (one frame over 50 ms while jumping to the end of 1,000,000 rows).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

os.environ.setdefault("QT_API", "pyside6")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import qasync
from PySide6.QtCore import QElapsedTimer, QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

SIZE = (1366, 768)


def rss_mb() -> tuple[float, float]:
    """(current, peak) resident memory in MiB."""
    current = 0.0
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                current = int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return current, peak


def ensure_ledger(folder: Path, rows: int, days: int) -> tuple[Path, bytes]:
    """The cached ledger file and its key, filled in a child process on first use.

    The rows end when they are made and the view opens on the store's today, so a cache is good
    for the day (Asia/Shanghai) and the schema version it was made on: a file from an earlier day
    had no rows "today" and the first paint never came. Older caches are removed."""
    from gateway_core.ledger.migrations import LATEST_VERSION

    folder.mkdir(parents=True, exist_ok=True)
    stem = f"ledger-{rows}-{days}d"
    day = datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
    path = folder / f"{stem}-v{LATEST_VERSION}-{day}.sqlite3"
    for old in folder.glob(f"{stem}*"):
        if not old.name.startswith(path.stem):
            old.unlink()
    key_file = path.with_suffix(".key")
    if not path.exists():
        key_file.write_bytes(os.urandom(32))
        code = (
            "import asyncio, sys; from pathlib import Path\n"
            "from bench.bench_ledger import fill\n"
            "from gateway_core.ledger import Ledger\n"
            "from gateway_core.secretbox import SecretBox\n"
            "path, key, rows, days = Path(sys.argv[1]), Path(sys.argv[2]).read_bytes(), int(sys.argv[3]), "
            "int(sys.argv[4])\n"
            "async def create():\n"
            "    ledger = await Ledger.open(path, SecretBox(key, 'bench'), store_id='store-bench')\n"
            "    await ledger.ensure_builtin_app()\n"
            "    await ledger.close()\n"
            "asyncio.run(create())\n"
            "took = fill(path, rows, days)\n"
            "print(f'filled {rows:,} rows over {days} days in {took:.1f} s')\n"
        )
        subprocess.run(
            [sys.executable, "-c", code, str(path), str(key_file), str(rows), str(days)],
            check=True,
            cwd=Path(__file__).resolve().parents[1],
        )
    return path, key_file.read_bytes()


class FrameProbe(QObject):
    """Gaps between ticks of a 4 ms timer: how long the GUI thread was unavailable each time."""

    def __init__(self) -> None:
        super().__init__()
        self.gaps: list[float] = []
        self._clock = QElapsedTimer()
        self._timer = QTimer(self)
        self._timer.setInterval(4)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.gaps.clear()
        self._clock.start()
        self._timer.start()

    def stop(self) -> list[float]:
        self._timer.stop()
        return list(self.gaps)

    def _tick(self) -> None:
        self.gaps.append(self._clock.nsecsElapsed() / 1e6)
        self._clock.restart()


class PaintWatch(QObject):
    """Calls `when_painted` at the first paint of the table's viewport that shows rows."""

    def __init__(self, has_rows: Callable[[], bool]) -> None:
        super().__init__()
        self._has_rows = has_rows
        self.painted_at: float | None = None

    def arm(self) -> None:
        self.painted_at = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self.painted_at is None and self._has_rows():
            self.painted_at = time.perf_counter()
        return False


async def until(check: Callable[[], bool], within: float = 60.0) -> None:
    deadline = time.monotonic() + within
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError("the history did not reach the expected state")
        await asyncio.sleep(0.002)


def frame_line(name: str, gaps: list[float]) -> str:
    if not gaps:
        return f"  {name}: no frames"
    ordered = sorted(gaps)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    over = sum(1 for g in gaps if g > 50)
    return (
        f"  {name}: {len(gaps):,} probe ticks, median {statistics.median(gaps):.1f} ms, p99 {p99:.1f} ms, "
        f"max {max(gaps):.1f} ms, over 50 ms: {over}"
    )


async def run(path: Path, key: bytes, days: int, seconds: float, freeze: bool) -> None:
    from app.common.session import Session
    from app.common.theme import apply_theme
    from app.history import HistoryView
    from app.history.formatting import store_zone
    from gateway_core.events import EventBus
    from gateway_core.ledger import Ledger
    from gateway_core.secretbox import SecretBox
    from gateway_core.service.reports import ReportsService

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app)
    ledger = await Ledger.open(path, SecretBox(key, "bench"), store_id="store-bench")
    runtime = SimpleNamespace(
        reports=ReportsService(ledger, "Asia/Shanghai"),
        settings=SimpleNamespace(timezone="Asia/Shanghai"),
        events=EventBus(),
        service=SimpleNamespace(cancel_deadline=lambda view: None),
        gateway=None,  # no store names: the view shows POI ids
    )
    probe = FrameProbe()
    before = rss_mb()
    print(f"resident memory before the view: {before[0]:.0f} MiB")

    # --- first paint: today's rows, as the screen opens
    t0 = time.perf_counter()
    view = HistoryView(runtime, Session("bench", "manager"))
    table = view.table
    watch = PaintWatch(lambda: view.model.rowCount() > 0)
    table.viewport().installEventFilter(watch)
    view.resize(*SIZE)
    view.show()
    await until(lambda: watch.painted_at is not None)
    print(f"first paint (open, today: {view.model.total or 0:,} rows): {(watch.painted_at - t0) * 1000:.0f} ms")
    await until(lambda: not view.busy)
    collections = [0, 0, 0]
    gc.callbacks.append(lambda phase, info: phase == "stop" and collections.__setitem__(
        info["generation"], collections[info["generation"]] + 1))  # fmt: skip
    if freeze:
        gc.collect()
        gc.freeze()
        print(f"gc.freeze(): {gc.get_freeze_count():,} objects set aside from collections")

    # --- first paint: the whole range, every row
    zone = store_zone("Asia/Shanghai")
    today = datetime.now(zone).date()
    watch.arm()
    probe.start()
    t0 = time.perf_counter()
    view.filters.range_picker.set_range(today - timedelta(days=days + 1), today)
    await until(lambda: watch.painted_at is not None and view.model.total is not None)
    first_full = (watch.painted_at - t0) * 1000
    await until(lambda: not view.busy)
    gaps_open = probe.stop()
    total = view.model.total or 0
    print(f"first paint (whole range: {total:,} rows): {first_full:.0f} ms")
    print(frame_line("frames while opening the whole range", gaps_open))

    bar = table.verticalScrollBar()
    rows_per_step = 40  # 40 rows a frame at 60 frames a second: 2,400 rows/s, a hard flick

    # --- smooth flick for `seconds`
    step_px = rows_per_step * table.verticalHeader().defaultSectionSize()
    driver = QTimer()
    driver.setInterval(16)
    driver.timeout.connect(lambda: bar.setValue(bar.value() + step_px))
    probe.start()
    t0 = time.perf_counter()
    driver.start()
    await asyncio.sleep(seconds)
    driver.stop()
    gaps_flick = probe.stop()
    flicked = table.rowAt(0)
    elapsed = time.perf_counter() - t0
    print(
        f"smooth scroll for {elapsed:.0f} s: reached row {flicked:,} of {view.model.rowCount():,} loaded "
        f"({flicked / elapsed:,.0f} rows/s)"
    )
    print(frame_line("frames while scrolling", gaps_flick))

    # --- jumps to the end: each one asks the ledger for the next page
    jumps, page_times = 0, []
    probe.start()
    t_jumps = time.perf_counter()
    while time.perf_counter() - t_jumps < seconds and view.model.canFetchMore():
        rows_before = view.model.rowCount()
        t0 = time.perf_counter()
        if bar.value() == bar.maximum():
            bar.setValue(bar.maximum() - 1)  # the view asks for more only when the value changes
        bar.setValue(bar.maximum())
        await until(lambda rb=rows_before: view.model.rowCount() > rb or not view.model.canFetchMore())
        page_times.append((time.perf_counter() - t0) * 1000)
        jumps += 1
    gaps_jumps = probe.stop()
    depth = view.model.rowCount()
    print(
        f"jumps to the end: {jumps} pages in {time.perf_counter() - t_jumps:.0f} s, now {depth:,} rows loaded; "
        f"page read p50 {statistics.median(page_times):.0f} ms, last {page_times[-1]:.0f} ms"
    )
    print(frame_line("frames while jumping", gaps_jumps))

    # --- jump back to the top: dropped pages are read again
    probe.start()
    t0 = time.perf_counter()
    bar.setValue(0)
    await until(lambda: view.model.row_at(0) is not None and not view.model.loading)
    print(
        f"back to the top: first rows again after {(time.perf_counter() - t0) * 1000:.0f} ms; "
        f"pages in memory: {view.model.cached_pages()}"
    )
    print(frame_line("frames after the jump back", probe.stop()))

    print(f"garbage collections while measuring (gen 0/1/2): {collections[0]}/{collections[1]}/{collections[2]}")
    now, peak = rss_mb()
    print(
        f"resident memory: {now:.0f} MiB now, {peak:.0f} MiB peak (targets: first paint < 200 ms, "
        f"no frame > 50 ms, RSS < 250 MB)"
    )
    view.close()
    await ledger.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--path", type=Path, default=Path("/tmp/dy-bench-history"))
    parser.add_argument(
        "--no-gc-freeze", dest="gc_freeze", action="store_false", help="skip the app's gc.freeze() after start-up"
    )
    args = parser.parse_args(argv)
    path, key = ensure_ledger(args.path, args.rows, args.days)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_until_complete(run(path, key, args.days, args.seconds, args.gc_freeze))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
