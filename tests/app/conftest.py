"""Shared fixtures for the desktop tests (pattern (b) of platform-notes: plain pytest-qt tests on a
qasync loop that is marked running, waiting with qtbot only, never a nested asyncio loop).

    qloop      the qasync loop for this test (asyncio calls from widgets land on it)
    run        run(coro, timeout=10) -> result: drives a coroutine to its end with qtbot waits
    keyring_memory   an in-memory OS keyring (tests/conftest.py, autouse: no test touches the real one)
    runtime    a started Runtime in demo mode: real service, real SQLite in tmp_path, the
               in-process sandbox Douyin (runtime.sandbox.state: coupons(), faults, counters)
    session    a Session for a manager named 测试店长
    desktop    the whole desktop (DesktopApp) on that runtime, window shown, sounds recorded
    poi_id     the sandbox store the counter works for
"""

from __future__ import annotations

import asyncio
import gc
import os
from collections.abc import Callable, Coroutine, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")

import pytest
import qasync
import shiboken6

T = TypeVar("T")



@pytest.fixture
def qloop(qapp: Any) -> Iterator[asyncio.AbstractEventLoop]:
    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    yield loop
    # Let other test modules (pytest-asyncio) run their own loops after this one.
    for task in asyncio.all_tasks(loop):
        task.cancel()
    asyncio.events._set_running_loop(None)
    loop._QEventLoop__is_running = False  # type: ignore[attr-defined]  # marked running, never run
    loop.close()
    asyncio.set_event_loop(None)
    # close() only marks qasync's timer object stopped: the Qt timers of callbacks still pending
    # (a reconciler's next pass, an httpx timeout) stay registered. Were the object then freed by
    # a garbage collection that happens to run on a worker thread (the ledger's, httpx's), Qt could
    # not unregister them, and the next one to fire would hit freed memory: tests/app segfaulted
    # in 3 of 4 runs on Debian 12's Python. Delete it here, on the GUI thread, which unregisters
    # them, and collect this test's other Qt garbage here too.
    shiboken6.delete(loop._timer)
    gc.collect()


@pytest.fixture
def run(qloop: asyncio.AbstractEventLoop, qtbot: Any) -> Callable[..., Any]:
    def run_(coro: Coroutine[Any, Any, T], timeout: float = 10.0) -> T:
        task = qloop.create_task(coro)
        qtbot.waitUntil(task.done, timeout=int(timeout * 1000))
        return task.result()

    return run_


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def runtime(run: Callable[..., Any], data_dir: Path) -> Iterator[Any]:
    from gateway_core.runtime import Runtime
    from gateway_core.settings import load_settings

    settings = load_settings({"data_dir": data_dir}, environ={})
    rt = Runtime(settings, demo=True, reconcile_interval=0.2, unknown_outcome_grace=timedelta(seconds=0.5))
    run(rt.start())
    yield rt
    run(rt.stop())


@pytest.fixture
def poi_id() -> str:
    from gateway_core.sandbox import SANDBOX_POIS

    return SANDBOX_POIS[0].poi_id


@pytest.fixture
def session() -> Any:
    from app.common.session import Session

    return Session("测试店长", "manager")


class RecordingSounds:
    """A sound backend that plays nothing and remembers what it was asked to play."""

    def __init__(self) -> None:
        self.files: list[str] = []

    def __call__(self, path: Path) -> bool:
        self.files.append(path.stem)
        return True


@pytest.fixture
def desktop(runtime: Any, session: Any, data_dir: Path, qtbot: Any) -> Iterator[Any]:
    from app.common.prefs import Prefs
    from app.desktop import DesktopApp
    from app.sound.player import SoundPlayer

    sounds = SoundPlayer(enabled=True, backend=RecordingSounds())
    desk = DesktopApp(runtime, Prefs(), data_dir, sounds=sounds, session=session)
    desk.show()
    qtbot.waitExposed(desk.window)
    qtbot.waitUntil(desk.counter.scan_box.hasFocus, timeout=5000)
    qtbot.waitUntil(lambda: desk.keyboard_watched, timeout=5000)  # the key filters, after the first frame
    yield desk
    desk.release()
    desk.window.allow_close()
    desk.window.close()
    desk.window.deleteLater()
