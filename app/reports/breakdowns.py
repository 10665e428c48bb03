"""The day report arranged for people: breakdown tables (by day, store, source, cashier), their
column titles, and the chart's buckets. Shared by the screen, the PDF and the exports, so all
three show the same labels in the same order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication

from app.common.session import display_name
from app.reports.chart import ChartSeries
from app.reports.poi_names import poi_label
from app.reports.ranges import days_between
from app.reports.report_data import DayReport

# (summary field, is money); the order of the columns everywhere
MEASURES: tuple[tuple[str, bool], ...] = (
    ("success_count", False),
    ("pay_amount", True),
    ("receipt_amount", True),
    ("cancelled_count", False),
    ("failed_count", False),
    ("total_count", False),
)


def measure_title(field: str) -> str:
    return {
        "success_count": QCoreApplication.translate("reports", "核销笔数"),
        "pay_amount": QCoreApplication.translate("reports", "实付金额"),
        "receipt_amount": QCoreApplication.translate("reports", "券面价值"),
        "discount_amount": QCoreApplication.translate("reports", "优惠金额"),
        "cancelled_count": QCoreApplication.translate("reports", "已撤销"),
        "failed_count": QCoreApplication.translate("reports", "失败"),
        "processing_count": QCoreApplication.translate("reports", "确认中"),
        "total_count": QCoreApplication.translate("reports", "记录数"),
    }[field]


@dataclass(frozen=True)
class Breakdown:
    name: str  # day | poi | app | cashier
    title: str
    key_title: str
    labels: list[str]
    rows: list[dict[str, Any]]


def _by_amount(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Stores, sources and cashiers ranked by what they took in, as a manager reads them."""
    return sorted(rows, key=lambda r: (-int(r.get("pay_amount") or 0), -int(r.get("total_count") or 0)))


def breakdowns(report: DayReport) -> list[Breakdown]:
    translate = QCoreApplication.translate
    # rows redeemed through the local API carry no cashier
    nobody = translate("reports", "(未记录收银员)")
    by_day = translate("reports", "按日"), translate("reports", "日期")
    by_poi = translate("reports", "按门店"), translate("reports", "门店")
    by_app = translate("reports", "按来源"), translate("reports", "来源")
    by_cashier = translate("reports", "按收银员"), translate("reports", "收银员")
    pois, apps, cashiers = _by_amount(report.by_poi), _by_amount(report.by_app), _by_amount(report.by_cashier)
    return [
        Breakdown("day", *by_day, [str(r["day"]) for r in report.by_day], report.by_day),
        Breakdown("poi", *by_poi, [poi_label(r.get("poi_id"), report.poi_names) for r in pois], pois),
        Breakdown("app", *by_app, [str(r.get("app_name") or r.get("app_id")) for r in apps], apps),
        Breakdown("cashier", *by_cashier, [display_name(str(r.get("operator") or nobody)) for r in cashiers], cashiers),
    ]


def chart_series(report: DayReport) -> ChartSeries:
    """Paid amounts by hour (one day: all 24 hours shown) or by day (every day of the range)."""
    empty = QCoreApplication.translate("reports", "这段时间没有核销")
    if report.single_day:
        amounts, counts = [0] * 24, [0] * 24
        for row in report.by_time:
            hour = int(str(row["hour"])[11:13])  # "2026-03-16T10:00+08:00", already local
            amounts[hour] += int(row.get("pay_amount") or 0)
            counts[hour] += int(row.get("success_count") or 0)
        labels = [QCoreApplication.translate("reports", "{h}时").format(h=h) for h in range(24)]
        title = QCoreApplication.translate("reports", "{day} 各时段实付金额(¥)").format(day=report.start.isoformat())
        return ChartSeries(title, labels, amounts, counts, empty)
    found = {str(r["day"]): r for r in report.by_time}
    days: list[date] = days_between(report.start, report.end)
    rows = [found.get(d.isoformat(), {}) for d in days]
    labels = [d.strftime("%m-%d") for d in days]
    title = QCoreApplication.translate("reports", "{start} 至 {end} 每日实付金额(¥)").format(
        start=report.start.isoformat(), end=report.end.isoformat())
    return ChartSeries(title, labels, [int(r.get("pay_amount") or 0) for r in rows],
                       [int(r.get("success_count") or 0) for r in rows], empty)  # fmt: skip
