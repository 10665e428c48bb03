"""Who may approve an undo, and checking a manager's PIN (the ledger's cashiers, via app.common).

Approval is needed when the person at the counter is not a manager and the store has at least
one active manager; a store that set up no managers has chosen not to require it.
"""

from __future__ import annotations

from typing import Any

from app.common.cashiers import cashiers_of, check_pin


async def active_managers(runtime: Any) -> list[str]:
    cashiers = await cashiers_of(runtime).list_cashiers()
    return [c["name"] for c in cashiers if c.get("role") == "manager" and c.get("active")]


async def is_manager_pin(runtime: Any, name: str, pin: str) -> bool:
    found = await check_pin(runtime, name, pin)
    return found is not None and found.get("role") == "manager"
