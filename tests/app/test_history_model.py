"""The history table model without widgets (as Vorta tests its archive table model), over a real
ledger of 50,000 rows: paging, canFetchMore/fetchMore, order, filters, in-place updates."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt

from app.history.columns import COLUMNS, Column
from app.history.model import ROW_ROLE, HistoryTableModel
from app.history.source import PageSource
from gateway_core.clock import iso
from gateway_core.ledger import Ledger, VerificationFilter
from gateway_core.secretbox import SecretBox
from tests.app.history_support import LedgerReports, fill_ledger, make_rows

ROWS = 50_000
PAGE = 500
NEWEST = datetime(2026, 3, 16, 10, 0, tzinfo=UTC)
COL = {c: i for i, c in enumerate(COLUMNS)}


@pytest.fixture(scope="module")
def ledger_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes, list[dict]]:
    path = tmp_path_factory.mktemp("history") / "ledger.sqlite3"
    rows = make_rows(ROWS, NEWEST)
    fill_ledger(path, rows)
    return path, os.urandom(32), rows


@pytest.fixture
def reports(run, ledger_file):
    path, key, _rows = ledger_file
    ledger = run(Ledger.open(path, SecretBox(key, "test")))
    yield LedgerReports(ledger)
    run(ledger.close())


def loaded(qtbot, model: HistoryTableModel) -> None:
    qtbot.waitUntil(lambda: not model.loading, timeout=10_000)


def cell(model: HistoryTableModel, row: int, column: Column, role=Qt.ItemDataRole.DisplayRole):
    return model.data(model.index(row, COL[column]), role)


def test_first_page_then_more_on_demand(qtbot, reports):
    model = HistoryTableModel(PageSource(reports, PAGE))
    assert model.rowCount() == 0
    assert model.columnCount() == len(COLUMNS)
    model.set_filter(VerificationFilter())
    loaded(qtbot, model)
    assert model.rowCount() == PAGE
    assert model.total == ROWS
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    model.fetchMore(QModelIndex())  # a second ask while the first read runs is ignored
    loaded(qtbot, model)
    assert model.rowCount() == 2 * PAGE
    assert reports.calls == 2


def test_newest_first_and_ids_continue_across_pages(qtbot, reports, ledger_file):
    _path, _key, rows = ledger_file
    model = HistoryTableModel(PageSource(reports, PAGE))
    model.set_filter(VerificationFilter())
    loaded(qtbot, model)
    model.fetchMore(QModelIndex())
    loaded(qtbot, model)
    shown = [model.data(model.index(r, 0), ROW_ROLE) for r in range(model.rowCount())]
    times = [r.created_at for r in shown]
    assert times == sorted(times, reverse=True)
    assert [r.created_at for r in shown] == [r["created_at"] for r in rows[: 2 * PAGE]]
    assert len({r.id for r in shown}) == len(shown)


def test_fetches_to_the_end_and_stops(qtbot, reports):
    model = HistoryTableModel(PageSource(reports, PAGE))
    model.set_filter(VerificationFilter(start=NEWEST - timedelta(hours=12)))
    loaded(qtbot, model)
    expected = model.total
    assert expected is not None and PAGE < expected < 3 * PAGE
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
        loaded(qtbot, model)
    assert model.rowCount() == expected


def test_display_formats(qtbot, reports, ledger_file):
    _path, _key, rows = ledger_file
    model = HistoryTableModel(PageSource(reports, PAGE))
    model.set_filter(VerificationFilter())
    loaded(qtbot, model)
    first = rows[0]
    # Asia/Shanghai is UTC+8: 10:00Z reads 18:00 at the store
    assert cell(model, 0, Column.TIME) == "2026-03-16 18:00:00"
    assert cell(model, 0, Column.AMOUNT) == f"¥{first['pay_amount'] // 100}.{first['pay_amount'] % 100:02d}"
    assert cell(model, 0, Column.CODE) == "****" + first["origin_code"][-4:]
    assert first["origin_code"] not in str(cell(model, 0, Column.CODE))
    assert cell(model, 0, Column.ORDER) == first["order_id"]
    assert cell(model, 0, Column.CASHIER) == first["operator"]
    assert cell(model, 0, Column.AMOUNT, Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    assert cell(model, 0, Column.STATUS, Qt.ItemDataRole.ForegroundRole) is not None
    header = model.headerData(COL[Column.AMOUNT], Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
    assert header == "实付金额"
    assert model.data(QModelIndex()) is None


@pytest.mark.parametrize(
    ("flt", "predicate"),
    [
        (VerificationFilter(status="cancelled"), lambda r: r["verify_status"] == "cancelled"),
        (VerificationFilter(operator="李四"), lambda r: r["operator"] == "李四"),
        (VerificationFilter(poi_id="7001000000000000002"), lambda r: r["poi_id"] == "7001000000000000002"),
    ],
)
def test_filters_narrow_the_rows(qtbot, reports, ledger_file, flt, predicate):
    _path, _key, rows = ledger_file
    model = HistoryTableModel(PageSource(reports, PAGE))
    model.set_filter(flt)
    loaded(qtbot, model)
    expected = [r for r in rows if predicate(r)]
    assert model.total == len(expected)
    shown = [model.data(model.index(r, 0), ROW_ROLE) for r in range(model.rowCount())]
    assert [r.created_at for r in shown] == [r["created_at"] for r in expected[:PAGE]]


def test_search_by_code_tail_and_order_id(qtbot, reports, ledger_file):
    _path, _key, rows = ledger_file
    target = rows[1234]
    model = HistoryTableModel(PageSource(reports, PAGE))
    model.set_filter(VerificationFilter(search=target["origin_code"][-6:]))
    loaded(qtbot, model)
    ids = {model.data(model.index(r, 0), ROW_ROLE).created_at for r in range(model.rowCount())}
    assert target["created_at"] in ids
    model.set_filter(VerificationFilter(search=target["order_id"]))
    loaded(qtbot, model)
    assert model.rowCount() == 1
    assert cell(model, 0, Column.ORDER) == target["order_id"]


def test_date_range_is_inclusive_local_days(qtbot, reports, ledger_file):
    _path, _key, rows = ledger_file
    start = datetime(2026, 3, 15, 16, 0, tzinfo=UTC)  # 2026-03-16 00:00 in Shanghai
    end = start + timedelta(days=1) - timedelta(milliseconds=1)
    model = HistoryTableModel(PageSource(reports, PAGE))
    model.set_filter(VerificationFilter(start=start, end=end))
    loaded(qtbot, model)
    assert model.total == sum(1 for r in rows if iso(start) <= r["created_at"] <= iso(end))


def test_event_updates_a_loaded_row_in_place(qtbot, reports):
    model = HistoryTableModel(PageSource(reports, PAGE))
    model.set_filter(VerificationFilter())
    loaded(qtbot, model)
    row = model.data(model.index(3, 0), ROW_ROLE)
    changed: list[int] = []
    model.dataChanged.connect(lambda tl, br, roles=(): changed.append(tl.row()))
    view = {"id": row.id, "verify_status": "cancelled", "created_at": row.created_at,
            "verified_at": row.verified_at, "product_name": row.product, "pay_amount": row.pay_amount,
            "operator": row.operator, "poi_id": row.poi_id, "order_id": row.order_id}  # fmt: skip
    model.apply_change(view)
    assert changed == [3]
    assert cell(model, 3, Column.STATUS) == "已撤销"
    assert model.rowCount() == PAGE


def test_new_matching_row_appears_on_top_and_others_do_not(qtbot, reports):
    model = HistoryTableModel(PageSource(reports, PAGE))
    model.set_filter(VerificationFilter(operator="张三"))
    loaded(qtbot, model)
    total = model.total
    later = iso(NEWEST + timedelta(minutes=1))
    new = {"id": 10_000_001, "verify_status": "success", "created_at": later, "operator": "张三",
           "product_name": "新套餐", "pay_amount": 100, "poi_id": "p", "order_id": "o"}  # fmt: skip
    model.apply_change(new)
    assert model.rowCount() == PAGE + 1
    assert cell(model, 0, Column.PRODUCT) == "新套餐"
    assert model.total == (total or 0) + 1
    model.apply_change({**new, "id": 10_000_002, "operator": "李四"})  # not this filter's
    assert model.rowCount() == PAGE + 1
    model.apply_change({**new, "verify_status": "cancelled"})  # the same new row changes again
    assert model.rowCount() == PAGE + 1
    assert cell(model, 0, Column.STATUS) == "已撤销"


def test_memory_stays_bounded_and_dropped_pages_come_back(qtbot, reports, ledger_file):
    _path, _key, rows = ledger_file
    model = HistoryTableModel(PageSource(reports, 200), max_cached_pages=3)
    model.set_filter(VerificationFilter())
    loaded(qtbot, model)
    for _ in range(5):
        model.fetchMore(QModelIndex())
        loaded(qtbot, model)
    assert model.rowCount() == 1200
    assert model.cached_pages() == 3
    assert model.row_at(0) is None  # page 0 was dropped: a placeholder while it is read again
    assert cell(model, 1, Column.TIME) == "…"
    loaded(qtbot, model)
    assert model.row_at(0).created_at == rows[0]["created_at"]
    assert model.row_at(1199).created_at == rows[1199]["created_at"]


def test_refilter_discards_a_read_in_flight(qtbot, reports):
    model = HistoryTableModel(PageSource(reports, PAGE))
    model.set_filter(VerificationFilter())
    model.set_filter(VerificationFilter(status="failed"))  # before the first read lands
    loaded(qtbot, model)
    statuses = {model.data(model.index(r, 0), ROW_ROLE).status for r in range(model.rowCount())}
    assert statuses == {"failed"}


def test_read_failure_is_reported_not_raised(qtbot, reports):
    class Broken(PageSource):
        async def page(self, flt, cursor):
            raise OSError("disk gone")

    model = HistoryTableModel(Broken(reports, PAGE))
    with qtbot.waitSignal(model.load_failed, timeout=5000) as blocker:
        model.set_filter(replace(VerificationFilter(), status="success"))
    assert blocker.args[0]
    assert not model.canFetchMore(QModelIndex())


def test_rows_sharing_a_millisecond_are_neither_lost_nor_repeated_across_pages(qtbot, run, tmp_path):
    # 25 rows in one millisecond (a table of four redeemed at once, many times over), then others
    same = make_rows(25, NEWEST, spacing=timedelta(0), seed=1)
    older = make_rows(20, NEWEST - timedelta(minutes=1), seed=2, id_base=100)
    path = tmp_path / "ledger.sqlite3"
    fill_ledger(path, same + older)
    ledger = run(Ledger.open(path, SecretBox(os.urandom(32), "test")))
    try:
        reports = LedgerReports(ledger)
        everything, total = run(reports.list_verifications(VerificationFilter(), 1, 1000))
        model = HistoryTableModel(PageSource(reports, 7), max_cached_pages=2)
        model.set_filter(VerificationFilter())
        loaded(qtbot, model)
        while model.canFetchMore(QModelIndex()):
            model.fetchMore(QModelIndex())
            loaded(qtbot, model)
        assert model.rowCount() == total == 45
        shown = []
        for r in range(model.rowCount()):
            if model.row_at(r) is None:  # dropped from memory: read again, by its cursor
                loaded(qtbot, model)
            shown.append(model.row_at(r).id)
        assert shown == [v["id"] for v in everything]
    finally:
        run(ledger.close())
