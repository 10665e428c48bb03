"""Fonts and the style sheet. Chinese must render on every desktop the counter may run on."""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

from app.common.paths import resource

log = logging.getLogger(__name__)

# First match wins: Windows, macOS, then Linux (Noto CJK / WenQuanYi), then any sans.
FONT_FAMILIES = [
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "Noto Sans",
    "DejaVu Sans",
]


def available_families() -> list[str]:
    installed = set(QFontDatabase.families())
    found = [f for f in FONT_FAMILIES if f in installed]
    if not any(f in installed for f in FONT_FAMILIES[:7]):
        log.warning("no CJK font found among %s: Chinese may render as boxes", FONT_FAMILIES[:7])
    return found or FONT_FAMILIES


def apply_theme(app: QApplication) -> None:
    app.setWindowIcon(QIcon(str(resource("icons", "dy-verifier.png"))))
    app.setStyle("Fusion")  # the same look everywhere; native styles ignore parts of the sheet
    font = QFont()
    font.setFamilies(available_families())
    font.setPixelSize(15)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    app.setFont(font)
    try:
        app.setStyleSheet(resource("style", "app.qss").read_text(encoding="utf-8"))
    except OSError:
        log.exception("style sheet missing: continuing with the plain style")
