"""Show a secret exactly once, with a copy button; after closing it cannot be read again."""

from __future__ import annotations

from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.common.widgets import label

# dialogs are opened with open() (never exec(): no nested loop under qasync); keep them alive here
_open: set[QDialog] = set()


class SecretOnceDialog(QDialog):
    def __init__(self, title: str, intro: str, secret: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.secret = QLineEdit(secret)
        self.secret.setReadOnly(True)
        self.secret.setObjectName("secretOnce")
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.secret.setFont(mono)
        self.secret.setMinimumWidth(520)
        self.copy = QPushButton(self.tr("复制"))
        self.copy.clicked.connect(self._copy)
        self.copied = label("", name="okText")
        row = QHBoxLayout()
        row.addWidget(self.secret, 1)
        row.addWidget(self.copy)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        self.intro = label(intro, wrap=True)
        layout.addWidget(self.intro)
        layout.addLayout(row)
        layout.addWidget(self.copied)
        layout.addWidget(label(self.tr("关闭后将无法再次查看,请立即妥善保存。"), name="warningText", wrap=True))
        layout.addWidget(buttons)

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.secret.text())
        self.copied.setText(self.tr("已复制到剪贴板"))


def show_secret_once(parent: QWidget | None, title: str, intro: str, secret: str) -> SecretOnceDialog:
    dialog = SecretOnceDialog(title, intro, secret, parent)
    _open.add(dialog)
    dialog.finished.connect(lambda _r: _open.discard(dialog))
    dialog.destroyed.connect(lambda _o=None: _open.discard(dialog))
    dialog.open()
    return dialog
