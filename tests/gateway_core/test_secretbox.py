"""SecretBox and its key providers: env, key file (owner-only), OS keyring (never a fake one)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import keyring.backends.fail
import pytest
from keyring_memory import MemoryKeyring

from gateway_core.secretbox import (
    KEY_FILE_NAME,
    KEYRING_SERVICE,
    EnvKeyProvider,
    FileKeyProvider,
    KeyringKeyProvider,
    SecretBox,
    SecretBoxError,
    SecretDecryptError,
    generate_key_text,
)
from gateway_core.settings import Settings


class PlaintextKeyring(MemoryKeyring):
    """Stands in for keyrings.alt's PlaintextKeyring (which only base64-encodes)."""


@pytest.fixture
def fail_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        yield
    finally:
        keyring.set_keyring(previous)


def test_round_trip_and_context_binding() -> None:
    box = SecretBox(os.urandom(32), "test")
    sealed = box.encrypt("秘密 secret", "app-secret:ck1")
    assert "secret" not in sealed and sealed != box.encrypt("秘密 secret", "app-secret:ck1")  # fresh nonce
    assert box.decrypt(sealed, "app-secret:ck1") == "秘密 secret"
    with pytest.raises(SecretDecryptError):
        box.decrypt(sealed, "app-secret:ck2")  # copied onto another app: refused
    with pytest.raises(SecretDecryptError):
        SecretBox(os.urandom(32), "other").decrypt(sealed, "app-secret:ck1")
    with pytest.raises(SecretDecryptError):
        box.decrypt(sealed[:-2] + ("A" if sealed[-2] != "A" else "B") + sealed[-1], "app-secret:ck1")
    with pytest.raises(SecretDecryptError):
        box.decrypt("plain text", "app-secret:ck1")


def test_env_key(tmp_path: Path) -> None:
    text = generate_key_text()
    box = SecretBox.from_settings(Settings(data_dir=tmp_path, secret_key=text), prefer_keyring=True)
    assert box.source == "env"
    assert not (tmp_path / KEY_FILE_NAME).exists()
    assert box.decrypt(SecretBox.from_provider(EnvKeyProvider(text)).encrypt("x", "c"), "c") == "x"


@pytest.mark.parametrize("bad", ["short", "!!!not base64!!!", generate_key_text() + "AAAA"])
def test_a_bad_env_key_is_refused(tmp_path: Path, bad: str) -> None:
    with pytest.raises(SecretBoxError, match="DYGW_SECRET_KEY"):
        SecretBox.from_settings(Settings(data_dir=tmp_path, secret_key=bad), prefer_keyring=False)


@pytest.mark.skipif(os.name == "nt", reason="POSIX permission bits")
def test_key_file_is_created_owner_only_and_reused(tmp_path: Path) -> None:
    old_umask = os.umask(0o022)
    try:
        box = SecretBox.from_settings(Settings(data_dir=tmp_path), prefer_keyring=False)
    finally:
        os.umask(old_umask)
    path = tmp_path / KEY_FILE_NAME
    assert box.source == f"file:{path}"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    sealed = box.encrypt("x", "c")
    again = SecretBox.from_settings(Settings(data_dir=tmp_path), prefer_keyring=False)
    assert again.decrypt(sealed, "c") == "x" and again.fingerprint == box.fingerprint


@pytest.mark.skipif(os.name == "nt", reason="POSIX permission bits")
@pytest.mark.parametrize("mode", [0o640, 0o604, 0o660])
def test_a_key_file_others_can_read_is_refused(tmp_path: Path, mode: int) -> None:
    FileKeyProvider(tmp_path).get_key()
    os.chmod(tmp_path / KEY_FILE_NAME, mode)
    with pytest.raises(SecretBoxError, match="chmod 600"):
        FileKeyProvider(tmp_path).get_key()


def test_keyring_is_used_when_preferred(tmp_path: Path, keyring_memory: MemoryKeyring) -> None:
    box = SecretBox.from_settings(Settings(data_dir=tmp_path), prefer_keyring=True)
    assert box.source.startswith("keyring:") and "MemoryKeyring" in box.source
    assert [service for service, _ in keyring_memory.store] == [KEYRING_SERVICE]
    assert not (tmp_path / KEY_FILE_NAME).exists()
    sealed = box.encrypt("x", "c")
    assert SecretBox.from_settings(Settings(data_dir=tmp_path), prefer_keyring=True).decrypt(sealed, "c") == "x"


def test_headless_prefers_the_file_even_with_a_keyring(tmp_path: Path, keyring_memory: MemoryKeyring) -> None:
    box = SecretBox.from_settings(Settings(data_dir=tmp_path), prefer_keyring=False)
    assert box.source.startswith("file:") and keyring_memory.store == {}


def test_the_fail_keyring_is_never_used(tmp_path: Path, fail_keyring: None) -> None:
    with pytest.raises(SecretBoxError, match="fail backend"):
        KeyringKeyProvider()
    box = SecretBox.from_settings(Settings(data_dir=tmp_path), prefer_keyring=True)
    assert box.source.startswith("file:")  # a named, encrypted fallback, shown to the user


def test_a_plaintext_keyring_is_refused(tmp_path: Path) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(PlaintextKeyring())
    try:
        with pytest.raises(SecretBoxError, match="plaintext"):
            KeyringKeyProvider()
        assert SecretBox.from_settings(Settings(data_dir=tmp_path), prefer_keyring=True).source.startswith("file:")
    finally:
        keyring.set_keyring(previous)


def test_a_keyring_that_forgets_writes_is_an_error_not_a_new_key(tmp_path: Path) -> None:
    class Forgetful(MemoryKeyring):
        def set_password(self, service: str, username: str, password: str) -> None:
            pass

    previous = keyring.get_keyring()
    keyring.set_keyring(Forgetful())
    try:
        with pytest.raises(SecretBoxError, match="does not return it"):
            SecretBox.from_settings(Settings(data_dir=tmp_path), prefer_keyring=True)
    finally:
        keyring.set_keyring(previous)
