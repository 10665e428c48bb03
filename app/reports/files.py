"""Where saved reports and exports go by default."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths


def default_folder() -> Path:
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(docs) if docs else Path.home()
