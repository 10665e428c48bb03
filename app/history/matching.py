"""Does a row that just changed belong in the list on screen?

The ledger answers this in SQL for the pages it reads (gateway_core.ledger.reports.where); a row
announced by an event after the list was read is checked here with the same rules, so a new
redemption appears at the top only when the filters on screen would have found it.
"""

from __future__ import annotations

from typing import Any

from gateway_core.clock import parse_iso
from gateway_core.ledger import VerificationFilter


def matches(flt: VerificationFilter, view: dict[str, Any]) -> bool:
    created = view.get("created_at")
    if created and (flt.start is not None or flt.end is not None):
        at = parse_iso(created)
        if flt.start is not None and at < flt.start:
            return False
        if flt.end is not None and at > flt.end:
            return False
    for key, wanted in (
        ("poi_id", flt.poi_id), ("app_id", flt.app_id), ("verify_status", flt.status),
        ("certificate_id", flt.certificate_id), ("order_id", flt.order_id), ("store_id", flt.store_id),
        ("operator", flt.operator),
    ):  # fmt: skip
        if wanted is not None and view.get(key) != wanted:
            return False
    search = (flt.search or "").strip()
    if search:
        code = view.get("origin_code") or ""
        order = view.get("order_id") or ""
        if not (code.endswith(search) or order.startswith(search) or view.get("certificate_id") == search):
            return False
    return True
