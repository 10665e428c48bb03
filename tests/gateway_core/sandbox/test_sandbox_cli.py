"""`python -m gateway_core sandbox` as a real process: address line, banner, serving, clean exit."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sandbox_helpers import client

from gateway_core.sandbox import SANDBOX_CLIENT_KEY, SANDBOX_CLIENT_SECRET, SandboxState

REPO = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.slow


def _start(*args: str) -> tuple[subprocess.Popen[str], str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "gateway_core", "sandbox", "--port", "0", *args],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
    )
    assert proc.stdout is not None
    return proc, proc.stdout.readline()


def _stop(proc: subprocess.Popen[str], sig: int) -> tuple[int, str]:
    proc.send_signal(sig)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    # Read through the same text wrapper that readline() used: it may hold the banner already.
    assert proc.stdout is not None and proc.stderr is not None
    out = proc.stdout.read()
    proc.stdout.close()
    proc.stderr.close()
    return proc.returncode, out


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
async def test_cli_serves_and_exits_0_on_signal(sig):
    proc, first = _start()
    try:
        match = re.fullmatch(r"sandbox Douyin on (http://127\.0\.0\.1:(\d+))\n", first)
        assert match, first
        base_url = match.group(1)
        assert int(match.group(2)) > 0
        async with client(base_url) as http:
            token = await http.post("/oauth/client_token/", json={
                "client_key": SANDBOX_CLIENT_KEY, "client_secret": SANDBOX_CLIENT_SECRET,
                "grant_type": "client_credential"})
            assert token.json()["data"]["access_token"].startswith("clt.")
            coupons = (await http.get("/_sandbox/coupons")).json()["coupons"]
            assert (await http.get(f"/{coupons[0]['slug']}/")).status_code == 302
    finally:
        code, rest = _stop(proc, sig)
    assert code == 0
    # The banner: credentials, stores and the coupon sheet with every seeded code.
    assert SANDBOX_CLIENT_KEY in rest and SANDBOX_CLIENT_SECRET in rest
    assert "老街坊小馆(望京店)" in rest
    for coupon in SandboxState().coupons():
        assert coupon.code in rest and coupon.short_link in rest


async def test_cli_cancel_window_and_quiet():
    proc, first = _start("--cancel-window", "120", "--quiet")
    try:
        base_url = first.split(" on ", 1)[1].strip()
        async with client(base_url) as http:
            assert (await http.get("/_sandbox/")).json()["cancel_window"] == 120
    finally:
        code, rest = _stop(proc, signal.SIGTERM)
    assert code == 0 and rest.strip() == ""


def test_cli_reports_a_port_in_use():
    proc, first = _start()
    try:
        port = first.rsplit(":", 1)[1].strip()
        second = subprocess.run(
            [sys.executable, "-m", "gateway_core", "sandbox", "--port", port, "--quiet"],
            cwd=REPO, capture_output=True, text=True, timeout=30,
        )
        assert second.returncode == 1
        assert "cannot serve" in second.stderr
    finally:
        assert _stop(proc, signal.SIGTERM)[0] == 0
