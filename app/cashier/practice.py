"""Training mode: a short, varied list of the sandbox's test coupons to practise on.

One order per kind of case (a single set meal, a voucher, a table of four, a time card, an
already used one, an expired one, one for another store...), so a trainee meets every answer the
counter can give without scrolling through dozens of near-identical coupons.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

STATE_ZH = {"usable": "可用", "used": "已使用", "expired": "已过期", "refunded": "已退款"}
STATE_EN = {"usable": "usable", "used": "used", "expired": "expired", "refunded": "refunded"}


@dataclass(frozen=True)
class PracticeCoupon:
    title: str
    code: str
    short_link: str
    state: str
    order_size: int
    other_store: bool


def practice_coupons(coupons: list[Any], poi_id: str, english: bool = False) -> list[PracticeCoupon]:
    """The first coupon of the first order of each tag, plus one valid only at another store."""
    picked: list[PracticeCoupon] = []
    seen_tags: set[str] = set()
    other_store_added = False
    for c in coupons:
        at_ours = poi_id in tuple(c.poi_ids)
        if not at_ours:
            if other_store_added or c.state != "usable":
                continue
            other_store_added = True
        elif c.tag in seen_tags:
            continue
        else:
            seen_tags.add(c.tag)
        states = STATE_EN if english else STATE_ZH
        state = states.get(c.state, c.state)
        size = f" ×{c.order_size}" if c.order_size > 1 else ""
        note = (" · other store" if english else " · 其他门店") if not at_ours else ""
        picked.append(PracticeCoupon(f"{c.title}{size}", c.code, c.short_link, state + note, c.order_size, not at_ours))
    return picked
