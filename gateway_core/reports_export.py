"""Exports of the verification list and the summary to files: CSV and Excel (.xlsx).

Plain functions over the reports service (`list_verifications` / `iter_verifications` /
`summary`), so any front end can call them (the Electrum pattern: the core writes, the GUI picks a
file name). Every chunk is formatted and written on a worker thread; the event loop only awaits.
A file appears at its final path only when complete (written beside it, then renamed).

* CSV: exactly the columns of the HTTP API's `export=csv` (contract §4: every VerificationView
  field, money in fen, times in UTC), UTF-8 with a BOM, so scripts treat both exports alike.
* Excel: for people. Local times, status words, money in yuan as numbers (two decimals, summable),
  ids as text (Excel would turn a 19-digit order id into 1.09E+18), headers in the asked language.
"""

from __future__ import annotations

import asyncio
import csv
import os
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any, Protocol

from gateway_core.clock import parse_iso
from gateway_core.ledger import VIEW_KEYS, VerificationFilter
from gateway_core.ledger.timerange import as_tz

CSV_BOM = "\ufeff"
Progress = Callable[[int], None]  # rows written so far

# The contract's VerificationView fields, in order: the same header as the HTTP export.
VIEW_FIELDS: tuple[str, ...] = VIEW_KEYS
MONEY_FIELDS = frozenset({"pay_amount", "receipt_amount", "discount_amount"})

STATUS_WORDS: dict[str, tuple[str, str]] = {
    "success": ("核销成功", "Redeemed"),
    "processing": ("确认中", "Confirming"),
    "failed": ("核销失败", "Failed"),
    "cancelled": ("已撤销", "Undone"),
}


class ReportsReader(Protocol):
    def iter_verifications(self, flt: VerificationFilter) -> AsyncIterator[list[dict[str, Any]]]: ...

    async def list_verifications(
        self, flt: VerificationFilter, page: int = 1, page_size: int = 50
    ) -> tuple[list[dict[str, Any]], int]: ...


@dataclass(frozen=True)
class SheetColumn:
    key: str
    zh: str
    en: str
    kind: str = "text"  # text | time | money | status | int

    def title(self, language: str) -> str:
        return self.en if language == "en" else self.zh


# The people's export: what a manager reconciles against Douyin's statement, in reading order.
PEOPLE_COLUMNS: tuple[SheetColumn, ...] = (
    SheetColumn("created_at", "核销时间", "Time", "time"),
    SheetColumn("verify_status", "状态", "Status", "status"),
    SheetColumn("product_name", "商品", "Product"),
    SheetColumn("pay_amount", "实付金额(元)", "Paid (CNY)", "money"),
    SheetColumn("receipt_amount", "券面价值(元)", "Coupon value (CNY)", "money"),
    SheetColumn("discount_amount", "优惠金额(元)", "Discount (CNY)", "money"),
    SheetColumn("operator", "收银员", "Cashier"),
    SheetColumn("poi_id", "门店ID", "Store (POI) id"),
    SheetColumn("app_name", "来源", "Source"),
    SheetColumn("order_id", "订单号", "Order id"),
    SheetColumn("certificate_id", "券ID", "Certificate id"),
    SheetColumn("verify_id", "核销ID", "Verify id"),
    SheetColumn("origin_code", "券码(后4位)", "Code (last 4)"),
    SheetColumn("error_description", "失败原因", "Failure reason"),
    SheetColumn("cancelled_at", "撤销时间", "Undone at", "time"),
    SheetColumn("id", "记录号", "Record no.", "int"),
)


def _fen_to_yuan(value: Any) -> float:
    # Any fen amount below 2**53 divides to the nearest double of its exact 2-decimal value.
    return round(int(value or 0) / 100, 2)


def _local(value: Any, zone: tzinfo) -> datetime | None:
    if not value:
        return None
    # Excel has no time zones: a naive local time reads as the store's clock.
    return parse_iso(str(value)).astimezone(zone).replace(tzinfo=None, microsecond=0)


def people_cell(column: SheetColumn, view: dict[str, Any], zone: tzinfo, language: str) -> Any:
    value = view.get(column.key)
    if column.kind == "money":
        return _fen_to_yuan(value)
    if column.kind == "time":
        return _local(value, zone)
    if column.kind == "status":
        words = STATUS_WORDS.get(str(value))
        return (words[1] if language == "en" else words[0]) if words else value
    if column.kind == "int":
        return int(value) if value is not None else None
    if column.key == "origin_code":
        return ("****" + str(value)[-4:]) if value else ""  # a file leaves the counter: no usable codes
    return "" if value is None else str(value)


# ------------------------------------------------------------------------------ the list
async def _atomic(path: Path, write: Callable[[Path], Any]) -> Any:
    tmp = path.with_name(f".{path.name}.part")
    try:
        result = await write(tmp)
        await asyncio.to_thread(os.replace, tmp, path)
        return result
    except BaseException:
        await asyncio.to_thread(tmp.unlink, True)
        raise


async def write_csv(
    reports: ReportsReader, flt: VerificationFilter, path: Path, progress: Progress | None = None
) -> int:
    """The whole filtered range as the HTTP API's CSV; returns the number of rows written."""

    async def write(tmp: Path) -> int:
        out = await asyncio.to_thread(open, tmp, "w", encoding="utf-8", newline="")
        try:
            writer = csv.writer(out)
            await asyncio.to_thread(lambda: (out.write(CSV_BOM), writer.writerow(VIEW_FIELDS)))
            rows = 0

            def append(chunk: list[dict[str, Any]]) -> None:
                writer.writerows(["" if v.get(f) is None else v.get(f) for f in VIEW_FIELDS] for v in chunk)

            async for chunk in reports.iter_verifications(flt):
                await asyncio.to_thread(append, chunk)
                rows += len(chunk)
                if progress:
                    progress(rows)
            return rows
        finally:
            await asyncio.to_thread(out.close)

    return int(await _atomic(path, write))


async def write_xlsx(
    reports: ReportsReader,
    flt: VerificationFilter,
    path: Path,
    *,
    timezone: str | tzinfo = "Asia/Shanghai",
    language: str = "zh_CN",
    progress: Progress | None = None,
    about: Sequence[tuple[str, str]] = (),
) -> int:
    """The whole filtered range as an Excel workbook for people (see the module docstring).

    Write-only mode streams rows to disk, so memory stays flat for a million rows. `about` rows
    (label, value), e.g. the date range and when it was made, go on a second sheet.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    zone = as_tz(timezone)
    lang = "en" if language.startswith("en") else "zh"

    async def write(tmp: Path) -> int:
        book = Workbook(write_only=True)
        sheet = book.create_sheet("核销记录" if lang == "zh" else "Verifications")
        for i, column in enumerate(PEOPLE_COLUMNS):
            width = 20 if column.kind == "time" or column.key.endswith("_id") else 14
            sheet.column_dimensions[_letter(i)].width = width
        sheet.freeze_panes = "A2"
        bold = Font(bold=True)
        header = []
        for column in PEOPLE_COLUMNS:
            cell = WriteOnlyCell(sheet, value=column.title(lang))
            cell.font = bold
            header.append(cell)
        sheet.append(header)

        def append(chunk: list[dict[str, Any]]) -> None:
            for view in chunk:
                row = []
                for column in PEOPLE_COLUMNS:
                    cell = WriteOnlyCell(sheet, value=people_cell(column, view, zone, lang))
                    if column.kind == "money":
                        cell.number_format = "0.00"
                    elif column.kind == "time":
                        cell.number_format = "yyyy-mm-dd hh:mm:ss"
                    row.append(cell)
                sheet.append(row)

        rows = 0
        async for chunk in reports.iter_verifications(flt):
            await asyncio.to_thread(append, chunk)
            rows += len(chunk)
            if progress:
                progress(rows)
        if about:
            info = book.create_sheet("导出信息" if lang == "zh" else "About")
            for label, value in about:
                info.append([label, value])
        await asyncio.to_thread(book.save, tmp)
        return rows

    return int(await _atomic(path, write))


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index + 1))


# ------------------------------------------------------------------------------ the summary
@dataclass(frozen=True)
class SummaryTable:
    """One breakdown of the day report (by day, store, app or cashier) for an export."""

    title: str
    key_titles: Sequence[str]  # headers of the key columns
    keys: Sequence[Sequence[Any]]  # per row: the key cell values
    rows: Sequence[dict[str, Any]]  # per row: the VerificationSummaryRow (measures)


# People's order (as on the day report screen): what was redeemed and for how much, then the rest.
SUMMARY_COLUMNS: tuple[str, ...] = (
    "success_count", "pay_amount", "receipt_amount", "discount_amount", "cancelled_count", "failed_count",
    "processing_count", "total_count",
)  # fmt: skip
SUMMARY_TITLES: dict[str, tuple[str, str]] = {
    "success_count": ("核销笔数", "Redeemed"),
    "pay_amount": ("实付金额(元)", "Paid (CNY)"),
    "receipt_amount": ("券面价值(元)", "Coupon value (CNY)"),
    "discount_amount": ("优惠金额(元)", "Discount (CNY)"),
    "cancelled_count": ("已撤销", "Undone"),
    "failed_count": ("失败", "Failed"),
    "processing_count": ("确认中", "Confirming"),
    "total_count": ("记录数", "Records"),
}


def summary_measure(field: str, row: dict[str, Any]) -> Any:
    value = row.get(field, 0)
    return _fen_to_yuan(value) if field in MONEY_FIELDS else int(value or 0)


def _summary_lines(table: SummaryTable, totals: dict[str, Any] | None, lang: str) -> list[list[Any]]:
    header = [*table.key_titles, *(SUMMARY_TITLES[f][1 if lang == "en" else 0] for f in SUMMARY_COLUMNS)]
    lines: list[list[Any]] = [header]
    for key, row in zip(table.keys, table.rows, strict=True):
        lines.append([*key, *(summary_measure(f, row) for f in SUMMARY_COLUMNS)])
    if totals is not None:
        label = ["Total" if lang == "en" else "合计", *[""] * (len(table.key_titles) - 1)]
        lines.append([*label, *(summary_measure(f, totals) for f in SUMMARY_COLUMNS)])
    return lines


async def write_summary_csv(
    tables: Sequence[SummaryTable], totals: dict[str, Any], path: Path, *, language: str = "zh_CN"
) -> None:
    """Each breakdown as a block (title line, header, rows, total), blank lines between blocks."""
    lang = "en" if language.startswith("en") else "zh"

    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8", newline="") as out:
            out.write(CSV_BOM)
            writer = csv.writer(out)
            for i, table in enumerate(tables):
                if i:
                    writer.writerow([])
                writer.writerow([table.title])
                writer.writerows(
                    [[f"{v:.2f}" if isinstance(v, float) else v for v in line]
                     for line in _summary_lines(table, totals, lang)]
                )  # fmt: skip

    async def run(tmp: Path) -> None:
        await asyncio.to_thread(write, tmp)

    await _atomic(path, run)


async def write_summary_xlsx(
    tables: Sequence[SummaryTable],
    totals: dict[str, Any],
    path: Path,
    *,
    language: str = "zh_CN",
    about: Sequence[tuple[str, str]] = (),
) -> None:
    """One sheet per breakdown, money as numbers in yuan, a total row at the bottom."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    lang = "en" if language.startswith("en") else "zh"

    def write(tmp: Path) -> None:
        book = Workbook()
        default = book.active
        if default is not None:
            book.remove(default)
        bold = Font(bold=True)
        for table in tables:
            sheet = book.create_sheet(_sheet_name(table.title))
            lines = _summary_lines(table, totals, lang)
            for line in lines:
                sheet.append(line)
            for cell in sheet[1]:
                cell.font = bold
            for cell in sheet[len(lines)]:
                cell.font = bold
            first_measure = len(table.key_titles) + 1
            for row in sheet.iter_rows(min_row=2, min_col=first_measure):
                for cell in row:
                    if SUMMARY_COLUMNS[cell.column - first_measure] in MONEY_FIELDS:
                        cell.number_format = "0.00"
            for i in range(len(lines[0])):
                sheet.column_dimensions[_letter(i)].width = 16
        if about:
            info = book.create_sheet("导出信息" if lang == "zh" else "About")
            for label, value in about:
                info.append([label, value])
        book.save(tmp)

    async def run(tmp: Path) -> None:
        await asyncio.to_thread(write, tmp)

    await _atomic(path, run)


def _sheet_name(title: str) -> str:
    # Excel: at most 31 characters, none of []:*?/\
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in title)
    return cleaned[:31] or "Sheet"
