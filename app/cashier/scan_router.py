"""A scan fired while another screen is open still reaches the counter, never the open field.

A scanner is a keyboard: with the history search box focused, a scanned link would land in it.
While the counter is hidden, printable keys are held for a few milliseconds: a person's next key
comes later, and the held key is delivered where it was going; a scanner's next keys come at
once, and then the whole burst goes to the counter's scan box and the counter comes to the front.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from app.cashier.scanner import FAST_GAP, MIN_KEYS

HOLD_MS = 35  # longer than a scanner's gap, far shorter than anyone notices
BURST_OVER = 0.15  # seconds of quiet that end a burst from a scanner that sends no Enter
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_KEY_PRESS = QEvent.Type.KeyPress


def _copy(event: QKeyEvent) -> QKeyEvent:
    return QKeyEvent(event.type(), event.key(), event.modifiers(), event.text(), event.isAutoRepeat(), event.count())


class ScanRouter(QObject):
    def __init__(
        self,
        window: QWidget,
        counter_visible: Callable[[], bool],
        deliver_scan: Callable[[list[QKeyEvent]], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._window = window
        self._counter_visible = counter_visible
        self._deliver_scan = deliver_scan
        self._held: list[tuple[QObject, QKeyEvent, float]] = []
        self._routing = False  # inside a recognised burst: keys go to the counter until Enter
        self._last_routed = 0.0
        self._replaying = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(HOLD_MS)
        self._timer.timeout.connect(self._release)

    def start(self) -> None:
        """Start watching the application's keys (the window is on the screen)."""
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)

    def close(self) -> None:
        """Stop watching the application's keys. An application-wide filter outlives its window
        otherwise, and Qt would keep calling into this object while Python tears it down."""
        self._timer.stop()
        self._held.clear()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def _ours(self, watched: QObject) -> bool:
        return (
            isinstance(watched, QWidget)
            and watched.window() is self._window
            and QApplication.activeModalWidget() is None
            and not self._counter_visible()
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # isinstance first: this filter sees every event of the application (~600 per scan:
        # timers, paints, layouts), and event.type() converts to a Python enum on every call.
        if self._replaying or not isinstance(event, QKeyEvent) or event.type() != _KEY_PRESS:
            return False
        if not (self._routing or self._held) and not self._ours(watched):
            return False
        printable = (
            bool(event.text())
            and event.text().isprintable()
            and not (event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier))
        )
        now = time.monotonic()
        if self._routing and now - self._last_routed > BURST_OVER:
            self._routing = False
            if not self._ours(watched):
                return False
        if self._routing:
            self._last_routed = now
            self._deliver_scan([_copy(event)])
            if event.key() in _ENTER:
                self._routing = False
            return True
        if printable:
            if self._held and now - self._held[-1][2] > FAST_GAP:
                self._release()  # a person's pace: what was held goes where it was going
            self._held.append((watched, _copy(event), now))
            if len(self._held) >= MIN_KEYS:
                self._start_routing()
            else:
                self._timer.start()
            return True
        if self._held:
            self._release()
        return False

    def _start_routing(self) -> None:
        self._timer.stop()
        burst = [e for _w, e, _t in self._held]
        self._held.clear()
        self._routing = True
        self._last_routed = time.monotonic()
        self._deliver_scan(burst)

    def _release(self) -> None:
        self._timer.stop()
        held, self._held = self._held, []
        self._replaying = True
        try:
            for target, event, _at in held:
                QApplication.sendEvent(target, event)
        finally:
            self._replaying = False
