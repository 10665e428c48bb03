"""Money, sounds, prefs and the keyring wrapper: the small parts every screen leans on."""

from __future__ import annotations

import json
import sys
import wave
from pathlib import Path

import pytest

from app.common.money import yuan
from app.common.prefs import Prefs
from app.settings import keystore
from app.sound.player import SoundPlayer
from app.sound.tones import SOUNDS, write_tone


def test_yuan() -> None:
    assert yuan(8800) == "¥88.00"
    assert yuan(5) == "¥0.05"
    assert yuan(1234567) == "¥12,345.67"
    assert yuan(-150) == "-¥1.50"
    assert yuan(None) == "¥—"


def test_tones_are_short_distinct_wavs(tmp_path: Path) -> None:
    frames = {}
    for name in SOUNDS:
        path = write_tone(name, tmp_path / f"{name}.wav")
        with wave.open(str(path)) as w:
            assert w.getnchannels() == 1
            seconds = w.getnframes() / w.getframerate()
            assert 0.1 < seconds < 1.0
            frames[name] = w.readframes(w.getnframes())
    assert len(set(frames.values())) == len(SOUNDS)


def test_committed_sounds_exist() -> None:
    from app.common.paths import resource

    for name in SOUNDS:
        assert resource("sounds", f"{name}.wav").stat().st_size > 1000


def test_player_without_backend_is_silent() -> None:
    player = SoundPlayer(enabled=True, backend=None)
    player._backend = None
    player.play("success")  # no exception, nothing to play with
    assert player.played == ["success"]


def test_player_respects_the_toggle() -> None:
    calls: list[Path] = []
    player = SoundPlayer(enabled=False, backend=lambda p: calls.append(p) or True)
    player.play("failure")
    assert calls == []
    player.enabled = True
    player.play("failure")
    assert [p.name for p in calls] == ["failure.wav"]
    with pytest.raises(ValueError):
        player.play("fanfare")


def test_prefs_round_trip_and_bad_file(tmp_path: Path) -> None:
    prefs = Prefs(language="en", sound=False, http_port=9000)
    prefs.save(tmp_path)
    assert Prefs.load(tmp_path) == prefs
    (tmp_path / "desktop.json").write_text("{not json", encoding="utf-8")
    assert Prefs.load(tmp_path) == Prefs()
    (tmp_path / "desktop.json").write_text(json.dumps({"http_port": "x", "unknown": 1}), encoding="utf-8")
    assert Prefs.load(tmp_path).http_port == 8848


def test_keystore_saves_in_the_keyring(keyring_memory) -> None:
    assert keystore.backend_info().usable
    keystore.save({keystore.CLIENT_KEY: "ck", keystore.CLIENT_SECRET: "s3cret"})
    assert keyring_memory.store[("dy-verifier", "douyin_client_secret")] == "s3cret"
    assert keystore.load() == {keystore.CLIENT_KEY: "ck", keystore.CLIENT_SECRET: "s3cret"}
    keystore.save({keystore.CLIENT_KEY: None})
    assert keystore.CLIENT_KEY not in keystore.load()


def test_keystore_refuses_the_fail_backend() -> None:
    import keyring
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())
    info = keystore.backend_info()
    assert not info.usable and info.problem
    with pytest.raises(keystore.KeystoreUnavailable):
        keystore.save({keystore.CLIENT_SECRET: "s3cret"})
    assert keystore.load() == {}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux player lookup")
def test_linux_player_is_started_without_waiting(qapp, qtbot, tmp_path: Path, monkeypatch) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    out = tmp_path / "played.txt"
    player = bin_dir / "paplay"
    player.write_text(f'#!/bin/sh\necho "$@" >> {out}\n', encoding="utf-8")
    player.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    sounds = SoundPlayer(enabled=True)
    assert sounds.available
    sounds.play("pending")
    qtbot.waitUntil(out.exists, timeout=5000)
    assert out.read_text(encoding="utf-8").strip().endswith("pending.wav")
