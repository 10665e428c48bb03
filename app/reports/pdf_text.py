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

from PySide6.QtGui import QRawFont, QTextDocument

RADICALS = range(0x2E80, 0x2FE0)  # CJK Radicals Supplement and Kangxi Radicals
def _is_ideograph(ch: str) -> bool:
    cp = ord(ch)
    return 0x3400 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF or 0x20000 <= cp <= 0x3FFFF


def _glyph(raw: QRawFont, ch: str) -> int:
    glyphs = raw.glyphIndexesForString(ch)  # one per UTF-16 unit: a pair for U+20000 and above
    return glyphs[0] if len(glyphs) == 1 else 0


def _faces(document: QTextDocument) -> list[QRawFont]:
    """Every font face that draws the document: its fonts, bold and sizes included, and Qt's
    fallbacks for what they lack (a Chinese fallback differs per weight and per locale)."""
    document.pageCount()  # laid out
    faces: dict[tuple[str, str, int], QRawFont] = {}
    block = document.begin()
    while block.isValid():
        layout = block.layout()
        for i in range(layout.lineCount() if layout is not None else 0):
            for run in layout.lineAt(i).glyphRuns():  # (the layout's own glyphRuns() is empty here)
                raw = run.rawFont()
                if raw.isValid():
                    faces.setdefault((raw.familyName(), raw.styleName(), raw.weight()), raw)
        block = block.next()
    return list(faces.values())


def radical_twins(document: QTextDocument) -> dict[int, str]:
    """Radical code point -> the ideograph of the document drawn with the same glyph in one of
    the faces that draw it. A radical the document itself contains keeps its own code point."""
    text = document.toPlainText()
    present = set(text)
    ideographs = sorted(ch for ch in present if _is_ideograph(ch))
    twins: dict[int, str] = {}
    if not ideographs:
        return twins
    for raw in _faces(document):
        # Glyph 0 is "no glyph". (QRawFont.supportsCharacter said False for 生 in Noto Sans CJK JP,
        # whose cmap has it: glyph indexes are what the PDF engine uses.)
        by_glyph = {glyph: ch for ch in ideographs if (glyph := _glyph(raw, ch))}
        for cp in RADICALS:
            if cp in twins or chr(cp) in present:
                continue
            twin = by_glyph.get(_glyph(raw, chr(cp)) or -1)
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
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(path.read_bytes())))
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
