"""What the big banner says after a scan: built from the service's answer, no Qt widgets here.

Only rows whose `verify_status` is `success` are ever counted as redeemed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from PySide6.QtCore import QCoreApplication

from app.common.errors import describe_error, reason_text
from app.common.money import yuan
from gateway_core.service import reasons
from gateway_core.service.errors import ServiceError

Kind = Literal["success", "failure", "pending", "duplicate"]
SOUND_FOR: dict[str, str] = {"success": "success", "failure": "failure", "pending": "pending", "duplicate": "failure"}
# ServiceError codes that mean nothing reached Douyin's verify: safe to scan again at once
NETWORK_CODES = frozenset({"upstream_unavailable", "upstream_timeout", "upstream_error", "rate_limited"})


# lupdate finds `translate("Context", "literal")` calls; a one-argument wrapper would hide them.
translate = QCoreApplication.translate


@dataclass
class CounterResult:
    kind: Kind
    headline: str
    reason: str = ""  # the large second line (why it failed / what to do)
    detail: str = ""  # small print: product, count, codes
    amount: int | None = None
    count: int = 0
    statuses: dict[int, str] = field(default_factory=dict)  # verification id -> verify_status
    title: str = ""
    retry_now: bool = False  # the failure happened before any verify: a rescan may go out at once

    @property
    def sound(self) -> str:
        return SOUND_FOR[self.kind]


def _coupons(n: int) -> str:
    """3 张: "3 coupons" but "1 coupon". lupdate finds no plural forms in a translate() call, so the
    singular is a message of its own."""
    return translate("CounterResult", "1 张") if n == 1 else translate("CounterResult", "{n} 张").format(n=n)


def _item_reason(item: dict[str, Any]) -> str:
    r = reasons.reason_for(item.get("error_code") or None, item.get("error_description") or "")
    return reason_text(r.zh, r.en)


def from_items(items: Iterable[dict[str, Any]], title: str = "", error: ServiceError | None = None) -> CounterResult:
    """The banner for a set of ledger rows (a fresh verify, or rows reconciliation just settled)."""
    rows = list(items)
    statuses = {int(i["id"]): str(i.get("verify_status")) for i in rows if i.get("id") is not None}
    title = title or next((str(i.get("product_name")) for i in rows if i.get("product_name")), "")
    ok = [i for i in rows if i.get("verify_status") == "success"]
    waiting = [i for i in rows if i.get("verify_status") == "processing"]
    failed = [i for i in rows if i.get("verify_status") not in {"success", "processing"}]
    notes: list[str] = []
    if ok:
        amount = sum(int(i.get("pay_amount") or 0) for i in ok)
        if waiting:
            notes.append(translate("CounterResult", "另有 {n} 张确认中").format(n=len(waiting)))
        if failed:
            notes.append(
                translate("CounterResult", "另有 {n} 张未核销:{reason}").format(
                    n=len(failed), reason=_item_reason(failed[0])
                )
            )
        return CounterResult(
            "success",
            translate("CounterResult", "核销成功 {amount}").format(amount=yuan(amount)),
            reason=_coupons(len(ok)) + (" · " + title if title else ""),
            detail=";".join(notes),
            amount=amount,
            count=len(ok),
            statuses=statuses,
            title=title,
        )
    if waiting:
        return CounterResult(
            "pending",
            translate("CounterResult", "确认中…"),
            reason=translate("CounterResult", "抖音未及时答复,正在确认结果。请勿让顾客重复出示"),
            detail=translate("CounterResult", "{n} 张 · {title}  结果确定后本屏自动更新").format(
                n=len(waiting), title=title
            ),
            count=len(waiting),
            statuses=statuses,
            title=title,
        )
    if failed:
        why = _item_reason(failed[0])
    elif error is not None:
        why = describe_error(error)
    else:
        why = translate("CounterResult", "抖音没有返回核销结果")
    failed_text = translate("CounterResult", "核销失败")
    return CounterResult("failure", failed_text, reason=why, detail=title, statuses=statuses, title=title)


def from_error(exc: BaseException, title: str = "") -> CounterResult:
    """A call that raised: a refusal from Douyin, the network, or a bug (logged by the caller)."""
    if isinstance(exc, ServiceError) and exc.items:
        return from_items(exc.items, title=title, error=exc)
    retry = not isinstance(exc, ServiceError) or exc.code in NETWORK_CODES or exc.status >= 500
    failed_text = translate("CounterResult", "核销失败")
    return CounterResult("failure", failed_text, reason=describe_error(exc), detail=title, retry_now=retry)


def duplicate(seconds_ago: float, previous: CounterResult | None) -> CounterResult:
    before = previous.headline if previous else translate("CounterResult", "正在处理")
    extra = f"({previous.reason})" if previous and previous.kind == "failure" and previous.reason else ""
    return CounterResult(
        "duplicate",
        translate("CounterResult", "重复扫码,未再次提交"),
        reason=translate("CounterResult", "{s} 秒前刚扫过这张券:{before}{extra}").format(
            s=max(1, round(seconds_ago)), before=before, extra=extra
        ),
        detail=translate("CounterResult", "如需重新核销,请稍等几秒后再扫"),
        title=previous.title if previous else "",
    )


def unreadable() -> CounterResult:
    return CounterResult(
        "failure",
        translate("CounterResult", "无法识别"),
        reason=translate("CounterResult", "请扫描顾客抖音券的二维码,或输入数字券码"),
        retry_now=True,
    )


def no_store() -> CounterResult:
    return CounterResult(
        "failure",
        translate("CounterResult", "未设置门店"),
        reason=translate("CounterResult", "请店长在 设置 > 抖音账号 中选择本收银台的门店"),
        retry_now=True,
    )
