"""Run something once a window's first frame is on the screen."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

# A window that never paints (shown minimised, or a platform that paints nothing) still gets on.
FALLBACK_MS = 2000

_PAINTS = (QEvent.Type.UpdateRequest, QEvent.Type.Paint)


class _FirstFrame(QObject):
    def __init__(self, window: QWidget, callback: Callable[[bool], None], fallback_ms: int) -> None:
        super().__init__(window)
        self._window = window
        self._callback: Callable[[bool], None] | None = callback
        window.installEventFilter(self)
        QTimer.singleShot(fallback_ms, self, lambda: self._fire(painted=False))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The window's paint is one event; a zero timer set during it fires once it has been
        # handled, i.e. once the whole frame is drawn (on xcb the first frame comes with the
        # expose event as a Paint, offscreen with an UpdateRequest).
        if self._callback is not None and event.type() in _PAINTS and self._drawn(event):
            QTimer.singleShot(0, self, lambda: self._fire(painted=True))
        return False

    def _drawn(self, event: QEvent) -> bool:
        # On X the window's first UpdateRequest can come before the server has mapped (exposed)
        # it, and then draws nothing: only a Paint, or an update of an exposed window, is a frame.
        if event.type() == QEvent.Type.Paint:
            return True
        handle = self._window.windowHandle()
        return handle is not None and handle.isExposed()

    def _fire(self, painted: bool) -> None:
        callback, self._callback = self._callback, None
        if callback is None:
            return
        self._window.removeEventFilter(self)
        self.deleteLater()
        callback(painted)


def after_first_frame(window: QWidget, callback: Callable[[bool], None], fallback_ms: int = FALLBACK_MS) -> None:
    """Call `callback(painted)` once, right after the window's first paint has finished
    (painted=True), or after `fallback_ms` if it never paints (False). Install before `show()`:
    the frame may come at once."""
    _FirstFrame(window, callback, fallback_ms)
