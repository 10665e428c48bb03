"""The sandbox's world: credentials, stores, products, seed scenarios and the id/code minter.

Everything here is deterministic for a given seed, so the coupon sheet a trainer prints today
still works tomorrow; only validity times move with the sandbox clock.
"""

from __future__ import annotations

import base64
import hashlib
import math
from dataclasses import dataclass
from typing import NamedTuple

SANDBOX_CLIENT_KEY = "sandbox_client_key"
SANDBOX_CLIENT_SECRET = "sandbox_client_secret"
SANDBOX_ACCOUNT_ID = "7136512394856202311"
SANDBOX_ACCOUNT_NAME = "街坊生活服务(北京)有限公司"
SHORT_LINK_HOST = "v.douyin.com"
DEFAULT_SEED = 20260316

# Douyin reports local (Beijing) day boundaries: validity ends at 23:59:59 +08:00.
BEIJING_OFFSET = 8 * 3600
DAY = 86400


@dataclass(frozen=True, slots=True)
class Poi:
    poi_id: str
    poi_name: str
    short_name: str
    address: str
    latitude: float
    longitude: float
    poi_account_id: str
    kind: str  # "restaurant" or "salon": decides which products the store sells

    def to_dict(self) -> dict[str, object]:
        return {
            "poi_id": self.poi_id,
            "poi_name": self.poi_name,
            "address": self.address,
            "latitude": self.latitude,
            "longitude": self.longitude,
        }


SANDBOX_POIS: tuple[Poi, ...] = (
    # The first id is the one in the product's own API examples, so copied examples just work.
    Poi("7182937465123456789", "老街坊小馆(望京店)", "望京", "北京市朝阳区阜通东大街6号院3号楼1层",
        39.996712, 116.470293, "7182937465100000101", "restaurant"),
    Poi("7203461180244379653", "老街坊小馆(国贸店)", "国贸", "北京市朝阳区建国门外大街1号国贸商城B1层",
        39.909014, 116.460461, "7203461180200000102", "restaurant"),
    Poi("7219985532014766089", "老街坊小馆(中关村店)", "中关村", "北京市海淀区中关村大街27号中关村大厦2层",
        39.983424, 116.316142, "7219985532000000103", "restaurant"),
    Poi("7240117893658423301", "剪刀手美发(望京SOHO店)", "美发", "北京市朝阳区望京街10号望京SOHO T1 B1-12",
        39.996250, 116.481420, "7240117893600000104", "salon"),
)
POIS_BY_ID: dict[str, Poi] = {p.poi_id: p for p in SANDBOX_POIS}
RESTAURANT_POI_IDS: tuple[str, ...] = tuple(p.poi_id for p in SANDBOX_POIS if p.kind == "restaurant")
SALON_POI_IDS: tuple[str, ...] = tuple(p.poi_id for p in SANDBOX_POIS if p.kind == "salon")


@dataclass(frozen=True, slots=True)
class Product:
    key: str
    sku_id: str
    title: str
    groupon_type: int  # 1 团餐券, 2 代金券, 3 次卡
    list_market_amount: int  # 门市价, fen
    original_amount: int  # 售价 on Douyin, fen
    merchant_ticket_amount: int  # merchant-funded discount
    platform_discount_amount: int
    payment_discount_amount: int
    times_count: int  # 1 except for 次卡
    poi_kind: str
    code_digits: int
    third_sku_id: str = ""

    @property
    def pay_amount(self) -> int:
        return (self.original_amount - self.merchant_ticket_amount - self.platform_discount_amount
                - self.payment_discount_amount)

    @property
    def coupon_pay_amount(self) -> int:
        # Douyin: coupon_pay_amount = pay_amount + payment_discount_amount (douyin-upstream.md §3).
        return self.pay_amount + self.payment_discount_amount

    def amount(self) -> dict[str, int]:
        return {
            "original_amount": self.original_amount,
            "list_market_amount": self.list_market_amount,
            "pay_amount": self.pay_amount,
            "coupon_pay_amount": self.coupon_pay_amount,
            "merchant_ticket_amount": self.merchant_ticket_amount,
            "payment_discount_amount": self.payment_discount_amount,
            "platform_discount_amount": self.platform_discount_amount,
        }


GROUPON_TYPE_NAMES = {1: "团餐券", 2: "代金券", 3: "次卡"}

PRODUCTS: dict[str, Product] = {
    p.key: p
    for p in (
        # The first row reproduces the amounts of a real verify dump (douyin-upstream.md §3/§4).
        Product("set2", "1730440745530376", "双人套餐", 1, 26900, 26895, 7495, 0, 0, 1, "restaurant", 15),
        Product("lunch", "1730440745530411", "单人午餐", 1, 5800, 3990, 0, 500, 0, 1, "restaurant", 15,
                "LJF-LUNCH-01"),
        Product("buffet", "1730440745530582", "单人自助晚餐", 1, 16800, 12800, 1000, 0, 300, 1,
                "restaurant", 15),
        Product("cash100", "1741893320176645", "100元代金券", 2, 10000, 8800, 0, 0, 0, 1, "restaurant", 12),
        Product("cash50", "1741893320176702", "50元代金券", 2, 5000, 4500, 0, 200, 0, 1, "restaurant", 12),
        Product("haircut10", "1752204958810337", "洗剪吹10次卡", 3, 68000, 39900, 0, 0, 0, 10, "salon", 15),
    )
}


class SeedOrders(NamedTuple):
    """One line of the seed plan: `orders` orders of `coupons` coupons each."""

    tag: str
    product: str
    coupons: int
    orders: int
    scope: str  # "all" (every store selling it) or "each" (one store only, cycling through them)
    fate: str  # fresh | used | partly_used | uses:N | expired:DAYS | refunded | expires_in:SECONDS


SEED_PLAN: tuple[SeedOrders, ...] = (
    SeedOrders("single", "set2", 1, 8, "all", "fresh"),
    SeedOrders("single-poi", "lunch", 1, 6, "each", "fresh"),
    SeedOrders("voucher", "cash100", 1, 4, "all", "fresh"),
    SeedOrders("voucher-pair", "cash50", 2, 2, "all", "fresh"),
    SeedOrders("party-of-4", "buffet", 4, 2, "all", "fresh"),
    SeedOrders("partly-used", "buffet", 3, 1, "all", "partly_used"),
    SeedOrders("time-card", "haircut10", 1, 2, "all", "fresh"),
    SeedOrders("time-card-used-3", "haircut10", 1, 1, "all", "uses:3"),
    SeedOrders("expired", "lunch", 1, 1, "all", "expired:1"),
    SeedOrders("expired", "cash100", 1, 1, "all", "expired:7"),
    SeedOrders("used", "set2", 1, 1, "all", "used"),
    SeedOrders("refunded", "set2", 1, 1, "all", "refunded"),
    SeedOrders("expiring-soon", "lunch", 1, 1, "all", "expires_in:7200"),
)

SURNAMES = "王李张刘陈杨黄赵吴周"
GIVEN = ("先生", "女士")
BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def end_of_local_day(ts: float) -> int:
    """23:59:59 Beijing time of the day holding `ts`."""
    local_day = (int(ts) + BEIJING_OFFSET) // DAY
    return (local_day + 1) * DAY - BEIJING_OFFSET - 1


def start_of_local_day(ts: float) -> int:
    return (int(ts) + BEIJING_OFFSET) // DAY * DAY - BEIJING_OFFSET


class _Scramble:
    """A bijection on [0, modulus): unique ids by construction, without a lookup table.

    Two affine steps around a digit reversal (each a bijection on fixed-width numbers), so that
    neighbouring counters share neither leading nor trailing digits and ids look random.
    """

    def __init__(self, seed: int, kind: str, modulus: int) -> None:
        mult = int(modulus * 0.6180339887498949) | 1
        while math.gcd(mult, modulus) != 1:
            mult += 2
        digest = hashlib.blake2b(f"{seed}:{kind}".encode(), digest_size=16).digest()
        self.mult, self.modulus = mult, modulus
        self.add1 = int.from_bytes(digest[:8]) % modulus
        self.add2 = int.from_bytes(digest[8:]) % modulus
        # Reversal only permutes [0, 10**k); other moduli (base 62) skip it.
        self.width = len(str(modulus)) - 1 if str(modulus).strip("0") == "1" else 0

    def __call__(self, n: int) -> int:
        x = (n * self.mult + self.add1) % self.modulus
        if self.width:
            x = int(f"{x:0{self.width}d}"[::-1])
        return (x * self.mult + self.add2) % self.modulus


def _b64_token(material: bytes, length: int) -> str:
    """Standard base64 that always shows `+`, `/` and `=`, so callers must URL-encode it."""
    raw = hashlib.shake_256(material).digest(length)  # length % 3 != 0, so there is padding
    text = base64.b64encode(raw).decode()
    body = text.rstrip("=")
    pad = text[len(body):]
    half = len(body) // 2
    # Positions come from the digest and stay clear of the last character, whose low bits
    # must be zero: the result is still canonical base64 that strict decoders accept.
    i = 4 + raw[0] % (half - 4)
    j = half + raw[1] % (half - 2)
    return body[:i] + "+" + body[i + 1:j] + "/" + body[j + 1:] + pad


class Minter:
    """Ids and codes in Douyin's formats, unique by construction and stable for a seed."""

    def __init__(self, seed: int = DEFAULT_SEED) -> None:
        self.seed = seed
        self.orders = 0
        self.certificates = 0
        self.verifications = 0
        self._codes: dict[int, int] = {}
        self._order = _Scramble(seed, "order", 10**17)
        self._slug = _Scramble(seed, "slug", 62**7)
        self._cert = _Scramble(seed, "certificate", 10**18)
        self._item = _Scramble(seed, "item", 10**25)
        self._code = {d: _Scramble(seed, f"code{d}", 10 ** (d - 2)) for d in (12, 13, 14, 15)}
        self._phone = _Scramble(seed, "phone", 10**4)
        self._jitter = _Scramble(seed, "verify", 4099)

    def continue_after(self, earlier: Minter) -> None:
        """Skip every number `earlier` handed out: after a reset, the seeded world comes back with
        its own ids, but nothing minted or verified later reuses an id a client may have stored."""
        self.orders = max(self.orders, earlier.orders)
        self.certificates = max(self.certificates, earlier.certificates)
        self.verifications = max(self.verifications, earlier.verifications)
        for digits, used in earlier._codes.items():
            self._codes[digits] = max(self._codes.get(digits, 0), used)

    def order_id(self) -> str:
        n = self.orders
        self.orders += 1
        return f"10{self._order(n):017d}"

    def slug(self, n: int) -> str:
        value = self._slug(n)
        chars = []
        for _ in range(7):
            value, rem = divmod(value, 62)
            chars.append(BASE62[rem])
        return "i" + "".join(chars)

    def object_id(self, order_id: str) -> str:
        return _b64_token(f"obj:{self.seed}:{order_id}".encode(), 52)

    def certificate_id(self) -> str:
        n = self.certificates
        self.certificates += 1
        return f"7{self._cert(n):018d}"

    def order_item_id(self, certificate_id: str) -> str:
        return f"71{self._item(int(certificate_id)):025d}"

    def code(self, digits: int) -> str:
        """12-15 digit plaintext codes starting `10`, like real ones (104686126200130)."""
        n = self._codes.get(digits, 0)
        self._codes[digits] = n + 1
        return f"10{self._code[digits](n):0{digits - 2}d}"

    def encrypted_code(self, certificate_id: str) -> str:
        # Shaped like the real ones: a protobuf-ish header, then opaque bytes (CgwIARDhJxjLLy...).
        return "CgwIARDhJxjLLyABKAESLgos" + _b64_token(f"enc:{self.seed}:{certificate_id}".encode(), 43)

    def verify_id(self) -> str:
        n = self.verifications
        self.verifications += 1
        # Increasing, so verify-record paging can use the id as its cursor.
        return str(7_486_021_925_630_000_000 + n * 4099 + self._jitter(n))

    def contact(self, n: int) -> tuple[str, str]:
        name = SURNAMES[n % len(SURNAMES)] + GIVEN[n % 2]
        return name, f"1{3 + n % 6}{n % 10}****{self._phone(n):04d}"
