"""One way to run a UI-triggered async operation: busy state, success, failure, never silent.

    AsyncOp(self, lambda: rt.service.prepare_coupon(...)) \
        .busy(self._set_busy).success(self._show_card).failure(self._show_error).run()

Like Anki's CollectionOp/QueryOp: widgets say what to do with the answer; this helper owns the
task reference, the busy flag and the default error message. Callbacks are skipped when their
widget was deleted while the call was in flight.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Generic, Self, TypeVar

import shiboken6
from PySide6.QtWidgets import QMessageBox, QWidget

from app.common import tasks
from app.common.errors import describe_error
from gateway_core.service.errors import ServiceError

log = logging.getLogger(__name__)
T = TypeVar("T")


class AsyncOp(Generic[T]):
    def __init__(self, parent: QWidget | None, op: Callable[[], Awaitable[T]], name: str = "ui-op") -> None:
        self._parent = parent
        self._op = op
        self._name = name
        self._on_success: Callable[[T], Any] | None = None
        self._on_failure: Callable[[BaseException], Any] | None = None
        self._on_busy: Callable[[bool], Any] | None = None

    def success(self, callback: Callable[[T], Any]) -> Self:
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[BaseException], Any]) -> Self:
        self._on_failure = callback
        return self

    def busy(self, callback: Callable[[bool], Any]) -> Self:
        self._on_busy = callback
        return self

    def run(self) -> asyncio.Task[None]:
        return tasks.spawn(self._run(), name=self._name)

    def _alive(self) -> bool:
        return self._parent is None or shiboken6.isValid(self._parent)

    async def _run(self) -> None:
        if self._on_busy:
            self._on_busy(True)
        try:
            result = await self._op()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            if not isinstance(exc, ServiceError):
                log.exception("%s failed", self._name)
            else:
                log.info("%s refused: %s", self._name, exc)
            if self._alive():
                if self._on_busy:
                    self._on_busy(False)
                (self._on_failure or self._default_failure)(exc)
            return
        if self._alive():
            if self._on_busy:
                self._on_busy(False)
            if self._on_success:
                self._on_success(result)

    def _default_failure(self, exc: BaseException) -> None:
        show_message(self._parent, describe_error(exc), critical=True)


# Open message boxes are kept so they are not garbage-collected while shown (open(), never exec()).
_boxes: set[QMessageBox] = set()


def show_message(parent: QWidget | None, text: str, critical: bool = False, title: str = "") -> QMessageBox:
    box = QMessageBox(
        QMessageBox.Icon.Critical if critical else QMessageBox.Icon.Information,
        title or "dy-verifier",
        text,
        QMessageBox.StandardButton.Ok,
        parent,
    )
    _keep(box)
    box.finished.connect(lambda _r: _boxes.discard(box))
    box.open()
    return box


def _keep(box: QMessageBox) -> None:
    _boxes.add(box)
    # a box deleted with its parent window must not linger here
    box.destroyed.connect(lambda _o=None: _boxes.discard(box))


def ask(parent: QWidget | None, text: str, on_yes: Callable[[], Any], title: str = "") -> QMessageBox:
    """A yes/no question answered later through `finished` (no exec(): no nested event loop)."""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        title or "dy-verifier",
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        parent,
    )
    box.setDefaultButton(QMessageBox.StandardButton.No)
    _keep(box)

    def done(_result: int) -> None:
        _boxes.discard(box)
        # clickedButton, not the result code: what finished() carries differs across Qt versions
        if box.clickedButton() is box.button(QMessageBox.StandardButton.Yes):
            on_yes()

    box.finished.connect(done)
    box.open()
    return box
