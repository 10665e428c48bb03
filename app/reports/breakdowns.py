"""The day report arranged for people: breakdown tables (by day, store, source, cashier), their
column titles, and the chart's buckets. Shared by the screen, the PDF and the exports, so all
three show the same labels in the same order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication

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
    tr = QCoreApplication.translate
    return {
        "success_count": tr("reports", "核销笔数"),
        "pay_amount": tr("reports", "实付金额"),
        "receipt_amount": tr("reports", "券面价值"),
        "discount_amount": tr("reports", "优惠金额"),
        "cancelled_count": tr("reports", "已撤销"),
        "failed_count": tr("reports", "失败"),
        "processing_count": tr("reports", "确认中"),
        "total_count": tr("reports", "记录数"),
    }[field]


@dataclass(frozen=True)
class Breakdown:
    name: str  # day | poi | app | cashier
    title: str
    key_title: str
    labels: list[str]
    rows: list[dict[str, Any]]


def breakdowns(report: DayReport) -> list[Breakdown]:
    tr = QCoreApplication.translate
    nobody = tr("reports", "(未记录收银员)")  # rows redeemed through the local API without a cashier
    return [
        Breakdown("day", tr("reports", "按日"), tr("reports", "日期"),
                  [str(r["day"]) for r in report.by_day], report.by_day),
        Breakdown("poi", tr("reports", "按门店"), tr("reports", "门店"),
                  [poi_label(r.get("poi_id"), report.poi_names) for r in report.by_poi], report.by_poi),
        Breakdown("app", tr("reports", "按来源"), tr("reports", "来源"),
                  [str(r.get("app_name") or r.get("app_id")) for r in report.by_app], report.by_app),
        Breakdown("cashier", tr("reports", "按收银员"), tr("reports", "收银员"),
                  [str(r.get("operator") or nobody) for r in report.by_cashier], report.by_cashier),
    ]  # fmt: skip


def chart_series(report: DayReport) -> ChartSeries:
    """Paid amounts by hour (one day: all 24 hours shown) or by day (every day of the range)."""
    tr = QCoreApplication.translate
    empty = tr("reports", "这段时间没有核销")
    if report.single_day:
        amounts, counts = [0] * 24, [0] * 24
        for row in report.by_time:
            hour = int(str(row["hour"])[11:13])  # "2026-03-16T10:00+08:00", already local
            amounts[hour] += int(row.get("pay_amount") or 0)
            counts[hour] += int(row.get("success_count") or 0)
        labels = [tr("reports", "{h}时").format(h=h) for h in range(24)]
        title = tr("reports", "{day} 各时段实付金额(¥)").format(day=report.start.isoformat())
        return ChartSeries(title, labels, amounts, counts, empty)
    found = {str(r["day"]): r for r in report.by_time}
    days: list[date] = days_between(report.start, report.end)
    rows = [found.get(d.isoformat(), {}) for d in days]
    labels = [d.strftime("%m-%d") for d in days]
    title = tr("reports", "{start} 至 {end} 每日实付金额(¥)").format(
        start=report.start.isoformat(), end=report.end.isoformat())
    return ChartSeries(title, labels, [int(r.get("pay_amount") or 0) for r in rows],
                       [int(r.get("success_count") or 0) for r in rows], empty)  # fmt: skip
