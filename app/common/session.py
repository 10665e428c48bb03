"""Who is working at this counter right now.

For every screen (the counter, history, day report, settings):

    from app.common.session import Session
    session.cashier_name   # str: written as `operator` on every verification and undo
                           # (show it through display_name(): the demo cashier is translated)
    session.role           # "cashier" | "manager"
    session.is_manager     # manager-only actions: undo without approval, settings, reports
    session.cashier_id     # int | None: the ledger's cashiers row (None for the demo cashier)
    session.changed        # Qt signal, emitted after a login or a switch of cashier

Screens receive the one shared Session in their constructor (`HistoryView(runtime, session)`) and
read it when they act, never cache the name: cashiers change shifts while the window stays open.
A manager's approval for a cashier's undo is asked at the moment of the undo; the PIN check is
`app.common.cashiers.check_pin(runtime, name, pin)` (see that module), not a session switch.
"""

from __future__ import annotations

from typing import Literal

from PySide6.QtCore import QCoreApplication, QObject, Signal

Role = Literal["cashier", "manager"]
DEMO_CASHIER = "练习收银员"  # as written to the ledger, whatever the screen's language


def display_name(name: str) -> str:
    """A cashier's name as shown: the demo cashier's in the screen's language, real names as typed."""
    return QCoreApplication.translate("Session", "练习收银员") if name == DEMO_CASHIER else name


class Session(QObject):
    changed = Signal()

    def __init__(
        self,
        cashier_name: str = DEMO_CASHIER,
        role: Role = "cashier",
        cashier_id: int | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._name = cashier_name
        self._role: Role = role
        self._id = cashier_id

    @property
    def cashier_name(self) -> str:
        return self._name

    @property
    def role(self) -> Role:
        return self._role

    @property
    def cashier_id(self) -> int | None:
        return self._id

    @property
    def is_manager(self) -> bool:
        return self._role == "manager"

    def switch(self, cashier_name: str, role: Role = "cashier", cashier_id: int | None = None) -> None:
        self._name, self._role, self._id = cashier_name, role, cashier_id
        self.changed.emit()

    def __repr__(self) -> str:
        return f"Session({self._name!r}, {self._role!r})"
