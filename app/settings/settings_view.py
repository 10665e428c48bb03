"""设置: one tab per concern; each tab is its own small module."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QScrollArea, QTabWidget, QVBoxLayout, QWidget

from app.common.widgets import label
from app.settings.apps_section import AppsSection
from app.settings.cashiers_section import CashiersSection
from app.settings.context import SettingsContext
from app.settings.douyin_section import DouyinSection
from app.settings.endpoint_section import EndpointSection
from app.settings.general_section import GeneralSection
from app.settings.sync_section import SyncSection

FORM_WIDTH = 860  # a form stretched across a wide screen is hard to read


def _scrolling(widget: QWidget) -> QScrollArea:
    widget.setMaximumWidth(FORM_WIDTH)
    holder = QWidget()
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 8, 0, 0)
    row.addWidget(widget, 1)
    row.addStretch(0)
    area = QScrollArea()
    area.setObjectName("settingsScroll")
    area.setWidgetResizable(True)
    area.setWidget(holder)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    return area


class SettingsView(QWidget):
    def __init__(self, ctx: SettingsContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsView")
        self.ctx = ctx
        self.douyin = DouyinSection(ctx)
        self.cashiers = CashiersSection(ctx)
        self.endpoint = EndpointSection(ctx)
        self.apps = AppsSection(ctx)
        self.sync = SyncSection(ctx)
        self.general = GeneralSection(ctx)
        self.tabs = QTabWidget()
        self.tabs.addTab(_scrolling(self.douyin), self.tr("抖音账号"))
        self.tabs.addTab(self.cashiers, self.tr("收银员管理"))
        self.tabs.addTab(_scrolling(self.endpoint), self.tr("本机接口"))
        self.tabs.addTab(self.apps, self.tr("核销端应用"))
        self.tabs.addTab(_scrolling(self.sync), self.tr("数据同步"))
        self.tabs.addTab(_scrolling(self.general), self.tr("通用"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(label(self.tr("设置"), name="pageTitle"))
        layout.addWidget(self.tabs, 1)
