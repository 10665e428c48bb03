"""Play a counter sound through whatever the OS offers, never blocking the GUI thread."""

from __future__ import annotations

import logging
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QProcess

from app.common.paths import resource
from app.sound.tones import SOUNDS, ensure_tones

log = logging.getLogger(__name__)

# Linux players in order of preference: PipeWire/PulseAudio first (they mix with other audio),
# ALSA's aplay last (it may fail when another program holds the device).
_LINUX_PLAYERS = ("pw-play", "paplay", "aplay")


def _sound_folder() -> Path:
    folder = resource("sounds")
    try:
        return ensure_tones(folder).get("success", folder / "success.wav").parent
    except OSError:
        # read-only install without the files: synthesise into a temporary folder instead
        fallback = Path(tempfile.gettempdir()) / "dy-verifier-sounds"
        ensure_tones(fallback)
        return fallback


def _find_backend() -> Callable[[Path], bool] | None:
    if sys.platform == "win32":
        import winsound

        def play_windows(path: Path) -> bool:
            winsound.PlaySound(str(path), winsound.SND_FILENAME | winsound.SND_ASYNC | winsound.SND_NODEFAULT)
            return True

        return play_windows
    candidates = ("afplay",) if sys.platform == "darwin" else _LINUX_PLAYERS
    for name in candidates:
        program = shutil.which(name)
        if program:
            args = ["-q"] if name == "aplay" else []

            def play_process(path: Path, program: str = program, args: list[str] = args) -> bool:
                # detached: the player outlives nothing of ours and needs no reaping on our side
                return QProcess.startDetached(program, [*args, str(path)])[0]

            return play_process
    return None


class SoundPlayer:
    """`play("success" | "failure" | "pending")`; a silent no-op (logged once) without a player."""

    def __init__(self, enabled: bool = True, backend: Callable[[Path], bool] | None = None) -> None:
        self.enabled = enabled
        self._folder = _sound_folder()
        self._backend = backend if backend is not None else _find_backend()
        self.played: list[str] = []  # what was asked for, for tests and the log
        if self._backend is None:
            log.info("no sound player found (winsound/afplay/pw-play/paplay/aplay): sounds are off")

    @property
    def available(self) -> bool:
        return self._backend is not None

    def play(self, name: str) -> None:
        if name not in SOUNDS:
            raise ValueError(f"unknown sound {name!r}")
        if not self.enabled:
            return
        self.played.append(name)
        del self.played[:-20]
        if self._backend is None:
            return
        try:
            if not self._backend(self._folder / f"{name}.wav"):
                log.warning("sound player refused to start for %s", name)
        except Exception:
            log.exception("could not play %s", name)
