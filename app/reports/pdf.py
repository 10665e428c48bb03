"""The printable day report: a PDF (A4) with store, range, totals, the chart, every breakdown
(including per cashier) and when it was made. QTextDocument lays it out, QPdfWriter writes it
(both in PySide6-Essentials), so no QtPrintSupport or WebEngine is needed; the shop prints the PDF.

The HTML is built on the GUI thread (translations); rendering runs on a worker thread: QPainter
on QImage and QPdfWriter, and QTextDocument, are usable outside the GUI thread.
"""

from __future__ import annotations

import asyncio
import html
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QMarginsF, QRect, QUrl
from PySide6.QtGui import QColor, QFont, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument

from app.common.money import yuan
from app.common.theme import available_families
from app.reports.breakdowns import MEASURES, Breakdown, breakdowns, chart_series, measure_title
from app.reports.chart import ChartSeries, paint_bar_chart
from app.reports.pdf_text import radical_twins, repair_text_layer
from app.reports.report_data import DayReport

CHART_SIZE = (1400, 520)  # pixels of the chart image: sharp at the PDF's printed width
CHART_URL = "chart://day"


def _cell(text: str, right: bool = False, bold: bool = False) -> str:
    align = ' align="right"' if right else ""
    body = f"<b>{html.escape(text)}</b>" if bold else html.escape(text)
    return f"<td{align}>{body}</td>"


def _figure(values: Mapping[str, Any], field: str, money: bool) -> str:
    value = int(values.get(field) or 0)
    return yuan(value) if money else f"{value:,}"


def _measure_cells(values: Mapping[str, Any], bold: bool = False) -> str:
    return "".join(_cell(_figure(values, f, money), right=True, bold=bold) for f, money in MEASURES)


def _table(breakdown: Breakdown, totals: Mapping[str, Any], total_label: str) -> str:
    head = "".join([f"<th align=left>{html.escape(breakdown.key_title)}</th>"] + [
        f"<th align=right>{html.escape(measure_title(f))}</th>" for f, _m in MEASURES])  # fmt: skip
    rows = [
        f"<tr>{_cell(label)}{_measure_cells(row)}</tr>"
        for label, row in zip(breakdown.labels, breakdown.rows, strict=True)
    ]
    rows.append(f"<tr bgcolor='#F3F4F6'>{_cell(total_label, bold=True)}{_measure_cells(totals, bold=True)}</tr>")
    return (
        f"<h3>{html.escape(breakdown.title)}</h3>"
        "<table width='100%' border='1' cellspacing='0' cellpadding='5' style='border-collapse: collapse; "
        f"border-color: #C4C9D2'><thead><tr bgcolor='#E5E7EB'>{head}</tr></thead>{''.join(rows)}</table>"
    )


def page_layout() -> QPageLayout:
    return QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                       QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter)  # fmt: skip


def report_html(report: DayReport, store: str, chart_width: int = 500) -> str:
    """The report's text: shown nowhere else, so it is tested through the PDF's extracted text."""
    translate = QCoreApplication.translate
    words = {
        "title": translate("reports", "核销日报") if report.single_day else translate("reports", "核销报表"),
        "store": translate("reports", "门店"),
        "date": translate("reports", "日期"),
        "made": translate("reports", "生成时间"),
        "total": translate("reports", "合计"),
        "note": translate("reports", "金额为核销成功的记录之和(撤销的不计入);数据与内部接口的汇总报表出自同一查询。"),
    }
    span = report.start.isoformat() if report.single_day else f"{report.start.isoformat()} ~ {report.end.isoformat()}"
    totals = report.totals
    cards = "".join(
        f"<td align=center><div style='color:#4B5563'>{html.escape(measure_title(f))}</div>"
        f"<div style='font-size:13pt; font-weight:bold; white-space:nowrap'>{_figure(totals, f, money)}</div></td>"
        for f, money in MEASURES
    )
    tables = "".join(_table(b, totals, words["total"]) for b in breakdowns(report))
    made = report.generated_at.strftime("%Y-%m-%d %H:%M:%S")
    w = {k: html.escape(v) for k, v in words.items()}
    return f"""
    <html><body>
    <h1 style='margin-bottom:0'>{w["title"]}</h1>
    <table cellspacing='0' cellpadding='2' style='color:#374151'>
      <tr><td>{w["store"]}</td><td>&nbsp;&nbsp;{html.escape(store)}</td></tr>
      <tr><td>{w["date"]}</td><td>&nbsp;&nbsp;{html.escape(span)}</td></tr>
      <tr><td>{w["made"]}</td><td>&nbsp;&nbsp;{html.escape(made)}</td></tr>
    </table><br/>
    <table width='100%' cellspacing='0' cellpadding='8' border='1' style='border-collapse: collapse;
      border-color: #C4C9D2'><tr>{cards}</tr></table>
    <p><img src='{CHART_URL}' width='{chart_width}'/></p>
    {tables}
    <p style='color:#6B7280; font-size:8pt'>{w["note"]}</p>
    </body></html>
    """


def chart_image(series: ChartSeries, font: QFont) -> QImage:
    width, height = CHART_SIZE
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    big = QFont(font)
    big.setPixelSize(30)
    painter = QPainter(image)
    paint_bar_chart(painter, QRect(20, 20, width - 40, height - 40), series, big)
    painter.end()
    return image


def _render(path: Path, markup: str, series: ChartSeries, font: QFont, title: str) -> None:
    writer = QPdfWriter(str(path))
    writer.setTitle(title)
    writer.setCreator("dy-verifier")
    writer.setPageLayout(page_layout())
    writer.setResolution(300)
    document = QTextDocument()
    # Without a page size, print_() adds its own 2 cm margins inside ours; with one, it lays the
    # text out on the printable area (in points) and scales it to the writer's resolution.
    document.setPageSize(writer.pageLayout().paintRect(QPageLayout.Unit.Point).size())
    document.setDocumentMargin(0)
    body = QFont(font)
    body.setPointSizeF(10)
    document.setDefaultFont(body)
    document.addResource(QTextDocument.ResourceType.ImageResource.value, QUrl(CHART_URL),
                         chart_image(series, font))  # fmt: skip
    document.setHtml(markup)
    document.print_(writer)
    del writer  # the file is complete and closed
    repair_text_layer(path, radical_twins(document))


async def write_day_report_pdf(report: DayReport, store: str, path: Path, font: QFont) -> None:
    width = int(page_layout().paintRect(QPageLayout.Unit.Point).width())
    markup = report_html(report, store, chart_width=width)
    series = chart_series(report)
    title = QCoreApplication.translate("reports", "核销日报")
    # The theme's families, Simplified Chinese first, whatever font the caller's widget has: left
    # to Qt's fallback, Han text takes the face of the default locale (Noto Sans CJK JP under
    # English), with Japanese forms, and Qt's PDF engine drops characters drawn with forms its
    # reverse map cannot name (核 and 店 vanished from the text layer).
    pdf_font = QFont(font)
    pdf_font.setFamilies(available_families())
    tmp = path.with_name(f".{path.name}.part")
    try:
        await asyncio.to_thread(_render, tmp, markup, series, pdf_font, title)
        await asyncio.to_thread(os.replace, tmp, path)
    except BaseException:
        await asyncio.to_thread(tmp.unlink, True)
        raise
