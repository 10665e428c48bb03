"""The English catalogue: one fill for both glossaries, each in its own contexts; the shipped
catalogue up to date with them; the demo cashier and coupon counts read naturally in English."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTranslator

from app.common.paths import resource
from app.i18n.build import all_contexts, contexts_in, fill, fill_glossaries, untranslated

SHIPPED_TS = resource("translations", "dy_verifier_en.ts")
SHIPPED_QM = resource("translations", "dy_verifier_en.qm")

TWO_CONTEXTS = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>CounterResult</name>
    <message>
        <location filename="../../app/cashier/results.py" line="98"/>
        <source>核销失败</source>
        <translation>Not redeemed</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/cashier/coupon_card.py" line="72"/>
        <source>张</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>history</name>
    <message>
        <location filename="../../app/history/formatting.py" line="32"/>
        <source>核销失败</source>
        <translation>Not redeemed</translation>
    </message>
    <message>
        <location filename="../../app/history/formatting.py" line="33"/>
        <source>已撤销</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
"""


def test_fill_writes_only_into_the_contexts_it_is_given(tmp_path: Path) -> None:
    ts = tmp_path / "two.ts"
    ts.write_text(TWO_CONTEXTS, encoding="utf-8")
    history = contexts_in(ts, ["history", "reports"])
    assert history == {"history"}
    assert all_contexts(ts) - history == {"CounterResult"}

    changed, missing = fill(ts, {"核销失败": "Failed"}, history)
    assert (changed, missing) == (1, ["已撤销"])
    text = ts.read_text(encoding="utf-8")
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
    assert text.count("<translation>Not redeemed</translation>") == 1  # the counter's, untouched
    assert text.count("<translation>Failed</translation>") == 1

    changed, missing = fill(ts, {"核销失败": "Not redeemed", "张": ("coupon", "coupons")}, {"CounterResult"})
    assert (changed, missing) == (1, [])
    assert "<numerusform>coupon</numerusform>" in ts.read_text(encoding="utf-8")
    assert untranslated(ts) == ["已撤销"]


def test_the_shipped_catalogue_is_up_to_date_with_the_glossaries(tmp_path: Path) -> None:
    copy = tmp_path / "dy_verifier_en.ts"
    shutil.copy(SHIPPED_TS, copy)
    assert fill_glossaries(copy) == []  # every string has English
    assert copy.read_bytes() == SHIPPED_TS.read_bytes()  # and it is the glossaries' (rebuild: python -m app.i18n.build)
    assert untranslated(SHIPPED_TS) == []


def test_the_shipped_qm_translates_each_context_its_own_way(qapp: Any) -> None:
    translator = QTranslator()
    assert translator.load(str(SHIPPED_QM))
    QCoreApplication.installTranslator(translator)
    try:
        translate = QCoreApplication.translate
        assert translate("CounterResult", "核销失败") == "Not redeemed"
        assert translate("history", "核销失败") == "Failed"  # the history's status column
        assert translate("reports", "失败") == "Failed"
        assert translate("HistoryView", "刷新") == "Refresh"  # the history screens ship in English too
        assert translate("RangePicker", "今天") == "Today"
        assert translate("Session", "练习收银员") == "Practice cashier"
        assert translate("CounterResult", "1 张") == "1 coupon"
        assert translate("CounterResult", "{n} 张") == "{n} coupons"
        assert translate("CouponCard", "张", None, 1) == "coupon"
        assert translate("CouponCard", "张", None, 3) == "coupons"
    finally:
        QCoreApplication.removeTranslator(translator)
    assert QCoreApplication.translate("CouponCard", "张", None, 3) == "张"


def test_the_demo_cashier_is_shown_in_english_but_written_in_chinese(qtbot, desktop, runtime, run) -> None:
    from app.common.session import DEMO_CASHIER
    from gateway_core.ledger import VerificationFilter
    from tests.app.test_counter import press, scan, wait_phase, wait_result

    # The catalogue alone, not install_language("en"): that also makes English the default locale,
    # after which Qt's fallback font for Chinese text in this process is the Japanese variant (the
    # day report's PDF test then finds radicals in its text layer).
    translator = QTranslator()
    assert translator.load(str(SHIPPED_QM))
    QCoreApplication.installTranslator(translator)
    try:
        desktop.session.switch(DEMO_CASHIER, "manager")
        assert desktop.window.cashier_label.text() == "On duty: Practice cashier (Manager)"
        party = runtime.sandbox.state.coupon(tag="party-of-4", state="usable")
        scan(desktop, party.short_link)
        wait_phase(qtbot, desktop, "card")
        card = desktop.counter.card
        assert card.unit.text() == "coupon"
        press(desktop, Qt.Key.Key_Plus)
        qtbot.waitUntil(lambda: card.unit.text() == "coupons")
        press(desktop, Qt.Key.Key_Minus)
        qtbot.waitUntil(lambda: card.unit.text() == "coupon")
        press(desktop, Qt.Key.Key_Return)
        result = wait_result(qtbot, desktop, "success")
        assert result.reason.startswith("1 coupon · ")

        from app.history.columns import COLUMNS, Column
        from app.main_window import COUNTER, HISTORY

        desktop.window.show_page(HISTORY)
        history = desktop.window.page_widget(HISTORY)
        qtbot.waitUntil(lambda: history.model.rowCount() == 1 and not history.busy, timeout=10_000)
        cashier = history.model.index(0, COLUMNS.index(Column.CASHIER))
        assert history.model.data(cashier) == "Practice cashier"
        qtbot.waitUntil(lambda: history.filters.cashier.count() == 2, timeout=10_000)
        choice = history.filters.cashier
        # shown translated, filtering by the stored name
        assert (choice.itemText(1), choice.itemData(1)) == ("Practice cashier", DEMO_CASHIER)
        desktop.window.show_page(COUNTER)
    finally:
        QCoreApplication.removeTranslator(translator)
    views, _total = run(runtime.reports.list_verifications(VerificationFilter(), 1, 10))
    assert [v["operator"] for v in views] == [DEMO_CASHIER]  # the ledger keeps the stored name
    desktop.session.switch(DEMO_CASHIER, "manager")
    assert desktop.window.cashier_label.text() == f"当前:{DEMO_CASHIER}(店长)"
