"""This counter's own choices that are not secrets: language, sound, POI, local endpoint.

Kept as JSON in the data dir (desktop.json) beside the ledger, so a copied data dir moves the
counter with it. Secrets never go here (see app.settings.keystore).
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
FILE_NAME = "desktop.json"


@dataclass
class Prefs:
    language: str = "zh_CN"
    sound: bool = True
    poi_id: str = ""  # this counter's store in real mode (the keyring's poi_id wins when set)
    poi_name: str = ""
    demo_poi_id: str = ""  # the store picked in training mode
    serve_http: bool = False
    http_host: str = "127.0.0.1"
    http_port: int = 8848
    last_cashier: str = ""
    reporting_url: str = ""

    @classmethod
    def load(cls, data_dir: Path) -> Prefs:
        path = data_dir / FILE_NAME
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as exc:
            log.warning("ignoring unreadable %s: %s", path, exc)
            return cls()
        known = {f.name: f.type for f in fields(cls)}
        values: dict[str, Any] = {}
        for name, value in raw.items() if isinstance(raw, dict) else ():
            default = getattr(cls(), name, None) if name in known else None
            if name in known and isinstance(value, type(default)):
                values[name] = value
        return cls(**values)

    def save(self, data_dir: Path) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        path = data_dir / FILE_NAME
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(tmp, path)  # atomic: a crash never leaves half a file
