"""The frozen Linux bundle builds and passes its self-test: packaging/check-bundle, run as a test.

It builds with PyInstaller (about a minute on 2 cores, 2-3 with other load) and then runs the
bundle from an empty environment. CI runs it (CI=true); locally it is skipped unless
DYV_BUNDLE_TEST=1, and DYV_BUNDLE_TEST=0 turns it off in CI too.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def bundle_test_wanted(environ: os._Environ[str] | dict[str, str] = os.environ) -> bool:
    explicit = environ.get("DYV_BUNDLE_TEST")
    if explicit is not None:
        return explicit.strip().lower() not in {"", "0", "false", "no"}
    return environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="check-bundle checks the Linux bundle"),
    pytest.mark.skipif(
        not bundle_test_wanted(),
        reason="builds the PyInstaller bundle (1-3 min): runs when CI=true or DYV_BUNDLE_TEST=1",
    ),
]


@pytest.mark.timeout(900)
def test_bundle_builds_and_passes_its_self_test():
    result = subprocess.run(
        [str(REPO / "packaging" / "check-bundle")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=880,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    summary = [line for line in result.stdout.splitlines() if line.startswith("check-bundle ok: ")]
    assert summary, output[-6000:]
    print(summary[-1])  # shown with -rP or -s: the size and timings of this build
