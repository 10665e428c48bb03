"""The full-width answer strip: its colour alone tells the cashier what happened.

Kinds map to style-sheet selectors (resources/style/app.qss, `#resultBanner[kind="..."]`).
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from app.cashier.results import CounterResult
from app.common.widgets import label, repolish


class ResultBanner(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultBanner")
        self.kind = ""
        self.headline = label(name="bannerHeadline", wrap=True)
        self.reason = label(name="bannerReason", wrap=True)
        self.detail = label(name="bannerDetail", wrap=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 20, 32, 20)
        layout.setSpacing(6)
        for w in (self.headline, self.reason, self.detail):
            layout.addWidget(w)
        # Hidden lines give their room back (no retainSizeWhenHidden): keeping it saved a relayout
        # per state change but squeezed the coupon card below until its amounts were clipped on a
        # 768-pixel-high screen; the card's figures matter more than a few milliseconds.
        self._dots = 0
        self._busy_text = ""
        self._spin = QTimer(self)
        self._spin.setInterval(300)
        self._spin.timeout.connect(self._tick)

    def _set(self, kind: str, headline: str, reason: str = "", detail: str = "") -> None:
        self._spin.stop()
        if kind != self.kind:
            self.kind = kind
            self.setProperty("kind", kind)
            # the labels' colours hang off the banner's kind: they need a re-polish of their own
            # (only on a change: a re-polish costs about a millisecond per widget)
            for widget in (self, self.headline, self.reason, self.detail):
                repolish(widget)
        self.headline.setText(headline)
        self.reason.setText(reason)
        self.reason.setVisible(bool(reason))
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))

    def show_idle(self, prompt: str, detail: str = "") -> None:
        self._set("idle", prompt, "", detail)

    def show_card(self, text: str, detail: str) -> None:
        self._set("card", text, "", detail)

    def show_busy(self, text: str) -> None:
        self._set("busy", text)
        self._busy_text = text.rstrip("…. ")
        self._dots = 0
        self._spin.start()

    def show_result(self, result: CounterResult) -> None:
        self._set(result.kind, result.headline, result.reason, result.detail)

    def _tick(self) -> None:
        # moving dots: the cashier sees the app is alive while Douyin thinks
        self._dots = (self._dots + 1) % 4
        self.headline.setText(self._busy_text + "." * self._dots)
