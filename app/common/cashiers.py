"""The cashier list and PIN checks for the desktop (login, settings, a manager's approval).

ok = await check_pin(runtime, "王店长", "1234")   # the cashier dict, or None
ok is not None and ok["role"] == "manager"        # an approval for an undo
"""

from __future__ import annotations

from typing import Any

from gateway_core.service.cashiers import CashiersService


def cashiers_of(runtime: Any) -> CashiersService:
    # The runtime may wire its own (rt.cashiers); until it does, one over its ledger is the same.
    service = getattr(runtime, "cashiers", None)
    if service is None:
        service = CashiersService(runtime.ledger)
        runtime.cashiers = service
    return service


async def check_pin(runtime: Any, name: str, pin: str) -> dict[str, Any] | None:
    return await cashiers_of(runtime).check_pin(name, pin)
