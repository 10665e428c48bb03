"""The counter's one input. Scanner bursts and typed codes both end here; keys map to actions.

Enter with text submits it; Enter on an empty box confirms the coupon card; +/- (or Up/Down) on an
empty box change how many coupons to redeem; Esc cancels. A link may contain '-', so +/- are
count keys only while the box is empty.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget

from app.cashier.scanner import KeystrokeTimer

# Some scanners are set up without a trailing Enter: a fast burst followed by silence is submitted.
AUTO_SUBMIT_IDLE_MS = 250
AUTO_SUBMIT_MIN_KEYS = 8

_PLUS = {Qt.Key.Key_Plus, Qt.Key.Key_Equal, Qt.Key.Key_Up}
_MINUS = {Qt.Key.Key_Minus, Qt.Key.Key_Underscore, Qt.Key.Key_Down}
_ENTER = {Qt.Key.Key_Return, Qt.Key.Key_Enter}


class ScanBox(QLineEdit):
    submitted = Signal(str, bool)  # text, came from a scanner
    confirm_requested = Signal()
    cancel_requested = Signal()
    count_step = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scanBox")
        self.setClearButtonEnabled(False)
        # never truncate a scanned link (QLineEdit's default limit is 32767, keep it explicit)
        self.setMaxLength(32767)
        self.timer = KeystrokeTimer()
        self.last_was_scan = False
        self._locked = False
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(AUTO_SUBMIT_IDLE_MS)
        self._idle.timeout.connect(self._auto_submit)
        self.textChanged.connect(self._text_changed)

    @property
    def locked(self) -> bool:
        return self._locked

    def set_locked(self, locked: bool) -> None:
        """While a call is in flight nothing typed is accepted: no double submit."""
        self._locked = locked
        self.setReadOnly(locked)
        if locked:
            self.clear()

    def _text_changed(self, text: str) -> None:
        if not text:
            self.timer.reset()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if self._locked:
            event.accept()
            return
        if key in _ENTER:
            self._enter()
            event.accept()
            return
        if key == Qt.Key.Key_Escape:
            self.clear()
            self.cancel_requested.emit()
            event.accept()
            return
        if not self.text() and mods in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier):
            if key in _PLUS:
                self.count_step.emit(1)
                event.accept()
                return
            if key in _MINUS:
                self.count_step.emit(-1)
                event.accept()
                return
        if event.text() and event.text().isprintable():
            self.timer.key()
            self._idle.start()
        super().keyPressEvent(event)

    def _enter(self) -> None:
        self._idle.stop()
        text = self.text()
        if text.strip():
            self.last_was_scan = self.timer.is_scan()
            self.clear()
            self.submitted.emit(text, self.last_was_scan)
        else:
            self.confirm_requested.emit()

    def _auto_submit(self) -> None:
        if self._locked or not self.text():
            return
        if self.timer.count >= AUTO_SUBMIT_MIN_KEYS and self.timer.is_scan():
            self._enter()

    def event(self, event: QEvent) -> bool:
        # Tab must not move focus away from the counter's only input.
        if (
            isinstance(event, QKeyEvent)  # cheap test first: every paint comes through here too
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
        ):
            event.accept()
            return True
        return super().event(event)
