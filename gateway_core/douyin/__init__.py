"""The Douyin open-platform (goodlife / 抖音来客) client: tokens, short links, prepare/verify/cancel, queries.

Knows Douyin's wire format and nothing of our ledger (see docs/interfaces.md).
"""

from gateway_core.douyin.client import DouyinClient
from gateway_core.douyin.codes import CODE_KINDS, ErrorKind, kind_of
from gateway_core.douyin.errors import (
    DouyinAuthError,
    DouyinError,
    DouyinRateLimited,
    DouyinRefused,
    DouyinTimeout,
    DouyinUnavailable,
    NotAShortLink,
    ShortLinkDead,
    ShortLinkError,
    ShortLinkHostNotAllowed,
)
from gateway_core.douyin.models import (
    CERTIFICATE_STATUSES,
    Amount,
    CancelResult,
    CertificateState,
    CouponStatus,
    OrderCertificate,
    OrderInfo,
    OrderProduct,
    PreparedCertificate,
    PrepareResult,
    Sku,
    TimeCard,
    VerifyInfo,
    VerifyItem,
    VerifyResult,
)
from gateway_core.douyin.redact import mask
from gateway_core.douyin.retry import RetryPolicy
from gateway_core.douyin.shortlink import DEFAULT_SHORT_LINK_HOSTS
from gateway_core.douyin.token import MemoryTokenStore, Token, TokenStore

__all__ = [
    "CERTIFICATE_STATUSES",
    "CODE_KINDS",
    "DEFAULT_SHORT_LINK_HOSTS",
    "Amount",
    "CancelResult",
    "CertificateState",
    "CouponStatus",
    "DouyinAuthError",
    "DouyinClient",
    "DouyinError",
    "DouyinRateLimited",
    "DouyinRefused",
    "DouyinTimeout",
    "DouyinUnavailable",
    "ErrorKind",
    "MemoryTokenStore",
    "NotAShortLink",
    "OrderCertificate",
    "OrderInfo",
    "OrderProduct",
    "PrepareResult",
    "PreparedCertificate",
    "RetryPolicy",
    "ShortLinkDead",
    "ShortLinkError",
    "ShortLinkHostNotAllowed",
    "Sku",
    "TimeCard",
    "Token",
    "TokenStore",
    "VerifyInfo",
    "VerifyItem",
    "VerifyResult",
    "kind_of",
    "mask",
]
