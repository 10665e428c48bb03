"""The history and day-report screens' own style rules (the app-wide sheet is resources/style)."""

HISTORY_QSS = """
#historySummary { color: #374151; font-size: 15px; padding: 4px 0; }
#historyTable { font-size: 14px; selection-background-color: #DBEAFE; selection-color: #111827; }
#undoButton { background: #FFFFFF; color: #B3261E; border: 1px solid #B3261E; font-weight: 700; padding: 8px 18px; }
#undoButton:hover { background: #FDECEA; }
#undoButton:disabled { color: #9CA3AF; border-color: #D1D5DB; }
#undoState { color: #4B5563; }
#undoState[allowed="true"] { color: #B26A00; font-weight: 600; }
#quickRange { padding: 6px 12px; }
#quickRange:checked { background: #111827; color: #FFFFFF; border-color: #111827; }
#exportButton { padding: 7px 26px 7px 16px; border: 1px solid #C4C9D2; border-radius: 6px; background: #FFFFFF; }
#exportButton::menu-indicator { subcontrol-origin: padding; subcontrol-position: right center; right: 8px; }
"""

# The dialog is a window of its own: it gets its rules directly, not through the history screen.
UNDO_DIALOG_QSS = """
QPushButton#dangerButton { background: #B3261E; color: #FFFFFF; border: 1px solid #B3261E; font-weight: 700;
                           padding: 8px 18px; }
QPushButton#dangerButton:hover { background: #8C1D18; }
QPushButton#dangerButton:disabled { background: #E5B4B0; border-color: #E5B4B0; }
#undoCountdown { color: #B26A00; font-weight: 600; }
#undoCountdown[expired="true"] { color: #B3261E; }
#dialogTitle { font-size: 18px; font-weight: 700; }
"""
