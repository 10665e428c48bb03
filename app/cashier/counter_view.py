"""收银核销: the screen a cashier works in all day. Keyboard only; the mouse is a fallback."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from app.cashier.banner import ResultBanner
from app.cashier.controller import CounterController
from app.cashier.coupon_card import CouponCard
from app.cashier.practice_panel import PracticePanel
from app.cashier.recent_list import RecentList
from app.cashier.results import CounterResult
from app.cashier.scan_box import ScanBox
from app.common.widgets import label
from gateway_core.service.models import PreparedCoupon

_KEY_PRESS = QEvent.Type.KeyPress
_BUSY = frozenset({"preparing", "verifying"})
# An answer quicker than this never flashes a "busy" banner. At the pace of a quick Douyin the
# cashier would see only a flicker, and painting it held the answer back by a frame (6-8 ms,
# twice per redemption: bench_app). The input locks at once all the same.
BUSY_AFTER_MS = 150
# The side lists (recent answers, practice coupons) follow the answer a moment later, so the
# frame that puts the answer on the screen paints only the banner and the stage.
SIDE_AFTER_MS = 60


class CounterView(QWidget):
    def __init__(
        self,
        controller: CounterController,
        practice_coupons: Callable[[], list[Any]] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("counterView")
        self.controller = controller
        self._practice_coupons = practice_coupons

        self.scan_box = ScanBox()
        self.scan_box.setPlaceholderText(self.tr("扫码或输入券码,按回车"))
        self.hint = label(name="scanHint", wrap=True)
        self.banner = ResultBanner()
        self.card = CouponCard()
        self.help = label(self._help_text(), name="helpText", wrap=True)
        self.help.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.stage = QStackedWidget()
        self.stage.addWidget(self.help)
        self.stage.addWidget(self.card)
        self.recent = RecentList()
        self.practice = PracticePanel() if practice_coupons else None

        side = QVBoxLayout()
        side.setContentsMargins(0, 0, 0, 0)
        self.recent.setMinimumHeight(170)
        side.addWidget(self.recent, 2)
        if self.practice is not None:
            side.addWidget(self.practice, 3)
        side_box = QWidget()
        side_box.setObjectName("counterSide")
        side_box.setLayout(side)
        side_box.setFixedWidth(360)

        body = QHBoxLayout()
        body.setSpacing(20)
        body.addWidget(self.stage, 1)
        body.addWidget(side_box)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(self.scan_box)
        layout.addWidget(self.hint)
        layout.addWidget(self.banner)
        layout.addLayout(body, 1)

        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(BUSY_AFTER_MS)
        self._busy_timer.timeout.connect(self._show_busy)
        self._side_timer = QTimer(self)
        self._side_timer.setSingleShot(True)
        self._side_timer.setInterval(SIDE_AFTER_MS)
        self._side_timer.timeout.connect(self._refresh_side)

        self.scan_box.submitted.connect(controller.submit)
        self.scan_box.confirm_requested.connect(self._enter_on_empty)
        self.scan_box.cancel_requested.connect(controller.cancel)
        self.scan_box.count_step.connect(controller.step_count)
        self.card.step_clicked.connect(controller.step_count)
        self.card.confirm_clicked.connect(controller.confirm)
        self.card.cancel_clicked.connect(controller.cancel)
        controller.phase_changed.connect(self._phase)
        controller.card_changed.connect(self._card)
        controller.count_changed.connect(self.card.show_count)
        controller.result_changed.connect(self._result)
        controller.recent_changed.connect(self._side_timer.start)
        controller.hint.connect(self.hint.setText)
        if self.practice is not None:
            self.practice.picked.connect(self.fill)
        self.recent.show_entries([])
        self._phase("idle")
        self.refresh_practice()
        self._released = False
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusChanged.connect(self._focus_changed)

    def watch_keyboard(self) -> None:
        """Catch scanner keys that land in another widget of this window (eventFilter below).

        Called once the window is on the screen (DesktopApp): an application-wide filter
        installed while the window is built sees every event of the build."""
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.installEventFilter(self)

    def release_keyboard(self) -> None:
        """Undo the application-wide hooks (the window is going away)."""
        self._busy_timer.stop()
        self._side_timer.stop()
        app = QApplication.instance()
        if app is not None and not self._released:
            self._released = True
            app.removeEventFilter(self)
            app.focusChanged.disconnect(self._focus_changed)

    def _help_text(self) -> str:
        return self.tr(
            "操作方法\n"
            "1. 用扫码枪扫顾客抖音里的券码二维码,或手动输入数字券码后按回车\n"
            "2. 核对券信息;一单多张时按 + / − 选择张数\n"
            "3. 按回车确认核销,Esc 取消\n"
            "绿色 = 核销成功,红色 = 未核销(看原因),黄色 = 正在向抖音确认"
        )

    # --- rendering ----------------------------------------------------------------------------
    def _phase(self, phase: str) -> None:
        busy = phase in _BUSY
        self.scan_box.set_locked(busy)
        if busy:
            self._busy_timer.start()
            self.refocus()
            return
        self._busy_timer.stop()
        # one setText per phase: every change of the word-wrapped hint asks for a new layout
        if phase == "idle":
            hint = self.tr("扫描顾客的抖音券二维码,或输入券码后按回车")
            self.banner.show_idle(self.tr("请扫码"), self.tr("等待扫描顾客的团购券"))
            self.stage.setCurrentWidget(self.help)
        elif phase == "card":
            hint = self.tr("回车确认核销 · + / − 调整张数 · Esc 取消")
        else:
            hint = self.tr("扫描顾客的抖音券二维码,或输入券码后按回车")
        self.hint.setText(hint)
        self.refocus()

    def _show_busy(self) -> None:
        """Douyin is taking a while: say so (the input has been locked since the call left)."""
        phase = self.controller.phase
        if phase == "preparing":
            self.hint.setText(self.tr("请稍候,正在向抖音查询"))
            self.banner.show_busy(self.tr("正在查询券信息…"))
        elif phase == "verifying":
            self.hint.setText(self.tr("请稍候,正在向抖音核销,不要重复扫码"))
            self.banner.show_busy(self.tr("正在核销…"))

    def _refresh_side(self) -> None:
        self.recent.show_entries(self.controller.recent)
        self.refresh_practice()

    def _card(self, prepared: PreparedCoupon | None) -> None:
        if prepared is None:
            if self.controller.phase != "card":
                self.stage.setCurrentWidget(self.help)
            return
        self.card.show_coupon(prepared)
        self.banner.show_card(
            self.tr("请核对券信息"),
            self.tr("本单可用 {n} 张 · 回车确认核销").format(n=prepared.usable_count),
        )
        self.stage.setCurrentWidget(self.card)

    def _result(self, result: CounterResult | None) -> None:
        if result is None:
            return
        self.banner.show_result(result)
        self.stage.setCurrentWidget(self.help)
        self._side_timer.start()

    def _enter_on_empty(self) -> None:
        if self.controller.phase == "card":
            self.controller.confirm()

    def refresh_practice(self) -> None:
        if self.practice is not None and self._practice_coupons is not None:
            self.practice.show_coupons(self._practice_coupons())

    def fill(self, text: str) -> None:
        """Put a code or link in the box (practice list); the cashier presses Enter."""
        if not self.scan_box.locked:
            self.scan_box.setText(text)
        self.refocus()

    # --- the one input keeps the focus ------------------------------------------------------
    def refocus(self) -> None:
        if self.isVisible() and QApplication.activeModalWidget() is None:
            self.scan_box.setFocus(Qt.FocusReason.OtherFocusReason)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self.refocus)

    def _routing(self, widget: QObject | None) -> bool:
        """True when keys for `widget` belong in the scan box (same window, no dialog open)."""
        return (
            isinstance(widget, QWidget)
            and widget is not self.scan_box
            and self.isVisible()
            and widget.window() is self.window()
            and QApplication.activeModalWidget() is None
            and QApplication.activePopupWidget() is None
        )

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and self._routing(new):
            QTimer.singleShot(0, self.refocus)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Scanner keystrokes that land anywhere else in this window go to the scan box instead.
        # isinstance first: an application-wide filter sees every event (timers, paints), and
        # event.type() builds a Python enum on each call (bench_app: ~600 events per scan).
        if isinstance(event, QKeyEvent) and event.type() == _KEY_PRESS and self._routing(watched):
            if event.text() or event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape):
                self.scan_box.setFocus(Qt.FocusReason.OtherFocusReason)
                self.scan_box.keyPressEvent(event)
                return True
        return super().eventFilter(watched, event)
