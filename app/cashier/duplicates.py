"""Remember what was scanned in the last few seconds, so a double scan is explained, not re-sent.

A scanner that fires twice, or a cashier who scans again "to be sure", must not start a second
verify. Scans that failed before anything reached Douyin's verify (network down) are forgotten, so
retrying after a connection error works at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

WINDOW_SECONDS = 8.0


@dataclass
class Seen:
    at: float
    result: Any  # the CounterResult shown for that scan, or None while in flight


class RecentScans:
    def __init__(self, window: float = WINDOW_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self.window = window
        self._clock = clock
        self._seen: dict[str, Seen] = {}

    def check(self, key: str) -> tuple[float, Any] | None:
        """(seconds ago, result) when `key` was scanned within the window, else None."""
        now = self._clock()
        self._seen = {k: s for k, s in self._seen.items() if now - s.at <= self.window}
        seen = self._seen.get(key)
        return (now - seen.at, seen.result) if seen else None

    def remember(self, key: str, result: Any = None) -> None:
        at = self._seen[key].at if key in self._seen else self._clock()
        self._seen[key] = Seen(at, result)

    def touch(self, key: str) -> None:
        """Restart the window (the answer just arrived: count from when the cashier saw it)."""
        if key in self._seen:
            self._seen[key].at = self._clock()

    def forget(self, key: str) -> None:
        self._seen.pop(key, None)
