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
    (by_time, totals), (by_day, _), (by_poi, _), (by_app, _), (by_cashier, _) = await asyncio.gather(
        reports.summary(flt, [time_key]),
        reports.summary(flt, ["day"]),
        reports.summary(flt, ["poi_id"]),
        reports.summary(flt, ["app_id"]),
        reports.summary(flt, ["operator"]),
    )
    return DayReport(
        start=start, end=end, poi_id=poi_id, totals=totals, by_time=by_time, by_day=by_day, by_poi=by_poi,
        by_app=by_app, by_cashier=by_cashier, generated_at=datetime.now(zone), poi_names=dict(poi_names or {}),
    )  # fmt: skip
