"""after_first_frame: once, after the window's first paint, or after the fallback without one."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

from app.common.first_frame import after_first_frame


class PaintLog(QObject):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.painted_at: list[float] = []
        window.installEventFilter(self)

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Paint, QEvent.Type.UpdateRequest):
            self.painted_at.append(time.perf_counter())
        return False


def test_called_once_after_the_first_paint(qtbot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    paints = PaintLog(window)
    calls: list[tuple[bool, float]] = []
    after_first_frame(window, lambda painted: calls.append((painted, time.perf_counter())), fallback_ms=60_000)
    window.show()
    qtbot.waitUntil(lambda: bool(calls), timeout=5000)
    assert calls[0][0] is True
    assert paints.painted_at and paints.painted_at[0] < calls[0][1]
    window.update()
    window.repaint()
    qtbot.wait(50)
    assert len(calls) == 1


def test_a_window_that_never_paints_still_gets_the_call(qtbot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    calls: list[bool] = []
    after_first_frame(window, calls.append, fallback_ms=100)
    qtbot.waitUntil(lambda: bool(calls), timeout=5000)  # never shown
    qtbot.wait(150)
    assert calls == [False]
