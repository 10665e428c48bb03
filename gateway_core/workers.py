"""Background loops (reconciler, enricher, sync): woken by an event or a timer, never silent on errors."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


class BackgroundLoop:
    """Runs `step` whenever `wakeup` is set or `interval` passes; backs off while `step` raises."""

    def __init__(
        self,
        name: str,
        step: Callable[[], Awaitable[object]],
        *,
        interval: float,
        wakeup: asyncio.Event | None = None,
        max_backoff: float = 300.0,
    ) -> None:
        self.name = name
        self._step = step
        self._interval = interval
        self.wakeup = wakeup or asyncio.Event()
        self._max_backoff = max_backoff
        self._task: asyncio.Task[None] | None = None
        self.failures = 0
        self.runs = 0

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name=self.name)

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        while True:
            delay = self._interval
            try:
                self.wakeup.clear()
                await self._step()
                self.runs += 1
                self.failures = 0
            except asyncio.CancelledError:
                raise
            except Exception:
                self.failures += 1
                delay = min(self._interval * 2**self.failures, self._max_backoff) * (0.5 + random.random())
                log.exception("%s failed (%d in a row); next try in %.1fs", self.name, self.failures, delay)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wakeup.wait(), timeout=delay)
