"""Why a prepared order holds no usable coupon: used, expired or refunded, in the cashier's words.

Douyin's prepare answers an order with nothing left to redeem with success and an empty list, so
"nothing usable" alone would leave the cashier guessing. One certificate/query by order id tells.
"""

from __future__ import annotations

import logging

from gateway_core.douyin import DouyinClient
from gateway_core.douyin import errors as dy
from gateway_core.service import reasons
from gateway_core.service.errors import ServiceError
from gateway_core.service.models import PreparedCoupon

log = logging.getLogger(__name__)


async def explain_unusable(douyin: DouyinClient, prepared: PreparedCoupon) -> ServiceError:
    """The 422 refusal for an empty prepare; NO_USABLE when Douyin cannot say more."""
    reason = reasons.NO_USABLE
    if prepared.order_id:
        try:
            states = {c.coupon_status for c in await douyin.query_certificates(order_id=prepared.order_id)}
        except (dy.DouyinError, ValueError) as exc:
            log.info("could not tell why order …%s has nothing usable: %s", prepared.order_id[-4:], exc)
            states = set()
        if states and states <= {"verified"}:
            reason = reasons.USED
        elif states and states <= {"expired"}:
            reason = reasons.EXPIRED
        elif "verified" in states and not states - {"verified", "refunded", "expired"}:
            reason = reasons.USED if "refunded" not in states else reasons.NO_USABLE
    return ServiceError(422, "coupon_rejected", reason.en, reason.zh)
