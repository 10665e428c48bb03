"""The text layer of a PDF written by Qt, so Chinese in it can be searched and copied.

A CJK font draws an ideograph and its radical form with one glyph (Noto CJK: 日 and ⽇ U+2F47,
骨 and ⻣ U+2EE3). Qt's PDF engine maps each embedded glyph back to the lowest code point the font
gives it, which is the radical: the day report's title read "核销⽇报" to search, copy-paste and
screen readers, and NFKC folds only the Kangxi block, not the radicals supplement. Here each
radical in a font's /ToUnicode map becomes the ideograph of the document's own text that the font
draws with the same glyph (pypdf rewrites the maps; nothing else in the file changes).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from PySide6.QtGui import QFont, QGlyphRun, QRawFont, QTextDocument, QTextLayout

RADICALS = range(0x2E80, 0x2FE0)  # CJK Radicals Supplement and Kangxi Radicals
_WEIGHTS = {w.value for w in QFont.Weight}
def _is_ideograph(ch: str) -> bool:
    cp = ord(ch)
    return 0x3400 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF or 0x20000 <= cp <= 0x3FFFF


def _glyph(raw: QRawFont, ch: str) -> int:
    glyphs = raw.glyphIndexesForString(ch)  # one per UTF-16 unit: a pair for U+20000 and above
    return glyphs[0] if len(glyphs) == 1 else 0


def _runs(layout: QTextLayout) -> Iterator[QGlyphRun]:
    for i in range(layout.lineCount()):
        yield from layout.lineAt(i).glyphRuns()  # (the layout's own list is empty for a document's)


def _drawn(document: QTextDocument) -> list[tuple[QRawFont, dict[int, str]]]:
    """Per face that draws the document's ideographs: glyph drawn -> ideograph.

    The glyph drawn, not the font's default one for the character: shaping applies the face's
    locale forms (Noto Sans CJK JP under a Chinese locale draws 门 with the glyph its cmap gives
    ⻔), and the drawn glyphs are what the PDF embeds. Each ideograph is laid out alone in each
    weight the document uses: Qt's glyph runs do not say reliably which character a glyph drew."""
    document.pageCount()  # laid out
    weights: set[int] = set()
    block = document.begin()
    while block.isValid():
        if block.layout() is not None:
            weights.update(run.rawFont().weight() for run in _runs(block.layout()))
        block = block.next()
    ideographs = sorted({ch for ch in document.toPlainText() if _is_ideograph(ch)})
    faces: dict[tuple[str, str, int], tuple[QRawFont, dict[int, str]]] = {}
    for weight in sorted(weights):
        font = QFont(document.defaultFont())
        font.setWeight(QFont.Weight(weight) if weight in _WEIGHTS else QFont.Weight.Normal)
        for ch in ideographs:
            layout = QTextLayout(ch, font)
            layout.beginLayout()
            layout.createLine()
            layout.endLayout()
            for run in _runs(layout):
                raw, glyphs = run.rawFont(), run.glyphIndexes()
                if raw.isValid() and len(glyphs) == 1:
                    key = (raw.familyName(), raw.styleName(), raw.weight())
                    faces.setdefault(key, (raw, {}))[1].setdefault(glyphs[0], ch)
    return list(faces.values())


def radical_twins(document: QTextDocument) -> dict[int, str]:
    """Radical code point -> the ideograph of the document whose drawn glyph is the radical's own
    glyph in the same face. A radical the document itself contains keeps its own code point."""
    present = set(document.toPlainText())
    twins: dict[int, str] = {}
    for raw, drawn in _drawn(document):
        if not drawn:
            continue
        for cp in RADICALS:
            if cp in twins or chr(cp) in present:
                continue
            twin = drawn.get(_glyph(raw, chr(cp)) or -1)
            if twin is not None:
                twins[cp] = twin
    return twins


def _utf16_hex(ch: str) -> bytes:
    return ch.encode("utf-16-be").hex().upper().encode("ascii")


_BLOCK = re.compile(rb"(begin(bfchar|bfrange)\b)(.*?)(\bendbf(?:char|range))", re.S)
_RANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(?:<([0-9A-Fa-f]+)>|\[([^\]]*)\])")
_CHAR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
_TOKEN = re.compile(rb"<([0-9A-Fa-f]+)>")


def _destination(hex_digits: bytes, twins: Mapping[int, str]) -> bytes:
    """One destination string (UTF-16BE hex): its twin when it is one radical, else unchanged."""
    try:
        text = bytes.fromhex(hex_digits.decode("ascii")).decode("utf-16-be")
    except (ValueError, UnicodeDecodeError):
        return hex_digits
    if len(text) == 1 and ord(text) in twins:
        return _utf16_hex(twins[ord(text)])
    return hex_digits


def _range_entry(m: re.Match[bytes], twins: Mapping[int, str]) -> bytes:
    lo, hi, start, array = m.group(1), m.group(2), m.group(3), m.group(4)
    if array is not None:
        items = _TOKEN.sub(lambda t: b"<" + _destination(t.group(1), twins) + b">", array)
        return b"<" + lo + b"> <" + hi + b"> [" + items + b"]"
    assert start is not None
    count = int(hi, 16) - int(lo, 16) + 1
    first = int(start, 16)
    # <lo> <hi> <start>: code lo+i maps to start+i. One radical inside the run turns it into the
    # explicit array form, so rewriting it leaves the codes after it where they were.
    if len(start) != 4 or not 0 < count <= 256 or not any(first + i in twins for i in range(count)):
        return m.group(0)
    items = b" ".join(b"<" + _destination(b"%04X" % (first + i), twins) + b">" for i in range(count))
    return b"<" + lo + b"> <" + hi + b"> [" + items + b"]"


def _rewrite_cmap(data: bytes, twins: Mapping[int, str]) -> bytes:
    """The destinations of a /ToUnicode CMap's bfchar and bfrange entries; source codes (glyph
    ids) are never touched."""

    def block(m: re.Match[bytes]) -> bytes:
        body = m.group(3)
        if m.group(2) == b"bfchar":
            body = _CHAR.sub(lambda c: b"<" + c.group(1) + b"> <" + _destination(c.group(2), twins) + b">", body)
        else:
            body = _RANGE.sub(lambda r: _range_entry(r, twins), body)
        return m.group(1) + body + m.group(4)

    return _BLOCK.sub(block, data) if twins else data


def _fonts(pages: Iterable[Any]) -> Iterator[Any]:
    """Each font of the pages once (pages share their fonts)."""
    seen: set[int] = set()
    for page in pages:
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources is not None else None
        if fonts is None:
            continue
        for ref in fonts.get_object().values():
            font = ref.get_object()
            if id(font) not in seen:
                seen.add(id(font))
                yield font


def repair_text_layer(path: Path, twins: Mapping[int, str]) -> int:
    """Rewrite the radicals of every /ToUnicode map in the PDF at `path`; returns how many maps
    changed (0: the file is left untouched)."""
    if not twins:
        return 0
    from pypdf import PdfReader, PdfWriter

    # Read into memory first: the file is written over below.
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    writer = PdfWriter(clone_from=reader)
    writer.pdf_header = reader.pdf_header  # pypdf would write %PDF-1.3; Qt's file is 1.4 (SMask)
    changed = 0
    for font in _fonts(writer.pages):
        ref = font.get("/ToUnicode")
        if ref is None:
            continue
        stream = ref.get_object()
        before = stream.get_data()
        after = _rewrite_cmap(before, twins)
        if after != before:
            stream.set_data(after)  # compressed again as Qt wrote it (FlateDecode)
            changed += 1
    if changed:
        with path.open("wb") as out:
            writer.write(out)
    return changed
