"""抖音账号: credentials into the OS keyring, a connection test, and this counter's store (POI)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.common.errors import describe_error
from app.common.ops import AsyncOp
from app.common.widgets import label, set_status
from app.settings import keystore
from app.settings.context import SettingsContext
from gateway_core.service.connection_check import ConnectionCheck, check_douyin_credentials

POI_NAME_ROLE = Qt.ItemDataRole.UserRole + 1


class DouyinSection(QWidget):
    def __init__(self, ctx: SettingsContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        stored = keystore.load()
        self._has_secret = bool(stored.get(keystore.CLIENT_SECRET))
        info = keystore.backend_info()

        self.backend = label(wrap=True)
        if info.usable:
            self.backend.setObjectName("okText")
            self.backend.setText(self.tr("密钥保存在系统密钥库:{name}").format(name=info.name))
        else:
            self.backend.setObjectName("warningText")
            self.backend.setText(
                self.tr(
                    "没有可用的系统密钥库(当前:{name})。为安全起见,密钥不会保存到普通文件,因此现在无法保存。"
                    "请在带系统密钥库的电脑上运行,或由管理员通过环境变量 DYGW_DOUYIN_CLIENT_SECRET 提供。"
                ).format(name=info.name)
            )
            self.backend.setToolTip(info.problem)
        self.client_key = QLineEdit(stored.get(keystore.CLIENT_KEY, ""))
        self.client_secret = QLineEdit()
        self.client_secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.client_secret.setPlaceholderText(
            self.tr("已保存(不显示);留空表示不修改") if self._has_secret else self.tr("client_secret")
        )
        self.account_id = QLineEdit(stored.get(keystore.ACCOUNT_ID, ""))
        self.poi = QComboBox()
        self.poi.setMinimumWidth(420)
        current_poi = stored.get(keystore.POI_ID) or ctx.prefs.poi_id
        if current_poi:
            self.poi.addItem(f"{ctx.prefs.poi_name or current_poi}  ({current_poi})", current_poi)
        self.test_button = QPushButton(self.tr("测试连接"))
        self.save_button = QPushButton(self.tr("保存"))
        self._usable = info.usable
        self.save_button.setEnabled(info.usable)
        self.status = label(wrap=True)
        self.test_button.clicked.connect(self.test_connection)
        self.save_button.clicked.connect(self.save)

        form = QFormLayout()
        form.addRow(self.tr("应用 Client Key"), self.client_key)
        form.addRow(self.tr("应用 Client Secret"), self.client_secret)
        form.addRow(self.tr("商户账号 ID"), self.account_id)
        form.addRow(self.tr("本收银台门店"), self.poi)
        buttons = QHBoxLayout()
        buttons.addWidget(self.test_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.backend)
        mode = (
            self.tr("当前为训练模式(抖音沙箱)。保存正式账号并重启后切换到正式模式。")
            if ctx.runtime.demo
            else self.tr("当前为正式模式:核销真实的抖音团购券。")
        )
        layout.addWidget(label(mode, wrap=True))
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addStretch(1)

    def _secret(self) -> str:
        typed = self.client_secret.text().strip()
        if typed:
            return typed
        return keystore.load().get(keystore.CLIENT_SECRET, "") if self._has_secret else ""

    def base_url(self) -> str:
        # Credentials belong to the real platform (or DYGW_DOUYIN_BASE_URL); the sandbox has its own.
        return str(self.ctx.runtime.settings.douyin_base_url)

    def test_connection(self) -> None:
        set_status(self.status, self.tr("正在连接抖音…"))

        def done(check: ConnectionCheck) -> None:
            previous = self.poi.currentData()
            self.poi.clear()
            for poi in check.pois:
                self.poi.addItem(f"{poi['poi_name']}  ({poi['poi_id']})", poi["poi_id"])
                self.poi.setItemData(self.poi.count() - 1, poi["poi_name"], POI_NAME_ROLE)
            if previous:
                index = self.poi.findData(previous)
                if index >= 0:
                    self.poi.setCurrentIndex(index)
            set_status(
                self.status,
                self.tr("连接成功:令牌有效,找到 {n} 家门店。请选择本收银台的门店后保存。").format(n=check.total),
                "ok",
            )

        def failed(exc: BaseException) -> None:
            set_status(self.status, self.tr("连接失败:{why}").format(why=describe_error(exc)), "warning")

        AsyncOp(
            self,
            lambda: check_douyin_credentials(
                self.base_url(),
                self.client_key.text().strip(),
                self._secret(),
                self.account_id.text().strip(),
                request_timeout=float(self.ctx.runtime.settings.douyin_timeout),
            ),
            "test-connection",
        ).busy(self.test_button.setDisabled).success(done).failure(failed).run()

    def save(self) -> None:
        values: dict[str, str | None] = {
            keystore.CLIENT_KEY: self.client_key.text().strip() or None,
            keystore.ACCOUNT_ID: self.account_id.text().strip() or None,
            keystore.POI_ID: self.poi.currentData() or None,
        }
        secret = self.client_secret.text().strip()
        if secret:
            values[keystore.CLIENT_SECRET] = secret
        poi_id: Any = self.poi.currentData()
        poi_name = str(self.poi.currentData(POI_NAME_ROLE) or "")

        def saved(_none: None) -> None:
            self._has_secret = self._has_secret or bool(secret)
            if self.client_secret.text().strip() == secret:
                self.client_secret.clear()  # not left on screen (unless retyped meanwhile)
            if poi_id:
                self.ctx.prefs.poi_id = str(poi_id)
                self.ctx.prefs.poi_name = poi_name
            self.ctx.save_prefs()
            set_status(self.status, self.tr("已保存到系统密钥库。重启程序后生效。"), "ok")

        def failed(exc: BaseException) -> None:
            why = str(exc) if isinstance(exc, keystore.KeystoreUnavailable) else describe_error(exc)
            set_status(self.status, self.tr("无法保存:{why}").format(why=why), "warning")

        set_status(self.status, self.tr("正在保存…"))
        AsyncOp(self, lambda: keystore.save_off_thread(values), "save-douyin-credentials").busy(
            lambda busy: self.save_button.setEnabled(self._usable and not busy)
        ).success(saved).failure(failed).run()
