"""Shared test set-up: Qt offscreen before any QApplication, samples folder, no real keyring."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "tests" / "samples"


@pytest.fixture
def samples_dir() -> Path:
    return SAMPLES
