"""Reports over the ledger: the verification list, the summary, and their exports.

The desktop's history and day report call these same functions as the internal HTTP API, so the
numbers a manager sees on screen and in a head office export always agree.
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Mapping
from typing import Any

from gateway_core.ledger import VIEW_KEYS, Ledger, VerificationFilter
from gateway_core.ledger.reports import MEASURES
from gateway_core.ledger.timerange import day_range
from gateway_core.service.errors import invalid_request

STATUSES = ("processing", "success", "failed", "cancelled")
GROUP_KEYS = ("day", "hour", "poi_id", "app_id", "store_id", "operator")
MAX_PAGE_SIZE = 200
CSV_BOM = "\ufeff"  # Excel opens UTF-8 CSV correctly only with a BOM

# The contract's VerificationView fields in its order: the ledger renders views from the same tuple.
VIEW_FIELDS = VIEW_KEYS
SUMMARY_FIELDS = MEASURES  # the summary row's counts and sums, as the ledger computes them


def _positive_int(query: Mapping[str, str], name: str, default: int, errors: dict[str, str], high: int) -> int:
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        errors[name] = "must be an integer"
        return default
    if not 1 <= value <= high:
        errors[name] = f"must be between 1 and {high}"
        return default
    return value


class ReportsService:
    def __init__(self, ledger: Ledger, timezone: str) -> None:
        self._ledger = ledger
        self.timezone = timezone

    # ------------------------------------------------------------ parsing the contract's query
    def filter_from_query(self, query: Mapping[str, str], *, with_rows: bool = True) -> VerificationFilter:
        errors: dict[str, str] = {}
        start = end = None
        for name in ("start_time", "end_time"):
            raw = query.get(name)
            if raw:
                try:
                    first, last = day_range(raw, self.timezone)
                    bound = last if name == "end_time" else first
                except ValueError:
                    errors[name] = "an ISO 8601 date-time or a date YYYY-MM-DD"
                    continue
                if name == "start_time":
                    start = bound
                else:
                    end = bound
        app_id: int | None = None
        if query.get("app_id"):
            try:
                app_id = int(query["app_id"])
            except ValueError:
                errors["app_id"] = "must be an integer"
            else:
                if not 0 < app_id < 2**63:  # SQLite's INTEGER range
                    errors["app_id"] = "must be a positive 64-bit integer"
                    app_id = None
        status = query.get("status") or None
        if with_rows and status is not None and status not in STATUSES:
            errors["status"] = "one of " + ", ".join(STATUSES)
        if start and end and start > end:
            errors["end_time"] = "must not be before start_time"
        if errors:
            raise invalid_request(errors)
        return VerificationFilter(
            start=start,
            end=end,
            poi_id=query.get("poi_id") or None,
            app_id=app_id,
            status=status if with_rows else None,
            certificate_id=(query.get("certificate_id") or None) if with_rows else None,
            order_id=(query.get("order_id") or None) if with_rows else None,
        )

    def paging_from_query(self, query: Mapping[str, str]) -> tuple[int, int]:
        errors: dict[str, str] = {}
        page = _positive_int(query, "page", 1, errors, 1_000_000)
        size = _positive_int(query, "page_size", 50, errors, MAX_PAGE_SIZE)
        if errors:
            raise invalid_request(errors)
        return page, size

    def group_by_from_query(self, query: Mapping[str, str]) -> list[str]:
        raw = query.get("group_by") or "day"
        keys = [k.strip() for k in raw.split(",") if k.strip()]
        bad = [k for k in keys if k not in GROUP_KEYS]
        if bad or not keys or len(set(keys)) != len(keys):
            raise invalid_request({"group_by": "comma list of " + ", ".join(GROUP_KEYS)})
        return keys

    # ------------------------------------------------------------ queries
    async def list_verifications(
        self, flt: VerificationFilter, page: int = 1, page_size: int = 50
    ) -> tuple[list[dict[str, Any]], int]:
        return await self._ledger.list_verifications(flt, page, page_size)

    async def summary(
        self, flt: VerificationFilter, group_by: list[str] | None = None
    ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        return await self._ledger.summary(flt, group_by or ["day"], self.timezone)

    async def iter_verifications(self, flt: VerificationFilter) -> AsyncIterator[list[dict[str, Any]]]:
        async for chunk in self._ledger.iter_verifications(flt):
            yield chunk

    # ------------------------------------------------------------ exports
    async def csv_chunks(self, flt: VerificationFilter) -> AsyncIterator[bytes]:
        """The whole filtered range as UTF-8 CSV (BOM first), a chunk at a time for streaming."""
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        buffer.write(CSV_BOM)
        writer.writerow(VIEW_FIELDS)
        async for chunk in self._ledger.iter_verifications(flt):
            for view in chunk:
                writer.writerow(["" if view.get(f) is None else view.get(f) for f in VIEW_FIELDS])
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
        tail = buffer.getvalue()
        if tail:
            yield tail.encode("utf-8")

    def summary_csv(self, rows: list[dict[str, Any]], totals: dict[str, Any], group_by: list[str]) -> bytes:
        columns = [*group_by, *(["app_name"] if "app_id" in group_by else []), *SUMMARY_FIELDS]
        buffer = io.StringIO()
        buffer.write(CSV_BOM)
        writer = csv.writer(buffer)
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])
        writer.writerow(
            ["total", *[""] * (len(columns) - len(SUMMARY_FIELDS) - 1), *[totals.get(c, 0) for c in SUMMARY_FIELDS]]
        )
        return buffer.getvalue().encode("utf-8")
