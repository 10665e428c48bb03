"""Store names for POI ids, so people read 老街坊小馆(望京店) rather than a 19-digit id.

Best effort: one read of the account's store list through the runtime's gateway (Douyin, or the
sandbox in training mode); when that fails (offline, no account id) the ids are shown as they are.
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)


async def load_poi_names(runtime: Any) -> dict[str, str]:
    try:
        raw = await runtime.gateway.query_shops({"page": "1", "size": "50"})
    except Exception as exc:  # names are a nicety: never let them break a report
        log.info("store names unavailable: %s", exc)
        return {}
    names: dict[str, str] = {}
    for entry in (raw.get("data") or {}).get("pois") or []:
        poi = entry.get("poi") or {}
        if poi.get("poi_id") and poi.get("poi_name"):
            names[str(poi["poi_id"])] = str(poi["poi_name"])
    return names


def poi_label(poi_id: str | None, names: dict[str, str]) -> str:
    if not poi_id:
        return ""
    return names.get(poi_id, poi_id)
