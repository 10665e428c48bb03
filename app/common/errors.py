"""Any failure turned into one plain sentence for the cashier (the log keeps the details)."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QCoreApplication

from app.i18n import is_english
from gateway_core.service import reasons
from gateway_core.service.errors import ServiceError

_EN_BY_ZH = {r.zh: r.en for r in vars(reasons).values() if isinstance(r, reasons.Reason)}


def reason_text(zh: str, en: str = "") -> str:
    """The Chinese reason, or its English twin from reasons.py when the UI is in English."""
    if not is_english():
        return zh or en
    return _EN_BY_ZH.get(zh) or en or zh


def describe_error(exc: BaseException) -> str:
    if isinstance(exc, ServiceError):
        return reason_text(exc.reason_zh, exc.message)
    if isinstance(exc, asyncio.TimeoutError | TimeoutError):
        return QCoreApplication.translate("Errors", "操作超时,请稍后重试")
    if isinstance(exc, ConnectionError | OSError):
        return QCoreApplication.translate("Errors", "网络连接失败,请检查网络后重试")
    return QCoreApplication.translate("Errors", "出现意外错误,已记录到日志文件。请重试,若反复出现请联系管理员。")
