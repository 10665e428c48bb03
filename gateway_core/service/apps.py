"""Verifier apps: the systems allowed to call the signed API, and their one-time secrets."""

from __future__ import annotations

import re
import secrets
from typing import Any

from gateway_core.ledger import Audit, Ledger, LedgerConflict
from gateway_core.service.errors import ServiceError, conflict, invalid_request, not_found

CODE_RE = re.compile(r"^[a-z0-9_-]{2,32}$")
CLIENT_KEY_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
STATUSES = ("active", "disabled")
COUNTER_APP_CODE = "counter"


def _OPERATOR(action: str) -> Audit:
    return Audit(actor_type="operator_key", actor="internal API", action=action)


def new_secret() -> str:
    # 32 random bytes, URL-safe (seed: at least 32 random bytes).
    return secrets.token_urlsafe(32)


def new_client_key() -> str:
    return "dyv_" + secrets.token_hex(10)


def _check_text(body: dict[str, Any], name: str, errors: dict[str, str], *, required: bool, limit: int) -> None:
    value = body.get(name)
    if value is None:
        if required:
            errors[name] = "required"
    elif not isinstance(value, str):
        errors[name] = "must be a string"
    elif required and not value.strip():
        errors[name] = "must not be empty"
    elif len(value) > limit:
        errors[name] = f"at most {limit} characters"


class AppsService:
    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    async def create_app(self, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise invalid_request({"body": "must be a JSON object"})
        errors: dict[str, str] = {}
        _check_text(body, "name", errors, required=True, limit=100)
        _check_text(body, "code", errors, required=True, limit=32)
        _check_text(body, "description", errors, required=False, limit=1000)
        if "code" not in errors and not CODE_RE.match(body["code"]):
            errors["code"] = "2 to 32 of a-z 0-9 _ -"
        client_key = body.get("client_key")
        if client_key is not None and (not isinstance(client_key, str) or not CLIENT_KEY_RE.match(client_key)):
            errors["client_key"] = "8 to 64 of A-Z a-z 0-9 _ -"
        secret = body.get("secret")
        if secret is not None and (not isinstance(secret, str) or not 16 <= len(secret) <= 256):
            errors["secret"] = "a string of 16 to 256 characters"
        status = body.get("status", "active")
        if status not in STATUSES:
            errors["status"] = "active or disabled"
        allow = body.get("allow_token_read", False)
        if not isinstance(allow, bool):
            errors["allow_token_read"] = "must be a boolean"
        unknown = set(body) - {"name", "code", "description", "client_key", "secret", "status", "allow_token_read"}
        for name in sorted(unknown):
            errors[name] = "unknown field"
        if errors:
            raise invalid_request(errors)
        secret = secret or new_secret()
        try:
            return await self._ledger.create_app(
                name=body["name"].strip(),
                code=body["code"],
                description=body.get("description") or "",
                client_key=client_key or new_client_key(),
                secret=secret,
                status=status,
                allow_token_read=allow,
                audit=_OPERATOR("create_app"),
            )
        except LedgerConflict as exc:
            raise conflict(f"{exc.field} is already taken", "应用代码或 client_key 已被占用") from exc

    async def list_apps(self) -> list[dict[str, Any]]:
        return await self._ledger.list_apps()

    async def _existing(self, app_id: int) -> dict[str, Any]:
        app = await self._ledger.get_app(app_id)
        if app is None:
            raise not_found("app")
        return app

    async def set_token_access(self, app_id: int, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict) or not isinstance(body.get("allow_token_read"), bool):
            raise invalid_request({"allow_token_read": "required boolean"})
        await self._existing(app_id)
        return await self._ledger.update_app(
            app_id, allow_token_read=body["allow_token_read"], audit=_OPERATOR("set_token_access")
        )

    async def update_app(self, app_id: int, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise invalid_request({"body": "must be a JSON object"})
        errors: dict[str, str] = {}
        _check_text(body, "name", errors, required=False, limit=100)
        if isinstance(body.get("name"), str) and not body["name"].strip():
            errors["name"] = "must not be empty"
        _check_text(body, "description", errors, required=False, limit=1000)
        if "status" in body and body["status"] not in STATUSES:
            errors["status"] = "active or disabled"
        for name in sorted(set(body) - {"name", "description", "status"}):
            errors[name] = "unknown field"
        if errors:
            raise invalid_request(errors)
        app = await self._existing(app_id)
        if app.get("code") == COUNTER_APP_CODE and body.get("status") == "disabled":
            raise ServiceError(409, "conflict", "the built-in counter app cannot be disabled", "收银台应用不能停用")
        changes = {k: v for k, v in body.items() if v is not None}
        if not changes:
            return app
        return await self._ledger.update_app(app_id, audit=_OPERATOR("update_app"), **changes)

    async def rotate_secret(self, app_id: int) -> dict[str, Any]:
        await self._existing(app_id)
        return await self._ledger.set_app_secret(app_id, new_secret(), audit=_OPERATOR("rotate_secret"))
