"""A small bar chart drawn with QPainter (QtCharts lives in PySide6-Addons, which we leave out).

`paint_bar_chart` draws on any QPainter, so the same picture goes on screen and into the PDF.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from PySide6.QtCore import QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from app.common.money import yuan

BAR_COLOUR = QColor("#2f6fb3")
GRID_COLOUR = QColor("#e3e6ea")
AXIS_COLOUR = QColor("#5f6670")
TEXT_COLOUR = QColor("#2b2f33")


@dataclass(frozen=True)
class ChartSeries:
    """One bar per bucket: label under it, amount in fen, and how many redemptions it holds."""

    title: str
    labels: list[str] = field(default_factory=list)
    amounts: list[int] = field(default_factory=list)
    counts: list[int] = field(default_factory=list)
    empty_text: str = ""

    @property
    def is_empty(self) -> bool:
        return not any(self.amounts)


def nice_step(top: float, ticks: int = 5) -> float:
    """A 1-2-5 step so axis labels read ¥500, ¥1,000 ... rather than ¥437.2."""
    if top <= 0:
        return 1.0
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return float(factor * power)
    return float(10 * power)


def axis_label(fen: int) -> str:
    """Whole yuan on the axis (the bars' tooltips carry cents)."""
    text = yuan(fen)
    return text[:-3] if text.endswith(".00") else text


def scaled_font(font: QFont, factor: float) -> QFont:
    """`font` made `factor` times as big, whether it was sized in points or in pixels."""
    out = QFont(font)
    if font.pixelSize() > 0:
        out.setPixelSize(max(8, round(font.pixelSize() * factor)))
    else:
        out.setPointSizeF(max(6.0, font.pointSizeF() * factor))
    return out


def bar_label(fen: int) -> str:
    """Whole yuan without the sign above a bar (the axis says ¥): short enough for 24 bars."""
    return f"{round(fen / 100):,}"


@dataclass(frozen=True)
class ChartLayout:
    plot: QRect
    bar_rects: list[QRectF]


def layout_chart(rect: QRect, series: ChartSeries, metrics: QFontMetrics) -> tuple[ChartLayout, int, int]:
    """Where the plot and each bar go; also returns the axis top (fen) and step (fen)."""
    top_fen = max(series.amounts, default=0)
    step = max(1, int(nice_step(top_fen / 100.0) * 100))
    axis_top = max(step, math.ceil(top_fen / step) * step)
    widest = max(metrics.horizontalAdvance(axis_label(v)) for v in range(0, axis_top + 1, step))
    line = metrics.height()
    plot = QRect(
        rect.left() + widest + 12,
        rect.top() + line * 2 + 6,
        max(10, rect.width() - widest - 24),
        max(10, rect.height() - line * 4 - 12),
    )
    n = max(1, len(series.amounts))
    slot = plot.width() / n
    # A few days in a wide chart would make slabs: bars stay at most a few label-widths wide.
    width = min(slot - min(slot * 0.25, 12.0), metrics.horizontalAdvance("¥00,000") * 1.6)
    bars: list[QRectF] = []
    for i, amount in enumerate(series.amounts):
        height = plot.height() * (amount / axis_top) if axis_top else 0.0
        left = plot.left() + (i + 0.5) * slot - width / 2
        bars.append(QRectF(left, plot.bottom() - height, width, height))
    return ChartLayout(plot, bars), axis_top, step


def paint_bar_chart(painter: QPainter, rect: QRect, series: ChartSeries, font: QFont) -> ChartLayout:
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setFont(font)
    metrics = QFontMetrics(font, painter.device())
    layout, axis_top, step = layout_chart(rect, series, metrics)
    plot = layout.plot
    line = metrics.height()

    title_font = QFont(font)
    title_font.setBold(True)
    painter.setFont(title_font)
    painter.setPen(TEXT_COLOUR)
    painter.drawText(QRect(rect.left(), rect.top(), rect.width(), line + 4),
                     Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, series.title)
    painter.setFont(font)

    # horizontal grid with ¥ labels
    for value in range(0, axis_top + 1, step):
        y = plot.bottom() - plot.height() * value / axis_top
        painter.setPen(QPen(GRID_COLOUR if value else AXIS_COLOUR, 1))
        painter.drawLine(QPoint(plot.left(), round(y)), QPoint(plot.right(), round(y)))
        painter.setPen(AXIS_COLOUR)
        painter.drawText(QRect(rect.left(), round(y - line / 2), plot.left() - rect.left() - 6, line),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, axis_label(value))

    if series.is_empty:
        painter.setPen(AXIS_COLOUR)
        painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, series.empty_text)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(BAR_COLOUR)
    for bar in layout.bar_rects:
        if bar.height() > 0:
            painter.drawRect(bar)

    # amount above a bar only when it fits; otherwise the tooltip tells it
    painter.setPen(TEXT_COLOUR)
    small = scaled_font(font, 0.85)
    painter.setFont(small)
    small_metrics = QFontMetrics(small, painter.device())
    for bar, amount in zip(layout.bar_rects, series.amounts, strict=True):
        label = bar_label(amount)
        if amount and small_metrics.horizontalAdvance(label) <= bar.width() + 4:
            painter.drawText(QRectF(bar.left() - 20, bar.top() - line - 2, bar.width() + 40, line),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, label)
    painter.setFont(font)

    # x labels: thin them out so they never overlap
    painter.setPen(AXIS_COLOUR)
    if series.labels:
        slot = plot.width() / len(series.labels)
        widest = max(metrics.horizontalAdvance(s) for s in series.labels) + 8
        every = max(1, math.ceil(widest / max(slot, 1)))
        for i, label in enumerate(series.labels):
            if i % every:
                continue
            centre = plot.left() + (i + 0.5) * slot
            box = QRectF(centre - slot * every / 2, plot.bottom() + 4, slot * every, line)
            painter.drawText(box, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, label)
    painter.restore()
    return layout


class BarChart(QWidget):
    """The day report's chart: amounts (¥) by hour or by day; hover a bar for its figures."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._series = ChartSeries(title="")
        self._layout: ChartLayout | None = None
        self.setMouseTracking(True)
        self.setMinimumHeight(220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def series(self) -> ChartSeries:
        return self._series

    def set_series(self, series: ChartSeries) -> None:
        self._series = series
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(640, 280)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().base())
        self._layout = paint_bar_chart(painter, self.rect().adjusted(8, 8, -8, -8), self._series, self.font())
        painter.end()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._layout is None:
            return
        pos = event.position()
        plot = self._layout.plot
        for i, bar in enumerate(self._layout.bar_rects):
            if bar.left() <= pos.x() <= bar.right() and plot.top() <= pos.y() <= plot.bottom():
                count = self._series.counts[i] if i < len(self._series.counts) else 0
                text = self.tr("{label}:{amount},{count} 笔").format(
                    label=self._series.labels[i], amount=yuan(self._series.amounts[i]), count=count)
                QToolTip.showText(event.globalPosition().toPoint(), text, self)
                return
        QToolTip.hideText()
