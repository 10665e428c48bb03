"""The day report's own style rules (the app-wide sheet is resources/style/app.qss)."""

REPORTS_QSS = """
#totalCard { background: #FFFFFF; border: 1px solid #E5E7EB; border-radius: 10px; }
#totalCaption { color: #6B7280; font-size: 14px; }
#totalValue { color: #111827; font-size: 24px; font-weight: 700; }
#reportChart { background: #FFFFFF; border: 1px solid #E5E7EB; border-radius: 10px; }
#quickRange { padding: 6px 12px; }
#quickRange:checked { background: #111827; color: #FFFFFF; border-color: #111827; }
#reportNotice { font-weight: 600; }
"""
