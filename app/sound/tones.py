"""The three counter sounds, synthesised with `wave` so they need no asset pipeline.

Distinct by pitch direction and rhythm as well as by pitch, so they stay apart on a cheap speaker
and for cashiers who do not hear high tones well: success rises, failure is a low double buzz,
pending is one soft mid tone.
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 22050
SOUNDS = ("success", "failure", "pending")

# (frequency Hz, duration s, square-ish?) segments; 0 Hz is a pause
_PATTERNS: dict[str, list[tuple[float, float, bool]]] = {
    "success": [(880.0, 0.09, False), (0.0, 0.02, False), (1318.5, 0.16, False)],
    "failure": [(196.0, 0.18, True), (0.0, 0.07, False), (196.0, 0.28, True)],
    "pending": [(659.3, 0.22, False)],
}


def _segment(freq: float, seconds: float, square: bool, volume: float = 0.5) -> list[int]:
    n = int(RATE * seconds)
    fade = max(1, int(RATE * 0.01))  # 10 ms ramps: no clicks at the edges
    out: list[int] = []
    for i in range(n):
        if freq <= 0:
            out.append(0)
            continue
        s = math.sin(2 * math.pi * freq * i / RATE)
        if square:
            # a few odd harmonics make a buzz that reads as "wrong" without being shrill
            s = sum(math.sin(2 * math.pi * freq * k * i / RATE) / k for k in (1, 3, 5)) * 0.8
        env = min(1.0, i / fade, (n - i) / fade)
        out.append(int(max(-1.0, min(1.0, s * volume * env)) * 32767))
    return out


def write_tone(name: str, path: Path) -> Path:
    samples: list[int] = []
    for freq, seconds, square in _PATTERNS[name]:
        samples.extend(_segment(freq, seconds, square))
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(struct.pack(f"<{len(samples)}h", *samples))
    return path


def ensure_tones(folder: Path) -> dict[str, Path]:
    """The WAV for each sound, written on first use if the folder lacks it."""
    paths = {}
    for name in SOUNDS:
        path = folder / f"{name}.wav"
        if not path.is_file():
            write_tone(name, path)
        paths[name] = path
    return paths


if __name__ == "__main__":  # regenerate the committed files: python -m app.sound.tones
    from app.common.paths import resource

    for name in SOUNDS:
        print(write_tone(name, resource("sounds", f"{name}.wav")))
