"""日报: a manager's view of a day (or any range): totals, a chart by hour or day, breakdowns by
day, store, source and cashier; PDF for printing, CSV/Excel exports. Every figure comes from
`runtime.reports.summary`, the same query the internal HTTP API answers with.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.common.errors import describe_error
from app.common.events import RuntimeEvents
from app.common.ops import AsyncOp
from app.common.session import Session
from app.i18n import current_language
from app.reports.breakdowns import breakdowns, chart_series
from app.reports.chart import BarChart
from app.reports.files import default_folder
from app.reports.pdf import write_day_report_pdf
from app.reports.poi_names import load_poi_names, poi_label
from app.reports.range_picker import RangePicker
from app.reports.report_data import DayReport, load_day_report
from app.reports.style import REPORTS_QSS
from app.reports.summary_model import SummaryTableModel
from app.reports.totals_bar import TotalsBar
from gateway_core import reports_export
from gateway_core.ledger import VerificationFilter
from gateway_core.ledger.timerange import as_tz

log = logging.getLogger(__name__)

REFRESH_DELAY_MS = 1500  # a busy lunch hour must not recompute the report on every scan
# Hidden (the cashier is at the counter), the report only notes that it is out of date and is read
# again when shown: its five summary queries must not compete with the next scan.


class DayReportView(QWidget):
    def __init__(self, runtime: Any, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dayReportView")
        self.setStyleSheet(REPORTS_QSS)
        self.runtime = runtime
        self.session = session
        self.zone = as_tz(runtime.settings.timezone)
        self.report: DayReport | None = None
        self.poi_names: dict[str, str] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._dialog: QFileDialog | None = None
        self._stale = False  # rows changed while hidden: load again when shown

        title = QLabel(self.tr("日报"), self)
        title.setObjectName("pageTitle")
        self.range_picker = RangePicker(self.zone, self)
        self.poi = QComboBox(self)
        self.poi.addItem(self.tr("全部门店"), None)
        self.poi.setMinimumContentsLength(12)
        self.refresh_button = QPushButton(self.tr("刷新"), self)
        self.pdf_button = QPushButton(self.tr("打印 / 导出 PDF"), self)
        self.xlsx_button = QPushButton(self.tr("导出 Excel"), self)
        self.csv_button = QPushButton(self.tr("导出 CSV"), self)
        self.totals = TotalsBar(self)
        self.chart = BarChart(self)
        self.chart.setObjectName("reportChart")
        self.tabs = QTabWidget(self)
        self.tables: dict[str, tuple[QTableView, SummaryTableModel]] = {}
        for name in ("day", "poi", "app", "cashier"):
            view, model = QTableView(self), SummaryTableModel(self)
            view.setModel(model)
            view.verticalHeader().hide()
            view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
            view.setAlternatingRowColors(True)
            header = view.horizontalHeader()
            header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            self.tabs.addTab(view, "")
            self.tables[name] = (view, model)
        self.notice = QLabel(self)
        self.notice.setObjectName("reportNotice")
        self.notice.linkActivated.connect(lambda link: QDesktopServices.openUrl(QUrl(link)))

        top = QHBoxLayout()
        top.addWidget(title)
        top.addSpacing(16)
        top.addWidget(self.range_picker)
        top.addWidget(self.poi)
        top.addStretch(1)
        top.addWidget(self.refresh_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.notice, 1)
        for button in (self.pdf_button, self.xlsx_button, self.csv_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.addLayout(top)
        layout.addWidget(self.totals)
        layout.addWidget(self.chart, 3)
        layout.addWidget(self.tabs, 2)
        layout.addLayout(buttons)

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self.load)
        self.events = RuntimeEvents(runtime, self)
        self.events.verification_changed.connect(self._on_row_changed)
        self.range_picker.range_changed.connect(lambda _s, _e: self.load())
        self.poi.currentIndexChanged.connect(lambda _i: self.load())
        self.refresh_button.clicked.connect(self.load)
        self.pdf_button.clicked.connect(lambda: self.ask_file("pdf"))
        self.xlsx_button.clicked.connect(lambda: self.ask_file("xlsx"))
        self.csv_button.clicked.connect(lambda: self.ask_file("csv"))
        self._set_exports_enabled(False)
        self.load_pois()
        self.load()

    # ------------------------------------------------------------------ loading
    @property
    def busy(self) -> bool:
        return any(not t.done() for t in self._tasks)

    def _track(self, task: asyncio.Task[None]) -> None:
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def selected_poi(self) -> str | None:
        data = self.poi.currentData()
        return str(data) if data else None

    def load(self) -> None:
        start, end = self.range_picker.range()
        poi = self.selected_poi()
        reports, zone = self.runtime.reports, self.zone
        names = self.poi_names
        self.refresh_button.setEnabled(False)
        self._track(AsyncOp(self, lambda: load_day_report(reports, start, end, zone, poi, names),
                            name="day-report").success(self.show_report).failure(self._load_failed).run())  # fmt: skip

    def load_pois(self) -> None:
        reports, runtime = self.runtime.reports, self.runtime

        async def pois() -> tuple[list[str], dict[str, str]]:
            rows, _t = await reports.summary(VerificationFilter(), ["poi_id"])
            return [r["poi_id"] for r in rows], await load_poi_names(runtime)

        self._track(AsyncOp(self, pois, name="report-pois").success(self._set_pois).failure(
            lambda exc: log.warning("report store list failed: %s", exc)).run())  # fmt: skip

    def _set_pois(self, found: tuple[list[str], dict[str, str]]) -> None:
        ids, names = found
        self.poi_names = names
        current = self.poi.currentData()
        self.poi.blockSignals(True)
        self.poi.clear()
        self.poi.addItem(self.tr("全部门店"), None)
        for poi_id in sorted(set(ids) | set(names), key=lambda p: poi_label(p, names)):
            self.poi.addItem(poi_label(poi_id, names), poi_id)
        self.poi.setCurrentIndex(max(0, self.poi.findData(current)) if current else 0)
        self.poi.blockSignals(False)
        if self.report is not None:
            self.show_report(replace(self.report, poi_names=dict(names)))

    def show_report(self, report: DayReport) -> None:
        if (report.start, report.end, report.poi_id) != (*self.range_picker.range(), self.selected_poi()):
            return  # the range changed while this one was computed
        self.report = report
        self.refresh_button.setEnabled(True)
        self.totals.set_totals(report.totals)
        self.chart.set_series(chart_series(report))
        for breakdown in breakdowns(report):
            view, model = self.tables[breakdown.name]
            model.set_breakdown(breakdown, report.totals)
            self.tabs.setTabText(self.tabs.indexOf(view), breakdown.title)
        self._set_exports_enabled(True)

    def _load_failed(self, exc: BaseException) -> None:
        self.refresh_button.setEnabled(True)
        self._set_notice(self.tr("读取报表失败:{reason}").format(reason=describe_error(exc)), ok=False)

    def _on_row_changed(self, view: dict[str, Any]) -> None:
        _start, end = self.range_picker.range()
        if end < self._today():
            return
        if self.isVisible():
            self._refresh_timer.start()
        else:
            self._stale = True

    def _today(self) -> date:
        return datetime.now(self.zone).date()

    # ------------------------------------------------------------------ files
    def store_label(self) -> str:
        poi = self.selected_poi()
        if poi:
            return poi_label(poi, self.poi_names)
        found = self.report.by_poi if self.report is not None else []
        if len(found) == 1:  # one store in the range: name it rather than "all stores"
            return poi_label(found[0].get("poi_id"), self.poi_names)
        return self.tr("全部门店")

    def file_name(self) -> str:
        start, end = self.range_picker.range()
        span = start.strftime("%Y%m%d") if start == end else f"{start:%Y%m%d}-{end:%Y%m%d}"
        return self.tr("核销日报_{span}").format(span=span)

    def ask_file(self, kind: str) -> QFileDialog:
        """A save dialog opened with open(), never exec() (a nested loop stalls asyncio)."""
        patterns = {"pdf": self.tr("PDF 文件 (*.pdf)"), "xlsx": self.tr("Excel 工作簿 (*.xlsx)"),
                    "csv": self.tr("CSV 文件 (*.csv)")}  # fmt: skip
        dialog = QFileDialog(self, self.tr("保存日报"), str(default_folder() / f"{self.file_name()}.{kind}"),
                             patterns[kind])  # fmt: skip
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix(kind)
        dialog.fileSelected.connect(lambda path: self.save(kind, Path(path)))
        self._dialog = dialog
        dialog.open()
        return dialog

    def export_tables(self) -> list[reports_export.SummaryTable]:
        assert self.report is not None
        return [
            reports_export.SummaryTable(b.title, [b.key_title], [[label] for label in b.labels], b.rows)
            for b in breakdowns(self.report)
        ]

    def about(self) -> list[tuple[str, str]]:
        assert self.report is not None
        report = self.report
        span = f"{report.start.isoformat()} ~ {report.end.isoformat()}"
        return [(self.tr("门店"), self.store_label()), (self.tr("日期范围"), span),
                (self.tr("生成时间"), report.generated_at.strftime("%Y-%m-%d %H:%M:%S"))]  # fmt: skip

    def save(self, kind: str, path: Path) -> asyncio.Task[None] | None:
        if self.report is None:
            return None
        report, store, font = self.report, self.store_label(), self.font()
        tables, about, language = self.export_tables(), self.about(), current_language()

        async def write() -> Path:
            if kind == "pdf":
                await write_day_report_pdf(report, store, path, font)
            elif kind == "xlsx":
                await reports_export.write_summary_xlsx(tables, report.totals, path, language=language, about=about)
            else:
                await reports_export.write_summary_csv(tables, report.totals, path, language=language)
            return path

        self._set_exports_enabled(False)
        task = AsyncOp(self, write, name=f"day-report-{kind}").success(self._saved).failure(self._save_failed).run()
        self._track(task)
        return task

    def _saved(self, path: Path) -> None:
        self._set_exports_enabled(True)
        link = QUrl.fromLocalFile(str(path)).toString()
        self._set_notice(self.tr('已保存:<a href="{link}">{name}</a>').format(link=link, name=path.name), ok=True)

    def _save_failed(self, exc: BaseException) -> None:
        self._set_exports_enabled(True)
        self._set_notice(self.tr("保存失败:{reason}").format(reason=describe_error(exc)), ok=False)

    def _set_exports_enabled(self, enabled: bool) -> None:
        for button in (self.pdf_button, self.xlsx_button, self.csv_button):
            button.setEnabled(enabled)

    def _set_notice(self, text: str, ok: bool) -> None:
        self.notice.setText(text)
        self.notice.setStyleSheet(f"color: {'#15803D' if ok else '#B3261E'};")

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.load()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        if self._refresh_timer.isActive():
            self._refresh_timer.stop()
            self._stale = True

    def closeEvent(self, event: Any) -> None:
        self.events.close()
        self._refresh_timer.stop()
        super().closeEvent(event)

