"""SandboxState: the sandbox's clock, its orders and coupons, tokens, prepares, faults, counters.

The rules that change it on behalf of Douyin's endpoints live in `rules.py`; this module only
seeds, mints, indexes and lists.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence

from gateway_core.sandbox.data import (
    DAY,
    DEFAULT_SEED,
    POIS_BY_ID,
    PRODUCTS,
    RESTAURANT_POI_IDS,
    SALON_POI_IDS,
    SANDBOX_CLIENT_KEY,
    SANDBOX_CLIENT_SECRET,
    SEED_PLAN,
    Minter,
    end_of_local_day,
    start_of_local_day,
)
from gateway_core.sandbox.faults import FaultSet
from gateway_core.sandbox.models import Certificate, CouponView, Order, Prepare, Verification
from gateway_core.sandbox.tokens import TokenBook
from gateway_core.sandbox.wire import LogIds

Clock = Callable[[], float]

DEFAULT_CANCEL_WINDOW = 3600
# How long a verify_token stays good for its one verify and that verify's replays. Bounded so a
# benchmark pushing thousands of prepares a second does not grow memory without end.
PREPARE_TTL = 1800


class SandboxState:
    def __init__(self, clock: Clock | None = None, *, cancel_window: float = DEFAULT_CANCEL_WINDOW,
                 seed: int = DEFAULT_SEED, token_rate_limit: int | None = 500) -> None:
        self.clock: Clock = clock or time.time
        self.cancel_window = cancel_window
        self.seed = seed
        self.faults = FaultSet()
        self.counters: Counter[str] = Counter()
        self.logids = LogIds()
        self.tokens = TokenBook({SANDBOX_CLIENT_KEY: SANDBOX_CLIENT_SECRET}, rate_limit=token_rate_limit)
        self.offset = 0.0
        self._seed_world(None)

    # -- time --------------------------------------------------------------------------------
    def now(self) -> float:
        return self.clock() + self.offset

    def advance(self, seconds: float) -> float:
        """Move the sandbox clock (tokens, validity, cancel window all follow); returns now."""
        self.offset += seconds
        return self.now()

    # -- world -------------------------------------------------------------------------------
    def reset(self) -> None:
        """Back to the seeded world: coupons, prepares, faults, counters and clock offset.

        Issued tokens survive, as a merchant's data being reset would not log its apps out.
        """
        self.offset = 0.0
        self.faults.clear()
        self.counters.clear()
        self._seed_world(self.minter)

    def _seed_world(self, earlier: Minter | None) -> None:
        self.minter = Minter(self.seed)
        self.orders: dict[str, Order] = {}
        self.orders_by_slug: dict[str, Order] = {}
        self.orders_by_object_id: dict[str, Order] = {}
        self.certs_by_id: dict[str, Certificate] = {}
        self.certs_by_encrypted: dict[str, Certificate] = {}
        self.certs_by_code: dict[str, Certificate] = {}
        self.prepares: dict[str, Prepare] = {}
        self.verifications: dict[str, Verification] = {}
        now = self.now()
        for line in SEED_PLAN:
            product = PRODUCTS[line.product]
            stores = RESTAURANT_POI_IDS if product.poi_kind == "restaurant" else SALON_POI_IDS
            for i in range(line.orders):
                poi_ids = stores if line.scope == "all" else (stores[i % len(stores)],)
                order = self.mint_order(product=line.product, count=line.coupons, poi_ids=poi_ids,
                                        tag=line.tag, paid_days_ago=3 + i % 5)
                self._apply_fate(order, line.fate, now)
        if earlier is not None:
            self.minter.continue_after(earlier)

    def _apply_fate(self, order: Order, fate: str, now: float) -> None:
        kind, _, arg = fate.partition(":")
        if kind == "fresh":
            return
        if kind in {"used", "partly_used"}:
            # Two days back: well outside any cancel window, so these stay used.
            self._seed_verification(order.certificates[0], int(now) - 2 * DAY)
        elif kind == "uses":
            for k in range(int(arg)):
                self._seed_verification(order.certificates[0], int(now) - (k + 2) * DAY)
        elif kind == "expired":
            for cert in order.certificates:
                cert.start_time = start_of_local_day(now - 60 * DAY)
                cert.expire_time = end_of_local_day(now - int(arg) * DAY)
        elif kind == "refunded":
            for cert in order.certificates:
                cert.refunded_at = cert.updated_at = int(now) - DAY
        elif kind == "expires_in":
            for cert in order.certificates:
                cert.expire_time = int(now) + int(arg)
        else:
            raise ValueError(f"unknown seed fate {fate!r}")

    def _seed_verification(self, cert: Certificate, at: int) -> None:
        poi_id = cert.order.poi_ids[0]
        self.record_verification(cert, poi_id, at, None)

    # -- minting -----------------------------------------------------------------------------
    def mint_order(self, *, poi_id: str | None = None, count: int = 1, product: str = "set2",
                   poi_ids: Sequence[str] | None = None, expires_in: float | None = None,
                   tag: str = "minted", paid_days_ago: float = 0) -> Order:
        """A new paid order of `count` usable coupons, e.g. for a benchmark or a test.

        Valid at `poi_ids`, or at `poi_id` alone, or else at every store selling the product;
        expires at the end of the local day 90 days on unless `expires_in` seconds is given.
        """
        if product not in PRODUCTS:
            raise ValueError(f"unknown product {product!r}; one of {sorted(PRODUCTS)}")
        if not 1 <= count <= 100:
            raise ValueError("an order holds 1 to 100 coupons")
        spec = PRODUCTS[product]
        if poi_ids is None:
            poi_ids = (poi_id,) if poi_id else (
                RESTAURANT_POI_IDS if spec.poi_kind == "restaurant" else SALON_POI_IDS)
        unknown = [p for p in poi_ids if p not in POIS_BY_ID]
        if unknown or not poi_ids:
            raise ValueError(f"unknown POI ids {unknown}")
        now = self.now()
        n = self.minter.orders
        order_id = self.minter.order_id()
        name, phone = self.minter.contact(n)
        paid_at = int(now - paid_days_ago * DAY)
        order = Order(order_id=order_id, product=spec, poi_ids=tuple(poi_ids), slug=self.minter.slug(n),
                      object_id=self.minter.object_id(order_id), tag=tag, create_time=paid_at - 47,
                      pay_time=paid_at, contact_name=name, contact_phone=phone)
        start = start_of_local_day(now - 30 * DAY) if paid_days_ago else int(now) - 60
        expire = int(now + expires_in) if expires_in is not None else end_of_local_day(now + 90 * DAY)
        for _ in range(count):
            cert_id = self.minter.certificate_id()
            cert = Certificate(certificate_id=cert_id, code=self.minter.code(spec.code_digits),
                               encrypted_code=self.minter.encrypted_code(cert_id),
                               order_item_id=self.minter.order_item_id(cert_id), order=order,
                               start_time=start, expire_time=expire, updated_at=paid_at)
            order.certificates.append(cert)
            self.certs_by_id[cert_id] = cert
            self.certs_by_encrypted[cert.encrypted_code] = cert
            self.certs_by_code[cert.code] = cert
        self.orders[order_id] = order
        self.orders_by_slug[order.slug] = order
        self.orders_by_object_id[order.object_id] = order
        return order

    def record_verification(self, cert: Certificate, poi_id: str, at: int,
                            verify_token: str | None) -> Verification:
        cert.times_used += 1
        cert.updated_at = at
        verification = Verification(self.minter.verify_id(), cert, at, poi_id, cert.times_used, verify_token)
        cert.verifications.append(verification)
        self.verifications[verification.verify_id] = verification
        return verification

    def refund(self, certificate_id: str) -> Certificate:
        """Refund an unused coupon (a customer asked Douyin for their money back)."""
        cert = self.certs_by_id[certificate_id]
        if cert.times_used:
            raise ValueError("a coupon with a standing verification cannot be refunded")
        cert.refunded_at = cert.updated_at = int(self.now())
        return cert

    # -- prepares ----------------------------------------------------------------------------
    def add_prepare(self, prepare: Prepare) -> None:
        self.prepares[prepare.verify_token] = prepare
        # Insertion order is creation order, so the stale ones are always at the front.
        horizon = prepare.created_at - PREPARE_TTL
        while True:
            oldest = next(iter(self.prepares.values()))
            if oldest.created_at >= horizon:
                break
            del self.prepares[oldest.verify_token]

    def find_prepare(self, verify_token: str) -> Prepare | None:
        prepare = self.prepares.get(verify_token)
        if prepare is None or self.now() - prepare.created_at > PREPARE_TTL:
            return None
        return prepare

    # -- views -------------------------------------------------------------------------------
    def coupons(self, *, tag: str | None = None, state: str | None = None, poi_id: str | None = None,
                groupon_type: int | None = None, order_size: int | None = None) -> list[CouponView]:
        """Every coupon (seeded first, then minted), optionally filtered.

        `poi_id` keeps coupons that store may verify; `state` is usable/used/expired/refunded.
        """
        now = self.now()
        views = []
        for order in self.orders.values():
            if tag is not None and order.tag != tag:
                continue
            if poi_id is not None and poi_id not in order.poi_ids:
                continue
            if groupon_type is not None and order.product.groupon_type != groupon_type:
                continue
            if order_size is not None and len(order.certificates) != order_size:
                continue
            for cert in order.certificates:
                view = self._view(cert, now)
                if state is None or view.state == state:
                    views.append(view)
        return views

    def coupon(self, *, tag: str | None = None, state: str | None = None, poi_id: str | None = None,
               groupon_type: int | None = None, order_size: int | None = None) -> CouponView:
        """The first coupon `coupons()` lists for these filters; LookupError when there is none."""
        found = self.coupons(tag=tag, state=state, poi_id=poi_id, groupon_type=groupon_type,
                             order_size=order_size)
        if not found:
            raise LookupError(f"no sandbox coupon with tag={tag} state={state} poi_id={poi_id} "
                              f"groupon_type={groupon_type} order_size={order_size}")
        return found[0]

    def coupons_of(self, order: Order) -> list[CouponView]:
        now = self.now()
        return [self._view(c, now) for c in order.certificates]

    def _view(self, cert: Certificate, now: float) -> CouponView:
        order = cert.order
        return CouponView(
            tag=order.tag, order_id=order.order_id, certificate_id=cert.certificate_id, code=cert.code,
            encrypted_code=cert.encrypted_code, short_link=order.short_link, slug=order.slug,
            object_id=order.object_id, title=order.product.title, sku_id=order.product.sku_id,
            groupon_type=order.product.groupon_type, poi_ids=order.poi_ids, state=cert.state(now),
            order_size=len(order.certificates), times_count=cert.times_count,
            times_used=cert.times_used, start_time=cert.start_time, expire_time=cert.expire_time,
            pay_amount=order.product.pay_amount,
        )

    def short_link_alive(self, order: Order) -> bool:
        # The QR behind a short link dies once nothing on the order can be verified.
        return order.has_usable(self.now())
