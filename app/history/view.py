"""核销记录: the ledger as a table with filters, totals, undo and export.

The widget arranges and forwards: rows come from HistoryTableModel, totals from the same summary
query as the internal API, undo from the service, files from gateway_core.reports_export.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QItemSelection, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QProgressBar,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.common.errors import describe_error
from app.common.events import RuntimeEvents
from app.common.money import yuan
from app.common.ops import AsyncOp, show_message
from app.common.session import Session
from app.common.widgets import repolish
from app.history.approval import active_managers, is_manager_pin
from app.history.columns import COLUMNS, WIDTHS
from app.history.export import ExportController, ExportKind
from app.history.filter_bar import FilterBar
from app.history.formatting import store_zone
from app.history.model import ROW_ROLE, HistoryTableModel
from app.history.rows import HistoryRow
from app.history.source import PageSource
from app.history.style import HISTORY_QSS
from app.history.undo_dialog import UndoDialog
from app.history.undo_gate import UndoState, undo_state
from app.reports.poi_names import load_poi_names
from gateway_core.clock import utc_now
from gateway_core.ledger import VerificationFilter
from gateway_core.service.errors import ServiceError

log = logging.getLogger(__name__)

ROW_HEIGHT = 34
SUMMARY_DELAY_MS = 400  # a burst of events (a table of four redeeming) refreshes the totals once
# While hidden (the cashier is at the counter) a redemption only updates the rows kept in memory:
# the totals are read again when the page is shown, so no query competes with the next scan.


class HistoryView(QWidget):
    def __init__(self, runtime: Any, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyView")
        self.setStyleSheet(HISTORY_QSS)
        self.runtime = runtime
        self.session = session
        self.zone = store_zone(runtime.settings.timezone)
        self.model = HistoryTableModel(PageSource(runtime.reports), self.zone, parent=self)
        self.exporter = ExportController(runtime, self)
        self.undo_dialog: UndoDialog | None = None
        self._undo_busy = False
        self._tasks: set[asyncio.Task[None]] = set()

        title = QLabel(self.tr("核销记录"), self)
        title.setObjectName("pageTitle")
        self.filters = FilterBar(self.zone, self)
        self.summary = QLabel(self)
        self.summary.setObjectName("historySummary")
        self.refresh_button = QPushButton(self.tr("刷新"), self)
        self.export_button = QToolButton(self)
        self.export_button.setText(self.tr("导出"))
        self.export_button.setObjectName("exportButton")
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.export_button)
        self.export_xlsx = menu.addAction(self.tr("导出 Excel(.xlsx,金额单位:元)"))
        self.export_csv = menu.addAction(self.tr("导出 CSV(与接口导出相同字段,金额单位:分)"))
        self.export_button.setMenu(menu)

        self.table = QTableView(self)
        self.table.setObjectName("historyTable")
        self.table.setModel(self.model)
        self._setup_table()
        self.empty = QLabel(self.tr("这段时间没有核销记录"), self)
        self.empty.setObjectName("placeholder")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.hide()
        self.error = QLabel(self)
        self.error.setObjectName("warningText")
        self.error.setWordWrap(True)
        self.error.hide()

        self.undo_button = QPushButton(self.tr("撤销核销"), self)
        self.undo_button.setObjectName("undoButton")
        self.undo_state_label = QLabel(self)
        self.undo_state_label.setObjectName("undoState")
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(260)
        self.progress.setFormat(self.tr("导出中 %v / %m"))
        self.progress.hide()
        self.cancel_export = QPushButton(self.tr("取消导出"), self)
        self.cancel_export.hide()
        self.notice = QLabel(self)
        self.notice.setObjectName("historyNotice")
        self.notice.setOpenExternalLinks(False)
        self.notice.linkActivated.connect(lambda link: QDesktopServices.openUrl(QUrl(link)))

        header = QHBoxLayout()
        header.addWidget(title)
        header.addStretch(1)
        header.addWidget(self.refresh_button)
        header.addWidget(self.export_button)
        actions = QHBoxLayout()
        actions.addWidget(self.undo_button)
        actions.addWidget(self.undo_state_label, 1)
        actions.addWidget(self.notice)
        actions.addWidget(self.progress)
        actions.addWidget(self.cancel_export)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.addLayout(header)
        layout.addWidget(self.filters)
        layout.addWidget(self.summary)
        layout.addWidget(self.error)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty, 1)
        layout.addLayout(actions)

        self._tick = QTimer(self)  # the undo countdown
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._update_undo)
        self._summary_timer = QTimer(self)
        self._summary_timer.setSingleShot(True)
        self._summary_timer.setInterval(SUMMARY_DELAY_MS)
        self._summary_timer.timeout.connect(self.load_summary)

        self.events = RuntimeEvents(runtime, self)
        self.events.verification_changed.connect(self._on_row_changed)
        self.filters.changed.connect(self.apply_filter)
        self.refresh_button.clicked.connect(self.refresh)
        self.export_xlsx.triggered.connect(lambda: self.ask_export(ExportKind.XLSX))
        self.export_csv.triggered.connect(lambda: self.ask_export(ExportKind.CSV))
        self.undo_button.clicked.connect(self.ask_undo)
        self.cancel_export.clicked.connect(self.exporter.cancel)
        self.exporter.started.connect(self._export_started)
        self.exporter.progress.connect(self._export_progress)
        self.exporter.finished.connect(self._export_finished)
        self.exporter.failed.connect(self._export_failed)
        self.model.total_changed.connect(self._first_page_landed)
        self.model.modelReset.connect(self._show_empty)
        self.model.load_failed.connect(self._load_failed)
        self.model.dataChanged.connect(lambda *_a: self._update_undo())
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.session.changed.connect(self._update_undo)

        self._summary_due = False
        self._summary_stale = False  # a row changed while hidden: read the totals when shown
        self._choices_due = True
        self.apply_filter(self.filters.current_filter())

    def _setup_table(self) -> None:
        table = self.table
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setSortingEnabled(False)  # the ledger's order (newest first) is the order
        table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        vertical = table.verticalHeader()
        vertical.hide()
        # Fixed heights: the view never measures rows, which is what keeps a million rows cheap.
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(ROW_HEIGHT)
        horizontal = table.horizontalHeader()
        horizontal.setStretchLastSection(True)
        horizontal.setHighlightSections(False)
        for i, column in enumerate(COLUMNS):
            table.setColumnWidth(i, WIDTHS[column])

    # ------------------------------------------------------------------ rows and totals
    def apply_filter(self, flt: VerificationFilter) -> None:
        self.error.hide()
        self.model.set_filter(flt)
        self._summary_due = True
        self._update_undo()

    def refresh(self) -> None:
        self._choices_due = True
        self.apply_filter(self.filters.current_filter())

    def _first_page_landed(self, _total: int) -> None:
        """Totals and filter choices are read once the rows are on screen: on a two-core till
        they would otherwise compete with the first page for the ledger's reader threads."""
        self._show_empty()
        if self._summary_due:
            self._summary_due = False
            self.load_summary()
        if self._choices_due:
            self._choices_due = False
            self.load_choices()

    def load_summary(self) -> None:
        flt = self.model.filter
        self._track(AsyncOp(self, lambda: self.runtime.reports.summary(flt, ["day"]), name="history-summary").success(
            lambda result: self._show_summary(flt, result[1])
        ).failure(lambda exc: log.warning("history totals failed: %s", exc)).run())

    def _show_summary(self, flt: VerificationFilter, totals: dict[str, Any]) -> None:
        if flt != self.model.filter:
            return  # an older filter's answer
        self.summary.setText(
            self.tr("共 {total} 条 · 核销成功 {ok} 笔,实付 {paid} · 已撤销 {undone} 笔 · 失败 {failed} 笔").format(
                total=f"{totals.get('total_count', 0):,}", ok=f"{totals.get('success_count', 0):,}",
                paid=yuan(totals.get("pay_amount", 0)), undone=f"{totals.get('cancelled_count', 0):,}",
                failed=f"{totals.get('failed_count', 0):,}",
            )
        )  # fmt: skip

    def load_choices(self) -> None:
        """Stores and cashiers that have rows, for the filter lists (from the ledger's rollup)."""
        reports = self.runtime.reports

        runtime = self.runtime

        async def choices() -> tuple[list[str], list[str], dict[str, str]]:
            pois, _t = await reports.summary(VerificationFilter(), ["poi_id"])
            cashiers, _t = await reports.summary(VerificationFilter(), ["operator"])
            names = await load_poi_names(runtime)
            return [r["poi_id"] for r in pois], [r["operator"] for r in cashiers if r.get("operator")], names

        self._track(AsyncOp(self, choices, name="history-choices").success(self._set_choices).failure(
            lambda exc: log.warning("history filter choices failed: %s", exc)
        ).run())

    def _set_choices(self, found: tuple[list[str], list[str], dict[str, str]]) -> None:
        pois, cashiers, names = found
        self.filters.set_pois(pois, names)
        self.filters.set_cashiers(cashiers)
        self.model.set_poi_names(names)

    def _track(self, task: asyncio.Task[None]) -> None:
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @property
    def busy(self) -> bool:
        """Rows, totals or choices are being read (tests and the benchmark wait on this)."""
        return self.model.loading or any(not t.done() for t in self._tasks)

    def _on_row_changed(self, view: dict[str, Any]) -> None:
        self.model.apply_change(view)  # in memory: no ledger read
        if self.isVisible():
            self._summary_timer.start()
        else:
            self._summary_stale = True

    def _show_empty(self) -> None:
        empty = self.model.total == 0 and self.model.rowCount() == 0
        self.empty.setVisible(empty)
        self.table.setVisible(not empty)

    def _load_failed(self, text: str) -> None:
        self.error.setText(self.tr("读取核销记录失败:{reason}").format(reason=text))
        self.error.show()

    # ------------------------------------------------------------------ undo
    def selected_row(self) -> HistoryRow | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        row = self.model.data(rows[0], ROW_ROLE)
        return row if isinstance(row, HistoryRow) else None

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)

    def _selection_changed(self, _new: QItemSelection, _old: QItemSelection) -> None:
        self._update_undo()

    def current_undo_state(self) -> UndoState:
        row = self.selected_row()
        deadline = self.runtime.service.cancel_deadline(row.view()) if row else None
        return undo_state(row, deadline, utc_now())

    def _update_undo(self) -> None:
        state = self.current_undo_state()
        self.undo_button.setEnabled(state.allowed and not self._undo_busy)
        self.undo_state_label.setText(state.text)
        if self.undo_state_label.property("allowed") != state.allowed:
            self.undo_state_label.setProperty("allowed", state.allowed)
            repolish(self.undo_state_label)
        if state.allowed and self.isVisible() and not self._tick.isActive():
            self._tick.start()
        elif not state.allowed or not self.isVisible():
            self._tick.stop()

    def ask_undo(self) -> None:
        row = self.selected_row()
        if row is None or not self.current_undo_state().allowed:
            return
        if self.session.is_manager:
            self._open_undo_dialog(row, [])
            return
        AsyncOp(self, lambda: active_managers(self.runtime), name="undo-managers").success(
            lambda names: self._open_undo_dialog(row, names)
        ).run()

    def _open_undo_dialog(self, row: HistoryRow, managers: list[str]) -> None:
        need_pin = not self.session.is_manager and bool(managers)
        runtime = self.runtime

        async def check(name: str, pin: str) -> bool:
            return await is_manager_pin(runtime, name, pin)

        dialog = UndoDialog(
            row, self.runtime.service.cancel_deadline(row.view()), self.zone, managers,
            check if need_pin else None, self,
        )  # fmt: skip
        dialog.finished.connect(lambda result: self._undo_answered(dialog, result))
        self.undo_dialog = dialog
        dialog.open()

    def _undo_answered(self, dialog: UndoDialog, result: int) -> None:
        self.undo_dialog = None
        dialog.deleteLater()
        if result != QDialog.DialogCode.Accepted:
            return
        approver = dialog.approved_by or (self.session.cashier_name if self.session.is_manager else None)
        self.undo(dialog.row, reason=dialog.reason_text, approved_by=approver)

    def undo(self, row: HistoryRow, reason: str | None, approved_by: str | None) -> None:
        service = self.runtime.service
        operator = self.session.cashier_name

        async def cancel() -> dict[str, Any]:
            # app=None: the store's own staff may undo a row whichever app redeemed it
            return await service.cancel_verification(
                row.id, app=None, reason=reason, operator=operator, approved_by=approved_by
            )

        AsyncOp(self, cancel, name="undo").busy(self._set_undo_busy).success(self._undone).failure(
            self._undo_failed
        ).run()

    def _set_undo_busy(self, busy: bool) -> None:
        self._undo_busy = busy
        self.undo_button.setText(self.tr("正在撤销…") if busy else self.tr("撤销核销"))
        self._update_undo()

    def _undone(self, view: dict[str, Any]) -> None:
        self.model.apply_change(view)
        self._set_notice(self.tr("已撤销:{product} {amount}").format(
            product=view.get("product_name") or "", amount=yuan(view.get("pay_amount") or 0)), ok=True)  # fmt: skip
        self.load_summary()
        self._update_undo()

    def _undo_failed(self, exc: BaseException) -> None:
        reason = describe_error(exc)
        if isinstance(exc, ServiceError) and exc.items:
            self.model.apply_change(exc.items[0])
        text = self.tr("撤销失败:{reason}").format(reason=reason)
        self._set_notice(text, ok=False)
        show_message(self, text, critical=True, title=self.tr("撤销核销"))

    # ------------------------------------------------------------------ export
    def export_name(self) -> str:
        start, end = self.filters.range_picker.range()
        span = start.strftime("%Y%m%d") if start == end else f"{start:%Y%m%d}-{end:%Y%m%d}"
        return self.tr("核销记录_{span}").format(span=span)

    def ask_export(self, kind: ExportKind) -> None:
        start, end = self.filters.range_picker.range()
        self.exporter.about = [(self.tr("日期范围"), f"{start.isoformat()} ~ {end.isoformat()}")]
        self.exporter.ask(self, kind, self.model.filter, self.export_name())

    def _export_started(self, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_export.show()
        self.export_button.setEnabled(False)
        self.notice.clear()

    def _export_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _export_ended(self) -> None:
        self.progress.hide()
        self.cancel_export.hide()
        self.export_button.setEnabled(True)

    def _export_finished(self, path: str, rows: int) -> None:
        self._export_ended()
        folder = QUrl.fromLocalFile(str(Path(path).parent)).toString()
        self._set_notice(
            self.tr('已导出 {rows} 条 · <a href="{folder}">打开文件夹</a>').format(rows=f"{rows:,}", folder=folder),
            ok=True,
        )

    def _export_failed(self, text: str) -> None:
        self._export_ended()
        self._set_notice(text, ok=False)

    def _set_notice(self, text: str, ok: bool) -> None:
        self.notice.setProperty("ok", ok)
        self.notice.setText(text)
        self.notice.setStyleSheet(f"color: {'#15803D' if ok else '#B3261E'}; font-weight: 600;")

    # ------------------------------------------------------------------ life cycle
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._summary_stale:
            self._summary_stale = False
            self.load_summary()
        self._update_undo()  # the countdown runs again

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        if self._summary_timer.isActive():
            self._summary_timer.stop()
            self._summary_stale = True
        self._tick.stop()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.model.clear_text_cache()
        super().changeEvent(event)

    def closeEvent(self, event: Any) -> None:
        self.events.close()
        self._summary_timer.stop()
        self._tick.stop()
        super().closeEvent(event)
