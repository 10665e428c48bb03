"""Real ledgers in tmp_path and a real aiohttp receiver on 127.0.0.1 in front of a head office's."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from gateway_core.ledger import Ledger
from tests.gateway_core.sync.support import Receiver, open_ledger


@pytest.fixture
async def store_ledger(tmp_path: Path) -> AsyncIterator[Ledger]:
    ledger = await open_ledger(tmp_path / "store.sqlite3", "store-a")
    yield ledger
    await ledger.close()


@pytest.fixture
async def office_ledger(tmp_path: Path) -> AsyncIterator[Ledger]:
    ledger = await open_ledger(tmp_path / "office.sqlite3", "head-office")
    yield ledger
    await ledger.close()


@pytest.fixture
async def receiver(office_ledger: Ledger) -> AsyncIterator[Receiver]:
    rx = await Receiver(office_ledger).start()
    yield rx
    await rx.stop()
