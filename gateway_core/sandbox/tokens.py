"""client_token issue and check, with Douyin's rotation rules (douyin-upstream.md §1a).

- a token lives 7200 s;
- issuing a new one leaves the previous one 5 more minutes, and every older one dies at once,
  so only the two newest are ever valid (a test environment sharing production credentials
  kills production's token this way: the usual cause of 2190008);
- more than 500 issues in 5 minutes for one app -> 10020.
"""

from __future__ import annotations

import secrets
from collections import deque
from dataclasses import dataclass

TOKEN_TTL = 7200
ROTATION_GRACE = 300
RATE_LIMIT = 500
RATE_WINDOW = 300
REMEMBERED_PER_APP = 32  # older tokens are forgotten: they answer 2190002 instead of 2190008

# Token-endpoint error codes (they live in `data`, next to a top-level `message`).
PARAM_ERROR = 10002
UNKNOWN_CLIENT = 10003
BAD_SECRET = 10013
TOO_FREQUENT = 10020

TOKEN_ERRORS = {
    PARAM_ERROR: "参数错误",
    UNKNOWN_CLIENT: "client_key不存在",
    BAD_SECRET: "client_key或client_secret错误",
    TOO_FREQUENT: "请求太频繁,请稍后再试",
}


@dataclass(slots=True)
class IssuedToken:
    access_token: str
    client_key: str
    issued_at: float
    expires_at: float

    def expires_in(self, now: float) -> int:
        return max(0, int(self.expires_at - now))


class TokenError(Exception):
    def __init__(self, code: int) -> None:
        super().__init__(TOKEN_ERRORS[code])
        self.code = code
        self.description = TOKEN_ERRORS[code]


class TokenBook:
    def __init__(self, apps: dict[str, str], *, rate_limit: int | None = RATE_LIMIT) -> None:
        self.apps = dict(apps)
        self.rate_limit = rate_limit
        self._by_token: dict[str, IssuedToken] = {}
        self._by_app: dict[str, deque[IssuedToken]] = {}
        self._issues: dict[str, deque[float]] = {}

    def authenticate(self, client_key: str, client_secret: str, grant_type: str) -> None:
        if not client_key or not client_secret or grant_type != "client_credential":
            raise TokenError(PARAM_ERROR)
        expected = self.apps.get(client_key)
        if expected is None:
            raise TokenError(UNKNOWN_CLIENT)
        if not secrets.compare_digest(expected.encode(), client_secret.encode()):
            raise TokenError(BAD_SECRET)

    def issue(self, client_key: str, now: float) -> IssuedToken:
        self._count_issue(client_key, now)
        history = self._by_app.setdefault(client_key, deque())
        for age, old in enumerate(reversed(history)):
            limit = now + ROTATION_GRACE if age == 0 else now
            old.expires_at = min(old.expires_at, limit)
        token = IssuedToken("clt." + secrets.token_hex(20) + secrets.token_urlsafe(12),
                            client_key, now, now + TOKEN_TTL)
        history.append(token)
        self._by_token[token.access_token] = token
        while len(history) > REMEMBERED_PER_APP:
            self._by_token.pop(history.popleft().access_token, None)
        return token

    def stable(self, client_key: str, now: float) -> IssuedToken:
        """stable_client_token: the newest token again while it has over 5 minutes left."""
        history = self._by_app.get(client_key)
        if history and history[-1].expires_at - now > ROTATION_GRACE:
            self._count_issue(client_key, now)
            return history[-1]
        return self.issue(client_key, now)

    def check(self, access_token: str, now: float) -> str:
        """"ok", "expired" (known but past its time: 2190008) or "unknown" (2190002)."""
        token = self._by_token.get(access_token)
        if token is None:
            return "unknown"
        return "ok" if now < token.expires_at else "expired"

    def _count_issue(self, client_key: str, now: float) -> None:
        if self.rate_limit is None:
            return
        calls = self._issues.setdefault(client_key, deque())
        while calls and calls[0] <= now - RATE_WINDOW:
            calls.popleft()
        if len(calls) >= self.rate_limit:
            raise TokenError(TOO_FREQUENT)
        calls.append(now)
