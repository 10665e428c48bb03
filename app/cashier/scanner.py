"""Tell a barcode scanner from a person by keystroke timing.

Scanners type a whole code in a few milliseconds per key; people need 80 ms or more. A burst is a
scan when it has at least MIN_KEYS keys and nearly all gaps are under FAST_GAP.
"""

from __future__ import annotations

import time
from collections.abc import Callable

FAST_GAP = 0.030  # seconds between keys
MIN_KEYS = 4
# one slow gap (USB hiccup, scanner buffer refill) in a long burst still counts as a scan
FAST_SHARE = 0.85


class KeystrokeTimer:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._stamps: list[float] = []

    def reset(self) -> None:
        self._stamps.clear()

    def key(self) -> None:
        self._stamps.append(self._clock())

    @property
    def count(self) -> int:
        return len(self._stamps)

    def idle_for(self) -> float:
        return self._clock() - self._stamps[-1] if self._stamps else float("inf")

    def is_scan(self) -> bool:
        if len(self._stamps) < MIN_KEYS:
            return False
        gaps = [b - a for a, b in zip(self._stamps, self._stamps[1:], strict=False)]
        fast = sum(1 for g in gaps if g < FAST_GAP)
        return fast / len(gaps) >= FAST_SHARE
