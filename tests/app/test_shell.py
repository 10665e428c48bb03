"""The shell: nothing fails silently, shutdown is clean, `python -m app` starts and stops."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from app.common import tasks
from app.common.exception_hook import ExceptionHook
from app.common.logs import setup_logging


def test_errors_in_slots_and_tasks_are_logged_and_told(qtbot, qloop, tmp_path: Path) -> None:
    log_file = setup_logging(tmp_path)
    told: list[str] = []
    hook = ExceptionHook(log_file, show=told.append)
    hook.install(qloop)
    try:
        try:
            raise ValueError("boom in a slot")
        except ValueError:
            hook.excepthook(*sys.exc_info())  # what Qt does with an exception from a slot

        async def broken() -> None:
            raise KeyError("boom in a task")

        hook._last_shown = 0.0
        task = tasks.spawn(broken(), name="broken")
        qtbot.waitUntil(task.done, timeout=5000)
        qtbot.waitUntil(lambda: hook.count >= 2, timeout=5000)
    finally:
        hook.uninstall(qloop)
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = log_file.read_text(encoding="utf-8")
    assert "boom in a slot" in text and "boom in a task" in text
    assert "Traceback" in text
    assert told and str(log_file) in told[0]


def test_an_error_in_a_thread_reaches_the_cashier(qtbot, qloop, tmp_path: Path) -> None:
    told: list[str] = []
    hook = ExceptionHook(setup_logging(tmp_path), show=told.append)
    hook.install(qloop)
    try:
        worker = threading.Thread(target=lambda: 1 / 0, name="worker")
        worker.start()
        worker.join()
        qtbot.waitUntil(lambda: bool(told), timeout=5000)  # the thread has no event loop of its own
    finally:
        hook.uninstall(qloop)


def test_close_stops_the_runtime(qtbot, desktop, runtime) -> None:
    desktop.window.close()  # the close button: the lifecycle takes over
    qtbot.waitUntil(lambda: not desktop.window.isVisible(), timeout=10_000)
    assert not runtime._started
    assert desktop.counter.scan_box.locked


@pytest.mark.slow
def test_python_m_app_starts_ready_and_stops_on_sigterm(tmp_path: Path) -> None:
    # a keyring that holds nothing, whatever this machine's real keyring has in it
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "DYGW_DATA_DIR": str(tmp_path / "data"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
    }
    env.pop("DYGW_DOUYIN_CLIENT_KEY", None)
    env.pop("DYGW_DOUYIN_CLIENT_SECRET", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "app"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("ready "), (line, proc.stderr.read() if proc.poll() is not None else "")
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    log = (tmp_path / "data" / "logs" / "dy-verifier.log").read_text(encoding="utf-8")
    assert "demo mode" in log  # no credentials anywhere: training mode by itself
    assert "stopped" in log


def test_self_test_flag_is_dispatched_not_parsed(monkeypatch) -> None:
    import app.selftest
    from app.__main__ import main, parse_args

    args = parse_args(["--demo", "--language", "en"])
    assert args.demo and args.language == "en"
    called: list[list[str]] = []
    monkeypatch.setattr(app.selftest, "main", lambda argv: called.append(argv) or 7)
    # --timeout is the self-test's own option: the app's parser would reject it
    assert main(["--self-test", "--timeout", "1"]) == 7
    assert called == [["--self-test", "--timeout", "1"]]
    with pytest.raises(SystemExit):
        parse_args(["--self-test", "--timeout", "1"])


def test_saved_credentials_and_reporting_reach_the_settings(tmp_path: Path, monkeypatch, keyring_memory) -> None:
    from app.__main__ import desktop_settings, parse_args
    from app.common.prefs import Prefs
    from app.settings import keystore

    for var in ("DYGW_DOUYIN_CLIENT_KEY", "DYGW_DOUYIN_CLIENT_SECRET", "DYGW_REPORTING_URL", "DYGW_REPORTING_KEY"):
        monkeypatch.delenv(var, raising=False)
    data = tmp_path / "data"
    Prefs(reporting_url="https://hq.example.com").save(data)
    keystore.save(
        {
            keystore.CLIENT_KEY: "ck",
            keystore.CLIENT_SECRET: "cs",
            keystore.ACCOUNT_ID: "acc",
            keystore.REPORTING_KEY: "rk",
        }
    )
    live = desktop_settings(parse_args(["--data-dir", str(data)]))
    assert live.has_douyin_credentials and live.douyin_account_id == "acc"
    assert (live.reporting_url, live.reporting_key) == ("https://hq.example.com", "rk")
    demo = desktop_settings(parse_args(["--demo", "--data-dir", str(data)]))
    assert not demo.has_douyin_credentials  # --demo never carries real credentials
    monkeypatch.setenv("DYGW_REPORTING_URL", "https://env.example.com")
    assert desktop_settings(parse_args(["--data-dir", str(data)])).reporting_url == "https://env.example.com"


PRELOAD_PROBE = """
import sys, threading
from app.__main__ import _Preload, parse_args
import gateway_core.tls as tls
p = _Preload(parse_args(sys.argv[1:]))
p.start()
p.join()
for t in threading.enumerate():
    if t.name == "preload-tls":
        t.join()
print(tls._context is not None, "gateway_core.sandbox" in sys.modules, p.failure)
"""


@pytest.mark.parametrize(
    ("argv", "env", "expected"),
    [
        ([], {"DYGW_DOUYIN_CLIENT_KEY": "ck", "DYGW_DOUYIN_CLIENT_SECRET": "cs"}, "True False None"),
        ([], {"DYGW_REPORTING_URL": "https://ho.example.com"}, "True True None"),  # training, but syncing
        ([], {}, "False True None"),  # no credentials: training mode
        (["--demo"], {"DYGW_DOUYIN_CLIENT_KEY": "ck", "DYGW_DOUYIN_CLIENT_SECRET": "cs"}, "False True None"),
    ],
)
def test_start_up_thread_prepares_what_the_mode_needs(tmp_path: Path, argv, env, expected) -> None:
    """Live mode (or a reporting URL) gets its CA bundle loaded ahead; training mode its coupons."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DYGW_")}
    out = subprocess.run(
        [sys.executable, "-c", PRELOAD_PROBE, *argv, "--data-dir", str(tmp_path)],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == expected
