"""Secrets at rest: short values (app secrets, Douyin tokens) sealed with AES-256-GCM.

The 32-byte key never sits in the ledger file. It comes from a `KeyProvider`:

* `EnvKeyProvider`     - `DYGW_SECRET_KEY` (URL-safe base64 of 32 bytes); for containers and
                         servers whose secret manager injects it.
* `KeyringKeyProvider` - the OS keyring, service "dy-verifier" (the desktop default).
* `FileKeyProvider`    - `secret.key` in a folder, owner-only (0600), refused when group or others
                         can read it (the headless default). Keep that folder out of the backups
                         that carry `ledger.sqlite3` where you can: a stolen backup that holds both
                         the database and the key file holds the secrets too.

`SecretBox.from_settings` picks one and says which in `box.source`, so the desktop and the
self-test can show the user where the key lives. There is no clear-text mode at all: a keyring
that is the "fail", "null" or a plaintext backend is refused rather than used.

Each sealed value is bound to a *context* string (e.g. `app-secret:<client_key>`) through GCM's
associated data, so a sealed value copied into another row does not decrypt there.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import secrets
import stat
from pathlib import Path
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from gateway_core.settings import APP_NAME, Settings

log = logging.getLogger(__name__)

KEY_BYTES = 32
KEY_FILE_NAME = "secret.key"
KEYRING_SERVICE = APP_NAME
KEYRING_USERNAME = "ledger-secret-key"
_TOKEN_PREFIX = "v1."  # leaves room for a key rotation / algorithm change later
_NONCE_BYTES = 12


class SecretBoxError(RuntimeError):
    """The key cannot be obtained or used safely; the message says what to fix."""


class SecretDecryptError(SecretBoxError):
    """A sealed value does not open with this key (wrong key, wrong context or tampered)."""


def _b64e(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64d(text: str) -> bytes:
    text = text.strip()
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def generate_key_text() -> str:
    """A fresh key in the form DYGW_SECRET_KEY and secret.key expect."""
    return _b64e(secrets.token_bytes(KEY_BYTES))


def decode_key(text: str, where: str) -> bytes:
    try:
        key = _b64d(text)
    except (ValueError, TypeError) as exc:
        raise SecretBoxError(f"{where}: not URL-safe base64 ({exc})") from exc
    if len(key) != KEY_BYTES:
        raise SecretBoxError(f"{where}: the key must be {KEY_BYTES} bytes, found {len(key)}")
    return key


class KeyProvider(Protocol):
    @property
    def source(self) -> str:
        """Where the key lives, for people: "env", "keyring:<backend>", "file:<path>"."""
        ...

    def get_key(self) -> bytes:
        """The 32-byte key, created on first use where the provider can store one."""
        ...


class EnvKeyProvider:
    """The key given in the environment (DYGW_SECRET_KEY); never created, never stored."""

    def __init__(self, key_text: str) -> None:
        self._key_text = key_text

    @property
    def source(self) -> str:
        return "env"

    def get_key(self) -> bytes:
        return decode_key(self._key_text, "DYGW_SECRET_KEY")


def _backend_name(backend: object) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def keyring_refusal(backend: object) -> str | None:
    """Why this keyring backend must not hold our key, or None when it may."""
    import keyring.backends.chainer
    import keyring.backends.fail
    import keyring.backends.null

    if isinstance(backend, keyring.backends.fail.Keyring):
        return "no OS keyring is available (keyring's fail backend)"
    if isinstance(backend, keyring.backends.null.Keyring):
        return "the null keyring stores nothing"
    if isinstance(backend, keyring.backends.chainer.ChainerBackend) and not backend.backends:
        return "the chained keyring has no usable backend"
    name = _backend_name(backend).lower()
    # keyrings.alt's PlaintextKeyring only base64-encodes; that would be clear text in disguise.
    if "plaintext" in name or "keyrings.alt.file.plaintext" in name:
        return "a plaintext keyring is not a secret store"
    return None


class KeyringKeyProvider:
    """The key in the OS keyring (Secret Service, macOS Keychain, Windows Credential Locker)."""

    def __init__(self, service: str = KEYRING_SERVICE, username: str = KEYRING_USERNAME) -> None:
        from gateway_core.oskeyring import get_keyring

        self._service = service
        self._username = username
        self._backend = get_keyring()
        refusal = keyring_refusal(self._backend)
        if refusal:
            raise SecretBoxError(f"keyring refused: {refusal}")

    @property
    def source(self) -> str:
        return f"keyring:{_backend_name(self._backend)}"

    def get_key(self) -> bytes:
        from keyring.errors import KeyringError

        where = f"keyring {self._service}/{self._username}"
        try:
            text = self._backend.get_password(self._service, self._username)
            if text is None:
                self._backend.set_password(self._service, self._username, generate_key_text())
                # Read back: some backends accept a write and keep nothing (a locked or null store),
                # and a key we cannot read again would orphan everything sealed with it.
                text = self._backend.get_password(self._service, self._username)
                if text is None:
                    raise SecretBoxError(f"{where}: the keyring accepted the key but does not return it")
                log.info("created the ledger secret key in %s", self.source)
        except KeyringError as exc:
            raise SecretBoxError(f"{where}: {exc}") from exc
        return decode_key(text, where)


class FileKeyProvider:
    """The key in `<folder>/secret.key`, readable by its owner only."""

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / KEY_FILE_NAME

    @property
    def source(self) -> str:
        return f"file:{self.path}"

    def get_key(self) -> bytes:
        if not self.path.exists():
            self._create()
        self._check_permissions()
        return decode_key(self.path.read_text(encoding="ascii"), str(self.path))

    def _create(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # The mode given to os.open can only lose bits to the umask, so the file is born owner-only
        # whatever the umask is, without touching the process-wide umask under other threads.
        # O_EXCL makes two processes starting at once agree on one key.
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(generate_key_text() + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        log.warning(
            "created the ledger secret key %s; back it up apart from the database: without it the "
            "stored app secrets and tokens cannot be read",
            self.path,
        )

    def _check_permissions(self) -> None:
        if os.name == "nt":
            return  # NTFS ACLs on the user's profile folder already keep other users out
        info = self.path.stat()
        if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise SecretBoxError(
                f"{self.path} is accessible by group or others (mode {stat.filemode(info.st_mode)}); "
                f"run: chmod 600 {self.path}"
            )
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            raise SecretBoxError(f"{self.path} belongs to another user (uid {info.st_uid})")


def usable_keyring_backend() -> object | None:
    """The active keyring backend when it may hold our key, else None."""
    try:
        from gateway_core.oskeyring import get_keyring

        backend = get_keyring()
    except Exception:  # a broken keyring install must not stop a headless server
        log.exception("keyring backend discovery failed")
        return None
    return None if keyring_refusal(backend) else backend


class SecretBox:
    """Seals and opens short secrets with one 32-byte key (AES-256-GCM, random 96-bit nonce)."""

    def __init__(self, key: bytes, source: str) -> None:
        if len(key) != KEY_BYTES:
            raise SecretBoxError(f"the key must be {KEY_BYTES} bytes")
        self._aead = AESGCM(key)
        self.source = source
        # Lets a person compare two installs' keys without revealing either.
        self.fingerprint = hmac.new(key, b"dy-verifier key fingerprint", hashlib.sha256).hexdigest()[:16]

    def __repr__(self) -> str:
        return f"SecretBox(source={self.source!r}, fingerprint={self.fingerprint!r})"

    @classmethod
    def from_provider(cls, provider: KeyProvider) -> SecretBox:
        return cls(provider.get_key(), provider.source)

    @classmethod
    def from_settings(cls, settings: Settings, *, prefer_keyring: bool) -> SecretBox:
        """Environment key if set; else the OS keyring when preferred and usable; else the key file.

        A keyring that is usable but fails (locked, D-Bus error) raises instead of falling back to
        the file: a second key would silently orphan every secret sealed with the first.
        """
        provider: KeyProvider
        if settings.secret_key:
            provider = EnvKeyProvider(settings.secret_key)
        elif prefer_keyring and usable_keyring_backend() is not None:
            provider = KeyringKeyProvider()
        else:
            if prefer_keyring:
                log.warning("no usable OS keyring; the secret key lives in a key file in %s", settings.data_dir)
            provider = FileKeyProvider(settings.data_dir)
        return cls.from_provider(provider)

    def encrypt(self, plaintext: str, context: str) -> str:
        nonce = secrets.token_bytes(_NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, plaintext.encode("utf-8"), context.encode("utf-8"))
        return _TOKEN_PREFIX + _b64e(nonce + sealed)

    def decrypt(self, token: str, context: str) -> str:
        if not token.startswith(_TOKEN_PREFIX):
            raise SecretDecryptError("not a sealed value of this format")
        try:
            raw = _b64d(token[len(_TOKEN_PREFIX) :])
            plain = self._aead.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], context.encode("utf-8"))
        except (InvalidTag, ValueError) as exc:
            raise SecretDecryptError(
                f"a stored secret does not open with the key from {self.source} (another key, or the value was altered)"
            ) from exc
        return plain.decode("utf-8")
