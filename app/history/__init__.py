"""核销记录: the ledger's verifications as a paged table, with filters, undo and export."""

from app.history.view import HistoryView

__all__ = ["HistoryView"]
