"""Douyin client exceptions turned into the service's one error type (contract section 3)."""

from __future__ import annotations

from typing import Any

from gateway_core.douyin import errors as dy
from gateway_core.service import reasons
from gateway_core.service.errors import ServiceError, invalid_request


def upstream_of(exc: dy.DouyinError) -> dict[str, Any] | None:
    """What Douyin said, for the `upstream` member; None when Douyin said nothing."""
    if exc.code is None and not exc.logid and not exc.description:
        return None
    upstream: dict[str, Any] = {
        "error_code": exc.code,
        "description": exc.description or "",
        "logid": exc.logid or "",
    }
    if exc.sub_code:
        upstream["sub_error_code"] = exc.sub_code
        upstream["sub_description"] = exc.sub_description or ""
    return upstream


def refusal_reason(exc: dy.DouyinError) -> reasons.Reason:
    return reasons.reason_for(exc.code, exc.description or "", exc.sub_code)


def service_error(exc: Exception, *, refused_code: str = "coupon_rejected") -> ServiceError:
    """The HTTP-shaped error for a failed Douyin call that did not change anything we know of."""
    if isinstance(exc, dy.ShortLinkHostNotAllowed):
        return invalid_request({"short_link": "host is not an allowed Douyin short-link host"}, str(exc))
    if isinstance(exc, dy.NotAShortLink):
        return invalid_request({"short_link": "not a Douyin short link"}, str(exc))
    if isinstance(exc, dy.ShortLinkDead):
        r = reasons.QR_INVALID
        return ServiceError(422, refused_code, r.en, r.zh)
    if isinstance(exc, dy.ShortLinkError):
        return invalid_request({"short_link": str(exc) or "cannot be resolved"})
    if not isinstance(exc, dy.DouyinError):
        raise TypeError(f"not a Douyin error: {exc!r}")
    upstream = upstream_of(exc)
    if isinstance(exc, dy.DouyinRefused):
        r = refusal_reason(exc)
        message = f"{r.en} ({exc.description})" if exc.description else r.en
        return ServiceError(422, refused_code, message, r.zh, upstream=upstream)
    if isinstance(exc, dy.DouyinRateLimited):
        r = reasons.RATE_LIMITED
        return ServiceError(429, "rate_limited", r.en, r.zh, upstream=upstream, headers={"Retry-After": "5"})
    if isinstance(exc, dy.DouyinAuthError):
        r = reasons.reason_for(exc.code, exc.description or "")
        r = r if r is not reasons.OTHER else reasons.AUTH
        return ServiceError(502, "upstream_error", r.en, r.zh, upstream=upstream)
    if isinstance(exc, dy.DouyinTimeout):
        r = reasons.TIMEOUT
        return ServiceError(504, "upstream_timeout", "Douyin did not answer in time", r.zh, upstream=upstream)
    if isinstance(exc, dy.DouyinUnavailable):
        r = reasons.UNAVAILABLE
        return ServiceError(502, "upstream_unavailable", r.en, r.zh, upstream=upstream)
    r = reasons.OTHER
    return ServiceError(502, "upstream_error", f"Douyin error: {exc}", r.zh, upstream=upstream)
