"""Fault knobs: what the next matching request(s) should suffer instead of a clean answer.

A `Fault` names an endpoint ("*" for any) and a kind; `times` says for how many requests it
fires (None: until cleared). The first armed fault that matches a request fires; firing one
does not consume any other. How each kind is acted out on the wire lives in `acting.py`.

Kinds that never reach the business rules: latency (delay, then a normal answer), rate_limit,
busy, token_expired (an envelope with that error), http_500, http_502, garbage, html, no_extra,
drop. Kinds that DO apply the request first and then lose the answer, so a caller meets the
unknown-outcome path: apply_then_drop, apply_then_timeout, apply_then_500, apply_then_error.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

ENDPOINTS = frozenset(
    {"*", "token", "prepare", "verify", "cancel", "get", "query", "records", "order", "shops", "shortlink"}
)

KINDS = frozenset(
    {
        "latency", "rate_limit", "busy", "token_expired", "http_500", "http_502", "garbage", "html",
        "no_extra", "drop", "apply_then_drop", "apply_then_timeout", "apply_then_500", "apply_then_error",
    }
)
# Kinds that answer with a Douyin JSON body: meaningless on the short-link host, so a "*"
# fault of these kinds passes short-link requests by (and an explicit one is refused).
ENVELOPE_KINDS = frozenset({"rate_limit", "busy", "token_expired", "no_extra", "apply_then_error"})


@dataclass(slots=True)
class Fault:
    """`code`: the Douyin error code for rate_limit / busy / token_expired / apply_then_error
    (defaults 2119003 / 2100004 / 2190008 / 5000001; 10020 for rate_limit on the token endpoint),
    or the HTTP status for http_500 / http_502 / html / apply_then_500.
    `latency_ms`: delay before acting; for apply_then_* the delay between applying and losing the
    answer (apply_then_timeout with 0 hangs until the caller gives up or the sandbox stops)."""

    endpoint: str = "*"
    kind: str = "latency"
    times: int | None = 1
    latency_ms: int = 0
    code: int | None = None

    def __post_init__(self) -> None:
        if self.endpoint not in ENDPOINTS:
            raise ValueError(f"unknown fault endpoint {self.endpoint!r}; one of {sorted(ENDPOINTS)}")
        if self.kind not in KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; one of {sorted(KINDS)}")
        if self.times is not None and (not isinstance(self.times, int) or self.times < 1):
            raise ValueError("fault times must be a positive integer or None (until cleared)")
        if not isinstance(self.latency_ms, int) or self.latency_ms < 0:
            raise ValueError("fault latency_ms must be a non-negative integer")
        if self.code is not None and not isinstance(self.code, int):
            raise ValueError("fault code must be an integer")
        if self.endpoint == "shortlink" and self.kind in ENVELOPE_KINDS:
            raise ValueError(f"fault kind {self.kind!r} has no meaning on the short-link host")
        if self.kind == "token_expired" and self.endpoint == "token":
            raise ValueError("token_expired applies to goodlife endpoints, not the token endpoint")

    def matches(self, endpoint: str) -> bool:
        if self.endpoint != "*":
            return self.endpoint == endpoint
        if endpoint == "shortlink":
            return self.kind not in ENVELOPE_KINDS
        return not (endpoint == "token" and self.kind == "token_expired")

    @classmethod
    def from_dict(cls, raw: Any) -> Fault:
        if not isinstance(raw, dict):
            raise ValueError("a fault is a JSON object")
        unknown = set(raw) - {"endpoint", "kind", "times", "latency_ms", "code"}
        if unknown:
            raise ValueError(f"unknown fault fields: {', '.join(sorted(unknown))}")
        return cls(**raw)


@dataclass(slots=True)
class ArmedFault:
    id: int
    fault: Fault
    remaining: int | None
    fired: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, **asdict(self.fault), "remaining": self.remaining, "fired": self.fired}


class FaultSet:
    """The armed faults of one sandbox, in the order they were added."""

    def __init__(self) -> None:
        self._armed: list[ArmedFault] = []
        self._next_id = 1

    def add(self, fault: Fault) -> ArmedFault:
        armed = ArmedFault(self._next_id, fault, fault.times)
        self._next_id += 1
        self._armed.append(armed)
        return armed

    def remove(self, fault_id: int) -> bool:
        before = len(self._armed)
        self._armed = [a for a in self._armed if a.id != fault_id]
        return len(self._armed) != before

    def clear(self) -> int:
        count = len(self._armed)
        self._armed.clear()
        return count

    def take(self, endpoint: str) -> Fault | None:
        """The fault this request suffers, if any; spends one of its `times`."""
        for armed in self._armed:
            if armed.fault.matches(endpoint):
                armed.fired += 1
                if armed.remaining is not None:
                    armed.remaining -= 1
                    if armed.remaining == 0:
                        self._armed.remove(armed)
                return armed.fault
        return None

    def __bool__(self) -> bool:
        return bool(self._armed)

    def __len__(self) -> int:
        return len(self._armed)

    def __iter__(self) -> Iterator[ArmedFault]:
        return iter(list(self._armed))
