"""Forgiving readers for Douyin JSON values.

Douyin (and its SDK fixtures) send the same field as `7200` or `"7200"`, IDs as strings or numbers,
times in seconds or milliseconds, and omit fields freely. Parsing must never fail on that: a missing
or odd value becomes a neutral default, so one unexpected field cannot block a verification.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from gateway_core.clock import from_epoch

# Anything past this would be far beyond year 9999 even as milliseconds: treat as garbage.
_MAX_EPOCH_MS = 253_402_300_799_000


def as_int(value: Any, default: int = 0) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value == value and abs(value) != float("inf") else default
    if isinstance(value, str):
        text = value.strip()
        try:
            return int(text)
        except ValueError:
            try:
                return as_int(float(text), default)
            except ValueError:
                return default
    return default


def as_code(value: Any) -> int | None:
    """An error code: missing means 0 (as Douyin's SDKs read it), unreadable means None."""
    if value is None or value == "":
        return 0
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def as_str(value: Any) -> str:
    """IDs must stay exact strings; a number is turned back into its digits, never a float form."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def as_opt_str(value: Any) -> str | None:
    text = as_str(value)
    return text or None


def as_bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes"}
    return bool(value)


def as_time(value: Any) -> datetime | None:
    """Seconds or milliseconds since the epoch (values > 1e11 are ms); 0 / missing -> None."""
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not value > 0 or value > _MAX_EPOCH_MS:
        return None
    try:
        return from_epoch(value)
    except (OverflowError, OSError, ValueError):
        return None


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
