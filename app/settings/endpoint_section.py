"""本机接口: the signed local HTTP endpoint other systems at the store redeem through."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.common.ops import AsyncOp
from app.common.widgets import label, set_status
from app.settings.context import SettingsContext
from app.settings.secret_dialog import show_secret_once


class EndpointSection(QWidget):
    def __init__(self, ctx: SettingsContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        prefs = ctx.prefs
        self.enabled = QCheckBox(self.tr("随程序启动本机核销接口"))
        self.enabled.setChecked(prefs.serve_http)
        self.host = QLineEdit(prefs.http_host)
        self.port = QSpinBox()
        self.port.setRange(0, 65535)
        self.port.setSpecialValueText(self.tr("自动(任一空闲端口)"))
        self.port.setValue(prefs.http_port)
        self.apply_button = QPushButton(self.tr("保存并应用"))
        self.apply_button.clicked.connect(self.apply)
        self.state = label(wrap=True)
        self.new_key = QPushButton(self.tr("生成新的内部接口密钥"))
        self.new_key.clicked.connect(self.make_operator_key)
        self.exposed = label(name="warningText", wrap=True)
        self.host.textChanged.connect(self._warn_exposure)

        form = QFormLayout()
        form.addRow("", self.enabled)
        form.addRow(self.tr("监听地址"), self.host)
        form.addRow(self.tr("端口"), self.port)
        form.addRow("", self.exposed)
        row = QHBoxLayout()
        row.addWidget(self.apply_button)
        row.addStretch(1)
        keys = QHBoxLayout()
        keys.addWidget(self.new_key)
        keys.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(row)
        layout.addWidget(self.state)
        layout.addSpacing(16)
        layout.addWidget(
            label(
                self.tr("内部接口密钥(X-XTJ-UID)用于本店员工工具查询流水、管理应用。只保存其摘要,生成时显示一次。"),
                name="mutedText",
                wrap=True,
            )
        )
        layout.addLayout(keys)
        layout.addStretch(1)
        self._warn_exposure()
        self.show_state()

    def _warn_exposure(self) -> None:
        host = self.host.text().strip()
        local = host in {"127.0.0.1", "localhost", "::1"}
        warning = self.tr("注意:非 127.0.0.1 时,局域网内其他电脑也能访问此接口(仍需签名)。")
        self.exposed.setText("" if local else warning)

    def show_state(self) -> None:
        url = getattr(self.ctx.runtime, "http_url", None)
        if url:
            set_status(self.state, self.tr("接口运行中:{url}").format(url=url), "ok")
        else:
            set_status(self.state, self.tr("接口未启动"))

    def apply(self) -> None:
        prefs = self.ctx.prefs
        prefs.serve_http = self.enabled.isChecked()
        prefs.http_host = self.host.text().strip() or "127.0.0.1"
        prefs.http_port = self.port.value()
        self.ctx.save_prefs()
        running = bool(getattr(self.ctx.runtime, "http_url", None))
        if prefs.serve_http and not running:
            AsyncOp(self, lambda: self.ctx.runtime.start_http(prefs.http_host, prefs.http_port), "start-http").busy(
                self.apply_button.setDisabled
            ).success(lambda _url: self.show_state()).failure(
                lambda exc: set_status(self.state, self.tr("接口启动失败:{why}").format(why=exc), "warning")
            ).run()
        elif running:
            set_status(self.state, self.tr("已保存。接口正在运行,重启程序后按新设置启动或停止。"), "ok")
        else:
            set_status(self.state, self.tr("已保存。"), "ok")

    def make_operator_key(self) -> None:
        def shown(key: str) -> None:
            if self.ctx.runtime.settings.internal_api_keys:
                # Keys set by the deployment (DYGW_INTERNAL_API_KEYS) are not this screen's to revoke.
                text = self.tr("新的内部接口密钥如下。之前生成的密钥已失效;环境变量 DYGW_INTERNAL_API_KEYS 中的密钥仍然有效:")  # noqa: E501
            else:
                text = self.tr("新的内部接口密钥如下,旧密钥已失效:")
            show_secret_once(self, self.tr("内部接口密钥"), text, key)

        AsyncOp(self, self.ctx.runtime.new_operator_key, "operator-key").busy(self.new_key.setDisabled).success(
            shown
        ).run()

    def showEvent(self, event: object) -> None:  # type: ignore[override]
        super().showEvent(event)  # type: ignore[arg-type]
        self.show_state()
        first = getattr(self.ctx.runtime, "generated_internal_key", None)
        if first:
            # The key generated at first start is shown once, then forgotten.
            self.ctx.runtime.generated_internal_key = None
            show_secret_once(self, self.tr("内部接口密钥"), self.tr("首次启动生成的内部接口密钥:"), first)
