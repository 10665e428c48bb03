"""Cached Douyin access tokens, sealed at rest; also a TokenStore for the Douyin client."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from gateway_core.clock import iso, parse_iso
from gateway_core.ledger.models import StoredToken, TokenLike
from gateway_core.secretbox import SecretBox, SecretDecryptError

if TYPE_CHECKING:
    from gateway_core.ledger.ledger import Ledger


def _context(client_key: str) -> str:
    return f"douyin-token:{client_key}"


def save(
    conn: sqlite3.Connection, box: SecretBox, client_key: str, access_token: str, expires_at: datetime, now: datetime
) -> None:
    conn.execute(
        """INSERT INTO douyin_tokens (client_key, token_enc, expires_at, updated_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (client_key) DO UPDATE SET token_enc = excluded.token_enc,
               expires_at = excluded.expires_at, updated_at = excluded.updated_at""",
        (client_key, box.encrypt(access_token, _context(client_key)), iso(expires_at), iso(now)),
    )


def load(conn: sqlite3.Connection, box: SecretBox, client_key: str) -> StoredToken | None:
    row = conn.execute("SELECT token_enc, expires_at FROM douyin_tokens WHERE client_key = ?", (client_key,)).fetchone()
    if row is None:
        return None
    try:
        access_token = box.decrypt(row[0], _context(client_key))
    except SecretDecryptError:
        return None  # a cache: fetching a new token beats failing the request
    return StoredToken(access_token, parse_iso(row[1]))


class LedgerTokenStore:
    """The Douyin client's TokenStore (`async load(client_key)`, `async save(client_key, token)`).

    `token_factory(access_token=..., expires_at=...)` builds the client's own Token type on load;
    by default a StoredToken, which has the same two attributes.
    """

    def __init__(self, ledger: Ledger, token_factory: Callable[..., Any] | None = None) -> None:
        self._ledger = ledger
        self._factory = token_factory

    async def load(self, client_key: str) -> Any:
        token = await self._ledger.load_token(client_key)
        if token is None or self._factory is None:
            return token
        return self._factory(access_token=token.access_token, expires_at=token.expires_at)

    async def save(self, client_key: str, token: TokenLike) -> None:
        await self._ledger.save_token(client_key, token.access_token, token.expires_at)
