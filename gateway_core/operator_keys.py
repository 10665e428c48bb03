"""Operator keys (X-XTJ-UID) of the internal API, kept only as SHA-256 digests."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence


def hash_operator_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class OperatorKeys:
    """Accepted X-XTJ-UID values, held as SHA-256 digests and compared in constant time."""

    def __init__(self, digests: Sequence[str]) -> None:
        self._digests = [d.encode() for d in digests]

    def replace(self, digests: Sequence[str]) -> None:
        """Accept exactly these digests from now on. In place: the running HTTP middleware holds
        this object, so a new key works and a dropped one fails on the very next request."""
        self._digests = [d.encode() for d in digests]  # one assignment: a reader sees old or new

    def accepts(self, key: str) -> bool:
        given = hash_operator_key(key).encode()
        matched = False
        for digest in self._digests:
            matched |= hmac.compare_digest(digest, given)
        return matched
