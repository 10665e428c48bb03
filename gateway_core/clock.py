"""Time in the one format the contract pins: ISO 8601, UTC, milliseconds, a trailing Z."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso(dt: datetime) -> str:
    """`2026-03-16T02:28:54.123Z`; naive datetimes are taken as UTC."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    dt = dt.astimezone(UTC)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def parse_iso(text: str) -> datetime:
    """Reads what `iso` writes, and any other ISO 8601 form with an offset (naive means UTC)."""
    dt = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def from_epoch(seconds_or_ms: int | float) -> datetime:
    """Douyin sends seconds on most calls and milliseconds on some; values past year 5138 are ms."""
    value = float(seconds_or_ms)
    if value > 100_000_000_000:
        value /= 1000.0
    return datetime.fromtimestamp(value, UTC)
