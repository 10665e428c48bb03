"""One typed settings object, built once: flags > environment > DATA_DIR/config.toml > defaults.

The environment names are pinned by the contract (section 1). Secrets may arrive through the
environment on a headless server; they are never written back to config.toml by this module.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import platformdirs

APP_NAME = "dy-verifier"
DEFAULT_DOUYIN_BASE_URL = "https://open.douyin.com"
DEFAULT_SHORT_LINK_HOSTS = ("v.douyin.com",)

# setting name -> environment variable (contract section 1, pinned)
ENV_NAMES: dict[str, str] = {
    "data_dir": "DYGW_DATA_DIR",
    "douyin_base_url": "DYGW_DOUYIN_BASE_URL",
    "douyin_client_key": "DYGW_DOUYIN_CLIENT_KEY",
    "douyin_client_secret": "DYGW_DOUYIN_CLIENT_SECRET",
    "douyin_account_id": "DYGW_DOUYIN_ACCOUNT_ID",
    "short_link_hosts": "DYGW_SHORT_LINK_HOSTS",
    "internal_api_keys": "DYGW_INTERNAL_API_KEYS",
    "reporting_url": "DYGW_REPORTING_URL",
    "reporting_key": "DYGW_REPORTING_KEY",
    "store_id": "DYGW_STORE_ID",
    "timezone": "DYGW_TIMEZONE",
    "sandbox": "DYGW_SANDBOX",
    # ours, beyond the contract
    "host": "DYGW_HOST",
    "port": "DYGW_PORT",
    "douyin_timeout": "DYGW_DOUYIN_TIMEOUT",
    "log_level": "DYGW_LOG_LEVEL",
    "secret_key": "DYGW_SECRET_KEY",
}


class SettingsError(ValueError):
    """A setting has a value that cannot be used; the message names it."""


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True)
class Settings:
    data_dir: Path = field(default_factory=default_data_dir)
    host: str = "127.0.0.1"
    port: int = 8848
    douyin_base_url: str = DEFAULT_DOUYIN_BASE_URL
    douyin_client_key: str | None = None
    douyin_client_secret: str | None = field(default=None, repr=False)
    douyin_account_id: str | None = None
    douyin_timeout: float = 10.0
    short_link_hosts: tuple[str, ...] = DEFAULT_SHORT_LINK_HOSTS
    internal_api_keys: tuple[str, ...] = ()
    reporting_url: str | None = None
    reporting_key: str | None = field(default=None, repr=False)
    store_id: str | None = None
    timezone: str = "Asia/Shanghai"
    sandbox: bool = False
    log_level: str = "INFO"
    # Key for secrets at rest (headless); on a desktop it comes from the OS keyring instead.
    secret_key: str | None = field(default=None, repr=False)

    @property
    def has_douyin_credentials(self) -> bool:
        return bool(self.douyin_client_key and self.douyin_client_secret)

    @property
    def database_path(self) -> Path:
        return self.data_dir / "ledger.sqlite3"

    @property
    def config_path(self) -> Path:
        return self.data_dir / "config.toml"

    def with_overrides(self, **values: Any) -> Settings:
        return replace(self, **{k: v for k, v in values.items() if v is not None})


_FIELD_TYPES = {f.name: f.type for f in fields(Settings)}


def _coerce(name: str, value: Any) -> Any:
    kind = str(_FIELD_TYPES[name])
    try:
        if name == "data_dir":
            return Path(str(value)).expanduser()
        if kind == "int":
            return int(value)
        if kind == "float":
            return float(value)
        if kind == "bool":
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in {"1", "true", "yes", "on"}:
                return True
            if text in {"0", "false", "no", "off", ""}:
                return False
            raise ValueError(f"not a boolean: {value!r}")
        if kind.startswith("tuple"):
            items = value if isinstance(value, list | tuple) else str(value).split(",")
            return tuple(s.strip() for s in (str(i) for i in items) if s.strip())
        text = str(value).strip()
        return text or None if "None" in kind else text
    except (TypeError, ValueError) as exc:
        raise SettingsError(f"setting {name}: {exc}") from exc


def _from_env(environ: Mapping[str, str]) -> dict[str, Any]:
    return {name: _coerce(name, environ[var]) for name, var in ENV_NAMES.items() if var in environ}


def _from_file(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    import tomllib  # here: its import (~15 ms) is wasted on the usual start without a config file

    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{path}: {exc}") from exc
    unknown = sorted(set(raw) - set(_FIELD_TYPES) - {"data_dir"})
    if unknown:
        raise SettingsError(f"{path}: unknown settings {', '.join(unknown)}")
    return {k: _coerce(k, v) for k, v in raw.items() if k != "data_dir"}


def load_settings(flags: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Flags (None means 'not given') win over the environment, which wins over config.toml."""
    environ = os.environ if environ is None else environ
    given = {k: _coerce(k, v) for k, v in (flags or {}).items() if v is not None}
    env = _from_env(environ)
    data_dir = given.get("data_dir") or env.get("data_dir") or default_data_dir()
    merged = {**_from_file(Path(data_dir) / "config.toml"), **env, **given, "data_dir": data_dir}
    settings = Settings(**merged)
    if not settings.short_link_hosts:
        raise SettingsError("setting short_link_hosts: at least one host is needed")
    if not 0 <= settings.port <= 65535:
        raise SettingsError(f"setting port: {settings.port} is not a TCP port")
    _check_timezone(settings.timezone)
    return settings


def _check_timezone(name: str) -> None:
    """Refuse an unknown DYGW_TIMEZONE at start-up rather than fail every dated report later."""
    import zoneinfo  # the ledger's day ranges import it anyway; here it only costs a start without it

    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError) as exc:
        # NotFound is a KeyError; a malformed key is a ValueError; a folder ("Asia") an OSError.
        raise SettingsError(f"setting timezone: {name!r} is not an IANA time zone such as Asia/Shanghai") from exc
