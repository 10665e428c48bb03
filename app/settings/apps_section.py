"""核销端应用: the systems allowed to call the signed API (create, disable, rotate, token read)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.common.errors import describe_error
from app.common.ops import AsyncOp, ask
from app.common.widgets import label, set_status
from app.settings.context import SettingsContext
from app.settings.secret_dialog import show_secret_once


class NewAppDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("新建核销端应用"))
        self.name = QLineEdit()
        self.code = QLineEdit()
        self.code.setPlaceholderText(self.tr("2–32 位小写字母、数字、_ 或 -,例如 kiosk-1"))
        self.description = QLineEdit()
        form = QFormLayout(self)
        form.addRow(self.tr("名称"), self.name)
        form.addRow(self.tr("代码"), self.code)
        form.addRow(self.tr("说明"), self.description)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"name": self.name.text().strip(), "code": self.code.text().strip()}
        if self.description.text().strip():
            body["description"] = self.description.text().strip()
        return body


class AppsSection(QWidget):
    def __init__(self, ctx: SettingsContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.apps: list[dict[str, Any]] = []
        headers = [
            self.tr("名称"),
            self.tr("代码"),
            "Client Key",
            self.tr("状态"),
            self.tr("可读令牌"),
            self.tr("最近使用"),
        ]
        self.table = QTableWidget(0, len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # the name takes the spare room
        self.table.itemSelectionChanged.connect(self._selection)
        self.create_button = QPushButton(self.tr("新建应用"))
        self.toggle_button = QPushButton(self.tr("停用"))
        self.rotate_button = QPushButton(self.tr("重置密钥"))
        self.token_button = QPushButton(self.tr("允许读取令牌"))
        self.create_button.clicked.connect(self.create)
        self.toggle_button.clicked.connect(self.toggle_status)
        self.rotate_button.clicked.connect(self.rotate)
        self.token_button.clicked.connect(self.toggle_token)
        self.status = label(wrap=True)
        row = QHBoxLayout()
        for b in (self.create_button, self.toggle_button, self.rotate_button, self.token_button):
            row.addWidget(b)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(
            label(
                self.tr(
                    "其他系统(自助机、ERP、其他收银系统)通过签名接口核销时使用的应用。密钥只在创建或重置时显示一次。"
                ),
                name="mutedText",
                wrap=True,
            )
        )
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.status)
        self._selection()
        self.refresh()

    def refresh(self) -> None:
        AsyncOp(self, self.ctx.runtime.apps.list_apps, "list-apps").success(self._show).run()

    def _show(self, apps: list[dict[str, Any]]) -> None:
        selected = self.selected()
        self.apps = apps
        self.table.setRowCount(len(apps))
        for r, app in enumerate(apps):
            active = app.get("status") == "active"
            cells = (
                app.get("name", ""),
                app.get("code", ""),
                app.get("client_key", ""),
                self.tr("已启用") if active else self.tr("已停用"),
                self.tr("是") if app.get("allow_token_read") else self.tr("否"),
                (app.get("last_used_at") or "—")[:19].replace("T", " "),
            )
            for c, text in enumerate(cells):
                item = QTableWidgetItem(str(text))
                item.setData(Qt.ItemDataRole.UserRole, app.get("id"))
                self.table.setItem(r, c, item)
        if selected is not None:
            for r, app in enumerate(apps):
                if app.get("id") == selected.get("id"):
                    self.table.selectRow(r)
        self._selection()

    def selected(self) -> dict[str, Any] | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.apps):
            return None
        return self.apps[rows[0].row()]

    def _selection(self) -> None:
        app = self.selected()
        builtin = bool(app and (app.get("builtin") or app.get("code") == "counter"))
        for b in (self.toggle_button, self.rotate_button, self.token_button):
            b.setEnabled(app is not None and not builtin)
        if app is not None:
            self.toggle_button.setText(self.tr("停用") if app.get("status") == "active" else self.tr("启用"))
            self.token_button.setText(
                self.tr("禁止读取令牌") if app.get("allow_token_read") else self.tr("允许读取令牌")
            )

    def _failed(self, exc: BaseException) -> None:
        set_status(self.status, describe_error(exc), "warning")

    # --- actions --------------------------------------------------------------------------------
    def create(self) -> None:
        dialog = NewAppDialog(self)
        self._dialog = dialog  # kept while open (opened with open(), not exec())

        def finished(result: int) -> None:
            if result != QDialog.DialogCode.Accepted:
                return
            body = dialog.body()

            def created(answer: dict[str, Any]) -> None:
                set_status(self.status, self.tr("已创建应用 {name}").format(name=answer["app"]["name"]), "ok")
                show_secret_once(
                    self,
                    self.tr("应用密钥"),
                    self.tr("应用 {name} 的 Client Key:{key}\n密钥(Secret)如下:").format(
                        name=answer["app"]["name"], key=answer["app"]["client_key"]
                    ),
                    answer["secret"],
                )
                self.refresh()

            AsyncOp(self, lambda: self.ctx.runtime.apps.create_app(body), "create-app").success(created).failure(
                self._failed
            ).run()

        dialog.finished.connect(finished)
        dialog.open()

    def toggle_status(self) -> None:
        app = self.selected()
        if app is None:
            return
        status = "disabled" if app.get("status") == "active" else "active"
        AsyncOp(self, lambda: self.ctx.runtime.apps.update_app(app["id"], {"status": status}), "app-status").success(
            lambda _a: self.refresh()
        ).failure(self._failed).run()

    def toggle_token(self) -> None:
        app = self.selected()
        if app is None:
            return
        body = {"allow_token_read": not app.get("allow_token_read")}
        AsyncOp(self, lambda: self.ctx.runtime.apps.set_token_access(app["id"], body), "app-token").success(
            lambda _a: self.refresh()
        ).failure(self._failed).run()

    def rotate(self) -> None:
        app = self.selected()
        if app is None:
            return

        def go() -> None:
            AsyncOp(self, lambda: self.ctx.runtime.apps.rotate_secret(app["id"]), "rotate-secret").success(
                rotated
            ).failure(self._failed).run()

        def rotated(answer: dict[str, Any]) -> None:
            show_secret_once(
                self,
                self.tr("应用密钥"),
                self.tr("应用 {name} 的新密钥如下,旧密钥已立即失效:").format(name=answer["app"]["name"]),
                answer["secret"],
            )
            self.refresh()

        ask(
            self,
            self.tr("重置应用 {name} 的密钥?旧密钥会立即失效,使用它的系统需要换上新密钥。").format(
                name=app.get("name")
            ),
            go,
        )
