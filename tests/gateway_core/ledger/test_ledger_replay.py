"""Nonces (replayed signed requests) and idempotency keys."""

from __future__ import annotations

from typing import Any

import pytest

from gateway_core.ledger import Ledger


async def test_a_nonce_is_taken_once_within_ten_minutes(ledger: Ledger) -> None:
    t = 1_800_000_000.0
    assert await ledger.claim_nonce("ck", "n-12345678", t) is True
    assert await ledger.claim_nonce("ck", "n-12345678", t + 599) is False
    assert await ledger.claim_nonce("other", "n-12345678", t + 1) is True  # per client
    assert await ledger.claim_nonce("ck", "n-12345678", t + 601) is True  # outside the window again
    assert await ledger.claim_nonce("ck", "n-12345678", t + 602) is False


async def test_old_nonces_are_pruned(ledger: Ledger, db_path) -> None:
    import sqlite3

    t = 1_800_000_000.0
    for i in range(5):
        await ledger.claim_nonce("ck", f"old-{i:08d}", t)
    await ledger.claim_nonce("ck", "fresh-000", t + 700)  # over a minute later: prunes on the way
    conn = sqlite3.connect(db_path)
    assert [n for (n,) in conn.execute("SELECT nonce FROM nonces")] == ["fresh-000"]
    conn.close()


@pytest.fixture
async def app_id(ledger: Ledger) -> int:
    return (await ledger.ensure_builtin_app())["id"]


async def test_idempotency_states(ledger: Ledger, app_id: int) -> None:
    body: dict[str, Any] = {"data": {"id": 1, "verify_status": "success"}, "items": []}
    assert (await ledger.idempotency_begin(app_id, "req-1", "h1")).kind == "new"
    assert (await ledger.idempotency_begin(app_id, "req-1", "h1")).kind == "in_progress"
    assert (await ledger.idempotency_begin(app_id, "req-1", "h2")).kind == "mismatch"
    await ledger.idempotency_finish(app_id, "req-1", 200, body)
    done = await ledger.idempotency_begin(app_id, "req-1", "h1")
    assert (done.kind, done.status, done.body) == ("done", 200, body)
    assert (await ledger.idempotency_begin(app_id, "req-1", "h2")).kind == "mismatch"
    await ledger.idempotency_abandon(app_id, "req-1")  # only in-progress claims can be dropped
    assert (await ledger.idempotency_begin(app_id, "req-1", "h1")).kind == "done"


async def test_an_abandoned_claim_can_be_retried(ledger: Ledger, app_id: int) -> None:
    assert (await ledger.idempotency_begin(app_id, "req-2", "h")).kind == "new"
    await ledger.idempotency_abandon(app_id, "req-2")
    assert (await ledger.idempotency_begin(app_id, "req-2", "h")).kind == "new"


async def test_request_ids_are_per_app(ledger: Ledger, app_id: int) -> None:
    other = (await ledger.create_app("ERP", "erp"))["app"]["id"]
    assert (await ledger.idempotency_begin(app_id, "same", "h")).kind == "new"
    assert (await ledger.idempotency_begin(other, "same", "different")).kind == "new"
