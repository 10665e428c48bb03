"""The counter's flow: scan -> prepare -> card -> confirm -> verify -> answer, without widgets.

The widgets render what this object signals and forward keys to it; the service decides everything
about coupons. This object only sequences the calls, locks input while one is in flight, catches
double scans and follows pending rows until reconciliation settles them.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from PySide6.QtCore import QObject, Signal

from app.cashier import results
from app.cashier.duplicates import RecentScans
from app.cashier.results import CounterResult
from app.cashier.scan_input import ScanInput, UnreadableInput, parse_scan
from app.common.ops import AsyncOp
from app.common.session import Session
from app.sound.player import SoundPlayer
from gateway_core.service.errors import ServiceError
from gateway_core.service.models import PreparedCoupon, VerifyOutcome
from gateway_core.service.unusable import explain_unusable

log = logging.getLogger(__name__)

Phase = Literal["idle", "preparing", "card", "verifying", "result"]
RECENT_SIZE = 8


@dataclass
class RecentEntry:
    """One line of the counter's 'last redemptions' list."""

    at: datetime
    title: str
    result: CounterResult
    rows: dict[int, dict[str, Any]] = field(default_factory=dict)  # verification id -> latest view


class CounterController(QObject):
    phase_changed = Signal(str)
    card_changed = Signal(object)  # PreparedCoupon | None
    count_changed = Signal(int)
    result_changed = Signal(object)  # CounterResult | None
    recent_changed = Signal()
    hint = Signal(str)  # a passing remark under the input ("already on screen: press Enter")

    def __init__(
        self,
        runtime: Any,
        session: Session,
        poi_id: Callable[[], str],
        sounds: SoundPlayer,
        recent_scans: RecentScans | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._rt = runtime
        self._session = session
        self._poi_id = poi_id
        self._sounds = sounds
        self._scans = recent_scans or RecentScans()
        self.phase: Phase = "idle"
        self.prepared: PreparedCoupon | None = None
        self.count = 1
        self.result: CounterResult | None = None
        self.recent: deque[RecentEntry] = deque(maxlen=RECENT_SIZE)
        self._input: ScanInput | None = None

    # --- state -------------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self.phase in {"preparing", "verifying"}

    def _set_phase(self, phase: Phase) -> None:
        self.phase = phase
        self.phase_changed.emit(phase)

    def _show(self, result: CounterResult, key: str | None) -> None:
        self.result = result
        self.prepared = None
        self.card_changed.emit(None)
        if key is not None:
            if result.retry_now:
                self._scans.forget(key)
            else:
                self._scans.remember(key, result)
                self._scans.touch(key)
        self._set_phase("result")
        self.result_changed.emit(result)
        self._sounds.play(result.sound)

    # --- cashier actions ---------------------------------------------------------------------
    def submit(self, raw: str, scanned: bool = False) -> None:
        if self.busy:
            return  # locked: the answer to the previous scan is on its way
        try:
            scan = parse_scan(raw)
        except UnreadableInput:
            self._show(results.unreadable(), None)
            return
        log.info("counter %s %s %s", "scan" if scanned else "typed", scan.kind, scan.masked())
        poi_id = self._poi_id()
        if not poi_id:
            self._show(results.no_store(), None)
            return
        if self.phase == "card" and self._input is not None and self._input.key == scan.key:
            self.hint.emit(self.tr("这张券已在下方显示:按回车确认核销,Esc 取消"))
            return
        seen = self._scans.check(scan.key)
        if seen is not None:
            seconds, previous = seen
            self._show(results.duplicate(seconds, previous), None)
            return
        if self.phase == "card" and self._input is not None:
            # another coupon replaces the card on screen: the first was never sent, so scanning it
            # again is a first try, not a repeat
            self._scans.forget(self._input.key)
        self._input = scan
        self._scans.remember(scan.key)
        self.prepared = None
        self._set_phase("preparing")
        kwargs = {scan.kind: scan.value}
        AsyncOp(None, lambda: self._rt.service.prepare_coupon(poi_id=poi_id, **kwargs), "prepare").success(
            self._card_ready
        ).failure(lambda exc: self._refused(exc, scan)).run()

    def _refused(self, exc: BaseException, scan: ScanInput) -> None:
        result = results.from_error(exc)
        if not result.detail:
            # which coupon it was: the customer may hold several
            result.detail = self.tr("券码 {code}").format(code=scan.masked())
        self._show(result, scan.key)

    def _card_ready(self, prepared: PreparedCoupon) -> None:
        if prepared.usable_count == 0:
            # Douyin answers "nothing usable" without saying why; one more read tells the cashier.
            scan = self._input
            assert scan is not None
            AsyncOp(None, lambda: self._explain_unusable(prepared), "explain-unusable").success(
                lambda err: self._refused(err, scan)
            ).failure(lambda exc: self._refused(exc, scan)).run()
            return
        self.prepared = prepared
        self.count = 1
        self.result = None
        self._set_phase("card")
        self.card_changed.emit(prepared)
        self.count_changed.emit(self.count)

    async def _explain_unusable(self, prepared: PreparedCoupon) -> ServiceError:
        explain = getattr(self._rt.service, "explain_unusable", None)
        if explain is not None:
            return await explain(prepared)
        return await explain_unusable(self._rt.douyin, prepared)

    def step_count(self, delta: int) -> None:
        if self.phase != "card" or self.prepared is None:
            return
        self.count = max(1, min(self.prepared.usable_count, self.count + delta))
        self.count_changed.emit(self.count)

    def set_count(self, count: int) -> None:
        if self.prepared is not None:
            self.step_count(count - self.count)

    def confirm(self) -> None:
        if self.phase != "card" or self.prepared is None:
            return
        prepared, count = self.prepared, self.count
        key = self._input.key if self._input else None
        title = prepared.cards[0].title if prepared.cards else ""
        self._set_phase("verifying")

        def verify() -> Any:
            return self._rt.service.verify_prepared(
                prepared, count, app=self._rt.counter_app, operator=self._session.cashier_name
            )

        def done(outcome: VerifyOutcome) -> None:
            result = results.from_items(outcome.items, title=title, error=outcome.error)
            self._record(result, outcome.items)
            self._show(result, key)

        def failed(exc: BaseException) -> None:
            result = results.from_error(exc, title=title)
            # the token is spent whatever happened: never let a rescan look like a first try
            result.retry_now = False
            if isinstance(exc, ServiceError) and exc.items:
                self._record(result, exc.items)
            self._show(result, key)

        AsyncOp(None, verify, "verify").success(done).failure(failed).run()

    def cancel(self) -> None:
        if self.busy:
            return
        if self.phase == "card" and self._input is not None:
            self._scans.forget(self._input.key)  # cancelled on purpose: a rescan is a fresh start
        self.prepared = None
        self.result = None
        self._input = None
        self.card_changed.emit(None)
        self.result_changed.emit(None)
        self._set_phase("idle")

    # --- pending rows settled in the background ------------------------------------------------
    def _record(self, result: CounterResult, items: list[dict[str, Any]]) -> None:
        rows = {int(i["id"]): i for i in items if i.get("id") is not None}
        self.recent.appendleft(RecentEntry(datetime.now().astimezone(), result.title, result, rows))
        self.recent_changed.emit()

    def verification_changed(self, view: dict[str, Any]) -> None:
        """A ledger row changed (rt.events): settle the answer it belongs to, on screen and in the list."""
        if view.get("id") is None:
            return
        vid = int(view["id"])
        touched = False
        for entry in self.recent:
            old = entry.rows.get(vid)
            if old is None or old.get("verify_status") == view.get("verify_status"):
                continue
            entry.rows[vid] = view
            entry.result = results.from_items(entry.rows.values(), title=entry.title)
            touched = True
            if self.phase == "result" and self.result is not None and vid in self.result.statuses:
                was_pending = self.result.kind == "pending"
                self.result = entry.result
                self.result_changed.emit(entry.result)
                if was_pending and entry.result.kind != "pending":
                    self._sounds.play(entry.result.sound)
        if touched:
            self.recent_changed.emit()
