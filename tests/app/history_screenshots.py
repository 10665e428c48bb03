"""Screenshots of the history (核销记录) and day report (日报) screens, in 简体中文 and English.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.app.history_screenshots [--out docs/screenshots]

A training-mode runtime on a throw-away data dir, seeded with a week of plausible redemptions
(the sandbox stores and products) plus real sandbox redemptions made through the service just
before, one of them undone. Writes <out>/<language>/history-*.png, day-report-*.png and the PDF's
first page (pdftoppm, from poppler-utils) as day-report-pdf.png. (history.png and day-report.png
are app.tools.screenshots' shots of the whole window.)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

os.environ.setdefault("QT_API", "pyside6")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import qasync
from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QApplication, QWidget

from app.tools.screenshots import SIZE, until  # the desktop shots' window size and wait helper


async def shoot(widget: QWidget, path: Path) -> None:
    # Let layouts and style polish land before the grab. Waiting on the loop lets Qt run its
    # events; processEvents() here would re-enter the loop from inside this task.
    await asyncio.sleep(0.3)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not widget.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    print(path)


def seed(data_dir: Path, store_names: list[str]) -> None:
    from gateway_core.clock import parse_iso
    from gateway_core.sandbox import SANDBOX_POIS
    from tests.app.history_support import fill_ledger, make_rows

    restaurants = [p.poi_id for p in SANDBOX_POIS if p.kind == "restaurant"]
    now = datetime.now().astimezone()
    rows = make_rows(2400, now - timedelta(minutes=20), spacing=timedelta(minutes=4), seed=7,
                     pois=restaurants, operators=store_names, store_id="store-demo")  # fmt: skip
    store = ZoneInfo("Asia/Shanghai")
    today = now.astimezone(store).date()

    def local(row: dict[str, Any]) -> datetime:
        return parse_iso(row["created_at"]).astimezone(store)

    rows = [r for r in rows if 10 <= local(r).hour < 22]  # open 10:00-22:00
    if sum(1 for r in rows if local(r).date() == today) < 30:
        # Before about 12:00 in Shanghai today has no business yet, and the history opens on today:
        # a night shift's 40 redemptions since midnight, so the shots always show a day's worth.
        midnight = datetime.combine(today, datetime.min.time(), store)
        spacing = max(timedelta(seconds=5), (now - midnight) / 45)
        rows += make_rows(40, now - timedelta(seconds=30), spacing=spacing, seed=8, id_base=10**6,
                          pois=restaurants, operators=store_names, store_id="store-demo")  # fmt: skip
    data_dir.mkdir(parents=True, exist_ok=True)
    fill_ledger(data_dir / "ledger.sqlite3", rows)


async def redeem(rt: Any, poi_id: str, operator: str, product: str) -> dict[str, Any]:
    order = rt.sandbox.state.mint_order(poi_id=poi_id, product=product)
    prepared = await rt.service.prepare_coupon(poi_id=poi_id, code=order.certificates[0].code)
    outcome = await rt.service.verify_prepared(prepared, 1, app=rt.counter_app, operator=operator)
    return outcome.items[0]


async def scenario(language: str, out: Path, data_dir: Path) -> None:
    from app.common.cashiers import cashiers_of
    from app.common.session import Session
    from app.history import HistoryView
    from app.reports import DayReportView
    from app.reports.ranges import QuickRange
    from gateway_core.runtime import Runtime
    from gateway_core.sandbox import SANDBOX_POIS
    from gateway_core.settings import load_settings

    seed(data_dir, ["张三", "李四", "王店长"])
    rt = Runtime(load_settings({"data_dir": data_dir}, environ={}), demo=True)
    await rt.start()
    folder = out / language
    try:
        await cashiers_of(rt).add_cashier("王店长", "2468", "manager", by="screenshots")
        poi = SANDBOX_POIS[0].poi_id
        made = []
        for operator, product in (("张三", "set2"), ("李四", "cash100"), ("张三", "set2"), ("小李", "cash50")):
            made.append(await redeem(rt, poi, operator, product))
        await rt.service.cancel_verification(made[1]["id"], app=None, reason="顾客退单", operator="李四",
                                             approved_by="王店长")  # fmt: skip

        history = HistoryView(rt, Session("小李", "cashier"))
        history.resize(*SIZE)
        history.show()
        await until(lambda: not history.busy and history.model.rowCount() > 20)
        await until(lambda: history.filters.poi.count() > 1)
        history.select_row(0)
        await shoot(history, folder / "history-table.png")

        history.undo_button.click()
        await until(lambda: history.undo_dialog is not None and history.undo_dialog.isVisible())
        dialog = history.undo_dialog
        assert dialog is not None
        dialog.pin.setText("2468")
        await shoot(dialog, folder / "history-undo-dialog.png")
        dialog.reject()

        history.filters.status.setCurrentIndex(history.filters.status.findData("cancelled"))
        await until(lambda: not history.busy)
        await shoot(history, folder / "history-filtered-undone.png")
        history.close()
        history.deleteLater()

        report = DayReportView(rt, Session("王店长", "manager"))
        report.resize(SIZE[0], 900)
        report.show()
        await until(lambda: not report.busy and report.report is not None and report.poi.count() > 1)
        await shoot(report, folder / "day-report-today.png")
        report.tabs.setCurrentIndex(3)
        report.range_picker.choose(QuickRange.THIS_WEEK)
        await until(lambda: not report.busy and report.report is not None and not report.report.single_day)
        await shoot(report, folder / "day-report-week.png")

        report.range_picker.choose(QuickRange.TODAY)
        await until(lambda: not report.busy and report.report is not None and report.report.single_day)
        pdf = folder / "day-report.pdf"
        task = report.save("pdf", pdf)
        assert task is not None
        await task
        if shutil.which("pdftoppm"):
            command = ["pdftoppm", "-png", "-r", "70", "-singlefile", str(pdf), str(folder / "day-report-pdf")]
            await asyncio.to_thread(subprocess.run, command, check=True)
            print(folder / "day-report-pdf.png")
        pdf.unlink()
        report.close()
        report.deleteLater()
    finally:
        await rt.stop()


def main(argv: list[str] | None = None) -> int:
    from app.common.theme import apply_theme
    from app.history.i18n_en import private_catalogue
    from app.i18n import install_language

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--language", choices=["zh_CN", "en"], action="append")
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    apply_theme(app)
    app.setQuitOnLastWindowClosed(False)  # closing one screen must not stop the loop
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)

    async def every_language(tmp: Path) -> None:
        qm, _missing = private_catalogue(tmp)
        for language in args.language or ["zh_CN", "en"]:
            install_language(language)
            ours = QTranslator()
            if language == "en" and ours.load(str(qm)):
                app.installTranslator(ours)  # our strings even before the shared catalogue is rebuilt
            await scenario(language, args.out, tmp / language)
            app.removeTranslator(ours)

    # One run_until_complete: stopping a qasync loop leaves Qt's quit flag set for the next run.
    with loop, tempfile.TemporaryDirectory(prefix="dyv-history-shots-") as tmp:
        loop.run_until_complete(every_language(Path(tmp)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
