"""Reports and exports agree with what was redeemed."""

from __future__ import annotations

import csv
import io

from gateway_core.sandbox import SANDBOX_POIS


async def _redeem_some(gateway) -> list[dict]:
    views = []
    for count, poi in [(1, SANDBOX_POIS[0].poi_id), (2, SANDBOX_POIS[0].poi_id), (1, SANDBOX_POIS[1].poi_id)]:
        order = gateway.sandbox.state.mint_order(poi_id=poi, count=count)
        r = await gateway.client.post(
            "/v1/open/coupons/verify", {"poi_id": poi, "code": order.certificates[0].code, "count": count}
        )
        assert r.status_code == 200, r.text
        views.extend(r.json()["items"])
    r = await gateway.client.post("/v1/open/coupons/verify", {"poi_id": SANDBOX_POIS[0].poi_id, "code": "404404404404"})
    assert r.status_code == 422
    return views


async def test_list_filters_and_paging(gateway):
    views = await _redeem_some(gateway)
    r = await gateway.internal.internal("GET", "/v1/internal/reports/verifications", params={"page_size": "2"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] == 4  # the refused unknown code never reached a verify row
    assert body["page"] == 1 and body["page_size"] == 2
    assert len(body["data"]) == 2
    ids = [v["id"] for v in body["data"]]
    assert ids == sorted(ids, reverse=True)  # newest first
    r = await gateway.internal.internal(
        "GET", "/v1/internal/reports/verifications", params={"poi_id": SANDBOX_POIS[1].poi_id}
    )
    assert r.json()["total"] == 1
    cert = views[0]["certificate_id"]
    r = await gateway.internal.internal("GET", "/v1/internal/reports/verifications", params={"certificate_id": cert})
    assert [v["certificate_id"] for v in r.json()["data"]] == [cert]
    r = await gateway.internal.internal("GET", "/v1/internal/reports/verifications", params={"status": "failed"})
    assert r.json()["total"] == 0
    r = await gateway.internal.internal("GET", "/v1/internal/reports/verifications", params={"status": "bogus"})
    assert r.status_code == 400
    r = await gateway.internal.internal(
        "GET", "/v1/internal/reports/verifications", params={"start_time": "not-a-date"}
    )
    assert r.status_code == 400


async def test_csv_export_has_every_row_of_the_range(gateway):
    views = await _redeem_some(gateway)
    r = await gateway.internal.internal(
        "GET", "/v1/internal/reports/verifications", params={"export": "csv", "page_size": "1"}
    )
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    assert r.content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert len(rows) == len(views)
    assert {int(row["id"]) for row in rows} == {v["id"] for v in views}
    assert sum(int(row["pay_amount"]) for row in rows) == sum(v["pay_amount"] for v in views)


async def test_summary_matches_the_rows(gateway):
    views = await _redeem_some(gateway)
    r = await gateway.internal.internal(
        "GET", "/v1/internal/reports/verifications/summary", params={"group_by": "day,poi_id"}
    )
    assert r.status_code == 200, r.text
    body = r.json()
    totals = body["totals"]
    assert totals["success_count"] == len(views)
    assert totals["pay_amount"] == sum(v["pay_amount"] for v in views)
    by_poi = {row["poi_id"]: row for row in body["data"]}
    assert by_poi[SANDBOX_POIS[0].poi_id]["success_count"] == 3
    assert by_poi[SANDBOX_POIS[1].poi_id]["success_count"] == 1
    assert all("day" in row for row in body["data"])
    r = await gateway.internal.internal(
        "GET", "/v1/internal/reports/verifications/summary", params={"group_by": "app_id", "export": "csv"}
    )
    assert r.status_code == 200
    assert r.content.startswith("\ufeff".encode())
    r = await gateway.internal.internal(
        "GET", "/v1/internal/reports/verifications/summary", params={"group_by": "colour"}
    )
    assert r.status_code == 400


async def test_cancelled_rows_leave_the_takings(gateway):
    views = await _redeem_some(gateway)
    r = await gateway.client.post(f"/v1/open/coupons/{views[0]['id']}/cancel")
    assert r.status_code == 200, r.text
    r = await gateway.internal.internal("GET", "/v1/internal/reports/verifications/summary", params={"group_by": "day"})
    totals = r.json()["totals"]
    assert totals["cancelled_count"] == 1
    assert totals["success_count"] == len(views) - 1
    assert totals["pay_amount"] == sum(v["pay_amount"] for v in views[1:])
