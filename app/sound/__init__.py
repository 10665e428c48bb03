"""Counter sounds (success / failure / pending) without QtMultimedia: small WAVs, the OS player.

`from app.sound.player import SoundPlayer`; `python -m app.sound.tones` regenerates the WAVs.
"""
