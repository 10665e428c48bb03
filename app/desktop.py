"""Wires one started Runtime to the window: session, counter, settings, events, login, shutdown.

Used by `python -m app` and by the tests alike, so the tests drive exactly what cashiers use.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QWidget

from app.cashier.controller import CounterController
from app.cashier.counter_view import CounterView
from app.cashier.login_dialog import LoginDialog
from app.cashier.practice import practice_coupons
from app.cashier.scan_router import ScanRouter
from app.common import tasks
from app.common.cashiers import cashiers_of
from app.common.events import RuntimeEvents
from app.common.first_frame import FALLBACK_MS, after_first_frame
from app.common.ops import AsyncOp
from app.common.prefs import Prefs
from app.common.session import DEMO_CASHIER, Session
from app.i18n import is_english
from app.main_window import COUNTER, SETTINGS, MainWindow
from app.settings import keystore
from app.settings.context import SettingsContext
from app.sound.player import SoundPlayer

log = logging.getLogger(__name__)


class DesktopApp(QObject):
    closed = Signal()
    on_screen = Signal()  # the window's first frame is drawn: the counter takes scans

    def __init__(
        self,
        runtime: Any,
        prefs: Prefs,
        data_dir: Path,
        sounds: SoundPlayer | None = None,
        session: Session | None = None,
    ) -> None:
        super().__init__()
        self.runtime = runtime
        self.prefs = prefs
        self.data_dir = data_dir
        self.sounds = sounds or SoundPlayer(enabled=prefs.sound)
        self.session = session or Session(DEMO_CASHIER, "manager")
        self._stored_poi = keystore.load().get(keystore.POI_ID, "") if not runtime.demo else ""
        self.events = RuntimeEvents(runtime)
        self.controller = CounterController(runtime, self.session, self.poi_id, self.sounds)
        self.events.verification_changed.connect(self.controller.verification_changed)
        self.counter = CounterView(self.controller, self.practice_list if runtime.demo else None)
        self.settings_ctx = SettingsContext(runtime, self.session, prefs, data_dir, self.sounds)
        self.settings_ctx.prefs_changed.append(self._prefs_changed)
        self.window = MainWindow(runtime, self.session, self.counter, self._make_settings, self.store_name())
        self.window.close_requested.connect(self.request_quit)
        self.router = ScanRouter(self.window, self.counter.isVisible, self._deliver_scan, self)
        self.window.switch_button.clicked.connect(lambda: self.open_login(initial=False))
        self._stopping: asyncio.Task[None] | None = None
        self.login: LoginDialog | None = None
        self.keyboard_watched = False
        self._released = False

    # --- this counter's store -----------------------------------------------------------------
    def poi_id(self) -> str:
        if self.runtime.demo:
            from gateway_core.sandbox import SANDBOX_POIS

            ids = {p.poi_id for p in SANDBOX_POIS}
            return self.prefs.demo_poi_id if self.prefs.demo_poi_id in ids else SANDBOX_POIS[0].poi_id
        return self._stored_poi or self.prefs.poi_id

    def store_name(self) -> str:
        if self.runtime.demo:
            from gateway_core.sandbox import SANDBOX_POIS

            names = {p.poi_id: p.poi_name for p in SANDBOX_POIS}
            return names.get(self.poi_id(), self.poi_id())
        return self.prefs.poi_name or self.poi_id() or self.tr("未选择门店")

    def practice_list(self) -> list[Any]:
        sandbox = self.runtime.sandbox
        if sandbox is None:
            return []
        return practice_coupons(sandbox.state.coupons(), self.poi_id(), english=is_english())

    def _deliver_scan(self, events: list[QKeyEvent]) -> None:
        """A scanner burst caught on another screen: bring the counter forward and type it there."""
        if self.window.current_page() != COUNTER:
            self.window.show_page(COUNTER)
        box = self.counter.scan_box
        box.setFocus()
        for event in events:
            box.keyPressEvent(event)

    def _prefs_changed(self) -> None:
        self._stored_poi = keystore.load().get(keystore.POI_ID, "") if not self.runtime.demo else ""
        self.window.set_store_name(self.store_name())
        self.counter.refresh_practice()

    def _make_settings(self) -> QWidget:
        from app.settings.settings_view import SettingsView

        return SettingsView(self.settings_ctx)

    # --- start ----------------------------------------------------------------------------------
    def show(self) -> None:
        after_first_frame(self.window, self._first_frame)
        self.window.show()
        # the counter must take scans at once: ask for the keyboard focus, not wait for a click
        self.window.raise_()
        self.window.activateWindow()
        self.open_login(initial=True)

    def _first_frame(self, painted: bool) -> None:
        if not painted:
            log.warning("the window drew no frame within %d ms; carrying on as if it had", FALLBACK_MS)
        self.on_screen.emit()
        # The application-wide key filters come once the counter is drawn. Installed before,
        # every event of building and showing the window went through them into Python, and
        # PySide built wrapper types for each Qt class those events touched: 70-100 ms of the
        # start (measured). Until they are in, the scan box has the focus: a scan lands there.
        QTimer.singleShot(0, self._watch_keyboard)

    def _watch_keyboard(self) -> None:
        if self._released or self.keyboard_watched:
            return
        self.counter.watch_keyboard()
        self.router.start()
        self.keyboard_watched = True

    def open_login(self, initial: bool) -> None:
        """Ask who is working; without configured cashiers there is no one to ask for."""

        def got(cashiers: list[dict[str, Any]]) -> None:
            active = [c for c in cashiers if c.get("active")]
            if not active:
                if not initial:
                    self.window.show_page(SETTINGS)  # add cashiers first
                return
            dialog = LoginDialog(
                self.runtime,
                self.session,
                active,
                may_skip=bool(self.runtime.demo),
                may_cancel=not initial,
                preselect=self.prefs.last_cashier,
                parent=self.window,
            )
            dialog.quit_requested.connect(self.request_quit)
            dialog.finished.connect(lambda _r: self._login_done())
            self.login = dialog
            dialog.open()

        AsyncOp(self.window, cashiers_of(self.runtime).list_cashiers, "list-cashiers").success(got).run()

    def _login_done(self) -> None:
        if self.session.cashier_name != DEMO_CASHIER:
            self.prefs.last_cashier = self.session.cashier_name
            self.prefs.save(self.data_dir)
        self.login = None
        self.counter.refocus()

    # --- stop -----------------------------------------------------------------------------------
    def request_quit(self) -> None:
        if self._stopping is None:
            self._stopping = tasks.spawn(self.shutdown(), name="shutdown")

    async def shutdown(self) -> None:
        """Stop taking scans, cancel what the UI started, stop the runtime, then close."""
        log.info("shutting down")
        if shiboken6.isValid(self.counter):
            self.counter.scan_box.set_locked(True)
        self.events.close()
        await tasks.cancel_all()
        try:
            await self.runtime.stop()
        except Exception:
            log.exception("runtime stop failed")
        self.release()
        if shiboken6.isValid(self.window):
            self.window.allow_close()
            self.window.close()
        log.info("stopped")
        self.closed.emit()

    def release(self) -> None:
        """Detach from the application: ledger events and the app-wide key filters, which Qt would
        otherwise keep calling for every event after this window is gone."""
        self._released = True
        self.events.close()
        self.router.close()
        if shiboken6.isValid(self.counter):
            self.counter.release_keyboard()
