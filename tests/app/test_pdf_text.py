"""The PDF text layer: Chinese that shares a glyph with a radical reads as the ideograph."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtGui import QFont, QPdfWriter, QTextDocument

from app.common.theme import available_families
from app.reports.pdf_text import _rewrite_cmap, radical_twins, repair_text_layer

needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) needed")

TEXT = "核销日报 骨折 老街坊小馆 Total"  # 日 老 小 share a glyph with a Kangxi radical, 骨 with a supplement one


def cjk_font() -> QFont:
    font = QFont()
    font.setFamilies(available_families())
    font.setPointSizeF(10)
    return font


def document_of(text: str, font: QFont) -> QTextDocument:
    document = QTextDocument()
    document.setDefaultFont(font)
    document.setHtml(f"<p>{text}</p><p><b>{text}</b></p>")
    return document


def write(path: Path, document: QTextDocument) -> None:
    writer = QPdfWriter(str(path))
    document.print_(writer)
    del writer


def text_layer(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


@needs_pdftotext
@pytest.mark.parametrize("font", [cjk_font, QFont], ids=["app-font", "fallback-font"])
def test_radicals_become_the_documents_ideographs(qapp, tmp_path: Path, font) -> None:
    pdf = tmp_path / "r.pdf"
    document = document_of(TEXT, font())
    write(pdf, document)
    before = text_layer(pdf)
    if all(0x2E80 > ord(ch) or ord(ch) > 0x2FDF for ch in before):
        pytest.skip("this machine's CJK font gives Qt no radical twins to trip on")
    twins = radical_twins(document)
    assert twins[0x2F47] == "日"  # ⽇ (Kangxi radicals: NFKC would fold it)
    header = pdf.read_bytes()[:8]
    assert repair_text_layer(pdf, twins) >= 1
    assert pdf.read_bytes()[:8] == header  # the PDF version Qt wrote (pypdf's own would be 1.3)
    after = text_layer(pdf)
    assert after.count(TEXT) == 2  # regular and bold, exactly as written
    assert not [ch for ch in after if 0x2E80 <= ord(ch) <= 0x2FDF]


@needs_pdftotext
def test_a_face_that_draws_another_glyph_for_the_locale(qapp, tmp_path: Path) -> None:
    """Noto Sans CJK JP under a Chinese locale draws 门 with the glyph its cmap gives ⻔ (U+2ED4),
    not with 门's own: the drawn glyph is what the PDF embeds and what must be matched."""
    from PySide6.QtCore import QLocale
    from PySide6.QtGui import QFontDatabase

    if "Noto Sans CJK JP" not in QFontDatabase.families():
        pytest.skip("no Noto Sans CJK JP here")
    font = QFont("Noto Sans CJK JP")
    previous = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    try:
        document = document_of("门 日报", font)
        pdf = tmp_path / "jp.pdf"
        write(pdf, document)
        repair_text_layer(pdf, radical_twins(document))
        text = text_layer(pdf)
    finally:
        QLocale.setDefault(previous)
    assert "门" in text and "日报" in text
    assert not [ch for ch in text if 0x2E80 <= ord(ch) <= 0x2FDF]


def test_a_radical_the_document_really_contains_stays(qapp) -> None:
    assert 0x2F47 in radical_twins(document_of("日", cjk_font()))
    assert 0x2F47 not in radical_twins(document_of("⽇ 日", cjk_font()))


def test_only_radical_destinations_change() -> None:
    twins = {0x2F47: "日", 0x2F48: "曰"}
    cmap = (
        b"2 beginbfchar\n<2F47> <2F47>\n<0009> <00660069>\nendbfchar\n"  # a source equal to a radical; "fi"
        b"3 beginbfrange\n<0001> <0003> [<6838> <2F47> <0054>]\n<0004> <0004> <2F47>\n"
        b"<0010> <0013> <2F46>\nendbfrange\n"  # codes 10-13 -> U+2F46..2F49
    )
    out = _rewrite_cmap(cmap, twins)
    assert out == (
        b"2 beginbfchar\n<2F47> <65E5>\n<0009> <00660069>\nendbfchar\n"
        b"3 beginbfrange\n<0001> <0003> [<6838> <65E5> <0054>]\n<0004> <0004> [<65E5>]\n"
        b"<0010> <0013> [<2F46> <65E5> <66F0> <2F49>]\nendbfrange\n"
    )
    assert _rewrite_cmap(cmap, {}) == cmap
    assert _rewrite_cmap(b"1 beginbfrange\n<0010> <0011> <0041>\nendbfrange\n", twins).endswith(b"<0041>\nendbfrange\n")
