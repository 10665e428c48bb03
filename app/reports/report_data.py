"""The manager's day report as data: every number is a `runtime.reports.summary` answer, the same
query as GET /v1/internal/reports/verifications/summary, so screen, PDF, exports and the head
office's API always agree. This module only asks and arranges; it adds nothing up itself.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any, Protocol

from gateway_core.ledger import VerificationFilter, day_range


class SummaryReader(Protocol):
    async def summary(
        self, flt: VerificationFilter, group_by: list[str] | None = None
    ) -> tuple[list[dict[str, Any]], dict[str, Any]]: ...


@dataclass(frozen=True)
class DayReport:
    start: date
    end: date
    poi_id: str | None
    totals: dict[str, Any]
    by_time: list[dict[str, Any]]  # by "hour" for one day, by "day" for a range
    by_day: list[dict[str, Any]]
    by_poi: list[dict[str, Any]]
    by_app: list[dict[str, Any]]
    by_cashier: list[dict[str, Any]]
    generated_at: datetime
    poi_names: dict[str, str] = field(default_factory=dict)

    @property
    def single_day(self) -> bool:
        return self.start == self.end

    @property
    def time_key(self) -> str:
        return "hour" if self.single_day else "day"


def report_filter(start: date, end: date, zone: tzinfo, poi_id: str | None = None) -> VerificationFilter:
    """Whole local days from `start` to `end`, both included (the contract's date semantics)."""
    return VerificationFilter(start=day_range(start, zone)[0], end=day_range(end, zone)[1], poi_id=poi_id)


async def load_day_report(
    reports: SummaryReader, start: date, end: date, zone: tzinfo, poi_id: str | None = None,
    poi_names: dict[str, str] | None = None,
) -> DayReport:  # fmt: skip
    flt = report_filter(start, end, zone, poi_id)
    time_key = "hour" if start == end else "day"
    # A range's chart is by day, the same query as the by-day table: asked once.
    groups = list(dict.fromkeys([time_key, "day", "poi_id", "app_id", "operator"]))
    answers = await asyncio.gather(*(reports.summary(flt, [key]) for key in groups))
    by_key = {key: rows for key, (rows, _totals) in zip(groups, answers, strict=True)}
    totals = answers[0][1]  # the same filter throughout: every answer carries the same totals
    return DayReport(
        start=start, end=end, poi_id=poi_id, totals=totals, by_time=by_key[time_key],
        by_day=by_key["day"], by_poi=by_key["poi_id"], by_app=by_key["app_id"], by_cashier=by_key["operator"],
        generated_at=datetime.now(zone), poi_names=dict(poi_names or {}),
    )  # fmt: skip
