"""`dy-verifier --self-test` run in-process (not frozen): the one-line result and its exit status,
and failures that name their reason. The frozen bundle runs the same code in test_bundle.py."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import pytest
from keyring.backends import fail
from keyring.errors import KeyringError
from keyring_memory import MemoryKeyring

from app import selftest
from gateway_core.secretbox import generate_key_text

LINE = re.compile(
    r"^self-test ok: keyring=(?P<source>\S+) ledger=ok http=ok verify=ok qt=ok in (?P<secs>\d+\.\d\d)s$"
)



class LockedKeyring(MemoryKeyring):
    """Looks usable (a real backend, not fail/null) but every read fails, like a locked collection."""

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringError("the collection is locked")


@pytest.fixture
def use_keyring() -> Iterator:
    """Installs a keyring backend for one test; the real one is never touched."""
    previous = keyring.get_keyring()
    yield keyring.set_keyring
    keyring.set_keyring(previous)


def run_main(capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = selftest.main(["--self-test"])
    out = capsys.readouterr().out
    assert out.endswith("\n") and out.count("\n") == 1, f"not exactly one line: {out!r}"
    return status, out.strip()


def test_passes_with_the_key_file_where_there_is_no_keyring(use_keyring, capsys):
    use_keyring(fail.Keyring())  # a headless box: keyring's fail backend
    status, line = run_main(capsys)
    assert status == 0, line
    match = LINE.match(line)
    assert match, line
    assert match["source"].startswith("file:") and match["source"].endswith("secret.key")


def test_fails_with_the_reason_when_the_keyring_is_broken(use_keyring, capsys):
    use_keyring(LockedKeyring())
    status, line = run_main(capsys)
    assert status == 1
    assert line.startswith("self-test FAILED: keyring: "), line
    assert "the collection is locked" in line
    # The other checks still ran, so the line shows everything that is wrong at once.
    assert "keyring=FAILED ledger=ok http=ok verify=ok qt=ok" in line


def test_an_engine_failure_names_its_stage(use_keyring, capsys, monkeypatch):
    use_keyring(fail.Keyring())

    async def refuse(*args, **kwargs):
        raise OSError("address already in use")

    monkeypatch.setattr("gateway_core.runtime.Runtime.start_http", refuse)
    status, line = run_main(capsys)
    assert status == 1
    assert line.startswith("self-test FAILED: http: OSError: address already in use"), line
    assert "ledger=ok http=FAILED verify=-" in line


def test_a_usable_keyring_is_used_and_the_probe_removed(use_keyring, tmp_path: Path):
    backend = MemoryKeyring()
    use_keyring(backend)
    source = selftest.check_secret_store(tmp_path, environ={})
    assert source == f"keyring:{MemoryKeyring.__module__}.MemoryKeyring"
    assert backend.store == {}, "the self-test's keyring entry was left behind"
    assert not (tmp_path / "secret.key").exists()


@pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")
def test_the_key_file_fallback_is_owner_only(use_keyring, tmp_path: Path):
    use_keyring(fail.Keyring())
    source = selftest.check_secret_store(tmp_path, environ={})
    key_file = tmp_path / "secret.key"
    assert source == f"file:{key_file}"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_a_key_from_the_environment_wins(use_keyring, tmp_path: Path):
    use_keyring(MemoryKeyring())
    assert selftest.check_secret_store(tmp_path, environ={"DYGW_SECRET_KEY": generate_key_text()}) == "env"


def test_lost_keyring_metadata_fails(use_keyring):
    # What a frozen build without keyring's dist-info looks like: no entry points at all.
    with pytest.raises(selftest.CheckFailed, match=r"SecretService not discoverable .*found: none"):
        selftest.check_keyring_discovery(platform="linux", discover=dict)


def test_a_backend_that_cannot_load_fails():
    class MissingModule:
        def load(self):
            raise ModuleNotFoundError("No module named 'win32ctypes'")

    with pytest.raises(selftest.CheckFailed, match="backend Windows cannot load: ModuleNotFoundError"):
        selftest.check_keyring_discovery(platform="win32", discover=lambda: {"Windows": MissingModule()})
