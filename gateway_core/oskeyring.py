"""The OS keyring's backend, found without loading backends this system cannot run.

keyring finds its backend by importing every one it knows and asking each for its priority. Its
macOS backend imports an API module that calls ctypes.util.find_library three times at import;
on Linux each call spawns ldconfig, then gcc and ld: about 60 ms of subprocesses in every start
of the desktop (measured on the 2-core test machine), for a backend whose priority check refuses
any system but macOS. Marking that module as missing (None in sys.modules) makes keyring's own
`except Exception` around it take the path it takes on a broken macOS install, and the backend
reports itself unusable as before.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

_MACOS_API = "keyring.backends.macOS.api"


def get_keyring() -> KeyringBackend:
    """keyring.get_keyring(): the configured or detected backend (detected once per process)."""
    if sys.platform != "darwin":
        sys.modules.setdefault(_MACOS_API, None)  # type: ignore[arg-type]
    import keyring

    return keyring.get_keyring()
