"""Where the history table's pages come from: `runtime.reports.list_verifications`, the same read
as the HTTP API, used so that every page costs the same however deep the list is.

A page does not say "rows 500,000 to 500,499" (SQLite would step over half a million index
entries to get there: 0.5 s at a million rows); it says "the next rows at or before the time the
previous page stopped", which the ledger's created_at index answers directly. Rows that share the
boundary millisecond are told apart by how many of them were already read (the order is
created_at then id, newest first, so they come back in the same order).

The list is pinned to the moment it was opened (`snapshot`): rows redeemed afterwards arrive
through events instead, so they never shift a page.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Protocol

from gateway_core.clock import parse_iso
from gateway_core.ledger import VerificationFilter


class ReportsLike(Protocol):
    async def list_verifications(
        self, flt: VerificationFilter, page: int = 1, page_size: int = 50
    ) -> tuple[list[dict[str, Any]], int]: ...


@dataclass(frozen=True)
class Cursor:
    """Where the next page starts: at or before `end`, after the first `seen` rows at `end`."""

    end: str  # created_at of the last row read (ISO 8601 UTC, milliseconds)
    seen: int  # rows at exactly that millisecond already read


@dataclass(frozen=True)
class Page:
    views: list[dict[str, Any]]
    total: int  # rows matching the filter (meaningful on the first page)
    next: Cursor | None  # None: this was the last page


class PageSource:
    def __init__(self, reports: ReportsLike, page_size: int = 500) -> None:
        self.reports = reports
        self.page_size = page_size

    async def page(self, flt: VerificationFilter, cursor: Cursor | None) -> Page:
        size = self.page_size
        if cursor is None:
            views, total = await self.reports.list_verifications(flt, 1, size)
        else:
            bounded = replace(flt, end=parse_iso(cursor.end))
            views, total = await self.reports.list_verifications(bounded, 1, size + cursor.seen)
            views = views[cursor.seen :]
        return Page(views, total, next_cursor(cursor, views) if len(views) >= size else None)


def next_cursor(previous: Cursor | None, views: list[dict[str, Any]]) -> Cursor:
    last = views[-1]["created_at"]
    seen = sum(1 for v in views if v["created_at"] == last)
    if previous is not None and previous.end == last:
        seen += previous.seen  # a whole page within one millisecond: keep counting
    return Cursor(last, seen)


def snapshot(flt: VerificationFilter, newest: dict[str, Any] | None) -> VerificationFilter:
    """`flt` ending at the newest row read so far, so later pages keep their places."""
    if newest is None or not newest.get("created_at"):
        return flt
    anchor = parse_iso(newest["created_at"])
    end = anchor if flt.end is None else min(flt.end, anchor)
    return replace(flt, end=end)
