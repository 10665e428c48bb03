"""What the PyInstaller spec leaves out must stay unused by our code."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO / "packaging" / "dy-verifier.spec"

# What each dropped run-time hook makes work in a frozen program, as code would spell it.
NEEDS = {
    "pyi_rth_multiprocessing": re.compile(r"\bmultiprocessing\b|ProcessPoolExecutor"),
    "pyi_rth_pkgutil": re.compile(r"\bpkgutil\b"),
}


def dropped_hooks() -> tuple[str, ...]:
    match = re.search(r"^UNUSED_RUNTIME_HOOKS = \(([^)]*)\)", SPEC.read_text(encoding="utf-8"), re.MULTILINE)
    assert match, "UNUSED_RUNTIME_HOOKS not found in the spec"
    return tuple(re.findall(r'"([^"]+)"', match.group(1)))


def test_every_dropped_hook_is_checked_here() -> None:
    assert set(dropped_hooks()) <= set(NEEDS), "say here what the newly dropped hook is needed for"


def test_our_code_uses_nothing_the_dropped_hooks_provide() -> None:
    sources = [p for pkg in ("app", "gateway_core") for p in (REPO / pkg).rglob("*.py")]
    assert len(sources) > 50
    for hook in dropped_hooks():
        users = [str(p.relative_to(REPO)) for p in sources if NEEDS[hook].search(p.read_text(encoding="utf-8"))]
        assert users == [], f"{hook} is left out of the bundle, but {users} need it: keep the hook"
