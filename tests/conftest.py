"""Shared test set-up: Qt offscreen before any QApplication, samples folder, no real keyring.

No real keyring: every test runs with an in-memory keyring (`keyring_memory`, autouse, the one
fixture of that name in the suite; tests that need another backend install it on top), and child
processes inherit PYTHON_KEYRING_BACKEND=keyring.backends.null.Keyring (set here, whatever it was).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring_memory import MemoryKeyring

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "tests" / "samples"


@pytest.fixture
def samples_dir() -> Path:
    return SAMPLES


@pytest.fixture(autouse=True)
def keyring_memory() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)
