"""The report list: filters, paging, totals, search, and keyset iteration for exports."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from ledger_support import make_row

from gateway_core.clock import iso
from gateway_core.ledger import Ledger, LedgerValidation, VerificationFilter, day_range

BASE = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai


@pytest.fixture
async def filled(ledger: Ledger, counter_app: dict[str, Any]) -> list[dict[str, Any]]:
    """60 rows over three Shanghai days, two POIs, two apps, three operators, all statuses.
    Every fifth row shares its created_at with the previous one (ties must page correctly)."""
    erp = (await ledger.create_app("ERP", "erp"))["app"]
    views = []
    for i in range(60):
        at = BASE + timedelta(hours=(i // 20) * 24, minutes=7 * (i - (i % 5 == 4)))
        app = counter_app if i % 3 else erp
        row = make_row(
            app["id"],
            poi_id="poi-a" if i % 2 else "poi-b",
            operator=["小王", "小李", None][i % 3],
            created_at=iso(at),
            origin_code=f"8800{i:04d}",
            order_id=f"ord-{i:03d}",
            certificate_id=f"cert-{i:03d}",
            pay_amount=100 * i,
        )
        [view] = await ledger.insert_processing([row])
        status = ["success", "success", "failed", "cancelled", "processing"][i % 5]
        if status == "cancelled":
            await ledger.update_verification(view["id"], {"verify_status": "success"})
        if status != "processing":
            view = await ledger.update_verification(view["id"], {"verify_status": status})
        views.append(view)
    return views


def _newest_first(views: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(views, key=lambda v: (v["created_at"], v["id"]), reverse=True)


@pytest.mark.parametrize(
    ("filters", "keep"),
    [
        (VerificationFilter(), lambda v: True),
        (VerificationFilter(poi_id="poi-a"), lambda v: v["poi_id"] == "poi-a"),
        (VerificationFilter(status="cancelled"), lambda v: v["verify_status"] == "cancelled"),
        (VerificationFilter(operator="小李"), lambda v: v["operator"] == "小李"),
        (
            VerificationFilter(store_id="store-1", poi_id="poi-b", status="success"),
            lambda v: v["poi_id"] == "poi-b" and v["verify_status"] == "success",
        ),
        (VerificationFilter(certificate_id="cert-007"), lambda v: v["certificate_id"] == "cert-007"),
        (VerificationFilter(order_id="ord-042"), lambda v: v["order_id"] == "ord-042"),
        (VerificationFilter(search="0042"), lambda v: v["origin_code"].endswith("0042")),  # code tail
        (VerificationFilter(search="42"), lambda v: v["origin_code"].endswith("42")),  # short tail
        (VerificationFilter(search="ord-04"), lambda v: v["order_id"].startswith("ord-04")),  # order prefix
        (VerificationFilter(search="cert-013"), lambda v: v["certificate_id"] == "cert-013"),
        # Both ends land exactly on rows (the start on a tie of two): both are included.
        (
            VerificationFilter(start=BASE + timedelta(days=1, minutes=161), end=BASE + timedelta(days=1, minutes=231)),
            lambda v: (
                iso(BASE + timedelta(days=1, minutes=161))
                <= v["created_at"]
                <= iso(BASE + timedelta(days=1, minutes=231))
            ),
        ),
    ],
)
async def test_filters_pages_and_totals(ledger: Ledger, filled, filters: VerificationFilter, keep) -> None:
    expected = _newest_first([v for v in filled if keep(v)])
    assert 0 < len(expected) < len(filled) or filters == VerificationFilter()
    seen: list[dict[str, Any]] = []
    page = 1
    while True:
        views, total = await ledger.list_verifications(filters, page=page, page_size=7)
        assert total == len(expected)
        if not views:
            break
        seen.extend(views)
        page += 1
    assert [v["id"] for v in seen] == [v["id"] for v in expected]
    assert seen[0] == await ledger.get_verification(seen[0]["id"])


async def test_app_filter_and_the_end_of_a_range_is_inclusive(ledger: Ledger, filled) -> None:
    first = filled[0]
    at = datetime.fromisoformat(first["created_at"].replace("Z", "+00:00"))
    views, total = await ledger.list_verifications(VerificationFilter(start=at, end=at, app_id=first["app_id"]))
    assert [v["id"] for v in views] == [first["id"]] and total == 1


async def test_a_shanghai_day_range_selects_that_local_day(ledger: Ledger, filled) -> None:
    start, end = day_range("2026-03-11", ZoneInfo("Asia/Shanghai"))
    views, total = await ledger.list_verifications(VerificationFilter(start=start, end=end), page_size=100)
    assert total == 20 and all(v["created_at"].startswith("2026-03-11") for v in views)


async def test_iteration_covers_every_row_exactly_once(ledger: Ledger, filled) -> None:
    for filters in (VerificationFilter(), VerificationFilter(poi_id="poi-a"), VerificationFilter(search="88")):
        chunks = [chunk async for chunk in ledger.iter_verifications(filters, chunk=4)]
        ids = [v["id"] for chunk in chunks for v in chunk]
        expected, total = await ledger.list_verifications(filters, page_size=200)
        assert ids == [v["id"] for v in expected]  # newest first, no gaps, no repeats across ties
        assert len(ids) == len(set(ids)) == total
        assert all(len(c) <= 4 for c in chunks)


async def test_iteration_ignores_rows_written_while_it_runs(ledger: Ledger, filled) -> None:
    ids = []
    async for chunk in ledger.iter_verifications(VerificationFilter(), chunk=10):
        ids.extend(v["id"] for v in chunk)
        await ledger.insert_processing([make_row()])  # newer than the cursor: not part of this export
    assert sorted(ids) == sorted(v["id"] for v in filled)


async def test_summary_by_day_poi_operator(ledger: Ledger, filled) -> None:
    rows, totals = await ledger.summary(VerificationFilter(), ["day", "poi_id"], "Asia/Shanghai")
    assert [(r["day"], r["poi_id"]) for r in rows] == [
        (d, p) for d in ("2026-03-10", "2026-03-11", "2026-03-12") for p in ("poi-a", "poi-b")
    ]
    assert totals["total_count"] == 60
    assert totals["success_count"] == 24 and totals["cancelled_count"] == 12 and totals["processing_count"] == 12
    assert totals["pay_amount"] == sum(v["pay_amount"] for v in filled if v["verify_status"] == "success")
    by_app, _ = await ledger.summary(VerificationFilter(), ["app_id"], "Asia/Shanghai")
    assert [(r["app_id"], r["app_name"]) for r in by_app] == [(1, "收银台"), (2, "ERP")]
    assert list(by_app[0])[:3] == ["app_id", "app_name", "total_count"]


async def test_bad_filters_and_group_keys(ledger: Ledger) -> None:
    with pytest.raises(LedgerValidation):
        await ledger.list_verifications(VerificationFilter(status="done"))
    with pytest.raises(LedgerValidation):
        await ledger.list_verifications(VerificationFilter(start=datetime(2026, 1, 1)))  # naive
    with pytest.raises(LedgerValidation):
        await ledger.summary(VerificationFilter(), ["week"], "UTC")


async def test_summary_in_a_half_hour_zone_splits_utc_hours(ledger: Ledger) -> None:
    """India is UTC+05:30: local midnight falls mid-way through a UTC hour, so the rollup's hours
    cannot be used for days there; the answer must still be exact."""
    for stamp in ("2026-03-01T18:15:00.000Z", "2026-03-01T18:45:00.000Z"):  # 23:45 and 00:15 IST
        await ledger.insert_processing([make_row(created_at=stamp)])
    rows, _ = await ledger.summary(VerificationFilter(), ["day"], "Asia/Kolkata")
    assert [(r["day"], r["total_count"]) for r in rows] == [("2026-03-01", 1), ("2026-03-02", 1)]
    hours, _ = await ledger.summary(VerificationFilter(), ["hour"], "Asia/Kolkata")
    assert [h["hour"] for h in hours] == ["2026-03-01T23:00+05:30", "2026-03-02T00:00+05:30"]


async def test_a_range_to_the_year_9999_looks_up_zone_offsets_only_where_rows_are(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Offsets were worked out a day at a time over the whole asked range: eight millennia of
    them per request (a read timeout under schemathesis). The answer is the same either way."""
    from gateway_core.ledger import reports

    spans: list[int] = []
    real = reports.offset_segments
    monkeypatch.setattr(reports, "offset_segments", lambda tz, a, b: spans.append(b - a) or real(tz, a, b))
    await ledger.insert_processing([make_row()])
    wide = VerificationFilter(
        start=datetime(2000, 1, 1, tzinfo=UTC), end=datetime(9999, 12, 31, tzinfo=UTC)
    )
    rows, totals = await ledger.summary(wide, ["day"], "Asia/Shanghai")
    assert totals["total_count"] == 1 and len(rows) == 1
    assert spans and max(spans) < 86_400 * 2
    nothing = VerificationFilter(start=datetime(5000, 1, 1, tzinfo=UTC), end=datetime(9999, 12, 31, tzinfo=UTC))
    _, empty_totals = await ledger.summary(nothing, [], "UTC")
    assert await ledger.summary(nothing, ["day"], "Asia/Shanghai") == ([], empty_totals)
