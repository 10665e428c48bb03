"""Regenerate docs/screenshots/: every desktop screen in 简体中文 and English, on the demo sandbox.

    QT_QPA_PLATFORM=offscreen python -m app.tools.screenshots [--out docs/screenshots]

Runs the real runtime and widgets (training mode, a throw-away data dir) and drives them the way a
cashier would; `QWidget.grab()` renders each screen at 1366x768, the most common counter screen.
Under Xvfb (`DISPLAY=:99 QT_QPA_PLATFORM=xcb`) it renders the same through the X server.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_API", "pyside6")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import qasync
from PySide6.QtWidgets import QApplication, QWidget

from app.common.prefs import Prefs
from app.common.theme import apply_theme
from app.i18n import install_language
from app.sound.player import SoundPlayer

SIZE = (1366, 768)


async def until(check: Callable[[], bool], within: float = 15.0) -> None:
    deadline = time.monotonic() + within
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError("screen did not reach the expected state")
        await asyncio.sleep(0.05)


async def settle() -> None:
    # a few loop turns: layouts and style polish land before the grab (never processEvents() here:
    # it would run other tasks' steps inside this one)
    for _ in range(4):
        await asyncio.sleep(0.05)


async def shoot(widget: QWidget, path: Path) -> None:
    await settle()
    path.parent.mkdir(parents=True, exist_ok=True)
    if not widget.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    print(path)


async def scenario(language: str, out: Path, data_dir: Path) -> None:
    from app.common.cashiers import cashiers_of
    from app.desktop import DesktopApp
    from app.main_window import SETTINGS
    from gateway_core.runtime import Runtime
    from gateway_core.sandbox import Fault
    from gateway_core.settings import load_settings

    rt = Runtime(
        load_settings({"data_dir": data_dir}, environ={}),
        demo=True,
        reconcile_interval=0.3,
        unknown_outcome_grace=timedelta(seconds=0.5),
    )
    await rt.start()
    try:
        desk = DesktopApp(rt, Prefs(language=language), data_dir, sounds=SoundPlayer(enabled=False, backend=None))
        win, ctl, state = desk.window, desk.controller, rt.sandbox.state
        win.resize(*SIZE)
        win.show()
        folder = out / language

        async def at(phase: str) -> None:
            await until(lambda: ctl.phase == phase)

        await shoot(win, folder / "counter-idle.png")
        if win.demo_banner is not None:
            await shoot(win.demo_banner, folder / "demo-banner.png")

        party = state.coupon(tag="party-of-4", state="usable")
        ctl.submit(party.short_link, scanned=True)
        await at("card")
        ctl.step_count(2)
        await shoot(win, folder / "coupon-card.png")
        ctl.confirm()
        await until(lambda: ctl.result is not None and ctl.result.kind == "success")
        await shoot(win, folder / "result-success.png")

        ctl.submit(party.short_link, scanned=True)
        await until(lambda: ctl.result is not None and ctl.result.kind == "duplicate")
        await shoot(win, folder / "result-duplicate.png")

        used = state.coupon(tag="used")
        ctl.submit(used.code, scanned=True)
        await until(lambda: ctl.result is not None and ctl.result.kind == "failure")
        await shoot(win, folder / "result-failure-used.png")

        state.faults.add(Fault(endpoint="*", kind="drop", times=None))
        ctl.submit(state.coupon(tag="voucher", state="usable").code, scanned=True)
        await until(lambda: ctl.phase == "result")
        await shoot(win, folder / "result-failure-douyin-down.png")
        state.faults.clear()

        single = state.coupon(tag="single", state="usable")
        ctl.submit(single.code, scanned=True)
        await at("card")
        state.faults.add(Fault(endpoint="verify", kind="apply_then_drop"))
        state.faults.add(Fault(endpoint="get", kind="http_500", times=3))
        state.faults.add(Fault(endpoint="query", kind="http_500", times=3))
        ctl.confirm()
        await until(lambda: ctl.result is not None and ctl.result.kind == "pending")
        await shoot(win, folder / "result-pending.png")
        await until(lambda: ctl.result is not None and ctl.result.kind == "success", within=60)
        await shoot(win, folder / "result-pending-settled.png")
        state.faults.clear()

        await cashiers_of(rt).add_cashier("王店长", "2468", "manager", by="screenshots")
        await cashiers_of(rt).add_cashier("小李", "1357", "cashier", by="screenshots")
        win.show_page(SETTINGS)
        view: Any = win.page_widget(SETTINGS)
        await until(lambda: bool(view.apps.apps) and bool(view.cashiers.cashiers))
        for index, name in enumerate(("douyin", "cashiers", "endpoint", "apps", "sync", "general")):
            view.tabs.setCurrentIndex(index)
            await shoot(win, folder / f"settings-{name}.png")
        win.show_page(0)

        desk.open_login(initial=False)
        await until(lambda: desk.login is not None and desk.login.isVisible())
        assert desk.login is not None
        await shoot(desk.login, folder / "login.png")
        desk.login.reject()

        for index, name in ((1, "history"), (2, "day-report")):
            win.show_page(index)
            await shoot(win, folder / f"{name}.png")
        desk.release()
        win.allow_close()
        win.close()
    finally:
        await rt.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--language", choices=["zh_CN", "en"], action="append")
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setQuitOnLastWindowClosed(False)  # one window per language: closing the first is not the end
    apply_theme(app)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        for language in args.language or ["zh_CN", "en"]:
            install_language(language)
            with tempfile.TemporaryDirectory(prefix="dyv-shots-") as tmp:
                loop.run_until_complete(scenario(language, args.out, Path(tmp)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
