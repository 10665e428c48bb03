"""Operator key rotation on a running endpoint, start_http failures, and `serve` start-up errors."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from gateway_core.api_client import GatewayClient
from gateway_core.runtime import Runtime
from gateway_core.settings import Settings
from tests.e2e.conftest import OPERATOR_KEY


async def _apps_status(url: str, key: str) -> int:
    async with GatewayClient(url, operator_key=key) as client:
        return (await client.internal("GET", "/v1/internal/apps")).status_code


async def test_rotating_the_generated_key_takes_effect_on_the_running_endpoint(tmp_path: Path):
    runtime = Runtime(Settings(data_dir=tmp_path / "data", secret_key=None), demo=True)
    await runtime.start()
    try:
        first = runtime.generated_internal_key
        assert first
        url = await runtime.start_http(host="127.0.0.1", port=0)
        assert await _apps_status(url, first) == 200
        second = await runtime.new_operator_key()
        assert await _apps_status(url, second) == 200
        assert await _apps_status(url, first) == 401
        third = await runtime.new_operator_key()
        assert await _apps_status(url, third) == 200
        assert await _apps_status(url, second) == 401
    finally:
        await runtime.stop()
    # The stored digest is the one the next start accepts.
    runtime = Runtime(Settings(data_dir=tmp_path / "data", secret_key=None), demo=True)
    await runtime.start()
    try:
        assert runtime.generated_internal_key is None
        url = await runtime.start_http(host="127.0.0.1", port=0)
        assert await _apps_status(url, third) == 200
        assert await _apps_status(url, second) == 401
    finally:
        await runtime.stop()


async def test_rotating_keeps_the_environment_keys_valid(gateway):
    """Keys from DYGW_INTERNAL_API_KEYS are not dropped by a rotation in the desktop."""
    new = await gateway.runtime.new_operator_key()
    assert await _apps_status(gateway.url, new) == 200
    assert await _apps_status(gateway.url, OPERATOR_KEY) == 200
    newer = await gateway.runtime.new_operator_key()
    assert await _apps_status(gateway.url, newer) == 200
    assert await _apps_status(gateway.url, new) == 401
    assert await _apps_status(gateway.url, OPERATOR_KEY) == 200


async def test_start_http_on_a_taken_port_cleans_up_and_can_be_retried(gateway, monkeypatch):
    from aiohttp import web

    taken = int(gateway.url.rsplit(":", 1)[1])
    runtime = Runtime(Settings(data_dir=gateway.data_dir.parent / "other", secret_key=None), demo=True)
    await runtime.start()
    try:
        cleaned = []
        original = web.AppRunner.cleanup

        async def spy(self):
            cleaned.append(self)
            await original(self)

        with monkeypatch.context() as patch:
            patch.setattr(web.AppRunner, "cleanup", spy)
            with pytest.raises(OSError):
                await runtime.start_http(host="127.0.0.1", port=taken)
        assert len(cleaned) == 1 and not cleaned[0].server, "the failed runner was not cleaned up"
        assert runtime.http_url is None
        url = await runtime.start_http(host="127.0.0.1", port=0)
        assert await _apps_status(url, runtime.generated_internal_key or "") == 200
    finally:
        await runtime.stop()


def _ipv6_loopback() -> bool:
    if not socket.has_ipv6:
        return False
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as s:
            s.bind(("::1", 0))
    except OSError:
        return False
    return True


def _serve(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "gateway_core", "serve", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **env},
    )


@pytest.mark.skipif(os.name == "nt", reason="file modes")
def test_serve_with_a_key_file_others_can_read_exits_2_with_one_error_line(tmp_path: Path):
    key_file = tmp_path / "secret.key"
    key_file.write_text("not-even-a-key\n", encoding="ascii")
    key_file.chmod(0o644)
    env = {"DYGW_SANDBOX": "1", "DYGW_INTERNAL_API_KEYS": OPERATOR_KEY, "DYGW_SECRET_KEY": ""}
    proc = _serve(["--port", "0", "--data-dir", str(tmp_path)], env)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 2, err
    assert out == ""
    assert "Traceback" not in err
    errors = [line for line in err.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and "secret.key" in errors[0] and "chmod 600" in errors[0], err


@pytest.mark.skipif(not _ipv6_loopback(), reason="no IPv6 loopback here")
async def test_serve_on_ipv6_prints_a_bracketed_url(tmp_path: Path):
    env = {"DYGW_SANDBOX": "1", "DYGW_INTERNAL_API_KEYS": OPERATOR_KEY, "DYGW_SECRET_KEY": ""}
    proc = _serve(["--host", "::1", "--port", "0", "--data-dir", str(tmp_path)], env)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        assert line.startswith("listening on http://[::1]:"), (line, proc.stderr.read() if not line else "")
        url = line.split()[-1]
        async with httpx.AsyncClient() as http:
            r = await http.get(url + "/health")
        assert r.status_code == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    assert proc.returncode == 0
