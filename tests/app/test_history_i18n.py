"""Every string of the history and day report screens goes through tr() and has English."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator

from app.history.columns import COLUMNS, Column, header_text
from app.history.i18n_en import private_catalogue
from app.history.undo_gate import undo_state


def test_every_string_has_english(tmp_path: Path):
    _qm, missing = private_catalogue(tmp_path)
    assert missing == []


def test_the_catalogue_translates_module_and_widget_strings(qapp, tmp_path: Path):
    qm, _missing = private_catalogue(tmp_path)
    translator = QTranslator()
    assert translator.load(str(qm))
    QCoreApplication.installTranslator(translator)
    try:
        assert header_text(Column.AMOUNT) == "Paid"
        assert undo_state(None, None, None).text == "Select a redeemed row to undo it"  # type: ignore[arg-type]
        from app.reports.range_picker import RangePicker
        from gateway_core.ledger.timerange import as_tz

        picker = RangePicker(as_tz("Asia/Shanghai"))
        assert [b.text() for b in picker.buttons.values()] == ["Today", "Yesterday", "This week", "This month"]
        assert len(COLUMNS) == 9
    finally:
        QCoreApplication.removeTranslator(translator)
    assert header_text(Column.AMOUNT) == "实付金额"
