"""Nothing fails silently: uncaught errors are logged with their traceback and told to the cashier.

Covers the three ways an error escapes in a qasync app: a Qt slot (sys.excepthook), an asyncio
task or callback (the loop's exception handler) and a thread (threading.excepthook).
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

log = logging.getLogger("app.crash")

# Several errors in a burst (a broken timer) show one message, not a wall of dialogs.
_QUIET_SECONDS = 10.0


class ExceptionHook:
    def __init__(self, log_file: Path | None, show: Callable[[str], None] | None = None) -> None:
        self.log_file = log_file
        self._show = show or self._message_box
        self._last_shown = 0.0
        self._box: QMessageBox | None = None
        self.count = 0

    def install(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        sys.excepthook = self.excepthook
        threading.excepthook = self._thread_hook
        if loop is not None:
            loop.set_exception_handler(self.loop_handler)

    def uninstall(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        sys.excepthook = sys.__excepthook__
        threading.excepthook = threading.__excepthook__
        if loop is not None:
            loop.set_exception_handler(None)

    def excepthook(self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            QCoreApplication.quit()
            return
        log.error("uncaught error", exc_info=(kind, exc, tb))
        self._tell()

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        log.error(
            "uncaught error in thread %s", args.thread, exc_info=(args.exc_type, args.exc_value, args.exc_traceback)
        )  # type: ignore[arg-type]
        # Hand the message to the GUI thread: a timer without a context object would belong to this
        # thread, which runs no event loop, and never fire.
        QTimer.singleShot(0, QCoreApplication.instance(), self._tell)

    def loop_handler(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        exc = context.get("exception")
        if isinstance(exc, asyncio.CancelledError):
            return
        log.error("asyncio: %s", context.get("message"), exc_info=exc if exc else None)
        self._tell()

    def _tell(self) -> None:
        self.count += 1
        now = time.monotonic()
        if now - self._last_shown < _QUIET_SECONDS:
            return
        self._last_shown = now
        where = str(self.log_file) if self.log_file else ""
        text = QCoreApplication.translate(
            "ExceptionHook",
            "程序出现意外错误,已记录到日志文件:\n{path}\n\n当前操作可能没有完成,请重试;若反复出现请联系管理员。",
        ).format(path=where)
        try:
            self._show(text)
        except Exception:  # the hook itself must never raise
            log.exception("could not show the error message")

    def _message_box(self, text: str) -> None:
        if QApplication.instance() is None:
            return
        if self._box is not None and self._box.isVisible():
            return
        box = QMessageBox(QMessageBox.Icon.Critical, "dy-verifier", text, QMessageBox.StandardButton.Ok)
        self._box = box
        box.open()  # never exec(): a nested loop would stall asyncio
