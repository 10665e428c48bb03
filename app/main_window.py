"""The window: a sidebar (收银核销 / 核销记录 / 日报 / 设置), the training banner, the pages.

History and day report belong to another module owner; they are imported when first opened, and a
placeholder stands in while they are missing, so the counter never depends on them.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.common.session import Session, display_name
from app.common.widgets import label, no_focus

log = logging.getLogger(__name__)

COUNTER, HISTORY, REPORTS, SETTINGS = range(4)
MANAGER_PAGES = {REPORTS, SETTINGS}


class LockedPage(QWidget):
    """Shown instead of a manager-only page while a cashier is logged in."""

    unlock = Signal()

    def __init__(self, text: str, button: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        msg = label(text, name="placeholder", wrap=True)
        msg.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(msg)
        btn = QPushButton(button)
        btn.clicked.connect(self.unlock)
        layout.addWidget(btn, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)


class MainWindow(QMainWindow):
    close_requested = Signal()  # the lifecycle owner stops the runtime, then closes for real

    def __init__(
        self,
        runtime: Any,
        session: Session,
        counter: QWidget,
        settings_factory: Callable[[], QWidget],
        store_name: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runtime = runtime
        self.session = session
        self._settings_factory = settings_factory
        self._may_close = False
        self.setWindowTitle(self.tr("抖音团购核销") + (" — " + self.tr("训练模式") if runtime.demo else ""))
        self.resize(1366, 768)
        self.setMinimumSize(QSize(1024, 640))

        # Built from the window down: each widget joins its final parent before its children do.
        # With an application style sheet, moving a finished subtree under a new parent restyles
        # all of it again (a StyleChange and a re-polish for every widget, at every level).
        central = QWidget()
        self.setCentralWidget(central)
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)

        sidebar = QWidget()
        sidebar.setObjectName("sidebarBox")
        sidebar.setStyleSheet("#sidebarBox { background: #111827; }")
        sidebar.setFixedWidth(200)
        row.addWidget(sidebar)
        side = QVBoxLayout(sidebar)
        side.setContentsMargins(0, 0, 0, 0)
        side.setSpacing(0)
        side.addWidget(label(self.tr("抖音团购核销"), name="brand", wrap=True))
        self.store_label = label(store_name, name="brandSub", wrap=True)
        side.addWidget(self.store_label)
        self.nav = QListWidget()
        self.nav.setObjectName("sidebar")
        self.nav.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        side.addWidget(self.nav, 1)
        for text, key in (
            (self.tr("收银核销"), "F1"),
            (self.tr("核销记录"), "F2"),
            (self.tr("日报"), "F3"),
            (self.tr("设置"), "F4"),
        ):
            item = QListWidgetItem(f"{text}")
            item.setToolTip(key)
            self.nav.addItem(item)
        self.nav.currentRowChanged.connect(self._page_chosen)
        self.cashier_label = label(name="sideFooter", wrap=True)
        side.addWidget(self.cashier_label)
        footer = QWidget()
        footer.setObjectName("sideFooter")
        side.addWidget(footer)
        fl = QVBoxLayout(footer)
        fl.setContentsMargins(12, 0, 12, 14)
        self.switch_button = QPushButton(self.tr("换班 / 登录"))
        self.switch_button.setObjectName("switchCashier")
        no_focus(self.switch_button)
        fl.addWidget(self.switch_button)

        right = QWidget()
        right.setObjectName("centralArea")
        row.addWidget(right, 1)
        content = QVBoxLayout(right)
        content.setContentsMargins(0, 0, 0, 0)
        content.setSpacing(0)
        self.demo_banner: QLabel | None = None
        if runtime.demo:
            self.demo_banner = label(
                self.tr("训练模式 — 使用抖音沙箱,不会核销真实团购券"), name="demoBanner", wrap=True
            )
            content.addWidget(self.demo_banner)
        self.pages = QStackedWidget()
        content.addWidget(self.pages, 1)
        self.counter = counter
        self.pages.addWidget(counter)
        self._real: dict[int, QWidget | None] = {HISTORY: None, REPORTS: None, SETTINGS: None}
        self._slots: dict[int, QStackedWidget] = {}
        for index in (HISTORY, REPORTS, SETTINGS):
            slot = QStackedWidget()
            self._slots[index] = slot
            self.pages.addWidget(slot)

        for i, key in enumerate(("F1", "F2", "F3", "F4")):
            for seq in (key, f"Ctrl+{i + 1}"):
                sc = QShortcut(QKeySequence(seq), self)
                sc.setContext(Qt.ShortcutContext.WindowShortcut)
                sc.activated.connect(lambda i=i: self.show_page(i))
        session.changed.connect(self._session_changed)
        self._session_changed()
        self.nav.setCurrentRow(COUNTER)

    # --- pages --------------------------------------------------------------------------------
    def show_page(self, index: int) -> None:
        self.nav.setCurrentRow(index)

    def current_page(self) -> int:
        return self.nav.currentRow()

    def _page_chosen(self, index: int) -> None:
        if index < 0:
            return
        if index != COUNTER:
            self._fill_slot(index)
        self.pages.setCurrentIndex(index)

    def page_widget(self, index: int) -> QWidget | None:
        return self.counter if index == COUNTER else self._real.get(index)

    def _fill_slot(self, index: int) -> None:
        slot = self._slots[index]
        locked = index in MANAGER_PAGES and not self.session.is_manager
        if locked:
            while slot.count():
                old = slot.widget(0)
                slot.removeWidget(old)
                if old is not self._real[index]:
                    old.deleteLater()  # an earlier LockedPage: one per lock, not one per visit
            page = LockedPage(self.tr("此页面仅店长可用。请店长登录后查看。"), self.tr("店长登录"))
            page.unlock.connect(self.switch_button.click)
            slot.addWidget(page)
            return
        if self._real[index] is None:
            self._real[index] = self._build(index)
        real = self._real[index]
        assert real is not None
        if slot.indexOf(real) < 0:
            slot.addWidget(real)
        slot.setCurrentWidget(real)

    def _build(self, index: int) -> QWidget:
        if index == SETTINGS:
            return self._settings_factory()
        module, cls = ("app.history", "HistoryView") if index == HISTORY else ("app.reports", "DayReportView")
        try:
            view_class = getattr(importlib.import_module(module), cls)
        except (ImportError, AttributeError) as exc:
            log.warning("%s.%s not available yet: %s", module, cls, exc)
            text = self.tr("此功能尚未安装") + f"\n({module}.{cls})"
            holder = label(text, name="placeholder", wrap=True)
            holder.setAlignment(Qt.AlignmentFlag.AlignCenter)
            return holder
        widget: QWidget = view_class(self.runtime, self.session)
        return widget

    def _session_changed(self) -> None:
        s = self.session
        role = self.tr("店长") if s.is_manager else self.tr("收银员")
        self.cashier_label.setText(self.tr("当前:{name}({role})").format(name=display_name(s.cashier_name), role=role))
        current = self.current_page()
        if current in MANAGER_PAGES:
            self._fill_slot(current)
            if not s.is_manager:
                self.show_page(COUNTER)

    def set_store_name(self, name: str) -> None:
        self.store_label.setText(name)

    # --- closing goes through the lifecycle (runtime.stop first) ------------------------------
    def allow_close(self) -> None:
        self._may_close = True

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._may_close:
            event.accept()
            return
        event.ignore()
        self.close_requested.emit()
