"""Languages: 简体中文 (the source language of every string) and English (Qt Linguist .qm).

Source strings in the code are Chinese, so zh_CN needs no catalogue of ours; English comes from
resources/translations/dy_verifier_en.qm, built from the .ts file by `pyside6-lrelease`
(`python -m app.i18n.build`). Qt's own strings (OK/Cancel buttons) come from Qt's qtbase catalogues.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from app.common.paths import resource

log = logging.getLogger(__name__)

LANGUAGES: dict[str, str] = {"zh_CN": "简体中文", "en": "English"}
DEFAULT_LANGUAGE = "zh_CN"
CATALOGUE = "dy_verifier"

_current = DEFAULT_LANGUAGE
# QCoreApplication does not own installed translators: keep them alive here.
_installed: list[QTranslator] = []


def translations_dir() -> Path:
    return resource("translations")


def current_language() -> str:
    return _current


def is_english() -> bool:
    return _current == "en"


def install_language(language: str) -> str:
    """Load `language` into the running application; unknown names fall back to Chinese."""
    global _current
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("create the QApplication before installing a language")
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    language = language if language in LANGUAGES else DEFAULT_LANGUAGE
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt_base = QTranslator()
    if qt_base.load(f"qtbase_{language}", qt_dir):
        app.installTranslator(qt_base)
        _installed.append(qt_base)
    if language != DEFAULT_LANGUAGE:
        ours = QTranslator()
        if ours.load(f"{CATALOGUE}_{language}", str(translations_dir())):
            app.installTranslator(ours)
            _installed.append(ours)
        else:
            log.warning("no %s catalogue in %s; showing Chinese", language, translations_dir())
            language = DEFAULT_LANGUAGE
    QLocale.setDefault(QLocale(QLocale.Language.English if language == "en" else QLocale.Language.Chinese))
    _current = language
    return language


def tr(context: str, text: str) -> str:
    """Translate a string outside a QObject (module-level labels)."""
    return QCoreApplication.translate(context, text)
