"""日报: the manager's day (or any range) from the ledger's summary, on screen, in PDF and in files."""

from app.reports.view import DayReportView

__all__ = ["DayReportView"]
