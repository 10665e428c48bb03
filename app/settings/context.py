"""What every settings section needs, passed once instead of a dozen constructor arguments."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.common.prefs import Prefs
from app.common.session import Session
from app.sound.player import SoundPlayer


@dataclass
class SettingsContext:
    runtime: Any
    session: Session
    prefs: Prefs
    data_dir: Path
    sounds: SoundPlayer
    # called after prefs changed and were saved (e.g. the counter re-reads its POI)
    prefs_changed: list[Callable[[], None]] = field(default_factory=list)

    def save_prefs(self) -> None:
        self.prefs.save(self.data_dir)
        for callback in self.prefs_changed:
            callback()
