"""数据同步: where the ledger is reported to, and how the sync is doing.

The sync engine is its own module; this screen shows `runtime.sync_status()` when the runtime has
it and hides the status otherwise.
"""

from __future__ import annotations

import inspect
from typing import Any

from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.common.errors import describe_error
from app.common.ops import AsyncOp
from app.common.widgets import label, set_status
from app.settings import keystore
from app.settings.context import SettingsContext


async def _maybe_await(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


class SyncSection(QWidget):
    def __init__(self, ctx: SettingsContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        settings = ctx.runtime.settings
        self.url = QLineEdit(ctx.prefs.reporting_url or settings.reporting_url or "")
        self.url.setPlaceholderText("https://hq.example.com")
        self.key = QLineEdit()
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        has_key = bool(settings.reporting_key or keystore.load().get(keystore.REPORTING_KEY))
        self.key.setPlaceholderText(self.tr("已保存(不显示);留空表示不修改") if has_key else self.tr("上报密钥"))
        self.save_button = QPushButton(self.tr("保存"))
        self.save_button.clicked.connect(self.save)
        self.saved = label(wrap=True)
        self.state = label(wrap=True)
        self.sync_button = QPushButton(self.tr("立即同步"))
        self.sync_button.clicked.connect(self.sync_now)
        has_status = callable(getattr(ctx.runtime, "sync_status", None))
        self.state.setVisible(has_status)
        self.sync_button.setVisible(callable(getattr(ctx.runtime, "sync_now", None)))

        form = QFormLayout()
        form.addRow(self.tr("上报地址"), self.url)
        form.addRow(self.tr("上报密钥"), self.key)
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addWidget(self.sync_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(
            label(
                self.tr("核销流水会自动上报到总部(可选)。地址和密钥修改后重启程序生效。"), name="mutedText", wrap=True
            )
        )
        layout.addLayout(form)
        layout.addLayout(row)
        layout.addWidget(self.saved)
        layout.addWidget(self.state)
        layout.addStretch(1)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        status = getattr(self.ctx.runtime, "sync_status", None)
        if not callable(status):
            return
        AsyncOp(self, lambda: _maybe_await(status()), "sync-status").success(self._show_state).failure(
            lambda exc: set_status(self.state, describe_error(exc), "warning")
        ).run()

    def _show_state(self, st: Any) -> None:
        get = st.get if isinstance(st, dict) else (lambda k, d=None: getattr(st, k, d))
        if not get("enabled", True) and not self.ctx.runtime.settings.reporting_url:
            set_status(self.state, self.tr("未配置上报地址:不同步"))
            return
        text = self.tr("待上报 {backlog} 条 · 上次成功 {ok} · 上次错误 {err}").format(
            backlog=get("backlog", 0) or 0,
            ok=str(get("last_success_at") or "—")[:19].replace("T", " "),
            err=get("last_error") or "—",
        )
        # The last error stays on record after a later success: colour by whether sync is failing now.
        set_status(self.state, text, "warning" if get("failing", False) else "ok")

    def save(self) -> None:
        self.ctx.prefs.reporting_url = self.url.text().strip()
        self.ctx.save_prefs()
        key = self.key.text().strip()
        if not key:
            set_status(self.saved, self.tr("已保存,重启程序后生效。"), "ok")
            return

        def saved(_none: None) -> None:
            if self.key.text().strip() == key:
                self.key.clear()
            set_status(self.saved, self.tr("已保存,重启程序后生效。"), "ok")

        def failed(exc: BaseException) -> None:
            why = str(exc) if isinstance(exc, keystore.KeystoreUnavailable) else describe_error(exc)
            set_status(self.saved, self.tr("地址已保存;密钥无法保存:{why}").format(why=why), "warning")

        set_status(self.saved, self.tr("正在保存…"))
        AsyncOp(self, lambda: keystore.save_off_thread({keystore.REPORTING_KEY: key}), "save-reporting-key").busy(
            self.save_button.setDisabled
        ).success(saved).failure(failed).run()

    def sync_now(self) -> None:
        run = self.ctx.runtime.sync_now
        AsyncOp(self, lambda: _maybe_await(run()), "sync-now").busy(self.sync_button.setDisabled).success(
            lambda _r: self.refresh()
        ).failure(lambda exc: set_status(self.state, describe_error(exc), "warning")).run()
