"""Verifier apps and other secrets at rest: never in clear in the file, cached auth kept honest."""

from __future__ import annotations

import base64
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from gateway_core.ledger import Audit, Ledger, LedgerConflict, LedgerNotFound, LedgerValidation, SecretKeyMismatch
from gateway_core.ledger.models import StoredToken
from gateway_core.secretbox import SecretBox

SECRET = "s3cr3t-THAT-must-never-touch-the-disk-in-clear-0123456789"
TOKEN = "act.douyin-access-token-THAT-must-not-leak-either-987654"


def _file_bytes(path: Path) -> bytes:
    data = b""
    for suffix in ("", "-wal", "-shm"):
        side = Path(str(path) + suffix)
        if side.exists():
            data += side.read_bytes()
    return data


async def test_secrets_are_never_stored_in_clear(db_path: Path, box: SecretBox) -> None:
    ledger = await Ledger.open(db_path, box)
    created = await ledger.create_app("ERP", "erp", secret=SECRET)
    await ledger.save_token("dy-client", TOKEN, datetime.now(UTC) + timedelta(hours=2))
    # While open (pages may still sit in the WAL) and after close (checkpointed into the file).
    for _ in range(2):
        raw = _file_bytes(db_path)
        for needle in (SECRET, TOKEN):
            assert needle.encode() not in raw
            assert base64.b64encode(needle.encode()) not in raw
            assert base64.urlsafe_b64encode(needle.encode()).rstrip(b"=") not in raw
        await ledger.close()
    assert created["secret"] == SECRET
    assert "secret" not in created["app"] and "secret_enc" not in created["app"]


async def test_create_generates_credentials_and_refuses_taken_ones(ledger: Ledger) -> None:
    made = await ledger.create_app("Kiosk", "kiosk", description="lobby")
    app, secret = made["app"], made["secret"]
    assert len(base64.urlsafe_b64decode(secret + "=" * (-len(secret) % 4))) >= 32
    assert app["client_key"] and app["status"] == "active" and app["allow_token_read"] is False
    assert app["last_used_at"] is None and app["builtin"] is False
    assert list(app)[:10] == [
        "id",
        "created_at",
        "updated_at",
        "name",
        "code",
        "description",
        "client_key",
        "status",
        "allow_token_read",
        "last_used_at",
    ]
    with pytest.raises(LedgerConflict) as by_code:
        await ledger.create_app("Other", "kiosk")
    assert by_code.value.field == "code"
    with pytest.raises(LedgerConflict) as by_key:
        await ledger.create_app("Other", "other", client_key=app["client_key"])
    assert by_key.value.field == "client_key"
    assert [a["code"] for a in await ledger.list_apps()] == ["kiosk"]


async def test_auth_reflects_rotation_and_updates_at_once(ledger: Ledger) -> None:
    made = await ledger.create_app("ERP", "erp", secret="first-secret")
    key = made["app"]["client_key"]
    auth = await ledger.get_app_auth(key)
    assert auth is not None and auth.secret == "first-secret" and auth.status == "active"
    assert "first-secret" not in repr(auth)
    rotated = await ledger.set_app_secret(made["app"]["id"])
    assert rotated["secret"] != "first-secret"
    assert (await ledger.get_app_auth(key)).secret == rotated["secret"]
    await ledger.update_app(made["app"]["id"], status="disabled", allow_token_read=True)
    auth = await ledger.get_app_auth(key)
    assert auth.status == "disabled" and auth.allow_token_read is True
    assert await ledger.get_app_auth("nobody") is None


async def test_update_app_checks_fields_and_ids(ledger: Ledger) -> None:
    made = await ledger.create_app("ERP", "erp")
    with pytest.raises(LedgerValidation):
        await ledger.update_app(made["app"]["id"], status="paused")
    with pytest.raises(LedgerValidation):
        await ledger.update_app(made["app"]["id"], client_key="new")
    with pytest.raises(LedgerNotFound):
        await ledger.update_app(999, name="x")
    changed = await ledger.update_app(made["app"]["id"], name="ERP 2", audit=Audit("operator_key", "k1", "app.update"))
    assert changed["name"] == "ERP 2"
    [entry] = await ledger.list_audit(target=f"app:{made['app']['id']}")
    assert entry["before"]["name"] == "ERP" and entry["after"]["name"] == "ERP 2"


async def test_touch_only_moves_forward(ledger: Ledger) -> None:
    app = (await ledger.create_app("ERP", "erp"))["app"]
    later = datetime(2026, 3, 1, 12, tzinfo=UTC)
    await ledger.touch_app(app["id"], later)
    await ledger.touch_app(app["id"], later - timedelta(seconds=5))
    assert (await ledger.get_app(app["id"]))["last_used_at"] == "2026-03-01T12:00:00.000Z"


async def test_the_builtin_counter_app_is_created_once(ledger: Ledger) -> None:
    first = await ledger.ensure_builtin_app()
    second = await ledger.ensure_builtin_app()
    assert first == second and first["code"] == "counter" and first["builtin"] is True


async def test_tokens_round_trip_and_serve_as_a_token_store(ledger: Ledger) -> None:
    expires = datetime(2026, 3, 1, 14, 0, 0, 123000, tzinfo=UTC)
    assert await ledger.load_token("ck") is None
    store = ledger.token_store()
    await store.save("ck", StoredToken(TOKEN, expires))
    loaded = await store.load("ck")
    assert loaded == StoredToken(TOKEN, expires)

    class OtherToken:
        def __init__(self, access_token: str, expires_at: datetime) -> None:
            self.access_token, self.expires_at = access_token, expires_at

    typed = await ledger.token_store(OtherToken).load("ck")
    assert isinstance(typed, OtherToken) and typed.access_token == TOKEN


async def test_another_key_is_refused_at_open(db_path: Path, box: SecretBox) -> None:
    ledger = await Ledger.open(db_path, box)
    await ledger.create_app("ERP", "erp")
    await ledger.close()
    with pytest.raises(SecretKeyMismatch, match=box.fingerprint):
        await Ledger.open(db_path, SecretBox(os.urandom(32), "file:/elsewhere/secret.key"))
    reopened = await Ledger.open(db_path, box)  # the right key still works
    await reopened.close()
