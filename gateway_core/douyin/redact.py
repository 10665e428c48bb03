"""Masking for logs and reprs: coupon codes, encrypted codes and tokens are bearer secrets."""

from __future__ import annotations


def mask(value: str | None, keep: int = 4) -> str:
    """All but the last `keep` characters replaced, length hidden: `***0130`.

    Short values are fully hidden: showing 4 of 6 characters would give most of a code away.
    """
    if not value:
        return ""
    if len(value) <= keep * 2:
        return "***"
    return "***" + value[-keep:]
