"""How long the pusher waits before trying again while the reporting side keeps failing.

Modelled on Picard's per-host rate control (picard/webservice/ratecontrol.py): the delay doubles
with each failure up to a cap and drops back once the host answers. We talk to one host, so the
state is one object rather than tables keyed by host, and we add jitter: after a head-office
outage every store of a chain comes back on its own schedule instead of all in the same second.
"""

from __future__ import annotations

import random
from collections.abc import Callable


class Backoff:
    def __init__(self, base: float = 1.0, cap: float = 300.0, rand: Callable[[], float] = random.random) -> None:
        if base <= 0 or cap < base:
            raise ValueError("need 0 < base <= cap")
        self.base = base
        self.cap = cap
        self._rand = rand
        self.failures = 0

    def failed(self, *, at_least: float = 0.0, to_cap: bool = False) -> float:
        """Count a failure; the seconds to wait before the next try.

        `to_cap`: a failure that retrying soon cannot fix (the receiver refused the batch itself),
        so wait the longest. `at_least`: the receiver's own Retry-After, honoured up to the cap.
        """
        self.failures += 1
        ceiling = self.cap if to_cap else min(self.cap, self.base * 2 ** min(self.failures - 1, 32))
        # "Equal jitter": half the delay fixed, half random; never shorter than half the step.
        delay = ceiling / 2 + self._rand() * ceiling / 2
        return min(self.cap, max(delay, at_least))

    def succeeded(self) -> None:
        self.failures = 0
