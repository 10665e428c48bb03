"""Export of the whole filtered range (not the rows on screen) to CSV or Excel.

The core writes the file (gateway_core.reports_export) on worker threads; this object only asks
for a file name with a non-blocking dialog, shows progress and reports the outcome.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from app.common import tasks
from app.common.errors import describe_error
from app.history.formatting import store_zone
from app.i18n import current_language
from app.reports.files import default_folder
from gateway_core import reports_export
from gateway_core.ledger import VerificationFilter

log = logging.getLogger(__name__)


class ExportKind(Enum):
    XLSX = "xlsx"
    CSV = "csv"


class ExportController(QObject):
    started = Signal(int)  # rows to write
    progress = Signal(int, int)  # rows written, rows to write
    finished = Signal(str, int)  # path, rows written
    failed = Signal(str)  # a sentence for the manager

    def __init__(self, runtime: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runtime = runtime
        self._task: asyncio.Task[None] | None = None
        self._dialog: QFileDialog | None = None
        self.about: list[tuple[str, str]] = []  # what the range was, for the workbook's info sheet

    @property
    def busy(self) -> bool:
        return self._task is not None and not self._task.done()

    def ask(self, parent: QWidget, kind: ExportKind, flt: VerificationFilter, name: str) -> QFileDialog:
        """A save dialog opened with open(): a nested exec() would stall the asyncio loop."""
        title = self.tr("导出 Excel") if kind is ExportKind.XLSX else self.tr("导出 CSV")
        pattern = self.tr("Excel 工作簿 (*.xlsx)") if kind is ExportKind.XLSX else self.tr("CSV 文件 (*.csv)")
        dialog = QFileDialog(parent, title, str(default_folder() / f"{name}.{kind.value}"), pattern)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix(kind.value)
        dialog.fileSelected.connect(lambda path: self.run(kind, flt, Path(path)))
        dialog.finished.connect(lambda _r: setattr(self, "_dialog", None))
        self._dialog = dialog  # kept alive while open
        dialog.open()
        return dialog

    def run(self, kind: ExportKind, flt: VerificationFilter, path: Path) -> asyncio.Task[None]:
        self.cancel()
        self._task = tasks.spawn(self._export(kind, flt, path), name="history-export")
        return self._task

    def cancel(self) -> None:
        if self.busy and self._task is not None:
            self._task.cancel()

    async def _export(self, kind: ExportKind, flt: VerificationFilter, path: Path) -> None:
        reports = self._runtime.reports
        try:
            _first, total = await reports.list_verifications(flt, 1, 1)
            self.started.emit(total)

            def step(done: int) -> None:
                self.progress.emit(done, max(total, done))

            if kind is ExportKind.CSV:
                rows = await reports_export.write_csv(reports, flt, path, progress=step)
            else:
                zone = store_zone(self._runtime.settings.timezone)
                made = datetime.now(zone).strftime("%Y-%m-%d %H:%M:%S")
                rows = await reports_export.write_xlsx(
                    reports, flt, path, timezone=zone, language=current_language(), progress=step,
                    about=[*self.about, (self.tr("导出时间"), made)],
                )
        except asyncio.CancelledError:
            self.failed.emit(self.tr("导出已取消"))
            raise
        except Exception as exc:
            log.exception("export to %s failed", path)
            self.failed.emit(self.tr("导出失败:{reason}").format(reason=describe_error(exc)))
            return
        log.info("exported %d rows to %s", rows, path)
        self.finished.emit(str(path), rows)
