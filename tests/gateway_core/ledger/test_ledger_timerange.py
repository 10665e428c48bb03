"""Contract section 4: start_time / end_time as dates or date-times, local unless an offset is given."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from gateway_core.ledger.timerange import day_range, offset_segments, report_range

SH = "Asia/Shanghai"


def test_a_date_is_the_whole_local_day() -> None:
    start, end = day_range("2026-03-16", SH)
    assert start == datetime(2026, 3, 15, 16, 0, tzinfo=UTC)
    assert end == datetime(2026, 3, 16, 15, 59, 59, 999000, tzinfo=UTC)
    assert day_range(date(2026, 3, 16), ZoneInfo(SH)) == (start, end)


def test_a_date_time_without_offset_is_local_and_one_instant() -> None:
    start, end = day_range("2026-03-16T10:30:00", SH)
    assert start == end == datetime(2026, 3, 16, 2, 30, tzinfo=UTC)
    assert day_range("2026-03-16 10:30", SH)[0] == start


def test_an_offset_or_z_wins_over_the_zone() -> None:
    assert day_range("2026-03-16T10:30:00Z", SH)[0] == datetime(2026, 3, 16, 10, 30, tzinfo=UTC)
    assert day_range("2026-03-16T10:30:00+09:00", SH)[0] == datetime(2026, 3, 16, 1, 30, tzinfo=UTC)
    assert day_range("2026-03-16T10:30:00.123Z", SH)[0].microsecond == 123000


def test_dst_days_are_23_and_25_hours_long() -> None:
    ny = "America/New_York"
    spring = day_range("2026-03-08", ny)
    autumn = day_range("2026-11-01", ny)
    assert (spring[1] - spring[0]).total_seconds() == 23 * 3600 - 0.001
    assert (autumn[1] - autumn[0]).total_seconds() == 25 * 3600 - 0.001


def test_report_range_takes_the_start_of_one_and_the_end_of_the_other() -> None:
    start, end = report_range("2026-03-01", "2026-03-31", SH)
    assert start == datetime(2026, 2, 28, 16, tzinfo=UTC)
    assert end == datetime(2026, 3, 31, 15, 59, 59, 999000, tzinfo=UTC)
    assert report_range(None, None, SH) == (None, None)
    with pytest.raises(ValueError, match="after"):
        report_range("2026-03-02", "2026-03-01", SH)


@pytest.mark.parametrize("bad", ["yesterday", "2026-13-01", "2026-02-30", "16/03/2026", "", "2026-03-16T25:00"])
def test_garbage_is_a_value_error(bad: str) -> None:
    with pytest.raises(ValueError):
        day_range(bad, SH)


def test_offset_segments_find_each_transition_to_the_second() -> None:
    ny = ZoneInfo("America/New_York")
    start = int(datetime(2026, 1, 1, tzinfo=UTC).timestamp())
    end = int(datetime(2027, 1, 1, tzinfo=UTC).timestamp())
    segments = offset_segments(ny, start, end)
    assert segments == [
        (start, -5 * 3600),
        (int(datetime(2026, 3, 8, 7, tzinfo=UTC).timestamp()), -4 * 3600),
        (int(datetime(2026, 11, 1, 6, tzinfo=UTC).timestamp()), -5 * 3600),
    ]
    assert offset_segments(ZoneInfo(SH), start, end) == [(start, 8 * 3600)]
