"""The history screen against the real runtime and the sandbox Douyin: rows of real redemptions,
filters, live updates, undo inside and outside Douyin's window, a manager's PIN, export."""

from __future__ import annotations

import csv
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QDialog

from app.common.session import Session
from app.history import HistoryView
from app.history.columns import COLUMNS, Column
from app.history.export import ExportKind
from app.history.model import ROW_ROLE
from gateway_core.clock import iso, utc_now
from gateway_core.ledger import VerificationFilter

COL = {c: i for i, c in enumerate(COLUMNS)}


def redeem(run, rt, poi_id: str, n: int, operator: str = "测试店长", product: str = "set2") -> list[dict]:
    """Redeem `n` freshly minted sandbox coupons through the service, as the counter does."""
    views = []
    for _ in range(n):
        order = rt.sandbox.state.mint_order(poi_id=poi_id, product=product)
        code = order.certificates[0].code
        prepared = run(rt.service.prepare_coupon(poi_id=poi_id, code=code))
        outcome = run(rt.service.verify_prepared(prepared, 1, app=rt.counter_app, operator=operator))
        assert outcome.success_count == 1
        views.append(outcome.items[0])
    return views


def shown(view: HistoryView) -> list:
    return [view.model.data(view.model.index(r, 0), ROW_ROLE) for r in range(view.model.rowCount())]


def settle(qtbot, view: HistoryView) -> None:
    qtbot.waitUntil(lambda: not view.busy, timeout=10_000)


@pytest.fixture
def history(qtbot, runtime, session):
    view = HistoryView(runtime, session)
    qtbot.addWidget(view)
    view.resize(1280, 720)
    view.show()
    settle(qtbot, view)
    yield view
    settle(qtbot, view)
    view.close()


def test_redemptions_show_newest_first_with_masked_codes(qtbot, run, runtime, poi_id, history):
    views = redeem(run, runtime, poi_id, 3)
    history.refresh()
    settle(qtbot, history)
    rows = shown(history)
    assert [r.id for r in rows] == [v["id"] for v in reversed(views)]
    model = history.model
    code = views[-1]["origin_code"]
    assert model.data(model.index(0, COL[Column.CODE])) == "****" + code[-4:]
    assert model.data(model.index(0, COL[Column.STATUS])) == "核销成功"
    assert model.data(model.index(0, COL[Column.CASHIER])) == "测试店长"
    qtbot.waitUntil(lambda: "共 3 条" in history.summary.text())


def test_new_redemption_appears_live_and_filters_apply(qtbot, run, runtime, poi_id, history):
    redeem(run, runtime, poi_id, 1, operator="张三")
    qtbot.waitUntil(lambda: history.model.rowCount() == 1)  # through runtime.events, no refresh
    redeem(run, runtime, poi_id, 2, operator="李四")
    qtbot.waitUntil(lambda: history.model.rowCount() == 3)
    history.load_choices()
    qtbot.waitUntil(lambda: history.filters.cashier.count() == 3)
    history.filters.cashier.setCurrentIndex(history.filters.cashier.findData("张三"))
    settle(qtbot, history)
    assert [r.operator for r in shown(history)] == ["张三"]
    history.filters.cashier.setCurrentIndex(0)
    history.filters.status.setCurrentIndex(history.filters.status.findData("cancelled"))
    settle(qtbot, history)
    assert history.model.rowCount() == 0
    assert history.empty.isVisibleTo(history)


def test_search_by_code_tail_and_order_id(qtbot, run, runtime, poi_id, history):
    views = redeem(run, runtime, poi_id, 3)
    history.filters.search.setText(views[1]["origin_code"][-5:])
    history.filters.search.returnPressed.emit()
    settle(qtbot, history)
    assert [r.id for r in shown(history)] == [views[1]["id"]]
    history.filters.search.setText(views[2]["order_id"])
    qtbot.waitUntil(lambda: [r.id for r in shown(history)] == [views[2]["id"]], timeout=3000)


def select_first(qtbot, history: HistoryView) -> None:
    qtbot.waitUntil(lambda: history.model.rowCount() > 0)
    history.select_row(0)
    assert history.selected_row() is not None


def test_undo_inside_the_window_makes_the_coupon_usable_again(qtbot, run, runtime, poi_id, history):
    view = redeem(run, runtime, poi_id, 1)[0]
    select_first(qtbot, history)
    assert history.undo_button.isEnabled()
    assert "剩余" in history.undo_state_label.text()
    history.undo_button.click()
    dialog = history.undo_dialog
    assert dialog is not None and dialog.isVisible()
    assert not dialog.approval.isVisible()  # a manager approves their own undo
    assert "剩余" in dialog.countdown.text()
    dialog.reason.setText("guest changed mind")
    dialog.confirm.click()
    qtbot.waitUntil(lambda: history.model.data(history.model.index(0, COL[Column.STATUS])) == "已撤销")
    assert not history.undo_button.isEnabled()
    assert history.undo_state_label.text() == "这条核销已撤销"
    cert = runtime.sandbox.state.certs_by_id[view["certificate_id"]]
    assert cert.state(runtime.sandbox.state.now()) == "usable"
    audit = run(runtime.ledger.list_audit(target=f"verification:{view['id']}"))
    assert audit[0]["actor"] == "测试店长"  # asked and approved by the same manager
    assert audit[0]["action"] == "cancel_verification: guest changed mind"


def test_undo_refused_by_douyin_shows_the_reason(qtbot, run, runtime, poi_id, history):
    redeem(run, runtime, poi_id, 1)
    runtime.sandbox.state.advance(2 * 3600)  # Douyin's clock says the hour is over; ours does not
    select_first(qtbot, history)
    history.undo_button.click()
    history.undo_dialog.confirm.click()
    qtbot.waitUntil(lambda: "撤销失败" in history.notice.text())
    assert "撤销时限" in history.notice.text() or "抖音" in history.notice.text()
    assert history.model.data(history.model.index(0, COL[Column.STATUS])) == "核销成功"


def test_undo_outside_our_window_is_disabled_with_the_reason(qtbot, run, runtime, poi_id, history):
    redeem(run, runtime, poi_id, 1)
    runtime.service.cancel_window = timedelta(seconds=0)
    select_first(qtbot, history)
    assert not history.undo_button.isEnabled()
    assert history.undo_state_label.text() == "已超过抖音允许的撤销时限"


def test_failed_row_cannot_be_undone(qtbot, history):
    history.model.apply_change({"id": 999, "verify_status": "failed", "created_at": iso(utc_now())})
    history.select_row(0)
    assert not history.undo_button.isEnabled()
    assert history.undo_state_label.text() == "只有核销成功的记录可以撤销"


@pytest.fixture
def manager(run, runtime):
    from app.common.cashiers import cashiers_of

    run(cashiers_of(runtime).add_cashier("王店长", "2468", "manager", by="test"), timeout=20)
    return "王店长"


def test_cashier_needs_a_managers_pin(qtbot, run, runtime, poi_id, manager):
    cashier = Session("小李", "cashier")
    history = HistoryView(runtime, cashier)
    qtbot.addWidget(history)
    history.show()
    view = redeem(run, runtime, poi_id, 1, operator="小李")[0]
    select_first(qtbot, history)
    history.undo_button.click()
    qtbot.waitUntil(lambda: history.undo_dialog is not None)
    dialog = history.undo_dialog
    assert dialog.approval.isVisible()
    assert dialog.manager.currentText() == manager
    dialog.pin.setText("1111")
    dialog.confirm.click()
    qtbot.waitUntil(lambda: dialog.error.text() == "店长密码不正确", timeout=10_000)
    assert dialog.isVisible()
    dialog.pin.setText("2468")
    dialog.confirm.click()
    qtbot.waitUntil(lambda: history.model.data(history.model.index(0, COL[Column.STATUS])) == "已撤销",
                    timeout=10_000)  # fmt: skip
    audit = run(runtime.ledger.list_audit(target=f"verification:{view['id']}"))
    assert audit[0]["actor"] == "小李 (approved by 王店长)"
    settle(qtbot, history)
    history.close()


def test_cancelling_the_dialog_changes_nothing(qtbot, run, runtime, poi_id, history):
    redeem(run, runtime, poi_id, 1)
    select_first(qtbot, history)
    history.undo_button.click()
    dialog = history.undo_dialog
    dialog.reject()
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert history.model.data(history.model.index(0, COL[Column.STATUS])) == "核销成功"


def test_export_covers_the_whole_range_not_the_page(qtbot, run, runtime, poi_id, history, tmp_path: Path):
    redeem(run, runtime, poi_id, 7)
    settle(qtbot, history)
    flt = history.model.filter
    expected, total = run(runtime.reports.list_verifications(flt, 1, 100))
    assert total == 7

    csv_path = tmp_path / "history.csv"
    with qtbot.waitSignal(history.exporter.finished, timeout=20_000):
        history.exporter.run(ExportKind.CSV, flt, csv_path)
    raw = csv_path.read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert [int(r["id"]) for r in rows] == [v["id"] for v in expected]
    assert [int(r["pay_amount"]) for r in rows] == [v["pay_amount"] for v in expected]

    xlsx_path = tmp_path / "history.xlsx"
    with qtbot.waitSignal(history.exporter.finished, timeout=20_000) as done:
        history.exporter.run(ExportKind.XLSX, flt, xlsx_path)
    assert done.args[1] == 7
    book = load_workbook(xlsx_path, read_only=True)
    sheet = book.worksheets[0]
    lines = list(sheet.iter_rows(values_only=True))
    header = lines[0]
    assert header[:4] == ("核销时间", "状态", "商品", "实付金额(元)")
    ids = [line[header.index("记录号")] for line in lines[1:]]
    assert ids == [v["id"] for v in expected]
    paid = [line[header.index("实付金额(元)")] for line in lines[1:]]
    assert paid == [v["pay_amount"] / 100 for v in expected]
    codes = [line[header.index("券码(后4位)")] for line in lines[1:]]
    assert all(c.startswith("****") and len(c) == 8 for c in codes)
    assert history.notice.text().startswith("已导出 7 条")


def test_export_dialog_is_not_modal_loop(qtbot, history):
    dialog = history.exporter.ask(history, ExportKind.XLSX, VerificationFilter(), history.export_name())
    assert dialog.isVisible()
    assert dialog.selectedFiles()[0].endswith(".xlsx")
    dialog.reject()


def test_header_and_alignment(qtbot, run, runtime, poi_id, history):
    model = history.model
    assert model.headerData(COL[Column.AMOUNT], Qt.Orientation.Horizontal) == "实付金额"
    assert not model.canFetchMore(QModelIndex()) or model.rowCount() == 0
    redeem(run, runtime, poi_id, 2)
    qtbot.waitUntil(lambda: model.rowCount() == 2)
    align = Qt.ItemDataRole.TextAlignmentRole
    right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    assert Qt.AlignmentFlag(model.headerData(COL[Column.AMOUNT], Qt.Orientation.Horizontal, align)) == right
    for row in range(2):
        amount = model.index(row, COL[Column.AMOUNT])
        assert model.data(amount).startswith("¥")
        assert Qt.AlignmentFlag(model.data(amount, align)) == right  # amounts line up by their last digit
        for column in COLUMNS:
            if column is not Column.AMOUNT:
                assert model.data(model.index(row, COL[column]), align) is None, column  # the style's left
    assert model.headerData(COL[Column.PRODUCT], Qt.Orientation.Horizontal, align) is None
    assert not model.canFetchMore(QModelIndex())  # two rows: one page, nothing more to fetch


def test_without_managers_a_cashier_undoes_without_a_pin(qtbot, run, runtime, poi_id):
    history = HistoryView(runtime, Session("小李", "cashier"))
    qtbot.addWidget(history)
    history.show()
    redeem(run, runtime, poi_id, 1, operator="小李")
    select_first(qtbot, history)
    history.undo_button.click()
    qtbot.waitUntil(lambda: history.undo_dialog is not None)
    assert not history.undo_dialog.approval.isVisible()  # the store set up no managers
    history.undo_dialog.confirm.click()
    qtbot.waitUntil(lambda: history.model.data(history.model.index(0, COL[Column.STATUS])) == "已撤销")
    settle(qtbot, history)
    history.close()


def test_today_follows_the_clock_past_midnight(qtbot):
    from datetime import date

    from app.reports.range_picker import RangePicker
    from gateway_core.ledger.timerange import as_tz

    days = [date(2026, 3, 16)]
    picker = RangePicker(as_tz("Asia/Shanghai"), today=lambda: days[0])
    qtbot.addWidget(picker)
    seen = []
    picker.range_changed.connect(lambda s, e: seen.append((s, e)))
    days[0] = date(2026, 3, 17)
    picker._check_day()
    assert picker.range() == (date(2026, 3, 17), date(2026, 3, 17))
    assert seen == [(date(2026, 3, 17), date(2026, 3, 17))]
    picker.set_range(date(2026, 3, 1), date(2026, 3, 5))  # a range chosen by hand stays
    days[0] = date(2026, 3, 18)
    picker._check_day()
    assert picker.range() == (date(2026, 3, 1), date(2026, 3, 5))


def test_hidden_history_reads_nothing_until_shown_again(qtbot, run, runtime, poi_id, desktop, monkeypatch):
    """At the counter, a redemption must not make the history query the ledger (it would compete
    with the next scan): the rows are updated in memory, the totals read when the page is shown."""
    from app.history.view import SUMMARY_DELAY_MS
    from app.main_window import COUNTER, HISTORY

    window = desktop.window
    window.show_page(HISTORY)
    history = window.page_widget(HISTORY)
    settle(qtbot, history)
    redeem(run, runtime, poi_id, 1)
    qtbot.waitUntil(lambda: "共 1 条" in history.summary.text())  # shown: live
    select_first(qtbot, history)
    qtbot.waitUntil(history._tick.isActive)  # the undo countdown
    settle(qtbot, history)

    window.show_page(COUNTER)
    assert not history.isVisible()
    assert not history._tick.isActive()
    reads: list[str] = []
    for name in ("summary", "list_verifications"):
        real = getattr(runtime.reports, name)

        async def counted(*args, _real=real, _name=name, **kwargs):
            reads.append(_name)
            return await _real(*args, **kwargs)

        monkeypatch.setattr(runtime.reports, name, counted)
    redeem(run, runtime, poi_id, 2)
    qtbot.waitUntil(lambda: history.model.rowCount() == 3)  # in memory, through the events
    qtbot.wait(SUMMARY_DELAY_MS + 400)
    assert reads == []
    assert not history._tick.isActive()
    assert "共 1 条" in history.summary.text()

    window.show_page(HISTORY)
    qtbot.waitUntil(lambda: "共 3 条" in history.summary.text())
    assert reads == ["summary"]
    assert len(shown(history)) == 3
    assert all(row.status == "success" for row in shown(history))
    assert history._tick.isActive()  # the selected row's countdown runs again
    settle(qtbot, history)
