"""The signed-request scheme of the local HTTP API (contract section 2), for both sides.

The server checks with `sign` and `signatures_equal` (server/auth.py); clients (tests, benchmarks,
integrators' sample code) sign with `signed_headers`. Keeping both in one module means the two can never drift apart.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from collections.abc import Iterable, Mapping
from urllib.parse import quote, unquote_plus, urlsplit

NONCE_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
TIMESTAMP_WINDOW_SECONDS = 300
# Contract: a nonce is never reused by a client within 10 minutes. Timestamps more than 300 s off
# are refused before the nonce is looked at, so 600 s of memory covers every acceptable replay.
NONCE_TTL_SECONDS = 600

HEADER_CLIENT_KEY = "X-Client-Key"
HEADER_TIMESTAMP = "X-Timestamp"
HEADER_NONCE = "X-Nonce"
HEADER_SIGNATURE = "X-Signature"
SIGNED_HEADERS = (HEADER_CLIENT_KEY, HEADER_TIMESTAMP, HEADER_NONCE, HEADER_SIGNATURE)


def _rfc3986(text: str) -> str:
    # quote() keeps "/" by default; the contract wants only the unreserved set left as is.
    return quote(text, safe="-_.~")


def canonical_query(pairs: Iterable[tuple[str, str]]) -> str:
    """`key=value` pairs, RFC 3986 encoded, sorted by key then value, joined with `&`."""
    encoded = sorted((_rfc3986(k), _rfc3986(v)) for k, v in pairs)
    return "&".join(f"{k}={v}" for k, v in encoded)


def parse_query(raw_query: str) -> list[tuple[str, str]]:
    """Decoded pairs of a raw query string, blanks kept (`a=&b` gives two pairs)."""
    pairs: list[tuple[str, str]] = []
    for part in raw_query.split("&") if raw_query else []:
        if not part:
            continue
        key, _, value = part.partition("=")
        pairs.append((unquote_plus(key), unquote_plus(value)))
    return pairs


def string_to_sign(method: str, path: str, query: str, timestamp: str, nonce: str, body: bytes) -> str:
    return "\n".join([method.upper(), path, query, timestamp, nonce, hashlib.sha256(body).hexdigest()])


def sign(secret: str, method: str, path: str, query: str, timestamp: str, nonce: str, body: bytes) -> str:
    message = string_to_sign(method, path, query, timestamp, nonce, body)
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def signatures_equal(expected: str, given: str) -> bool:
    return hmac.compare_digest(expected.encode(), given.encode())


def new_nonce() -> str:
    return secrets.token_urlsafe(18)


def signed_headers(
    client_key: str,
    secret: str,
    method: str,
    url: str,
    body: bytes = b"",
    *,
    timestamp: int | None = None,
    nonce: str | None = None,
) -> dict[str, str]:
    """Headers for one request to `url` (absolute or a path with its query, as it will be sent)."""
    parts = urlsplit(url)
    ts = str(int(time.time()) if timestamp is None else timestamp)
    nonce = nonce or new_nonce()
    query = canonical_query(parse_query(parts.query))
    signature = sign(secret, method, parts.path or "/", query, ts, nonce, body)
    return {
        HEADER_CLIENT_KEY: client_key,
        HEADER_TIMESTAMP: ts,
        HEADER_NONCE: nonce,
        HEADER_SIGNATURE: signature,
    }


def missing_headers(headers: Mapping[str, str]) -> list[str]:
    return [h for h in SIGNED_HEADERS if not headers.get(h)]
