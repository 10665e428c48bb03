"""The history table: verifications newest first, read from the ledger a page at a time.

* `canFetchMore` / `fetchMore` grow the list a page at a time as the view scrolls near its end;
  the read runs on the ledger's reader threads, the GUI thread only inserts the rows it gets.
* Memory stays bounded however far one scrolls: only the most recently used pages are kept; a
  dropped page shows placeholders for the moment it takes to read it again.
* Rows that change after the list was read (a redemption settling, an undo) arrive through
  `apply_change` and are updated in place; new ones matching the filters appear at the top.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections import OrderedDict
from datetime import datetime, tzinfo
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont

from app.common import tasks
from app.common.errors import describe_error
from app.common.money import yuan
from app.common.session import display_name
from app.history.columns import COLUMNS, Column, header_text
from app.history.formatting import local_time, mask_code, status_colour, status_label, store_zone
from app.history.matching import matches
from app.history.rows import HistoryRow, Interner, row_from_view, rows_from_views
from app.history.source import Cursor, PageSource, snapshot
from app.reports.poi_names import poi_label
from gateway_core.clock import parse_iso
from gateway_core.ledger import VerificationFilter

log = logging.getLogger(__name__)

Index = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the HistoryRow behind any cell
_DISPLAY = Qt.ItemDataRole.DisplayRole
_FOREGROUND = Qt.ItemDataRole.ForegroundRole
_FONT = Qt.ItemDataRole.FontRole
_ALIGN = Qt.ItemDataRole.TextAlignmentRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_ROLES = frozenset({_DISPLAY, ROW_ROLE, _FOREGROUND, _FONT, _ALIGN, _TOOLTIP})
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
FORMAT_CACHE = 4096  # rows whose cell texts are kept: several screens' worth
MAX_CACHED_PAGES = 40  # 20,000 rows at the default page size: a few MB


class HistoryTableModel(QAbstractTableModel):
    loading_changed = Signal(bool)
    total_changed = Signal(int)
    load_failed = Signal(str)

    def __init__(
        self,
        source: PageSource,
        zone: tzinfo | None = None,
        max_cached_pages: int = MAX_CACHED_PAGES,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._source = source
        self._zone = zone or store_zone(None)
        self._max_pages = max(2, max_cached_pages)
        self._intern = Interner()
        self._bold = QFont()
        self._bold.setBold(True)
        self._filter = VerificationFilter()
        self._poi_names: dict[str, str] = {}
        self._cells = functools.lru_cache(maxsize=FORMAT_CACHE)(self._format)
        self._reset_state()

    def _reset_state(self) -> None:
        self._generation = getattr(self, "_generation", 0) + 1
        self._snapshot: VerificationFilter | None = None  # the filter pinned at the first page
        self._anchor: datetime | None = None  # created_at of the newest row of the first page
        self._head: list[HistoryRow] = []  # rows announced after the list was read, newest first
        self._pages: OrderedDict[int, list[HistoryRow]] = OrderedDict()  # LRU: last used at the end
        self._where: dict[int, tuple[int, int]] = {}  # id -> (page, offset) of cached page rows
        self._paged_rows = 0  # rows of the pages fetched so far (cached or not)
        self._cursors: list[Cursor | None] = [None]  # where each page starts; one more than pages read
        self._total: int | None = None
        self._exhausted = False
        self._fetching = False
        self._reloading: set[int] = set()

    # ------------------------------------------------------------------ filter and paging
    @property
    def filter(self) -> VerificationFilter:
        return self._filter

    @property
    def page_size(self) -> int:
        return self._source.page_size

    @property
    def total(self) -> int | None:
        """Rows matching the filter (the ledger's count) plus those that arrived since."""
        return None if self._total is None else self._total + len(self._head)

    @property
    def loading(self) -> bool:
        return self._fetching or bool(self._reloading)

    def cached_pages(self) -> int:
        return len(self._pages)

    def set_poi_names(self, names: dict[str, str]) -> None:
        self._poi_names = dict(names)
        self._cells.cache_clear()
        if self.rowCount():
            column = COLUMNS.index(Column.POI)
            self.dataChanged.emit(self.index(0, column), self.index(self.rowCount() - 1, column))

    def clear_text_cache(self) -> None:
        """After a change of language: cell texts are formatted again when next shown."""
        self._cells.cache_clear()
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, len(COLUMNS) - 1))

    def set_filter(self, flt: VerificationFilter) -> None:
        """Show `flt`'s rows from the newest; the first page is read at once."""
        self.beginResetModel()
        self._filter = flt
        self._reset_state()
        self.endResetModel()
        self.fetchMore(QModelIndex())

    def refresh(self) -> None:
        self.set_filter(self._filter)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if parent.isValid() or self._exhausted or self._fetching:
            return  # one read at a time; the view asks again when the rows land
        self._fetching = True
        self.loading_changed.emit(True)
        page = self._paged_rows // self.page_size
        tasks.spawn(self._fetch_next(self._generation, page), name="history-page")

    async def _fetch_next(self, generation: int, page: int) -> None:
        try:
            result = await self._source.page(self._snapshot or self._filter, self._cursors[page])
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            if generation == self._generation:
                log.exception("history page %d failed", page)
                self._fetching = False
                self._exhausted = True  # stop the view from asking again in a loop; refresh retries
                self.loading_changed.emit(False)
                self.load_failed.emit(describe_error(exc))
            return
        if generation != self._generation:
            return  # the filter changed while this page was read
        views = result.views
        if page == 0:
            self._snapshot = snapshot(self._filter, views[0] if views else None)
            self._anchor = parse_iso(views[0]["created_at"]) if views else None
            self._total = result.total
            self.total_changed.emit(self.total or 0)
        rows = rows_from_views(views, self._intern)
        self._fetching = False
        if result.next is None:
            self._exhausted = True
        else:
            self._cursors.append(result.next)
        first = len(self._head) + self._paged_rows
        if rows:
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._store_page(page, rows)
            self._paged_rows += len(rows)
            self.endInsertRows()
        self.loading_changed.emit(False)

    # ------------------------------------------------------------------ the page cache
    def _store_page(self, page: int, rows: list[HistoryRow]) -> None:
        self._pages[page] = rows
        self._pages.move_to_end(page)
        for offset, row in enumerate(rows):
            self._where[row.id] = (page, offset)
        while len(self._pages) > self._max_pages:
            old, dropped = self._pages.popitem(last=False)
            for row in dropped:
                if self._where.get(row.id, (None,))[0] == old:
                    del self._where[row.id]

    def row_at(self, row: int) -> HistoryRow | None:
        """The row shown at `row`, or None while its page is being read again."""
        head = len(self._head)
        if row < head:
            return self._head[row] if row >= 0 else None
        page, offset = divmod(row - head, self._source.page_size)
        rows = self._pages.get(page)
        if rows is None:
            self._reload(page)
            return None
        self._pages.move_to_end(page)
        return rows[offset] if offset < len(rows) else None

    def _reload(self, page: int) -> None:
        if page in self._reloading or self._snapshot is None:
            return
        self._reloading.add(page)
        tasks.spawn(self._read_again(self._generation, page), name="history-reload")

    async def _read_again(self, generation: int, page: int) -> None:
        try:
            result = await self._source.page(self._snapshot or self._filter, self._cursors[page])
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.exception("history page %d could not be read again", page)
            if generation == self._generation:
                self._reloading.discard(page)
                self.load_failed.emit(describe_error(exc))
            return
        if generation != self._generation:
            return
        self._reloading.discard(page)
        rows = rows_from_views(result.views, self._intern)
        expected = min(self.page_size, self._paged_rows - page * self.page_size)
        if len(rows) != expected:
            # Rows left the filter while the page was away (an undo under "success only"): the
            # pages after it would no longer line up, so read the list afresh.
            log.info("history page %d changed size (%d -> %d): refreshing", page, expected, len(rows))
            self.refresh()
            return
        self._store_page(page, rows)
        top = len(self._head) + page * self.page_size
        self.dataChanged.emit(self.index(top, 0), self.index(top + len(rows) - 1, len(COLUMNS) - 1))

    # ------------------------------------------------------------------ live changes
    def apply_change(self, view: dict[str, Any]) -> None:
        """A verification row changed in the ledger: update it here, or add it at the top."""
        row_id = int(view.get("id") or 0)
        for i, existing in enumerate(self._head):
            if existing.id == row_id:
                self._head[i] = row_from_view(view, self._intern)
                self._emit_row_changed(i)
                return
        place = self._where.get(row_id)
        if place is not None:
            page, offset = place
            rows = self._pages.get(page)
            if rows is not None and offset < len(rows) and rows[offset].id == row_id:
                rows[offset] = row_from_view(view, self._intern)
                self._emit_row_changed(len(self._head) + page * self.page_size + offset)
            return
        if self._is_new(view) and matches(self._filter, view):
            self.beginInsertRows(QModelIndex(), 0, 0)
            self._head.insert(0, row_from_view(view, self._intern))
            self.endInsertRows()
            if self._total is not None:
                self.total_changed.emit(self.total or 0)

    def _is_new(self, view: dict[str, Any]) -> bool:
        """Newer than the pinned list: no page can hold it, so it belongs in the head."""
        if self._snapshot is None:
            # The first page has not arrived: it will contain this row if it matches.
            return False
        created = view.get("created_at")
        if self._anchor is None or not created:
            return True  # the list was empty when read: anything announced since is new
        return parse_iso(created) > self._anchor

    def _emit_row_changed(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    # ------------------------------------------------------------------ Qt model API
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._head) + self._paged_rows

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return header_text(COLUMNS[section])
        if role == Qt.ItemDataRole.TextAlignmentRole and COLUMNS[section] is Column.AMOUNT:
            return _RIGHT
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called ~7 times per visible cell per frame: unasked roles leave before any lookup.
        if role not in _ROLES or not index.isValid():
            return None
        row = self.row_at(index.row())
        column = index.column()
        if row is None:
            return "…" if role == _DISPLAY and column == 0 else None
        if role == _DISPLAY:
            return self._cells(row)[column]
        if role == ROW_ROLE:
            return row
        kind = COLUMNS[column]
        if role == _FOREGROUND:
            return status_colour(row.status) if kind is Column.STATUS else None
        if role == _FONT:
            return self._bold if kind is Column.STATUS else None
        if role == _ALIGN:
            return _RIGHT if kind is Column.AMOUNT else None
        return self._tooltip(row, kind)

    def _format(self, row: HistoryRow) -> tuple[str, ...]:
        """Every cell's text of one row, in column order (cached: a frame asks for each often)."""
        texts = {
            Column.TIME: local_time(row.created_at, self._zone),
            Column.STATUS: status_label(row.status),
            Column.PRODUCT: row.product,
            Column.AMOUNT: yuan(row.pay_amount),
            Column.CASHIER: display_name(row.operator),  # the demo cashier in the screen's language
            Column.POI: poi_label(row.poi_id, self._poi_names),
            Column.CODE: mask_code(row.code_tail),
            Column.ORDER: row.order_id,
            Column.APP: row.app_name,
        }
        return tuple(texts[c] for c in COLUMNS)

    def _tooltip(self, row: HistoryRow, column: Column) -> str | None:
        if column is Column.STATUS and row.error:
            return row.error  # why Douyin refused, in its own words
        if column is Column.POI:
            return row.poi_id
        if column is Column.TIME and row.verified_at:
            return self.tr("核销时间 {time}").format(time=local_time(row.verified_at, self._zone))
        return None
