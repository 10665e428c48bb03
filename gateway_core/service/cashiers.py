"""Cashiers and managers of this counter: names, roles, PINs (hashed by the ledger).

The desktop's login and settings screens use this; every change is in the audit log with the
manager who made it.
"""

from __future__ import annotations

import re
from typing import Any

from gateway_core.ledger import Ledger
from gateway_core.ledger.errors import LedgerConflict, LedgerNotFound, LedgerValidation
from gateway_core.ledger.models import Audit
from gateway_core.service.errors import ServiceError, conflict, invalid_request, not_found

PIN_RE = re.compile(r"^\d{4,8}$")
ROLES = ("cashier", "manager")


def _pin_error(pin: str) -> ServiceError | None:
    if not PIN_RE.match(pin or ""):
        return invalid_request({"pin": "4 to 8 digits"}, "the PIN must be 4 to 8 digits")
    return None


class CashiersService:
    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    async def list_cashiers(self) -> list[dict[str, Any]]:
        """Every cashier (active or not) as {id, name, role, active, created_at}, by name."""
        return await self._ledger.list_cashiers()

    async def add_cashier(self, name: str, pin: str, role: str = "cashier", *, by: str) -> dict[str, Any]:
        if not name.strip():
            raise invalid_request({"name": "required"})
        if role not in ROLES:
            raise invalid_request({"role": "cashier or manager"})
        if (err := _pin_error(pin)) is not None:
            raise err
        try:
            return await self._ledger.add_cashier(name.strip(), pin, role, audit=Audit("cashier", by, "cashier.add"))
        except LedgerConflict as exc:
            raise conflict(str(exc), "已有同名收银员") from exc
        except LedgerValidation as exc:
            raise invalid_request(exc.errors) from exc

    async def update_cashier(
        self, cashier_id: int, *, by: str, pin: str | None = None, **changes: Any
    ) -> dict[str, Any]:
        """Change `name`, `role`, `active` and/or the PIN."""
        if pin is not None and (err := _pin_error(pin)) is not None:
            raise err
        try:
            return await self._ledger.update_cashier(
                cashier_id, pin=pin, audit=Audit("cashier", by, "cashier.update"), **changes
            )
        except LedgerNotFound as exc:
            raise not_found("cashier") from exc
        except LedgerConflict as exc:
            raise conflict(str(exc), "已有同名收银员") from exc
        except LedgerValidation as exc:
            raise invalid_request(exc.errors) from exc

    async def check_pin(self, name: str, pin: str) -> dict[str, Any] | None:
        """The active cashier when `pin` is theirs, else None (constant cost: see the ledger)."""
        return await self._ledger.check_pin(name, pin)

    async def has_manager(self) -> bool:
        return any(c["role"] == "manager" and c["active"] for c in await self.list_cashiers())
