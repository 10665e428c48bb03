"""Redeeming coupons exactly once: prepare, verify, settle, cancel.

The rules that keep money right live here and nowhere else:
- a ledger row per certificate is written `processing` BEFORE Douyin's verify is called, and a
  partial unique index in the ledger lets only one such row exist per coupon;
- verify is sent once; when its outcome is unknown (timeout, dropped connection, 5xx after sending)
  the row is settled from certificate/get, never by sending verify again with the old token;
- one prepare feeds at most one verify (Douyin's 1:1 rule).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from gateway_core.clock import iso, utc_now
from gateway_core.douyin import DouyinClient
from gateway_core.douyin import errors as dy
from gateway_core.events import EventBus
from gateway_core.ledger import Audit, CouponBusy, Ledger
from gateway_core.service import reasons
from gateway_core.service.douyin_errors import refusal_reason, service_error
from gateway_core.service.errors import ServiceError, conflict, not_found
from gateway_core.service.models import MULTI_VISIT, AppIdentity, CouponCard, PreparedCoupon, VerifyOutcome
from gateway_core.service.render import error_body, verification_body
from gateway_core.service.requests import PrepareRequest, VerifyRequest, body_hash
from gateway_core.service.unusable import explain_unusable

log = logging.getLogger(__name__)

# Answers to a request_id that only hold for a moment: not kept for replay (429 rate limited,
# 409 the coupon busy in another request).
TRANSIENT_STATUSES = frozenset({409, 429})
DEFAULT_CANCEL_WINDOW = timedelta(hours=1)  # Douyin: "验券超过一个小时就不可再撤销"


def mask(code: str | None) -> str:
    """Coupon codes in logs: enough to find a row, not enough to redeem a coupon."""
    if not code:
        return "-"
    return f"…{code[-4:]}" if len(code) > 4 else "****"


@dataclass(frozen=True)
class _Target:
    """One certificate about to be verified, with what we know of it before Douyin answers."""

    encrypted_code: str
    card: CouponCard | None
    order_id: str | None


class VerificationService:
    def __init__(
        self,
        *,
        ledger: Ledger,
        douyin: DouyinClient,
        store_id: str,
        events: EventBus,
        clock: Callable[[], datetime] = utc_now,
        cancel_window: timedelta = DEFAULT_CANCEL_WINDOW,
        unknown_outcome_grace: timedelta = timedelta(seconds=30),
    ) -> None:
        self._ledger = ledger
        self._douyin = douyin
        self._store_id = store_id
        self._events = events
        self._clock = clock
        self.cancel_window = cancel_window
        # After an unknown outcome Douyin may still be applying our verify; "unused" is only
        # believed once this much time has passed since the verify was sent.
        self.unknown_outcome_grace = unknown_outcome_grace
        self._inflight: set[str] = set()
        # Rows whose verify request is still waiting for Douyin: the reconciler leaves them alone.
        self._inflight_rows: set[int] = set()
        self._started_up = False
        self.reconcile_wakeup = asyncio.Event()
        self.enrich_wakeup = asyncio.Event()

    # ---------------------------------------------------------------- prepare
    async def prepare_coupon(
        self, *, poi_id: str, short_link: str | None = None, code: str | None = None
    ) -> PreparedCoupon:
        req = PrepareRequest.from_json({"poi_id": poi_id, "short_link": short_link, "code": code})
        prepared = await self._prepare(req.poi_id, req.short_link, req.code)
        return prepared

    async def prepare_raw(self, req: PrepareRequest) -> dict[str, Any]:
        """The HTTP prepare door: Douyin's JSON unchanged on success (seed)."""
        prepared = await self._prepare(req.poi_id, req.short_link, req.code)
        return prepared.raw

    async def _prepare(self, poi_id: str, short_link: str | None, code: str | None) -> PreparedCoupon:
        try:
            if short_link is not None:
                encrypted_data = await self._douyin.resolve_short_link(short_link)
                result = await self._douyin.prepare(poi_id=poi_id, encrypted_data=encrypted_data)
            else:
                result = await self._douyin.prepare(poi_id=poi_id, code=code)
        except dy.DouyinError as exc:  # ShortLinkError is one
            raise service_error(exc) from exc
        cards = tuple(
            CouponCard(
                encrypted_code=c.encrypted_code,
                certificate_id=c.certificate_id,
                title=c.sku.title,
                groupon_type=c.sku.groupon_type,
                sku_id=c.sku.sku_id,
                pay_amount=c.amount.pay_amount,
                coupon_value=c.amount.coupon_pay_amount or c.amount.pay_amount,
                original_amount=c.amount.original_amount,
                valid_from=c.start_time,
                valid_until=c.expire_time,
            )
            for c in result.certificates
        )
        mode = "short_link" if short_link is not None else "code"
        prepared = PreparedCoupon(
            poi_id=poi_id,
            mode=mode,
            order_id=result.order_id,
            verify_token=result.verify_token,
            cards=cards,
            raw=result.raw,
            prepared_at=self._clock(),
            input_key=f"{mode}:{short_link or code}",
        )
        return prepared

    # ---------------------------------------------------------------- verify (two doors)
    async def verify_prepared(
        self, prepared: PreparedCoupon, count: int, *, app: AppIdentity, operator: str | None = None
    ) -> VerifyOutcome:
        """The desktop door: redeem `count` coupons of the card the cashier confirmed."""
        if not prepared.cards:
            raise await self.explain_unusable(prepared)
        if not 1 <= count <= prepared.usable_count:
            raise self._rejected(reasons.NOT_ENOUGH)
        with self._guard(prepared.input_key):
            targets = [_Target(c.encrypted_code, c, prepared.order_id) for c in prepared.cards[:count]]
            return await self._verify_targets(
                poi_id=prepared.poi_id,
                verify_token=prepared.verify_token,
                targets=targets,
                app=app,
                operator=operator,
                mode=prepared.mode,
                request_id=None,
            )

    async def verify_coupon(
        self,
        req: VerifyRequest,
        *,
        app: AppIdentity,
        operator: str | None = None,
        raw_body: Any = None,
        trace_id: str = "",
    ) -> VerifyOutcome:
        """The HTTP door (contract: POST /v1/open/coupons/verify), idempotent per request_id."""
        if req.request_id is None:
            return await self._verify_request(req, app=app, operator=operator)
        digest = body_hash(raw_body if raw_body is not None else req.__dict__)
        begun = await self._ledger.idempotency_begin(app.id, req.request_id, digest)
        if begun.kind == "done":
            return VerifyOutcome(status=begun.status or 200, items=[], replayed=True, extra={"body": begun.body})
        if begun.kind == "mismatch":
            raise conflict("request_id was already used with a different body", "该请求号已用于另一笔核销")
        if begun.kind == "in_progress":
            raise conflict("a request with this request_id is still being processed", "该请求正在处理中")
        try:
            outcome = await self._verify_request(req, app=app, operator=operator)
        except ServiceError as err:
            if not err.items and (err.status >= 500 or err.status in TRANSIENT_STATUSES):
                # Nothing was written or sent, or the answer only holds for a moment (rate limited,
                # the coupon busy in another request): the same request_id may be tried again.
                await self._ledger.idempotency_abandon(app.id, req.request_id)
            else:
                await self._ledger.idempotency_finish(app.id, req.request_id, err.status, error_body(err, trace_id))
            raise
        except BaseException:
            await self._ledger.idempotency_abandon(app.id, req.request_id)
            raise
        body = verification_body(outcome.items) if outcome.error is None else error_body(outcome.error, trace_id)
        await self._ledger.idempotency_finish(app.id, req.request_id, outcome.status, body)
        outcome.extra["body"] = body
        return outcome

    async def _verify_request(self, req: VerifyRequest, *, app: AppIdentity, operator: str | None) -> VerifyOutcome:
        with self._guard(req.input_key):
            if req.encrypted_code is not None:
                assert req.verify_token is not None
                targets = [_Target(req.encrypted_code, None, None)]
                verify_token = req.verify_token
            else:
                prepared = await self._prepare(req.poi_id, req.short_link, req.code)
                if not prepared.cards:
                    raise await self.explain_unusable(prepared)
                if req.count > prepared.usable_count:
                    raise self._rejected(reasons.NOT_ENOUGH)
                targets = [_Target(c.encrypted_code, c, prepared.order_id) for c in prepared.cards[: req.count]]
                verify_token = prepared.verify_token
            return await self._verify_targets(
                poi_id=req.poi_id,
                verify_token=verify_token,
                targets=targets,
                app=app,
                operator=operator,
                mode=req.mode,
                request_id=req.request_id,
            )

    async def explain_unusable(self, prepared: PreparedCoupon) -> ServiceError:
        """The refusal for an order with nothing left to redeem: used, expired or refunded."""
        return await explain_unusable(self._douyin, prepared)

    def _guard(self, input_key: str) -> _InflightGuard:
        return _InflightGuard(self._inflight, input_key)

    @staticmethod
    def _rejected(reason: reasons.Reason, items: list[dict[str, Any]] | None = None) -> ServiceError:
        return ServiceError(422, "coupon_rejected", reason.en, reason.zh, items=items or [])

    def _new_row(
        self,
        target: _Target,
        *,
        app: AppIdentity,
        poi_id: str,
        operator: str | None,
        mode: str,
        request_id: str | None,
    ) -> dict[str, Any]:
        card = target.card
        details: dict[str, Any] = {}
        row: dict[str, Any] = {
            "app_id": app.id,
            "app_name": app.name,
            "poi_id": poi_id,
            "encrypted_code": target.encrypted_code,
            "order_id": target.order_id,
            "coupon_status": "unused",
            "enrichment_status": "pending",
            "store_id": self._store_id,
            "operator": operator,
            "mode": mode,
            "request_id": request_id,
        }
        if card is not None:
            row |= {
                "certificate_id": card.certificate_id,
                "product_name": card.title,
                "sku_id": card.sku_id,
                "sku_name": card.title,
                "pay_amount": card.pay_amount,
                "receipt_amount": card.coupon_value,
                "discount_amount": max(card.original_amount - card.pay_amount, 0),
                # a 次卡 is verified once per visit: its success must not hold it (ledger guard)
                "multi_use": 1 if card.groupon_type == MULTI_VISIT else 0,
            }
            details = {
                "title": card.title,
                "groupon_type": card.groupon_type,
                "type_label": card.type_label,
                "original_amount": card.original_amount,
                "valid_from": iso(card.valid_from) if card.valid_from else None,
                "valid_until": iso(card.valid_until) if card.valid_until else None,
            }
        row["details"] = details
        return row

    async def _verify_targets(
        self,
        *,
        poi_id: str,
        verify_token: str,
        targets: list[_Target],
        app: AppIdentity,
        operator: str | None,
        mode: str,
        request_id: str | None,
    ) -> VerifyOutcome:
        rows = [
            self._new_row(t, app=app, poi_id=poi_id, operator=operator, mode=mode, request_id=request_id)
            for t in targets
        ]
        try:
            views = await self._ledger.insert_processing(rows)
        except CouponBusy as busy:
            # Another app's row is not this caller's to see (its code, its cashier).
            existing = busy.existing if busy.existing and busy.existing.get("app_id") == app.id else None
            items = [existing] if existing else []
            if existing and existing.get("verify_status") == "success":
                raise self._rejected(reasons.USED, items) from busy
            raise conflict("this coupon is being redeemed by another request", "此券正在核销中,请稍候", items) from busy
        self._announce(views)
        row_ids = {v["id"] for v in views}
        self._inflight_rows |= row_ids
        try:
            return await self._send_verify(views, targets, poi_id=poi_id, verify_token=verify_token)
        finally:
            self._inflight_rows -= row_ids

    async def _send_verify(
        self, views: list[dict[str, Any]], targets: list[_Target], *, poi_id: str, verify_token: str
    ) -> VerifyOutcome:
        log.info(
            "verify sent poi=%s codes=%s rows=%s",
            poi_id,
            ",".join(mask(t.encrypted_code) for t in targets),
            [v["id"] for v in views],
        )
        try:
            result = await self._douyin.verify(
                verify_token=verify_token, poi_id=poi_id, encrypted_codes=[t.encrypted_code for t in targets]
            )
        except dy.DouyinUnavailable as exc:
            if exc.request_sent:
                return await self._after_unknown_outcome(views, exc)
            return await self._fail_all(views, exc)
        except dy.DouyinError as exc:
            # Refusals, auth and rate limits: Douyin answered and applied nothing.
            return await self._fail_all(views, exc)
        except BaseException as exc:
            # A crash or cancellation after sending leaves the rows `processing`; the reconciler
            # settles them from certificate/get (at once in the background, or at next start-up).
            log.warning(
                "verify interrupted (%s); rows %s left to the reconciler", type(exc).__name__, [v["id"] for v in views]
            )
            self.reconcile_wakeup.set()
            raise
        by_code = {item.encrypted_code: item for item in result.items if item.encrypted_code}
        by_cert = {item.certificate_id: item for item in result.items if item.certificate_id}
        settled: list[dict[str, Any]] = []
        unanswered: list[dict[str, Any]] = []
        for view in views:
            item = by_code.get(view["encrypted_code"]) or by_cert.get(view.get("certificate_id") or "")
            if item is None and len(result.items) == len(views) == 1:
                item = result.items[0]
            if item is None:
                unanswered.append(view)
                continue
            if item.succeeded:
                changes = {
                    "verify_status": "success",
                    "coupon_status": "verified",
                    "verify_id": item.verify_id,
                    "certificate_id": item.certificate_id or view.get("certificate_id"),
                    "origin_code": item.origin_code or None,
                    "order_id": item.order_id or view.get("order_id"),
                    "verified_at": iso(item.verify_time) if item.verify_time else iso(self._clock()),
                    "error_code": 0,
                    "error_description": item.msg or "",
                }
            else:
                r = reasons.reason_for(item.result, item.msg or "")
                changes = {
                    "verify_status": "failed",
                    "error_code": item.result,
                    "error_description": item.msg or r.zh,
                    "enrichment_status": "skipped",
                    "last_error": r.zh,
                }
            settled.append(await self._settle(view["id"], changes))
        if unanswered:
            # Douyin answered but not for every certificate: ask it, as after a timeout.
            for view in unanswered:
                settled.append(await self._reconcile_one(view, first_look=True))
        if any(v["verify_status"] == "success" for v in settled):
            self.enrich_wakeup.set()
        return self._outcome(settled)

    async def _fail_all(self, views: list[dict[str, Any]], exc: dy.DouyinError) -> VerifyOutcome:
        err = service_error(exc)
        settled = [
            await self._settle(
                v["id"],
                {
                    "verify_status": "failed",
                    "error_code": exc.code if exc.code is not None else -1,
                    "error_description": exc.description or err.reason_zh,
                    "enrichment_status": "skipped",
                    "last_error": err.reason_zh,
                },
            )
            for v in views
        ]
        err.items = settled
        return VerifyOutcome(status=err.status, items=settled, error=err)

    async def _after_unknown_outcome(self, views: list[dict[str, Any]], exc: dy.DouyinUnavailable) -> VerifyOutcome:
        log.warning("verify outcome unknown (%s); asking certificate/get", type(exc).__name__)
        settled = [await self._reconcile_one(v, first_look=True) for v in views]
        statuses = {v["verify_status"] for v in settled}
        if "success" in statuses:
            self.enrich_wakeup.set()
        if "processing" in statuses:
            self.reconcile_wakeup.set()
        if "processing" in statuses and "success" not in statuses:  # one success makes it a 200
            err = service_error(exc)
            err.items = settled
            r = reasons.PENDING
            err.reason_zh = r.zh
            err.message = f"{err.message}; the result is being confirmed with Douyin"
            return VerifyOutcome(status=err.status, items=settled, error=err)
        return self._outcome(settled)

    def _outcome(self, settled: list[dict[str, Any]]) -> VerifyOutcome:
        if any(v["verify_status"] == "success" for v in settled):
            return VerifyOutcome(status=200, items=settled)
        pending = [v for v in settled if v["verify_status"] == "processing"]
        if pending:
            r = reasons.PENDING
            err = ServiceError(504, "upstream_timeout", r.en, r.zh, items=settled)
            return VerifyOutcome(status=504, items=settled, error=err)
        first = settled[0] if settled else {}
        r = reasons.reason_for(first.get("error_code"), first.get("error_description") or "")
        upstream = None
        if first.get("error_code"):
            upstream = {"error_code": first["error_code"], "description": first.get("error_description") or ""}
        err = ServiceError(422, "coupon_rejected", r.en, r.zh, upstream=upstream, items=settled)
        return VerifyOutcome(status=422, items=settled, error=err)

    async def _settle(
        self, verification_id: int, changes: dict[str, Any], audit: Audit | None = None
    ) -> dict[str, Any]:
        view = await self._ledger.update_verification(verification_id, changes, audit=audit)
        self._announce([view])
        return view

    def _announce(self, views: Iterable[dict[str, Any]]) -> None:
        for view in views:
            self._events.emit(view)

    # ---------------------------------------------------------------- reconciliation
    async def _reconcile_one(self, view: dict[str, Any], *, first_look: bool = False) -> dict[str, Any]:
        """Settle a `processing` row from Douyin's certificate state; never re-sends verify."""
        now = self._clock()
        try:
            state = await self._douyin.get_certificate(view["encrypted_code"])
        except dy.DouyinError as exc:  # ShortLinkError is one
            attempts = int(view.get("reconcile_attempts") or 0) + 1
            delay = min(5 * 2 ** min(attempts, 7), 600)
            log.info("certificate/get failed for row %s (%s); retry in %ss", view["id"], exc, delay)
            if isinstance(exc, dy.DouyinRefused) and refusal_reason(exc) is reasons.NOT_FOUND and not first_look:
                # Douyin does not know the code at all: nothing was redeemed.
                return await self._settle(
                    view["id"],
                    {
                        "verify_status": "failed",
                        "error_code": exc.code,
                        "error_description": exc.description,
                        "enrichment_status": "skipped",
                        "coupon_status": "unknown",
                    },
                )
            return await self._settle(
                view["id"],
                {
                    "reconcile_attempts": attempts,
                    "next_reconcile_at": iso(now + timedelta(seconds=delay)),
                    "last_error": str(exc)[:300],
                },
            )
        coupon_status = state.coupon_status
        created_at = _parse(view.get("created_at")) or now
        if state.verified_since(created_at):
            info = state.verify
            return await self._settle(
                view["id"],
                {
                    "verify_status": "success",
                    "coupon_status": "verified",
                    "verify_id": (info.verify_id if info else "") or view.get("verify_id"),
                    "certificate_id": (info.certificate_id if info else "") or view.get("certificate_id"),
                    "origin_code": state.code or view.get("origin_code"),
                    "verified_at": iso(info.verify_time) if info and info.verify_time else iso(now),
                    "error_code": 0,
                    "error_description": "settled from certificate/get",
                },
            )
        # The grace counts from when the answer was lost, not from the row: a request that took
        # Douyin's whole timeout would otherwise have used it up before the first look.
        unknown_since = _parse(view.get("outcome_unknown_at")) or (now if first_look else created_at)
        waited = now - unknown_since >= self.unknown_outcome_grace
        final = coupon_status in {"expired", "refunded"} or (
            coupon_status in {"unused", "verified"} and waited and not first_look
        )
        if final:
            r = {"expired": reasons.EXPIRED, "verified": reasons.USED}.get(coupon_status, reasons.PENDING)
            return await self._settle(
                view["id"],
                {
                    "verify_status": "failed",
                    "coupon_status": coupon_status,
                    "error_code": -1,
                    "error_description": "Douyin did not apply the verification" if r is reasons.PENDING else r.zh,
                    "enrichment_status": "skipped",
                    "last_error": "not applied upstream",
                },
            )
        if coupon_status == "unknown":
            # A status we cannot read proves nothing either way: keep asking, never guess failed.
            log.warning("certificate/get status %s for row %s is unknown; asking again later", state.status, view["id"])
        attempts = int(view.get("reconcile_attempts") or 0) + 1
        wait = min(self.unknown_outcome_grace.total_seconds(), 5 * attempts)
        changes: dict[str, Any] = {
            "reconcile_attempts": attempts,
            "next_reconcile_at": iso(now + timedelta(seconds=max(wait, 1))),
        }
        if not view.get("outcome_unknown_at"):
            changes["outcome_unknown_at"] = iso(unknown_since)
        return await self._settle(view["id"], changes)

    async def reconcile_due(self) -> int:
        """Settle every `processing` row that is due; returns how many were looked at.

        The first pass after start-up takes every `processing` row, due or not: after a crash no
        request of ours is still waiting for Douyin's answer.
        """
        horizon = self._clock()
        if not self._started_up:
            horizon += timedelta(days=3650)
            self._started_up = True
        rows = [v for v in await self._ledger.unsettled(horizon) if v["id"] not in self._inflight_rows]
        for view in rows:
            await self._reconcile_one(view)
        return len(rows)

    # ---------------------------------------------------------------- cancel
    def cancel_deadline(self, view: dict[str, Any]) -> datetime | None:
        verified_at = _parse(view.get("verified_at"))
        if view.get("verify_status") != "success" or verified_at is None:
            return None
        return verified_at + self.cancel_window

    async def cancel_verification(
        self,
        verification_id: int,
        *,
        app: AppIdentity | None,
        reason: str | None = None,
        operator: str | None = None,
        approved_by: str | None = None,
    ) -> dict[str, Any]:
        view = await self._ledger.get_verification(verification_id)
        if view is None or (app is not None and view["app_id"] != app.id) or view.get("store_id") != self._store_id:
            raise not_found("verification")
        if view["verify_status"] != "success":
            raise conflict(
                f"only a successful verification can be cancelled (this one is {view['verify_status']})",
                "只有核销成功的记录可以撤销",
                [view],
            )
        actor = operator or (app.name if app else "system")
        if approved_by and approved_by != operator:
            actor = f"{actor} (approved by {approved_by})"
        audit = Audit(
            actor_type="cashier" if operator else "app",
            actor=actor,
            action="cancel_verification" + (f": {reason}" if reason else ""),
        )
        try:
            await self._douyin.cancel(certificate_id=view["certificate_id"], verify_id=view["verify_id"])
        except dy.DouyinUnavailable as exc:
            if exc.request_sent and await self._cancel_applied(view):
                return await self._mark_cancelled(view, audit)
            raise service_error(exc) from exc
        except dy.DouyinError as exc:
            err = service_error(exc, refused_code="cancel_rejected")
            err.items = [view]
            raise err from exc
        return await self._mark_cancelled(view, audit)

    async def _cancel_applied(self, view: dict[str, Any]) -> bool:
        try:
            state = await self._douyin.get_certificate(view["encrypted_code"])
        except dy.DouyinError:
            return False
        return not state.still_verified(view.get("verify_id") or "")

    async def _mark_cancelled(self, view: dict[str, Any], audit: Audit) -> dict[str, Any]:
        changes = {"verify_status": "cancelled", "coupon_status": "unused", "cancelled_at": iso(self._clock())}
        return await self._settle(view["id"], changes, audit=audit)


class _InflightGuard:
    """Refuses a second request for the same input while the first is still on its way."""

    def __init__(self, inflight: set[str], key: str) -> None:
        self._inflight = inflight
        self._key = key

    def __enter__(self) -> None:
        if self._key in self._inflight:
            raise conflict("this coupon is being redeemed by another request", "此券正在核销中,请稍候")
        self._inflight.add(self._key)

    def __exit__(self, *exc: object) -> None:
        self._inflight.discard(self._key)


def _parse(value: Any) -> datetime | None:
    if not value:
        return None
    if isinstance(value, datetime):
        return value
    from gateway_core.clock import parse_iso

    return parse_iso(str(value))
