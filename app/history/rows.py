"""One history row as the table keeps it: the few fields shown or needed for undo, nothing more.

A VerificationView has 33 keys; keeping the dicts of a long scroll would cost kilobytes a row.
A NamedTuple of what the table reads costs a few hundred bytes, and repeated strings (statuses,
products, cashiers, stores, apps) are shared through `Interner`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple


class HistoryRow(NamedTuple):
    id: int
    status: str
    created_at: str
    verified_at: str | None
    cancelled_at: str | None
    product: str
    pay_amount: int
    operator: str
    poi_id: str
    code_tail: str
    order_id: str
    app_name: str
    error: str

    def view(self) -> dict[str, Any]:
        """The subset of a VerificationView the service's `cancel_deadline` reads."""
        return {"id": self.id, "verify_status": self.status, "verified_at": self.verified_at}


class Interner:
    """Shares equal strings between rows (a store has few products, cashiers and apps)."""

    def __init__(self, limit: int = 50_000) -> None:
        self._seen: dict[str, str] = {}
        self._limit = limit

    def __call__(self, text: str | None) -> str:
        if not text:
            return ""
        found = self._seen.get(text)
        if found is not None:
            return found
        if len(self._seen) < self._limit:  # unbounded growth would defeat the purpose
            self._seen[text] = text
        return text


def row_from_view(view: dict[str, Any], intern: Interner) -> HistoryRow:
    product = view.get("product_name") or view.get("sku_name") or ""
    code = view.get("origin_code") or ""
    return HistoryRow(
        id=int(view["id"]),
        status=intern(view.get("verify_status")),
        created_at=view.get("created_at") or "",
        verified_at=view.get("verified_at"),
        cancelled_at=view.get("cancelled_at"),
        product=intern(product),
        pay_amount=int(view.get("pay_amount") or 0),
        operator=intern(view.get("operator")),
        poi_id=intern(view.get("poi_id")),
        # only the tail is kept in memory: the full code could redeem the coupon again
        code_tail=code[-4:],
        order_id=view.get("order_id") or "",
        app_name=intern(view.get("app_name")),
        error=intern(view.get("error_description")),
    )


def rows_from_views(views: Iterable[dict[str, Any]], intern: Interner) -> list[HistoryRow]:
    return [row_from_view(v, intern) for v in views]
