"""What the ledger raises; each carries what the caller needs to answer the user."""

from __future__ import annotations

from typing import Any


class LedgerError(Exception):
    """Base of every ledger error."""


class LedgerNotFound(LedgerError):
    def __init__(self, kind: str, key: object) -> None:
        super().__init__(f"no {kind} {key!r}")
        self.kind = kind
        self.key = key


class LedgerConflict(LedgerError):
    """A unique value is taken (e.g. an app `code` or `client_key`, a cashier name)."""

    def __init__(self, field: str, message: str | None = None) -> None:
        super().__init__(message or f"{field} is already taken")
        self.field = field


class LedgerValidation(LedgerError):
    """Input the ledger cannot store; `errors` maps a field path to the reason."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


class CouponBusy(LedgerError):
    """The coupon already has a `processing` or `success` row: the exactly-once guard tripped."""

    def __init__(self, coupon_key: str, existing: dict[str, Any] | None) -> None:
        status = existing["verify_status"] if existing else "unknown"
        super().__init__(f"coupon {coupon_key!r} already has a {status} verification")
        self.coupon_key = coupon_key
        self.existing = existing


class SecretKeyMismatch(LedgerError):
    """The ledger's secrets were sealed with another key than the one in use now."""
