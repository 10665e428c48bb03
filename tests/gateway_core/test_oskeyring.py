"""Backend detection without the macOS backend's library probing, off macOS.

Each case runs in a fresh interpreter: keyring detects its backend once per process, and the
suite's conftest installs an in-memory backend in this one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "darwin", reason="the native backend probes are the point there")

PROBE = """
import ctypes.util, json, sys
calls = []
real = ctypes.util.find_library
ctypes.util.find_library = lambda name: calls.append(name) or real(name)
if sys.argv[1] == "ours":
    from gateway_core.oskeyring import get_keyring
    backend = get_keyring()
else:
    import keyring
    backend = keyring.get_keyring()
import keyring.backends.macOS as mac
try:
    mac.Keyring.priority
    usable = True
except Exception:
    usable = False
cls = type(backend)
print(json.dumps({"calls": calls, "backend": f"{cls.__module__}.{cls.__qualname__}", "mac_usable": usable}))
"""


def detect(how: str, tmp_path: Path) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHON_KEYRING_BACKEND"}
    env["XDG_CONFIG_HOME"] = str(tmp_path)  # no keyringrc.cfg: real detection, not a configured name
    env["XDG_DATA_HOME"] = str(tmp_path)
    out = subprocess.run(
        [sys.executable, "-c", PROBE, how], capture_output=True, text=True, env=env, timeout=60, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_detection_skips_the_macos_library_probes_and_finds_the_same_backend(tmp_path: Path) -> None:
    plain = detect("plain", tmp_path)
    ours = detect("ours", tmp_path)
    assert plain["calls"], "keyring itself probes for the macOS libraries (else this test proves nothing)"
    assert ours["calls"] == []
    assert ours["backend"] == plain["backend"]
    assert ours["mac_usable"] is False
