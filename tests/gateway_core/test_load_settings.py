"""load_settings refuses values that would only fail later (one SettingsError line, exit 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway_core.settings import SettingsError, load_settings


@pytest.mark.parametrize("zone", ["Nowhere/Zone", "Asia", "../etc/passwd", "Asia/Shanghai/", "\x00"])
def test_an_unknown_timezone_is_a_settings_error(tmp_path: Path, zone: str):
    with pytest.raises(SettingsError, match="timezone"):
        load_settings({"data_dir": str(tmp_path)}, environ={"DYGW_TIMEZONE": zone})


def test_an_unknown_timezone_in_config_toml_is_a_settings_error(tmp_path: Path):
    (tmp_path / "config.toml").write_text('timezone = "Mars/Olympus"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match="timezone"):
        load_settings({"data_dir": str(tmp_path)}, environ={})


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "UTC", "Europe/Berlin"])
def test_a_real_timezone_loads(tmp_path: Path, zone: str):
    assert load_settings({"data_dir": str(tmp_path)}, environ={"DYGW_TIMEZONE": zone}).timezone == zone


def test_serve_exits_2_with_one_line_on_a_bad_timezone(tmp_path: Path, monkeypatch, capsys):
    from gateway_core.server import cli

    monkeypatch.setenv("DYGW_TIMEZONE", "Nowhere/Zone")
    code = cli.main(["--data-dir", str(tmp_path), "--port", "0"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("error: setting timezone") and err.count("\n") == 1
