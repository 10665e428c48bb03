"""Every asyncio task the UI starts is kept here until it ends.

asyncio holds only weak references to tasks, so a task nobody keeps can vanish mid-flight (a bug
FeelUOwn has). Exceptions of finished tasks go to the global hook instead of disappearing.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")

_tasks: set[asyncio.Task[Any]] = set()


def spawn(coro: Coroutine[Any, Any, T], name: str | None = None) -> asyncio.Task[T]:
    task = asyncio.get_event_loop().create_task(coro, name=name)
    _tasks.add(task)
    task.add_done_callback(_finished)
    return task


def _finished(task: asyncio.Task[Any]) -> None:
    _tasks.discard(task)
    if task.cancelled():
        return
    exc = task.exception()
    if exc is not None:
        # Routed to the loop's exception handler, which the app's global hook owns.
        task.get_loop().call_exception_handler(
            {"message": f"unhandled error in task {task.get_name()}", "exception": exc, "task": task}
        )


def running() -> list[asyncio.Task[Any]]:
    return [t for t in _tasks if not t.done()]


async def cancel_all(grace: float = 3.0) -> None:
    """Cancel what the UI started (shutdown) and wait briefly for the tasks to unwind."""
    pending = [t for t in _tasks if not t.done() and t is not asyncio.current_task()]
    for task in pending:
        task.cancel()
    if pending:
        await asyncio.wait(pending, timeout=grace)
