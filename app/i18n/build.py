"""Refresh and compile the English catalogue: `python -m app.i18n.build [--check]`.

lupdate collects every tr()/translate() string of app/ into resources/translations/*.ts, keeping
translations already made; lrelease compiles the .qm the app loads. `--check` fails when a string
has no English yet (for CI), without writing anything.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from app.common.paths import resource

APP_DIR = Path(__file__).resolve().parents[1]
LANGUAGES = ("en",)


def tool(name: str) -> str:
    # the venv's own copy first: PySide6 ships lupdate/lrelease as console scripts
    here = Path(sys.executable).parent / name
    found = str(here) if here.exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found (it comes with PySide6)")
    return found


def sources() -> list[str]:
    return sorted(str(p) for p in APP_DIR.rglob("*.py") if "tools" not in p.parts)


def untranslated(ts: Path) -> list[str]:
    root = ET.parse(ts).getroot()
    missing = []
    for message in root.iter("message"):
        translation = message.find("translation")
        kind = translation.get("type") if translation is not None else "unfinished"
        if kind in {"unfinished"} and not (translation is not None and translation.text):
            source = message.findtext("source") or ""
            missing.append(source)
    return missing


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
        subprocess.run(
            [
                tool("pyside6-lupdate"),
                *sources(),
                "-no-obsolete",
                "-source-language",
                "zh_CN",
                "-target-language",
                lang,
                "-ts",
                str(ts),
            ],
            check=True,
        )
        subprocess.run([tool("pyside6-lrelease"), str(ts), "-qm", str(ts.with_suffix(".qm"))], check=True)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
