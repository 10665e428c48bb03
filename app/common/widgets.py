"""Tiny widget helpers shared by the screens."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget


def repolish(widget: QWidget) -> None:
    """Re-apply the style sheet after a dynamic property used by a selector changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


def label(text: str = "", name: str = "", wrap: bool = False, parent: QWidget | None = None) -> QLabel:
    lab = QLabel(text, parent)
    if name:
        lab.setObjectName(name)
    lab.setWordWrap(wrap)
    lab.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return lab


def no_focus(*widgets: QWidget) -> None:
    """Clickable helpers on the counter must never take the focus from the scan box."""
    for w in widgets:
        w.setFocusPolicy(Qt.FocusPolicy.NoFocus)


def set_status(lab: QLabel, text: str, kind: str = "") -> None:
    """A status line: kind "ok" (green), "warning" (red) or "" (plain)."""
    lab.setObjectName({"ok": "okText", "warning": "warningText"}.get(kind, "statusText"))
    lab.setText(text)
    repolish(lab)
