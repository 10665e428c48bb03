"""Douyin credentials in the OS keyring, never in a plain file.

Keyring service "dy-verifier", usernames below. When the only backend is keyring's `fail` (a
headless box) or a plaintext one, saving is refused and the settings screen says so; we never fall
back to writing the secret somewhere readable.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from dataclasses import dataclass
from typing import Any

from keyring.errors import KeyringError

from gateway_core.oskeyring import get_keyring
from gateway_core.secretbox import keyring_refusal
from gateway_core.settings import APP_NAME

log = logging.getLogger(__name__)

SERVICE = APP_NAME
CLIENT_KEY = "douyin_client_key"
CLIENT_SECRET = "douyin_client_secret"
ACCOUNT_ID = "douyin_account_id"
POI_ID = "poi_id"
REPORTING_KEY = "reporting_key"
KEYS = (CLIENT_KEY, CLIENT_SECRET, ACCOUNT_ID, POI_ID, REPORTING_KEY)


class KeystoreUnavailable(RuntimeError):
    """No secure keyring: the message says why (shown in settings)."""


@dataclass(frozen=True)
class BackendInfo:
    name: str
    usable: bool
    problem: str  # empty when usable


def backend_info() -> BackendInfo:
    backend = get_keyring()
    cls = type(backend)
    name = f"{cls.__module__}.{cls.__qualname__}"
    refusal = keyring_refusal(backend)
    return BackendInfo(name, refusal is None, refusal or "")


# One read per process: each lookup can be a D-Bus round trip (Secret Service) or a prompt.
# Keyed by the backend object, so switching backends (tests) never serves stale values.
_cache: tuple[weakref.ref[Any], dict[str, str]] | None = None


def load() -> dict[str, str]:
    """What the keyring holds for us; empty when it holds nothing or cannot be read."""
    global _cache
    backend = get_keyring()
    if _cache is not None and _cache[0]() is backend:
        return dict(_cache[1])
    if keyring_refusal(backend) is not None:
        return {}
    values: dict[str, str] = {}
    try:
        for key in KEYS:
            value = backend.get_password(SERVICE, key)
            if value:
                values[key] = value
    except KeyringError as exc:
        log.warning("keyring read failed: %s", exc)
        return {}
    _cache = (weakref.ref(backend), values)
    return dict(values)


def save(values: dict[str, str | None]) -> None:
    """Store (or, for an empty value, delete) each key; raises KeystoreUnavailable."""
    global _cache
    info = backend_info()
    if not info.usable:
        raise KeystoreUnavailable(info.problem)
    _cache = None  # whatever happens below, read afresh next time
    backend = get_keyring()
    try:
        for key, value in values.items():
            if key not in KEYS:
                raise ValueError(f"unknown keystore key {key!r}")
            if value:
                backend.set_password(SERVICE, key, value)
            elif backend.get_password(SERVICE, key) is not None:
                backend.delete_password(SERVICE, key)
    except KeyringError as exc:
        raise KeystoreUnavailable(str(exc)) from exc


async def save_off_thread(values: dict[str, str | None]) -> None:
    """save() and the read-back after it, on a worker thread: on Secret Service each is a D-Bus
    round trip (a locked collection may even prompt), which must not freeze the counter. Read back
    there, the values are cached when the settings' prefs_changed callbacks ask for them."""

    def store() -> None:
        save(values)
        load()

    await asyncio.to_thread(store)
