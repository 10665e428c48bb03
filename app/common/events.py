"""The runtime's event bus re-emitted as a Qt signal (Electrum's qt_event_listener idea).

The core knows no Qt; screens connect to `verification_changed` and get every changed ledger row
on the GUI thread, whatever thread or task the service announced it from.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal


class RuntimeEvents(QObject):
    verification_changed = Signal(dict)

    def __init__(self, runtime: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._unsubscribe: Callable[[], None] | None = runtime.events.subscribe(self._on_event)

    def _on_event(self, view: dict[str, Any]) -> None:
        # A queued emission when called off the GUI thread: Qt picks the connection type.
        self.verification_changed.emit(dict(view))

    def close(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
