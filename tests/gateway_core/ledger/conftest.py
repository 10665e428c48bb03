"""Ledger test set-up: a real SQLite file per test, a throwaway key."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from gateway_core.ledger import Ledger
from gateway_core.secretbox import SecretBox


@pytest.fixture
def box() -> SecretBox:
    return SecretBox(os.urandom(32), "test")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "ledger.sqlite3"


@pytest.fixture
async def ledger(db_path: Path, box: SecretBox) -> AsyncIterator[Ledger]:
    opened = await Ledger.open(db_path, box, store_id="store-1")
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture
async def counter_app(ledger: Ledger) -> dict[str, Any]:
    return await ledger.ensure_builtin_app()
