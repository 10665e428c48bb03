"""Order details fetched after a successful verify, in the background.

Enrichment never touches `verify_status`: a redemption stands whatever happens here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from gateway_core.clock import iso, utc_now
from gateway_core.douyin import DouyinClient
from gateway_core.douyin import errors as dy
from gateway_core.events import EventBus
from gateway_core.ledger import Ledger

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8


class Enricher:
    def __init__(
        self,
        *,
        ledger: Ledger,
        douyin: DouyinClient,
        events: EventBus,
        account_id: str | None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._ledger = ledger
        self._douyin = douyin
        self._events = events
        self._account_id = account_id
        self._clock = clock

    async def enrich_due(self) -> int:
        rows = await self._ledger.enrichment_due(self._clock())
        for view in rows:
            await self.enrich_one(view)
        return len(rows)

    async def enrich_one(self, view: dict[str, Any]) -> dict[str, Any]:
        if not self._account_id or not view.get("order_id"):
            return await self._update(view["id"], {"enrichment_status": "skipped"})
        try:
            order = await self._douyin.query_order(view["order_id"])
        except dy.DouyinError as exc:
            attempts = int(view.get("enrich_attempts") or 0) + 1
            if attempts >= MAX_ATTEMPTS or isinstance(exc, dy.DouyinRefused):
                return await self._update(
                    view["id"],
                    {"enrichment_status": "failed", "enrich_attempts": attempts, "last_error": str(exc)[:300]},
                )
            delay = min(10 * 2**attempts, 3600)
            return await self._update(
                view["id"],
                {
                    "enrich_attempts": attempts,
                    "next_enrich_at": iso(self._clock() + timedelta(seconds=delay)),
                    "last_error": str(exc)[:300],
                },
            )
        if order is None:
            return await self._update(view["id"], {"enrichment_status": "failed", "last_error": "order not found"})
        changes: dict[str, Any] = {
            "enrichment_status": "enriched",
            "order_status": order.order_status,
        }
        for name in ("product_id", "product_name", "sku_id", "sku_name", "source_order_id", "ext_order_id"):
            value = getattr(order, name, None)
            if value:
                changes[name] = value
        changes["verify_records_count"] = max(1, sum(1 for c in order.certificates if c.used))
        return await self._update(view["id"], changes)

    async def _update(self, verification_id: int, changes: dict[str, Any]) -> dict[str, Any]:
        view = await self._ledger.update_verification(verification_id, changes)
        self._events.emit(view)
        return view

