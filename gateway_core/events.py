"""A tiny in-process bus: the service announces changed verification rows; doors listen.

The Qt app re-emits these as signals (Electrum's qt_event_listener pattern); the core knows no Qt.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

Listener = Callable[[dict[str, Any]], None]


class EventBus:
    def __init__(self) -> None:
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def emit(self, view: dict[str, Any]) -> None:
        for listener in list(self._listeners):
            try:
                listener(view)
            except Exception:  # a broken listener must not break a redemption
                log.exception("event listener failed")
