"""Money as the counter shows it. Douyin and the ledger count in fen (integer cents)."""

from __future__ import annotations


def yuan(fen: int | None) -> str:
    """`8800` -> `¥88.00`; None (unknown) -> `¥—` so a missing amount never reads as zero."""
    if fen is None:
        return "¥—"
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(int(fen)), 100)
    return f"{sign}¥{whole:,}.{cents:02d}"
