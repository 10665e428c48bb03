"""Enrichment after a verify, end to end against the sandbox: what it reads from the order."""

from __future__ import annotations

import asyncio


async def enriched(gateway, verification_id: int) -> dict:
    for _ in range(200):
        view = await gateway.runtime.ledger.get_verification(verification_id)
        if view["enrichment_status"] != "pending":
            return view
        await asyncio.sleep(0.05)
    raise AssertionError("enrichment did not run")


async def verify(gateway, code: str) -> dict:
    r = await gateway.client.post("/v1/open/coupons/verify", {"poi_id": gateway.poi_id, "code": code})
    assert r.status_code == 200, r.text
    return await enriched(gateway, r.json()["data"]["id"])


async def test_verify_records_count_counts_the_used_coupons_of_the_order(gateway):
    order = gateway.sandbox.state.mint_order(poi_id=gateway.poi_id, count=4)
    view = await verify(gateway, order.certificates[0].code)
    assert view["enrichment_status"] == "enriched"
    assert view["verify_records_count"] == 1  # 1 of 4 used, not the 3 still unused
    view = await verify(gateway, order.certificates[1].code)
    assert view["verify_records_count"] == 2
