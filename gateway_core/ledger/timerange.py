"""Report time ranges (contract section 4) and the UTC offsets of a time zone over a range.

`start_time` / `end_time` are an ISO 8601 date-time, or a date `YYYY-MM-DD` meaning that whole
day; without an offset they are read in the report time zone; both ends are inclusive. The
ledger stores times to the millisecond, so "the whole day" ends at 23:59:59.999 local time.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

ONE_MS = timedelta(milliseconds=1)
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def as_tz(tz: str | tzinfo) -> tzinfo:
    return ZoneInfo(tz) if isinstance(tz, str) else tz


def local_midnight(day: date, tz: tzinfo) -> datetime:
    """The first instant of `day` in `tz`, in UTC (zoneinfo resolves the rare midnight DST gap)."""
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


def day_range(value: str | date | datetime, tz: str | tzinfo) -> tuple[datetime, datetime]:
    """The inclusive UTC range one `start_time`/`end_time` value stands for.

    A date (text `YYYY-MM-DD` or a `date`) is the whole local day: (midnight, next midnight - 1 ms).
    A date-time is that instant (start == end); a naive one is local time in `tz`.
    Raises ValueError on text that is neither.
    """
    zone = as_tz(tz)
    if isinstance(value, str):
        text = value.strip()
        if _DATE_ONLY.match(text):
            value = date.fromisoformat(text)
        else:
            if "T" not in text and " " not in text:
                raise ValueError(f"not an ISO 8601 date or date-time: {value!r}")
            value = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text)
    if isinstance(value, datetime):
        instant = (value if value.tzinfo else value.replace(tzinfo=zone)).astimezone(UTC)
        return instant, instant
    start = local_midnight(value, zone)
    return start, local_midnight(value + timedelta(days=1), zone) - ONE_MS


def report_range(
    start_time: str | None, end_time: str | None, tz: str | tzinfo
) -> tuple[datetime | None, datetime | None]:
    """(start, end) for VerificationFilter from the query's `start_time` and `end_time` texts."""
    start = day_range(start_time, tz)[0] if start_time else None
    end = day_range(end_time, tz)[1] if end_time else None
    if start and end and start > end:
        raise ValueError("start_time is after end_time")
    return start, end


def offset_segments(tz: str | tzinfo, start: int, end: int) -> list[tuple[int, int]]:
    """[(from_unix_seconds, utc_offset_seconds), ...] covering [start, end): the zone's offset
    holds from each `from` until the next. Transitions are found by stepping a day at a time and
    bisecting to the second, so a year costs about 400 utcoffset calls.
    """
    zone = as_tz(tz)

    def offset(t: int) -> int:
        delta = datetime.fromtimestamp(t, UTC).astimezone(zone).utcoffset()
        return int(delta.total_seconds()) if delta is not None else 0

    segments = [(start, offset(start))]
    step = 86_400
    t = start
    while t < end:
        nxt = min(t + step, end)
        if offset(nxt) != segments[-1][1]:
            lo, hi = t, nxt  # offset(lo) is the current one, offset(hi) the new one
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if offset(mid) == segments[-1][1]:
                    lo = mid
                else:
                    hi = mid
            segments.append((hi, offset(hi)))
            t = hi
        else:
            t = nxt
    return segments
