"""Refresh and compile the English catalogue: `python -m app.i18n.build [--check]`.

lupdate collects every tr()/translate() string of app/ into resources/translations/*.ts, keeping
translations already made; `fill` then writes the English of the two glossaries into it, each in
the contexts it owns (app/history/i18n_en.py: the history and day report screens; app/tools/
en_glossary.py: everything else), so one Chinese string can read differently in two places
("核销失败" is "Not redeemed" on the counter, "Failed" in the history's status column); lrelease
compiles the .qm the app loads. `--check` fails when a string has no English yet (for CI),
without writing anything.

A glossary entry is the truth for its contexts: a translation in the .ts that differs is replaced.
A numerus message (`self.tr("…", None, n)`) takes a (singular, plural) pair.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path

from app.common.paths import resource

APP_DIR = Path(__file__).resolve().parents[1]
LANGUAGES = ("en",)

GONE = {"vanished", "obsolete"}  # messages no longer in the code
English = str | tuple[str, str]  # a numerus message: (singular, plural)
Glossary = Mapping[str, English]


def tool(name: str) -> str:
    # the venv's own copy first: PySide6 ships lupdate/lrelease as console scripts
    here = Path(sys.executable).parent / name
    found = str(here) if here.exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found (it comes with PySide6)")
    return found


def sources() -> list[str]:
    return sorted(str(p) for p in APP_DIR.rglob("*.py") if "tools" not in p.parts)


def _english(translation: ET.Element | None) -> English | None:
    """The English a message's <translation> holds (lrelease compiles unfinished ones too), or None."""
    if translation is None or translation.get("type") in GONE:
        return None
    forms = translation.findall("numerusform")
    if forms:
        texts = tuple(f.text or "" for f in forms)
        return (texts[0], texts[1]) if len(texts) == 2 and all(texts) else None
    return translation.text or None


def _set_english(message: ET.Element, english: English) -> None:
    translation = message.find("translation")
    if translation is None:
        translation = ET.SubElement(message, "translation")
    if message.get("numerus") == "yes":
        if not isinstance(english, tuple):
            raise ValueError(f"{message.findtext('source')!r} is a numerus message: give (singular, plural)")
        forms = translation.findall("numerusform")
        while len(forms) < len(english):
            forms.append(ET.SubElement(translation, "numerusform"))
        for form, text in zip(forms, english, strict=False):
            form.text = text
    else:
        if isinstance(english, tuple):
            raise ValueError(f"{message.findtext('source')!r} is not a numerus message: give one string")
        translation.text = english
    translation.attrib.pop("type", None)


def _contexts(root: ET.Element) -> Iterable[tuple[str, ET.Element]]:
    for context in root.iter("context"):
        yield context.findtext("name") or "", context


def contexts_in(ts: Path, packages: Iterable[str]) -> set[str]:
    """The contexts with a message located in one of app/<package>/."""
    folders = [f"app/{p}/" for p in packages]
    return {
        name
        for name, context in _contexts(ET.parse(ts).getroot())
        for location in context.iter("location")
        if any(folder in location.get("filename", "") for folder in folders)
    }


def all_contexts(ts: Path) -> set[str]:
    return {name for name, _context in _contexts(ET.parse(ts).getroot())}


def fill(ts: Path, glossary: Glossary, contexts: Collection[str]) -> tuple[int, list[str]]:
    """Write `glossary`'s English into the messages of `contexts` (the glossary wins where the .ts
    says otherwise); other contexts are left alone. (messages changed, sources still without English)."""
    tree = ET.parse(ts)
    changed, missing = 0, []
    for name, context in _contexts(tree.getroot()):
        if name not in contexts:
            continue
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            translation = message.find("translation")
            if translation is not None and translation.get("type") in GONE:
                continue
            if source in glossary:
                if _english(translation) != glossary[source] or translation is None or translation.get("type"):
                    _set_english(message, glossary[source])
                    changed += 1
            elif _english(translation) is None:
                missing.append(source)
    if changed:
        _write(tree, ts)
    return changed, missing


def _write(tree: ET.ElementTree, ts: Path) -> None:
    # as lupdate writes it (ElementTree would drop the doctype and quote the declaration its way)
    body = ET.tostring(tree.getroot(), encoding="unicode")
    ts.write_text(f'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n{body}\n', encoding="utf-8")


def fill_glossaries(ts: Path) -> list[str]:
    """Each glossary into the contexts it owns; the sources still without English."""
    from app.history import i18n_en
    from app.tools import en_glossary

    screens = contexts_in(ts, i18n_en.PACKAGES)
    _n, missing = fill(ts, en_glossary.EN, all_contexts(ts) - screens)
    _n, missing_screens = fill(ts, i18n_en.EN, screens)
    return missing + missing_screens


def untranslated(ts: Path) -> list[str]:
    missing = []
    for message in ET.parse(ts).getroot().iter("message"):
        translation = message.find("translation")
        if (translation is None or translation.get("type") not in GONE) and _english(translation) is None:
            missing.append(message.findtext("source") or "")
    return missing


def lupdate(ts: Path, lang: str) -> None:
    command = [tool("pyside6-lupdate"), *sources(), "-no-obsolete", "-source-language", "zh_CN",
               "-target-language", lang, "-ts", str(ts)]  # fmt: skip
    subprocess.run(command, check=True)


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__).parse_known_args(argv)[1]
    check = "--check" in args
    status = 0
    for lang in LANGUAGES:
        ts = resource("translations", f"dy_verifier_{lang}.ts")
        if check:
            missing = untranslated(ts)
            if missing:
                print(f"{ts.name}: {len(missing)} strings without a translation, e.g. {missing[:3]}")
                status = 1
            continue
        ts.parent.mkdir(parents=True, exist_ok=True)
        lupdate(ts, lang)
        if lang == "en":
            missing = fill_glossaries(ts)
            if missing:
                print(f"{ts.name}: {len(missing)} strings without English in the glossaries, e.g. {missing[:3]}")
                status = 1
            lupdate(ts, lang)  # back to lupdate's own layout, so the next run changes nothing
        subprocess.run([tool("pyside6-lrelease"), str(ts), "-qm", str(ts.with_suffix(".qm"))], check=True)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
