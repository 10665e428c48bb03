"""Type checks for verification fields, shared by our own writes and the head office's ingest.

SQLite would quietly store "12" in an INTEGER column as 12 and "abc" as text; the contract
promises ints as ints and one time format, so values are checked before they reach it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from gateway_core.clock import iso, parse_iso
from gateway_core.ledger.models import COUPON_STATUSES, ENRICHMENT_STATUSES, MODES, VERIFY_STATUSES
from gateway_core.ledger.views import INT_KEYS, TIME_KEYS, VIEW_KEYS

ENUMS: dict[str, tuple[str, ...]] = {
    "verify_status": VERIFY_STATUSES,
    "coupon_status": COUPON_STATUSES,
    "enrichment_status": ENRICHMENT_STATUSES,
    "mode": MODES,
}
INTERNAL_INT_KEYS = frozenset({"reconcile_attempts", "enrich_attempts", "multi_use"})
INTERNAL_TIME_KEYS = frozenset({"next_reconcile_at", "next_enrich_at", "outcome_unknown_at"})
MAX_TEXT = 4096
CANONICAL_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


def normalise_time(value: Any) -> str:
    """Any aware/naive datetime or ISO text -> the stored form `YYYY-MM-DDTHH:MM:SS.mmmZ`."""
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, str):
        if CANONICAL_TIME.fullmatch(value):
            # Already in the stored form (every synced record is): only prove it is a real
            # instant. A third of the head office's per-record ingest cost was re-formatting.
            datetime.fromisoformat(value[:-1])
            return value
        return iso(parse_iso(value))
    raise TypeError("expected an ISO 8601 time")


def check_field(key: str, value: Any) -> tuple[Any, str | None]:
    """(stored value, None) or (None, reason)."""
    if value is None:
        return None, None
    try:
        if key in INT_KEYS or key in INTERNAL_INT_KEYS:
            if isinstance(value, bool) or not isinstance(value, int):
                return None, "must be an integer"
            if not -(2**63) <= value < 2**63:
                return None, "out of range"
            return value, None
        if key in TIME_KEYS or key in INTERNAL_TIME_KEYS:
            return normalise_time(value), None
    except (TypeError, ValueError, OverflowError):
        return None, "must be an ISO 8601 time"
    if not isinstance(value, str):
        return None, "must be a string"
    if len(value) > MAX_TEXT:
        return None, f"longer than {MAX_TEXT} characters"
    allowed = ENUMS.get(key)
    if allowed and value not in allowed:
        return None, f"must be one of {', '.join(allowed)}"
    return value, None


def check_fields(
    data: Mapping[str, Any], keys: frozenset[str] | tuple[str, ...], prefix: str, errors: dict[str, str]
) -> dict[str, Any]:
    """The known keys of `data`, checked; unknown keys and bad values land in `errors`."""
    clean: dict[str, Any] = {}
    for key, value in data.items():
        if key not in keys:
            errors[f"{prefix}{key}"] = "unknown field"
            continue
        stored, reason = check_field(key, value)
        if reason:
            errors[f"{prefix}{key}"] = reason
        else:
            clean[key] = stored
    return clean


VIEW_KEY_SET = frozenset(VIEW_KEYS)
