"""Back-off for safe reads. Writes (verify, cancel) never come here: a retried write could redeem twice."""

from __future__ import annotations

import random
from dataclasses import dataclass

from gateway_core.douyin.errors import DouyinError, DouyinRateLimited, DouyinTimeout, DouyinUnavailable


@dataclass(frozen=True)
class RetryPolicy:
    """`attempts` counts the first try; delay n is `base_delay * 2**n` (capped) plus up to `jitter` of it.

    Read timeouts are not retried by default: at the counter a second 10 s wait is worse than an
    error now, and the service decides what to look up.
    """

    attempts: int = 3
    base_delay: float = 0.2
    max_delay: float = 2.0
    jitter: float = 0.5
    retry_timeouts: bool = False

    def should_retry(self, error: DouyinError) -> bool:
        if isinstance(error, DouyinTimeout):
            return self.retry_timeouts or not error.request_sent
        return isinstance(error, DouyinRateLimited | DouyinUnavailable)

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number `attempt` (0-based)."""
        base = min(self.max_delay, self.base_delay * (2**attempt))
        return base + base * self.jitter * random.random()


NO_RETRY = RetryPolicy(attempts=1)
