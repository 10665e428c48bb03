"""The app's log file, in the data dir, where a cashier's "it went red" can be traced later."""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

LOG_NAME = "dy-verifier.log"


def log_path(data_dir: Path) -> Path:
    return data_dir / "logs" / LOG_NAME


def setup_logging(data_dir: Path, level: str = "INFO") -> Path:
    path = log_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=5_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.setLevel(getattr(logging, level.upper(), logging.INFO))
    # replace what an earlier call installed (tests start the app more than once per process)
    for old in [h for h in root.handlers if getattr(h, "_dy_verifier", False)]:
        root.removeHandler(old)
        old.close()
    handler._dy_verifier = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    if os.name == "posix":
        os.chmod(path, 0o600)
    return path
