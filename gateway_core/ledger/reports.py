"""Report reads: the filtered list (page + total), keyset iteration for exports, and summaries.

Speed at a million rows comes from three choices:
* every list filter has an index led by it and ending in created_at, so the newest-first page is
  read straight off one index; the page is picked by id first (covering scan, OFFSET over index
  entries only) and only its rows are then fetched;
* totals and summaries read the hourly rollup (kept exact by triggers) for every whole UTC hour of
  the range and the raw rows only for the partial hours at either end;
* local days and hours are computed in SQL from UTC with the zone's offset per segment between DST
  transitions, so grouping by day is one GROUP BY however long the range.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from gateway_core.clock import iso
from gateway_core.ledger.errors import LedgerValidation
from gateway_core.ledger.models import GROUP_BY_KEYS, VERIFY_STATUSES, VerificationFilter
from gateway_core.ledger.timerange import ONE_MS, as_tz, offset_segments
from gateway_core.ledger.views import VIEW_KEYS, VIEW_SELECT, verification_view

ORDER = "ORDER BY v.created_at DESC, v.id DESC"
HOUR = 3600
MEASURES = (
    "total_count",
    "success_count",
    "failed_count",
    "cancelled_count",
    "processing_count",
    "pay_amount",
    "receipt_amount",
    "discount_amount",
)
_EPOCH_DAY0 = date(1970, 1, 1)


# --- filters -------------------------------------------------------------------------------------
def _floor_ms(dt: datetime) -> datetime:
    return dt.replace(microsecond=dt.microsecond // 1000 * 1000)


def end_exclusive(end: datetime) -> datetime:
    """The stored times have millisecond resolution: `<= end` is `< floor_ms(end) + 1 ms`."""
    return _floor_ms(end.astimezone(UTC)) + ONE_MS


def _prefix_end(text: str) -> str | None:
    """The smallest string above every string that starts with `text` (binary collation), or
    None when there is none (the text is all U+10FFFF)."""
    stripped = text.rstrip("\U0010ffff")
    return stripped[:-1] + chr(ord(stripped[-1]) + 1) if stripped else None


def validate_filter(f: VerificationFilter) -> None:
    errors: dict[str, str] = {}
    for name in ("start", "end"):
        value = getattr(f, name)
        if value is not None and value.tzinfo is None:
            errors[name] = "must be timezone-aware"
    if f.status is not None and f.status not in VERIFY_STATUSES:
        errors["status"] = f"must be one of {', '.join(VERIFY_STATUSES)}"
    if errors:
        raise LedgerValidation(errors)


Bounds = tuple[datetime | None, datetime | None]


def where(f: VerificationFilter, bounds: Bounds | None = None) -> tuple[str, list[Any]]:
    """SQL conditions on `verifications v` for the filter; `bounds` [lo, hi) replaces its times."""
    lo, hi = _bounds(f) if bounds is None else bounds
    clauses: list[str] = []
    params: list[Any] = []
    if lo is not None:
        clauses.append("v.created_at >= ?")
        params.append(iso(lo))
    if hi is not None:
        clauses.append("v.created_at < ?")
        params.append(iso(hi))
    for column, value in (
        ("poi_id", f.poi_id),
        ("app_id", f.app_id),
        ("verify_status", f.status),
        ("certificate_id", f.certificate_id),
        ("order_id", f.order_id),
        ("store_id", f.store_id),
        ("operator", f.operator),
    ):
        if value is not None:
            clauses.append(f"v.{column} = ?")
            params.append(value)
    search = (f.search or "").strip()
    if search:
        # Each OR branch can use its own index (code tail, order_id range, certificate_id), so a
        # search costs a few index probes; a tail under 4 characters has no index and scans.
        if len(search) >= 4:
            code = "(v.code_tail4 = ? AND substr(v.origin_code, -?) = ?)"
            code_params: list[Any] = [search[-4:], len(search), search]
        else:
            code = "substr(v.origin_code, -?) = ?"
            code_params = [len(search), search]
        end = _prefix_end(search)
        order = "(v.order_id >= ? AND v.order_id < ?)" if end is not None else "v.order_id >= ?"
        clauses.append(f"({code} OR {order} OR v.certificate_id = ?)")
        params.extend([*code_params, search, *([end] if end is not None else []), search])
    return (" AND ".join(clauses) or "1"), params


def _start_instant(f: VerificationFilter) -> datetime | None:
    """The first stored millisecond the filter's start admits."""
    if f.start is None:
        return None
    start = f.start.astimezone(UTC)
    floored = _floor_ms(start)
    return floored if floored == start else floored + ONE_MS


# --- list ----------------------------------------------------------------------------------------
def list_page(
    conn: sqlite3.Connection, f: VerificationFilter, page: int, page_size: int
) -> tuple[list[dict[str, Any]], int]:
    cond, params = where(f)
    offset = (page - 1) * page_size
    # Pick the page's ids from the index alone (OFFSET then skips index entries, not table rows),
    # then fetch just those rows.
    rows = conn.execute(
        f"""SELECT {VIEW_SELECT} FROM verifications v WHERE v.id IN (
                SELECT v.id FROM verifications v WHERE {cond} {ORDER} LIMIT ? OFFSET ?)
            {ORDER}""",
        (*params, page_size, offset),
    ).fetchall()
    return [verification_view(r) for r in rows], count(conn, f)


def keyset_chunk(
    conn: sqlite3.Connection, f: VerificationFilter, after: tuple[str, int] | None, limit: int
) -> tuple[list[dict[str, Any]], tuple[str, int] | None]:
    """Up to `limit` views older than the cursor `after` (created_at, local id), newest first,
    and the cursor for the next chunk (None at the end)."""
    lo, hi = _bounds(f)
    if after is None:
        cond, params = where(f, (lo, hi))
    else:
        # The cursor replaces the filter's upper bound (every row seen so far was below it): with
        # a single plain `created_at <= ?` SQLite seeks the index straight to the cursor, where
        # two upper bounds, or the row-value comparison alone, make each chunk rescan from the top.
        cond, params = where(f, (lo, None))
        cond += " AND v.created_at <= ? AND (v.created_at, v.id) < (?, ?)"
        params.extend((after[0], *after))
    rows = conn.execute(
        f"SELECT {VIEW_SELECT}, v.id FROM verifications v WHERE {cond} {ORDER} LIMIT ?", (*params, limit)
    ).fetchall()
    views = [verification_view(r) for r in rows]
    cursor = (rows[-1][_CREATED_AT], rows[-1][-1]) if len(rows) == limit else None
    return views, cursor


_CREATED_AT = VIEW_KEYS.index("created_at")


# --- the rollup split ----------------------------------------------------------------------------
def _ceil_hour(dt: datetime) -> int:
    t = dt.timestamp()
    return int(-(-t // HOUR))


def _floor_hour(dt: datetime) -> int:
    return int(dt.timestamp() // HOUR)


def split_by_hours(
    lo: datetime | None, hi: datetime | None
) -> tuple[list[tuple[datetime | None, datetime | None]], tuple[int | None, int | None] | None]:
    """([raw [lo, hi) pieces], rollup hour range [h0, h1) or None) covering [lo, hi)."""
    h0 = _ceil_hour(lo) if lo is not None else None
    h1 = _floor_hour(hi) if hi is not None else None
    if h0 is not None and h1 is not None and h0 >= h1:
        return [(lo, hi)], None
    raw: list[tuple[datetime | None, datetime | None]] = []
    if lo is not None and h0 is not None and lo.timestamp() < h0 * HOUR:
        raw.append((lo, datetime.fromtimestamp(h0 * HOUR, UTC)))
    if hi is not None and h1 is not None and h1 * HOUR < hi.timestamp():
        raw.append((datetime.fromtimestamp(h1 * HOUR, UTC), hi))
    return raw, (h0, h1)


def _rollup_where(f: VerificationFilter, hours: tuple[int | None, int | None]) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if hours[0] is not None:
        clauses.append("hour >= ?")
        params.append(hours[0])
    if hours[1] is not None:
        clauses.append("hour < ?")
        params.append(hours[1])
    for column, value in (
        ("poi_id", f.poi_id),
        ("app_id", f.app_id),
        ("store_id", f.store_id),
        ("operator", f.operator),
    ):
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    return (" AND ".join(clauses) or "1"), params


def rollup_capable(f: VerificationFilter) -> bool:
    return f.certificate_id is None and f.order_id is None and not (f.search or "").strip()


def _bounds(f: VerificationFilter) -> tuple[datetime | None, datetime | None]:
    return _start_instant(f), (end_exclusive(f.end) if f.end is not None else None)


# --- count ---------------------------------------------------------------------------------------
def count(conn: sqlite3.Connection, f: VerificationFilter) -> int:
    """Exact total of rows matching `f`: the rollup for whole hours, raw rows for the rest."""
    if not rollup_capable(f):
        cond, params = where(f)
        return int(conn.execute(f"SELECT COUNT(*) FROM verifications v WHERE {cond}", params).fetchone()[0])
    lo, hi = _bounds(f)
    raw, hours = split_by_hours(lo, hi)
    total = 0
    for a, b in raw:
        cond, params = where(f, (a, b))
        total += conn.execute(f"SELECT COUNT(*) FROM verifications v WHERE {cond}", params).fetchone()[0]
    if hours is not None:
        cond, params = _rollup_where(f, hours)
        column = f"{f.status}_count" if f.status else "total_count"
        total += conn.execute(
            f"SELECT COALESCE(SUM({column}), 0) FROM verification_hourly WHERE {cond}", params
        ).fetchone()[0]
    return int(total)


# --- summary -------------------------------------------------------------------------------------
def _case_offset(t: str, segments: Sequence[tuple[int, int]]) -> str:
    """SQL for the zone's UTC offset (seconds) at Unix time `t`."""
    if len(segments) == 1:
        return str(segments[0][1])
    branches = " ".join(
        f"WHEN {t} < {start} THEN {segments[i - 1][1]}" for i, (start, _) in enumerate(segments) if i > 0
    )
    return f"(CASE {branches} ELSE {segments[-1][1]} END)"


def _key_sql(key: str, t: str, off: str, *, rollup: bool) -> str:
    if key == "day":
        return f"(({t}) + {off}) / 86400"  # local day number since 1970-01-01
    if key == "hour":
        return f"((({t}) + {off}) / 3600) * 3600 - {off}"  # UTC instant of the local hour's start
    if key in ("store_id", "operator") and rollup:
        return f"NULLIF({key}, '')"  # the rollup keeps NULL as '' (NULLs never match in a key)
    return f"v.{key}" if not rollup else key


def _data_bounds(conn: sqlite3.Connection) -> tuple[int, int] | None:
    # Two statements: SQLite answers a lone MIN or MAX from the index end, but not both at once.
    low = conn.execute("SELECT MIN(created_at) FROM verifications").fetchone()[0]
    high = conn.execute("SELECT MAX(created_at) FROM verifications").fetchone()[0]
    if low is None:
        return None
    first = datetime.fromisoformat(low.replace("Z", "+00:00"))
    last = datetime.fromisoformat(high.replace("Z", "+00:00"))
    return int(first.timestamp()) - 1, int(last.timestamp()) + 2


def summary(
    conn: sqlite3.Connection, f: VerificationFilter, group_by: Sequence[str], tz: str | tzinfo
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Counts per status and success amounts, per group; rows sorted by their keys."""
    bad = [k for k in group_by if k not in GROUP_BY_KEYS]
    if bad or len(set(group_by)) != len(group_by):
        raise LedgerValidation({"group_by": f"use distinct keys among {', '.join(GROUP_BY_KEYS)}"})
    zone = as_tz(tz)
    keys = list(group_by)
    lo, hi = _bounds(f)
    timed = "day" in keys or "hour" in keys
    segments: list[tuple[int, int]] = [(0, 0)]
    if timed:
        # The zone's offsets are needed only where rows are: a query up to the year 9999 would
        # otherwise step through eight millennia a day at a time (seconds of CPU per request; found
        # by schemathesis as a read timeout).
        data = _data_bounds(conn)
        if data is None:
            return [], _empty_totals()
        a = max(int(lo.timestamp()), data[0]) if lo else data[0]
        b = min(int(hi.timestamp()) + 1, data[1]) if hi else data[1]
        if a > b:  # no row inside the range at all
            return [], _empty_totals()
        segments = offset_segments(zone, a, b)
    # The rollup's UTC hours split cleanly into local days/hours only where every offset and every
    # transition falls on a whole hour (true of China and of most DST zones; not of India or Nepal).
    whole_hours = all(off % HOUR == 0 and start % HOUR == 0 for start, off in segments[1:]) and (
        segments[0][1] % HOUR == 0
    )
    groups: dict[tuple[Any, ...], list[Any]] = {}
    if rollup_capable(f) and (whole_hours or not timed):
        raw, hours = split_by_hours(lo, hi)
        for a_, b_ in raw:
            _raw_summary(conn, f, a_, b_, keys, segments, groups)
        if hours is not None:
            _rollup_summary(conn, f, hours, keys, segments, groups)
    else:
        _raw_summary(conn, f, lo, hi, keys, segments, groups)
    return _finish(groups, keys, zone)


_COUNTED = ("success", "failed", "cancelled", "processing")
_AMOUNTS = ("pay_amount", "receipt_amount", "discount_amount")


def _raw_summary(
    conn: sqlite3.Connection,
    f: VerificationFilter,
    lo: datetime | None,
    hi: datetime | None,
    keys: list[str],
    segments: Sequence[tuple[int, int]],
    groups: dict[tuple[Any, ...], list[Any]],
) -> None:
    t = "CAST(strftime('%s', v.created_at) AS INTEGER)"
    off = _case_offset(t, segments)
    cond, params = where(f, (lo, hi))
    key_cols = [_key_sql(k, t, off, rollup=False) for k in keys]
    ok = "v.verify_status = 'success'"
    measures = [f"SUM(v.verify_status = '{st}')" for st in _COUNTED]
    measures += [f"SUM(CASE WHEN {ok} THEN v.{a} ELSE 0 END)" for a in _AMOUNTS]
    name = ["MAX(v.app_name)"] if "app_id" in keys else []
    select = ", ".join([*key_cols, *name, *measures])
    _collect(conn, f"SELECT {select} FROM verifications v WHERE {cond} {_group(key_cols)}", params, keys, groups)


def _rollup_summary(
    conn: sqlite3.Connection,
    f: VerificationFilter,
    hours: tuple[int | None, int | None],
    keys: list[str],
    segments: Sequence[tuple[int, int]],
    groups: dict[tuple[Any, ...], list[Any]],
) -> None:
    cond, params = _rollup_where(f, hours)
    # The rollup counts every status; a status filter keeps only that status's count (and the
    # success amounts only when it is `success`).
    measures = [f"SUM({st}_count)" if f.status in (None, st) else "0" for st in _COUNTED]
    measures += [f"SUM({a})" if f.status in (None, "success") else "0" for a in _AMOUNTS]
    t = "hour * 3600"
    off = _case_offset(t, segments)
    key_cols = [_key_sql(k, t, off, rollup=True) for k in keys]
    if keys and set(keys) <= {"day", "hour"}:
        # Two levels: group by `hour` first, which follows the primary key (no sort), then fold
        # the few hundred hourly sums into days; about half the cost of one GROUP BY on the day.
        inner_cols = ", ".join(f"{m} AS m{i}" for i, m in enumerate(measures))
        inner = f"SELECT hour, {inner_cols} FROM verification_hourly WHERE {cond} GROUP BY hour"
        outer = ", ".join(f"SUM(m{i})" for i in range(len(measures)))
        sql = f"SELECT {', '.join(key_cols)}, {outer} FROM ({inner}) {_group(key_cols)}"
    else:
        # The app's name from the rollup rows that count under this filter only: another name of
        # the same app_id (a renamed app, another store's app) must not win with zero rows.
        counted = " + ".join(f"{st}_count" for st in _COUNTED if f.status in (None, st))
        name = [f"MAX(CASE WHEN {counted} > 0 THEN app_name END)"] if "app_id" in keys else []
        select = ", ".join([*key_cols, *name, *measures])
        sql = f"SELECT {select} FROM verification_hourly WHERE {cond} {_group(key_cols)}"
    _collect(conn, sql, params, keys, groups)


def _group(key_cols: list[str]) -> str:
    return f"GROUP BY {', '.join(str(i + 1) for i in range(len(key_cols)))}" if key_cols else ""


def _collect(
    conn: sqlite3.Connection, sql: str, params: list[Any], keys: list[str], groups: dict[tuple[Any, ...], list[Any]]
) -> None:
    """Merge one query's groups into `groups`: key -> [app_name, total, 4 counts, 3 amounts]."""
    n = len(keys)
    want_name = "app_id" in keys
    for row in conn.execute(sql, params):
        values = [int(v or 0) for v in row[n + want_name :]]
        counted = sum(values[:4])
        # A rollup row whose rows all went away keeps its key (and app name) with zero counts:
        # its name must not outrank the names of rows that still exist.
        name = row[n] if want_name and counted else None
        key = tuple(row[:n])
        acc = groups.get(key)
        if acc is None:
            groups[key] = [name, counted, *values]
            continue
        if name is not None and (acc[0] is None or name > acc[0]):
            acc[0] = name
        acc[1] += counted
        for i, v in enumerate(values, start=2):
            acc[i] += v


def _label(key: str, value: Any, zone: tzinfo) -> Any:
    if key == "day":
        return (_EPOCH_DAY0 + timedelta(days=int(value))).isoformat()
    if key == "hour":
        return datetime.fromtimestamp(int(value), UTC).astimezone(zone).isoformat(timespec="minutes")
    return value


def _empty_totals() -> dict[str, Any]:
    return dict.fromkeys(MEASURES, 0)


def _finish(
    groups: dict[tuple[Any, ...], list[Any]], keys: list[str], zone: tzinfo
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    totals = _empty_totals()
    rows: list[dict[str, Any]] = []
    for key in sorted(groups, key=lambda k: tuple((v is None, v) for v in k)):
        acc = groups[key]
        if acc[1] == 0:
            continue
        row: dict[str, Any] = {}
        for name, value in zip(keys, key, strict=True):
            row[name] = _label(name, value, zone)
            if name == "app_id":
                row["app_name"] = acc[0]
        for measure, value in zip(MEASURES, acc[1:], strict=True):
            row[measure] = value
            totals[measure] += value
        rows.append(row)
    return rows, totals
