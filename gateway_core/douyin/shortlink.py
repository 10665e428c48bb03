"""Turning the link in a customer's QR code into the `object_id` that prepare takes as `encrypted_data`.

The link is untrusted input typed by a scanner, so the host is checked exactly against an allow-list
before anything is dialled: otherwise the gateway could be made to fetch arbitrary URLs (SSRF).
Douyin says to rely only on the `object_id` query parameter of the redirect target, never on its
host or path, and that short links have no fixed length or shape (spec section 2).
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Awaitable, Callable, Collection, Mapping
from urllib.parse import SplitResult, unquote, urljoin, urlsplit

import httpx

from gateway_core.douyin.errors import (
    NotAShortLink,
    ShortLinkDead,
    ShortLinkError,
    ShortLinkHostNotAllowed,
)
from gateway_core.douyin.redact import mask

log = logging.getLogger("gateway_core.douyin")

DEFAULT_SHORT_LINK_HOSTS: tuple[str, ...] = ("v.douyin.com",)
# Redirects followed after the link itself while no `object_id` has shown up.
MAX_HOPS = 3
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

# One GET, redirects not followed. A host error (5xx) is the fetch's to raise, as DouyinUnavailable,
# so that it can retry (DouyinClient.resolve_short_link does); here it would be a plain ShortLinkError.
Fetch = Callable[[str], Awaitable[httpx.Response]]


def _is_junk(ch: str) -> bool:
    # whitespace, C0/C1 controls (a scanner's CR, GS), and invisible format chars (BOM, zero-width)
    return ch.isspace() or unicodedata.category(ch) in {"Cc", "Cf", "Zs", "Zl", "Zp"}


def clean_link(text: str) -> str:
    """The link without the whitespace and control characters a scanner or a paste adds around it."""
    start, end = 0, len(text)
    while start < end and _is_junk(text[start]):
        start += 1
    while end > start and _is_junk(text[end - 1]):
        end -= 1
    return text[start:end]


def normalise_hosts(hosts: Collection[str]) -> frozenset[str]:
    return frozenset(h.strip().lower() for h in hosts if h and h.strip())


def check_link(url: str, allowed_hosts: Collection[str]) -> SplitResult:
    """The parsed link if it is http(s) on an allowed host, else ShortLinkHostNotAllowed.

    Deliberately strict: anything two URL parsers could read differently (userinfo, backslashes,
    whitespace inside, non-ASCII host) is refused instead of being interpreted.
    """
    allowed = normalise_hosts(allowed_hosts)
    refuse = ShortLinkHostNotAllowed
    if any(_is_junk(ch) or ch == "\\" for ch in url):
        raise refuse("link contains whitespace, control characters or backslashes")
    try:
        parts = urlsplit(url)
        port = parts.port  # raises on a malformed port
    except ValueError as exc:
        raise refuse(f"not a URL: {exc}") from None
    if parts.scheme.lower() not in {"http", "https"}:
        raise refuse(f"scheme {parts.scheme!r} is not http(s)")
    if "@" in parts.netloc:
        raise refuse("links with user info are not accepted")
    host = parts.hostname or ""
    if not host.isascii() or host not in allowed:
        raise refuse(f"host {host!r} is not an allowed short-link host")
    # the request is made by httpx: it must see the very same host and no user info
    try:
        seen = httpx.URL(url)
    except (httpx.InvalidURL, ValueError):
        raise refuse("not a URL httpx can use") from None
    if seen.host != host or seen.userinfo or (port is not None and seen.port not in (port, None)):
        raise refuse("ambiguous link")
    return parts


def object_id_from(url: str) -> str | None:
    """The `object_id` query value, percent-decoded exactly once.

    `+` stays `+`: the value is base64, and form-decoding it as a space would corrupt the token.
    """
    query = urlsplit(url).query
    for pair in query.split("&"):
        name, sep, value = pair.partition("=")
        if sep and unquote(name) == "object_id":
            decoded = unquote(value)
            if decoded:
                return decoded
    return None


def dial_url(parts: SplitResult, host_map: Mapping[str, str]) -> str:
    """Where to send the request: the link itself, or the mapped base URL with the link's path and query."""
    path = parts.path or "/"
    query = f"?{parts.query}" if parts.query else ""
    base = host_map.get(parts.hostname or "")
    if base is not None:
        return base.rstrip("/") + path + query
    return f"{parts.scheme.lower()}://{parts.netloc}{path}{query}"


async def resolve_short_link(
    url: str,
    fetch: Fetch,
    *,
    allowed_hosts: Collection[str] = DEFAULT_SHORT_LINK_HOSTS,
    host_map: Mapping[str, str] | None = None,
) -> str:
    """The `object_id` behind a short link. `fetch(url)` does one GET without following redirects."""
    mapping = {k.strip().lower(): v for k, v in (host_map or {}).items()}
    link = clean_link(url)
    parts = check_link(link, allowed_hosts)
    current = link
    for _hop in range(MAX_HOPS + 1):
        response = await fetch(dial_url(parts, mapping))
        status = response.status_code
        log.debug("short link %s%s -> HTTP %s", parts.hostname, mask(parts.path), status)
        if status in REDIRECT_STATUSES:
            location = response.headers.get("location", "").strip()
            if not location:
                raise ShortLinkError(f"short link redirected (HTTP {status}) without a Location")
            target = urljoin(current, location)
            object_id = object_id_from(target)
            if object_id:
                return object_id
            try:
                parts = check_link(target, allowed_hosts)
            except ShortLinkHostNotAllowed:
                host = urlsplit(target).hostname
                raise ShortLinkError(
                    f"short link redirected to {host!r} without an object_id; not following"
                ) from None
            current = target
            continue
        if status in (404, 410):
            raise ShortLinkDead(f"short link is unknown or expired (HTTP {status})", http_status=status)
        if 200 <= status < 300:
            raise NotAShortLink(f"link answered HTTP {status} without a redirect", http_status=status)
        raise ShortLinkError(f"short link answered HTTP {status}", http_status=status)
    raise ShortLinkError(f"no object_id after {MAX_HOPS} redirects")
