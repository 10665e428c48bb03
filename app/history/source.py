"""Where the history table's pages come from: `runtime.reports`, the same reads as the HTTP API.

Pages are numbered and of one fixed size, so a page the table dropped to save memory can be read
again and lands on the same rows. The list is pinned to the moment it was opened (`snapshot`):
rows redeemed afterwards arrive through events instead, so they can never shift the pages.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Protocol

from gateway_core.clock import parse_iso
from gateway_core.ledger import VerificationFilter


class ReportsLike(Protocol):
    async def list_verifications(
        self, flt: VerificationFilter, page: int = 1, page_size: int = 50
    ) -> tuple[list[dict[str, Any]], int]: ...


class PageSource:
    def __init__(self, reports: ReportsLike, page_size: int = 500) -> None:
        self.reports = reports
        self.page_size = page_size

    async def page(self, flt: VerificationFilter, index: int) -> tuple[list[dict[str, Any]], int]:
        """(views of page `index` (from 0), newest first; total rows matching `flt`)."""
        return await self.reports.list_verifications(flt, index + 1, self.page_size)


def snapshot(flt: VerificationFilter, newest: dict[str, Any] | None) -> VerificationFilter:
    """`flt` ending at the newest row read so far, so later pages keep their places."""
    if newest is None or not newest.get("created_at"):
        return flt
    anchor = parse_iso(newest["created_at"])
    end = anchor if flt.end is None else min(flt.end, anchor)
    return replace(flt, end=end)
