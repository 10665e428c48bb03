"""What can go wrong when talking to Douyin, as exception types the service can branch on.

The split follows what the caller must do next, not where the failure came from:
refused (tell the cashier), auth (fix the settings), rate-limited (slow down), unavailable (try
again later; for a write, find out first whether it happened: `request_sent`).
"""

from __future__ import annotations

import copy
from typing import Any, Self


class DouyinError(Exception):
    """Base of every error this package raises; carries Douyin's own codes when there were any."""

    def __init__(
        self,
        message: str = "",
        *,
        code: int | None = None,
        sub_code: int | None = None,
        description: str = "",
        sub_description: str = "",
        logid: str = "",
        http_status: int | None = None,
    ) -> None:
        self.message = message or description or type(self).__name__
        self.code = code
        self.sub_code = sub_code
        self.description = description
        self.sub_description = sub_description
        self.logid = logid
        self.http_status = http_status
        super().__init__(self.message)

    def __str__(self) -> str:
        parts = [self.message]
        if self.code is not None:
            parts.append(f"code={self.code}")
        if self.sub_code:
            parts.append(f"sub_code={self.sub_code}")
        if self.sub_description and self.sub_description != self.message:
            parts.append(f"sub_description={self.sub_description!r}")
        if self.http_status is not None:
            parts.append(f"http={self.http_status}")
        if self.logid:
            parts.append(f"logid={self.logid}")
        return " ".join(parts)


class DouyinRefused(DouyinError):
    """Douyin understood the request and said no (used coupon, wrong store, bad QR, ...)."""


class DouyinAuthError(DouyinError):
    """Credentials, token or authorisation problem that retrying will not fix (check the settings)."""


class DouyinRateLimited(DouyinError):
    """Douyin asks us to slow down (frequency limit or quota)."""


class DouyinUnavailable(DouyinError):
    """Douyin could not be reached or gave no usable answer.

    `request_sent` is False only when the request certainly never reached Douyin (connect failure,
    no pooled connection, or the token needed to send it could not be obtained). True means that for
    a write (verify, cancel) the outcome is unknown and must be looked up before acting again.
    """

    def __init__(self, message: str = "", *, request_sent: bool = True, **fields: Any) -> None:
        super().__init__(message, **fields)
        self.request_sent = request_sent

    def with_request_sent(self, request_sent: bool) -> Self:
        """A copy that says whether *our* request went out (the original stays chained as cause)."""
        clone = copy.copy(self)
        clone.request_sent = request_sent
        clone.__cause__ = self.__cause__ or self
        return clone

    def __str__(self) -> str:
        return f"{super().__str__()} request_sent={self.request_sent}"


class DouyinTimeout(DouyinUnavailable):
    """No answer in time. Sent unless the time ran out while connecting or waiting for the pool."""


class ShortLinkError(DouyinError):
    """The scanned link could not be turned into an `object_id`."""


class ShortLinkHostNotAllowed(ShortLinkError):
    """Not an http(s) link on an allowed host; refused before any request was made."""


class NotAShortLink(ShortLinkError):
    """The link answered without redirecting to a coupon page."""


class ShortLinkDead(ShortLinkError):
    """The short link is unknown or expired (404 / 410)."""


__all__ = [
    "DouyinAuthError",
    "DouyinError",
    "DouyinRateLimited",
    "DouyinRefused",
    "DouyinTimeout",
    "DouyinUnavailable",
    "NotAShortLink",
    "ShortLinkDead",
    "ShortLinkError",
    "ShortLinkHostNotAllowed",
]
