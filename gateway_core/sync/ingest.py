"""The head office's door for stores' ledgers: `POST /v1/internal/sync/verifications` (contract §6).

This module checks the envelope and the batch's bounds; the ledger checks every record and writes
the batch in one transaction, so a malformed batch is refused whole and nothing of it is written.
"""

from __future__ import annotations

from typing import Any

from gateway_core.ledger import Ledger, LedgerValidation
from gateway_core.service.errors import invalid_request

# A batch must fit the server's 64 KiB body limit anyway; this bound only keeps a batch of tiny
# (or empty) objects from holding the head office's writer for long.
MAX_BATCH_RECORDS = 1000
MAX_STORE_ID_LENGTH = 64


def _check_store_id(value: Any) -> str | None:
    """The reason `value` is no usable store id, or None."""
    if not isinstance(value, str):
        return "required, a string"
    if not value or value != value.strip():
        return "must be non-empty, without leading or trailing spaces"
    if len(value) > MAX_STORE_ID_LENGTH:
        return f"at most {MAX_STORE_ID_LENGTH} characters"
    if not value.isprintable():
        return "must not contain control characters"
    return None


def check_envelope(body: Any, own_store_id: str | None = None) -> tuple[str, list[Any]]:
    """(store_id, records) of a well-formed envelope; raises 400 invalid_request otherwise."""
    if not isinstance(body, dict):
        raise invalid_request({"body": "must be a JSON object"}, "malformed sync batch")
    errors: dict[str, str] = {}
    store_id = body.get("store_id")
    reason = _check_store_id(store_id)
    if reason:
        errors["store_id"] = reason
    elif own_store_id is not None and store_id == own_store_id:
        # A store syncing into itself would list every row twice (once local, once "remote").
        errors["store_id"] = "is this server's own store id: a store cannot sync into itself"
    records = body.get("records")
    if not isinstance(records, list):
        errors["records"] = "required, a list of VerificationView objects"
    elif len(records) > MAX_BATCH_RECORDS:
        errors["records"] = f"at most {MAX_BATCH_RECORDS} records per batch"
    if errors:
        raise invalid_request(errors, "malformed sync batch")
    assert isinstance(store_id, str) and isinstance(records, list)
    return store_id, records


async def ingest_batch(ledger: Ledger, body: Any, *, own_store_id: str | None = None) -> dict[str, int]:
    """Validate and upsert one store's batch; `{"accepted": n, "stale": m}`.

    Raises ServiceError 400 with `fields` naming each bad record and field (`records[3].updated_at`)
    and writes nothing when any record is malformed.
    """
    store_id, records = check_envelope(body, own_store_id)
    if not records:
        return {"accepted": 0, "stale": 0}
    try:
        accepted, stale = await ledger.ingest(store_id, records)
    except LedgerValidation as exc:
        raise invalid_request(exc.errors, "malformed sync batch: nothing was written") from exc
    return {"accepted": accepted, "stale": stale}
