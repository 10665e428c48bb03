"""Small value types the ledger API takes and returns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

VERIFY_STATUSES = ("processing", "success", "failed", "cancelled")
ENRICHMENT_STATUSES = ("pending", "enriched", "failed", "skipped")
COUPON_STATUSES = ("unused", "verified", "cancelled", "refunded", "expired", "unknown")
MODES = ("short_link", "code", "encrypted_code")
APP_STATUSES = ("active", "disabled")
ACTOR_TYPES = ("app", "cashier", "system", "operator_key")
CASHIER_ROLES = ("cashier", "manager")
GROUP_BY_KEYS = ("day", "hour", "poi_id", "app_id", "store_id", "operator")


@dataclass(frozen=True)
class VerificationFilter:
    """Report filters; every field narrows. `start`/`end` are aware datetimes, both inclusive.

    `search` matches the tail of the plain coupon code (`origin_code` ends with it), the start of
    an `order_id`, or a whole `certificate_id`.
    """

    start: datetime | None = None
    end: datetime | None = None
    poi_id: str | None = None
    app_id: int | None = None
    status: str | None = None
    certificate_id: str | None = None
    order_id: str | None = None
    store_id: str | None = None
    operator: str | None = None
    search: str | None = None


@dataclass(frozen=True)
class AppAuth:
    """What the signature check needs about one app; `secret` is decrypted."""

    id: int
    name: str
    status: str
    allow_token_read: bool
    secret: str = ""

    def __repr__(self) -> str:  # keeps the secret out of logs and tracebacks
        return f"AppAuth(id={self.id}, name={self.name!r}, status={self.status!r})"


IdemKind = Literal["new", "in_progress", "done", "mismatch"]


@dataclass(frozen=True)
class IdemResult:
    kind: IdemKind
    status: int | None = None
    body: Any = None


@dataclass(frozen=True)
class Audit:
    """Who did a change; the ledger adds target, before and after itself."""

    actor_type: str
    actor: str
    action: str


class TokenLike(Protocol):
    """The shape of gateway_core.douyin's Token (kept structural: no import of that package)."""

    @property
    def access_token(self) -> str: ...

    @property
    def expires_at(self) -> datetime: ...


@dataclass(frozen=True)
class StoredToken:
    access_token: str
    expires_at: datetime

    def __repr__(self) -> str:
        return f"StoredToken(expires_at={self.expires_at.isoformat()})"
