"""The day report (日报): its numbers against sums the test computes itself from the rows it wrote,
the chart's buckets, the PDF, the summary exports, live refresh, and agreement with the internal
HTTP API's summary endpoint."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import httpx
import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt

from app.common.session import Session
from app.reports import DayReportView
from app.reports.breakdowns import MEASURES
from gateway_core.clock import parse_iso
from gateway_core.events import EventBus
from gateway_core.ledger import Ledger, VerificationFilter
from gateway_core.secretbox import SecretBox
from tests.app.history_support import LedgerReports, fill_ledger, make_rows

ZONE = ZoneInfo("Asia/Shanghai")
NEWEST = datetime(2026, 3, 16, 10, 0, tzinfo=UTC)  # 18:00 in Shanghai
ROWS = 20_000  # 37 s apart: about 8.5 days back
MEASURE_INDEX = {field: i + 1 for i, (field, _money) in enumerate(MEASURES)}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("reports") / "ledger.sqlite3"
    rows = make_rows(ROWS, NEWEST, seed=11)
    fill_ledger(path, rows)
    return path, os.urandom(32), rows


@pytest.fixture
def offline_runtime(run, generated):
    """Just what the day report reads (reports, settings, events) over the generated ledger."""
    path, key, _rows = generated
    ledger = run(Ledger.open(path, SecretBox(key, "test")))
    yield SimpleNamespace(reports=LedgerReports(ledger), settings=SimpleNamespace(timezone="Asia/Shanghai"),
                          events=EventBus())  # fmt: skip
    run(ledger.close())


def expected_sums(rows, start: date, end: date, key) -> dict:
    """The test's own arithmetic: group success amounts and status counts by `key(row)`."""
    sums: dict = defaultdict(lambda: defaultdict(int))
    for row in rows:
        day = parse_iso(row["created_at"]).astimezone(ZONE).date()
        if not start <= day <= end:
            continue
        bucket = sums[key(row)]
        bucket["total_count"] += 1
        bucket[f"{row['verify_status']}_count"] += 1
        if row["verify_status"] == "success":
            bucket["pay_amount"] += row["pay_amount"]
            bucket["receipt_amount"] += row["receipt_amount"]
    return sums


def column_values(view: DayReportView, table: str, field: str) -> dict[str, int]:
    _view, model = view.tables[table]
    out = {}
    for r in range(model.rowCount()):
        label = model.data(model.index(r, 0))
        out[label] = model.data(model.index(r, MEASURE_INDEX[field]), Qt.ItemDataRole.UserRole)
    return out


def open_report(qtbot, runtime, start: date, end: date) -> DayReportView:
    view = DayReportView(runtime, Session("王店长", "manager"))
    qtbot.addWidget(view)
    view.resize(1280, 860)
    view.show()
    view.range_picker.set_range(start, end)
    qtbot.waitUntil(lambda: not view.busy and view.report is not None
                    and (view.report.start, view.report.end) == (start, end), timeout=15_000)  # fmt: skip
    return view


def test_range_totals_and_breakdowns_equal_the_ledger(qtbot, offline_runtime, generated):
    _path, _key, rows = generated
    start, end = date(2026, 3, 10), date(2026, 3, 16)
    view = open_report(qtbot, offline_runtime, start, end)
    everything = expected_sums(rows, start, end, lambda r: "all")["all"]
    for field, _money in MEASURES:
        assert view.report.totals[field] == everything[field], field
    paid = everything["pay_amount"]
    assert view.totals.values["pay_amount"].text() == f"¥{paid // 100:,}.{paid % 100:02d}"

    by_day = expected_sums(rows, start, end, lambda r: parse_iso(r["created_at"]).astimezone(ZONE).date().isoformat())
    shown = column_values(view, "day", "pay_amount")
    assert shown.pop("合计") == everything["pay_amount"]
    assert shown == {day: sums["pay_amount"] for day, sums in by_day.items()}

    by_cashier = expected_sums(rows, start, end, lambda r: r["operator"])
    assert {k: v for k, v in column_values(view, "cashier", "success_count").items() if k != "合计"} == {
        name: sums["success_count"] for name, sums in by_cashier.items()}
    by_app = expected_sums(rows, start, end, lambda r: r["app_name"])
    assert {k: v for k, v in column_values(view, "app", "cancelled_count").items() if k != "合计"} == {
        name: sums["cancelled_count"] for name, sums in by_app.items()}
    by_poi = expected_sums(rows, start, end, lambda r: r["poi_id"])
    assert {k: v for k, v in column_values(view, "poi", "failed_count").items() if k != "合计"} == {
        poi: sums["failed_count"] for poi, sums in by_poi.items()}

    series = view.chart.series()
    assert series.labels[0] == "03-10" and len(series.labels) == 7
    assert sum(series.amounts) == everything["pay_amount"]


def test_single_day_chart_is_by_hour(qtbot, offline_runtime, generated):
    _path, _key, rows = generated
    day = date(2026, 3, 15)
    view = open_report(qtbot, offline_runtime, day, day)
    series = view.chart.series()
    assert len(series.amounts) == 24 and series.labels[9] == "9时"
    hours = expected_sums(rows, day, day, lambda r: parse_iso(r["created_at"]).astimezone(ZONE).hour)
    assert series.amounts == [hours[h]["pay_amount"] for h in range(24)]
    assert series.counts == [hours[h]["success_count"] for h in range(24)]


def test_quick_ranges(qtbot, offline_runtime):
    view = DayReportView(offline_runtime, Session("王店长", "manager"))
    qtbot.addWidget(view)
    today = datetime.now(ZONE).date()
    assert view.range_picker.range() == (today, today)
    assert view.range_picker.buttons[next(iter(view.range_picker.buttons))].isChecked()
    for which, button in view.range_picker.buttons.items():
        button.click()
        _start, end = view.range_picker.range()
        assert end == (today if which.value != "yesterday" else today - timedelta(days=1))
        assert button.isChecked()
    qtbot.waitUntil(lambda: not view.busy, timeout=15_000)


def test_pdf_report(qtbot, offline_runtime, generated, tmp_path: Path):
    view = open_report(qtbot, offline_runtime, date(2026, 3, 15), date(2026, 3, 15))
    path = tmp_path / "day.pdf"
    task = view.save("pdf", path)
    qtbot.waitUntil(task.done, timeout=30_000)
    assert path.stat().st_size > 10_000
    assert path.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) not installed: PDF content not checked")
    raw = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout  # fmt: skip
    text = raw  # exact: searching the PDF for 日报 must find it (Qt alone wrote the radical ⽇)
    assert not [ch for ch in text if 0x2E80 <= ord(ch) <= 0x2FDF], "radicals in the text layer"
    paid = view.report.totals["pay_amount"]
    assert "核销日报" in text
    assert "2026-03-15" in text
    assert f"¥{paid // 100:,}.{paid % 100:02d}" in text
    for name in ("张三", "李四", "王五", "赵六", "按收银员", "生成时间"):
        assert name in text
    assert "已保存" in view.notice.text()


def test_summary_exports(qtbot, offline_runtime, generated, tmp_path: Path):
    view = open_report(qtbot, offline_runtime, date(2026, 3, 12), date(2026, 3, 14))
    totals = view.report.totals
    csv_path, xlsx_path = tmp_path / "s.csv", tmp_path / "s.xlsx"
    for kind, path in (("csv", csv_path), ("xlsx", xlsx_path)):
        task = view.save(kind, path)
        qtbot.waitUntil(task.done, timeout=20_000)
    text = csv_path.read_text(encoding="utf-8-sig")
    lines = list(csv.reader(text.splitlines()))
    assert lines[0] == ["按日"]
    assert lines[1][:3] == ["日期", "核销笔数", "实付金额(元)"]
    total_line = next(line for line in lines if line and line[0] == "合计")
    assert total_line[1] == str(totals["success_count"])
    assert total_line[2] == f"{totals['pay_amount'] / 100:.2f}"
    book = load_workbook(xlsx_path)
    assert book.sheetnames[:4] == ["按日", "按门店", "按来源", "按收银员"]
    sheet = book["按收银员"]
    values = list(sheet.iter_rows(values_only=True))
    assert values[-1][0] == "合计"
    assert values[-1][2] == pytest.approx(totals["pay_amount"] / 100)
    assert sum(v[2] for v in values[1:-1]) == pytest.approx(totals["pay_amount"] / 100)


def redeem(run, rt, poi_id: str, n: int) -> int:
    paid = 0
    for _ in range(n):
        order = rt.sandbox.state.mint_order(poi_id=poi_id)
        prepared = run(rt.service.prepare_coupon(poi_id=poi_id, code=order.certificates[0].code))
        outcome = run(rt.service.verify_prepared(prepared, 1, app=rt.counter_app, operator="测试店长"))
        paid += outcome.redeemed_amount
    return paid


def test_today_on_the_real_runtime_updates_live_and_matches_the_http_api(qtbot, run, runtime, poi_id):
    paid = redeem(run, runtime, poi_id, 2)
    today = datetime.now(ZONE).date()
    view = open_report(qtbot, runtime, today, today)
    assert view.report.totals["success_count"] == 2
    assert view.report.totals["pay_amount"] == paid
    assert view.poi.findData(poi_id) > 0
    qtbot.waitUntil(lambda: view.poi.itemText(view.poi.findData(poi_id)) != poi_id)  # the store's name

    paid += redeem(run, runtime, poi_id, 1)  # arrives through runtime.events
    qtbot.waitUntil(lambda: view.report.totals["success_count"] == 3, timeout=10_000)
    assert view.totals.values["success_count"].text() == "3"

    key = run(runtime.new_operator_key())
    url = run(runtime.start_http(host="127.0.0.1", port=0))

    async def api_summary() -> dict:
        async with httpx.AsyncClient() as client:
            answer = await client.get(f"{url}/v1/internal/reports/verifications/summary",
                                      params={"start_time": today.isoformat(), "end_time": today.isoformat()},
                                      headers={"X-XTJ-UID": key})  # fmt: skip
            answer.raise_for_status()
            return answer.json()

    body = run(api_summary())
    assert body["totals"] == view.report.totals
    assert view.report.totals["pay_amount"] == paid
    qtbot.waitUntil(lambda: not view.busy, timeout=10_000)


def test_summary_rows_are_the_reports_service_answer(qtbot, offline_runtime, run):
    view = open_report(qtbot, offline_runtime, date(2026, 3, 16), date(2026, 3, 16))
    flt = VerificationFilter(start=datetime(2026, 3, 15, 16, tzinfo=UTC),
                             end=datetime(2026, 3, 16, 16, tzinfo=UTC) - timedelta(milliseconds=1))  # fmt: skip
    rows, totals = run(offline_runtime.reports.summary(flt, ["operator"]))
    assert view.report.by_cashier == rows
    assert view.report.totals == totals


def test_hidden_report_reads_nothing_until_shown_again(qtbot, run, runtime, poi_id, desktop, monkeypatch):
    """At the counter, redemptions must not make the day report re-run its queries (they would
    compete with the next scan): it notes that it is out of date and loads when shown."""
    from app.main_window import COUNTER, REPORTS
    from app.reports.view import REFRESH_DELAY_MS

    window = desktop.window
    window.show_page(REPORTS)
    view = window.page_widget(REPORTS)
    qtbot.waitUntil(lambda: view.report is not None and not view.busy, timeout=10_000)
    assert view.report.totals["success_count"] == 0
    calls: list[list[str]] = []
    real = runtime.reports.summary

    async def counted(flt, group_by=None):
        calls.append(list(group_by or []))
        return await real(flt, group_by)

    monkeypatch.setattr(runtime.reports, "summary", counted)

    redeem(run, runtime, poi_id, 1)
    qtbot.waitUntil(view._refresh_timer.isActive, timeout=10_000)  # the refresh is due...
    window.show_page(COUNTER)  # ...but the cashier went back to the counter first
    assert not view.isVisible()
    assert not view._refresh_timer.isActive()
    redeem(run, runtime, poi_id, 2)
    qtbot.wait(REFRESH_DELAY_MS + 500)
    assert calls == []
    assert view.report.totals["success_count"] == 0

    window.show_page(REPORTS)
    qtbot.waitUntil(lambda: view.report.totals["success_count"] == 3 and not view.busy, timeout=10_000)
    assert sorted(calls) == [["app_id"], ["day"], ["hour"], ["operator"], ["poi_id"]]  # one load


def test_a_range_asks_the_by_day_summary_once(run):
    from app.reports.report_data import load_day_report

    class Reader:
        def __init__(self) -> None:
            self.asked: list[str] = []

        async def summary(self, flt, group_by=None):
            self.asked.extend(group_by or [])
            return [{"key": group_by[0]}], {"total_count": 7}

    reader = Reader()
    week = run(load_day_report(reader, date(2026, 3, 10), date(2026, 3, 16), ZONE))
    assert sorted(reader.asked) == ["app_id", "day", "operator", "poi_id"]
    assert week.by_time == week.by_day == [{"key": "day"}]
    assert week.totals == {"total_count": 7}
    assert (week.by_poi, week.by_app, week.by_cashier) == ([{"key": "poi_id"}], [{"key": "app_id"}],
                                                          [{"key": "operator"}])  # fmt: skip
    reader = Reader()
    day = run(load_day_report(reader, date(2026, 3, 16), date(2026, 3, 16), ZONE))
    assert sorted(reader.asked) == ["app_id", "day", "hour", "operator", "poi_id"]
    assert day.by_time == [{"key": "hour"}] and day.by_day == [{"key": "day"}]
