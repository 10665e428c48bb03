"""Request bodies of the service, checked field by field so every refusal names its field."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from gateway_core.ledger.validation import MAX_TEXT
from gateway_core.service.errors import invalid_request

# Scanners can append CR/LF/TAB or other control characters; they never belong to a code or link.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
REQUEST_ID_MAX = 64
MAX_COUNT = 50


def clean_scan(text: str) -> str:
    return _CONTROL.sub("", text).strip()


def clean_code(text: str) -> str:
    """A typed coupon code: spaces and dashes people type between digit groups are dropped."""
    return re.sub(r"[\s-]", "", clean_scan(text))


# Douyin's plaintext codes are 12-15 digits and third-party codes short ASCII strings. Anything
# else cannot be a coupon, and a long non-ASCII one would not even fit in the URL of Douyin's
# prepare (the sandbox's server, like any HTTP server, refuses such a request line): refuse it here
# as bad input instead of reporting Douyin unreachable (found by schemathesis).
MAX_CODE = 64
_CODE = re.compile(rf"[\x21-\x7e]{{1,{MAX_CODE}}}")


def code_problem(code: str) -> str | None:
    """Why a typed coupon code (already through clean_code) cannot be one, or None."""
    if not code:
        return "must contain a coupon code"
    if not _CODE.fullmatch(code):
        return f"a coupon code is at most {MAX_CODE} letters, digits or signs (ASCII)"
    return None


def body_hash(body: Any) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


# A store's Douyin poi_id is a number of about 19 digits; anything that is not short printable
# ASCII cannot be one (and, like a bad code, would not fit in the URL of Douyin's prepare).
MAX_POI_ID = 64
_POI_ID = re.compile(rf"[\x21-\x7e]{{1,{MAX_POI_ID}}}")


def _string(body: dict[str, Any], name: str, errors: dict[str, str], *, required: bool = False) -> str | None:
    """A string field, scanner noise removed; at most MAX_TEXT characters, what the ledger can store."""
    value = body.get(name)
    if value is None:
        if required:
            errors[name] = "required"
        return None
    if not isinstance(value, str):
        errors[name] = "must be a string"
        return None
    cleaned = clean_scan(value)
    if not cleaned:
        errors[name] = "must not be empty"
        return None
    if len(cleaned) > MAX_TEXT:
        errors[name] = f"longer than {MAX_TEXT} characters"
        return None
    return cleaned


def _poi_id(body: dict[str, Any], errors: dict[str, str]) -> str | None:
    poi_id = _string(body, "poi_id", errors, required=True)
    if poi_id is not None and not _POI_ID.fullmatch(poi_id):
        errors["poi_id"] = f"a store id is at most {MAX_POI_ID} letters, digits or signs (ASCII)"
        return None
    return poi_id


def _code(body: dict[str, Any], errors: dict[str, str]) -> str | None:
    """The typed coupon `code`, cleaned once (clean_code); a problem lands in `errors`."""
    raw = _string(body, "code", errors)
    if raw is None:
        return None
    code = clean_code(raw)
    if problem := code_problem(code):
        errors["code"] = problem
        return None
    return code


def _object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise invalid_request({"body": "must be a JSON object"})
    return body


@dataclass(frozen=True)
class PrepareRequest:
    poi_id: str
    short_link: str | None = None
    code: str | None = None

    @classmethod
    def from_json(cls, body: Any) -> PrepareRequest:
        body = _object(body)
        errors: dict[str, str] = {}
        poi_id = _poi_id(body, errors)
        short_link = _string(body, "short_link", errors)
        code = _code(body, errors)
        if short_link is None and code is None and not {"short_link", "code"} & errors.keys():
            errors["short_link"] = "one of short_link or code is required"
        if short_link is not None and code is not None:
            errors["code"] = "give either short_link or code, not both"
        if errors:
            raise invalid_request(errors)
        assert poi_id is not None
        return cls(poi_id=poi_id, short_link=short_link, code=code)


@dataclass(frozen=True)
class VerifyRequest:
    poi_id: str
    short_link: str | None = None
    code: str | None = None
    encrypted_code: str | None = None
    verify_token: str | None = None
    count: int = 1
    request_id: str | None = None

    @property
    def mode(self) -> str:
        if self.short_link is not None:
            return "short_link"
        return "code" if self.code is not None else "encrypted_code"

    @property
    def input_key(self) -> str:
        """What identifies the coupon before Douyin is asked, for the in-flight guard."""
        return f"{self.mode}:{self.short_link or self.code or self.encrypted_code}"

    @classmethod
    def from_json(cls, body: Any) -> VerifyRequest:
        body = _object(body)
        errors: dict[str, str] = {}
        poi_id = _poi_id(body, errors)
        short_link = _string(body, "short_link", errors)
        code = _code(body, errors)
        encrypted_code = _string(body, "encrypted_code", errors)
        verify_token = _string(body, "verify_token", errors)
        given = [n for n, v in (("short_link", short_link), ("code", code), ("encrypted_code", encrypted_code)) if v]
        if not given and not {"short_link", "code", "encrypted_code"} & errors.keys():
            errors["short_link"] = "exactly one of short_link, code or encrypted_code is required"
        elif len(given) > 1:
            errors[given[1]] = "exactly one of short_link, code or encrypted_code is allowed"
        if encrypted_code and not verify_token and "verify_token" not in errors:
            errors["verify_token"] = "required with encrypted_code"
        count = body.get("count", 1)
        if isinstance(count, bool) or not isinstance(count, int):
            errors["count"] = "must be an integer"
            count = 1
        elif not 1 <= count <= MAX_COUNT:
            errors["count"] = f"must be between 1 and {MAX_COUNT}"
        elif encrypted_code and count != 1:
            errors["count"] = "must be 1 with encrypted_code"
        request_id = body.get("request_id")
        if request_id is not None and (not isinstance(request_id, str) or not 1 <= len(request_id) <= REQUEST_ID_MAX):
            errors["request_id"] = f"must be a string of 1 to {REQUEST_ID_MAX} characters"
        if errors:
            raise invalid_request(errors)
        assert poi_id is not None
        return cls(
            poi_id=poi_id,
            short_link=short_link,
            code=code,
            encrypted_code=encrypted_code,
            verify_token=verify_token,
            count=count,
            request_id=request_id,
        )
