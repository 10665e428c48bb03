"""The headless gateway as a real process: start-up line, SIGTERM, and a SIGKILL in mid-verify."""

from __future__ import annotations

import asyncio
import signal
import subprocess
from pathlib import Path

import httpx
import pytest

from gateway_core.api_client import GatewayClient
from gateway_core.sandbox import SANDBOX_CLIENT_KEY, SANDBOX_CLIENT_SECRET, SANDBOX_POIS
from tests.e2e.conftest import start_process, start_serve

OPERATOR_KEY = "proc-operator-key-0123456789"
pytestmark = pytest.mark.slow


def _stop(proc: subprocess.Popen[str]) -> int:
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise


async def test_serve_prints_its_address_and_stops_cleanly_on_sigterm(tmp_path: Path):
    env = {"DYGW_SANDBOX": "1", "DYGW_INTERNAL_API_KEYS": OPERATOR_KEY, "DYGW_SECRET_KEY": ""}
    proc, url = start_serve(tmp_path, env)
    try:
        assert url.startswith("http://127.0.0.1:")
        async with httpx.AsyncClient() as http:
            r = await http.get(url + "/health")
            assert r.status_code == 200
            assert r.json()["status"] in ("ok", "degraded")
            r = await http.get(url + "/openapi.json")
            assert r.json()["openapi"].startswith("3.1")
    finally:
        code = _stop(proc)
    assert code == 0
    assert (tmp_path / "ledger.sqlite3").exists()
    assert (tmp_path / "ledger.sqlite3").stat().st_mode & 0o077 == 0


async def test_sigkill_in_the_middle_of_a_verify_then_restart_settles_without_reverifying(tmp_path: Path):
    sandbox, line = start_process(["sandbox", "--port", "0"], {}, tmp_path / "sandbox.log", "sandbox Douyin on http://")
    sandbox_url = line.split()[-1].rstrip("/")
    gateway = None
    try:
        env = {
            "DYGW_DOUYIN_BASE_URL": sandbox_url,
            "DYGW_DOUYIN_CLIENT_KEY": SANDBOX_CLIENT_KEY,
            "DYGW_DOUYIN_CLIENT_SECRET": SANDBOX_CLIENT_SECRET,
            "DYGW_INTERNAL_API_KEYS": OPERATOR_KEY,
            "DYGW_DOUYIN_TIMEOUT": "30",
        }
        gateway, url = start_serve(tmp_path, env)
        poi = SANDBOX_POIS[0].poi_id
        async with httpx.AsyncClient() as http:
            r = await http.post(sandbox_url + "/_sandbox/orders", json={"poi_id": poi, "count": 1})
            assert r.status_code in (200, 201), r.text
            code = r.json()["certificates"][0]["code"] if "certificates" in r.json() else r.json()["coupons"][0]["code"]
            # Douyin applies the verify, then sits on the answer: the gateway is killed meanwhile.
            r = await http.post(
                sandbox_url + "/_sandbox/faults",
                json={"endpoint": "verify", "kind": "apply_then_timeout", "latency_ms": 0},
            )
            assert r.status_code in (200, 201), r.text
        internal = GatewayClient(url, operator_key=OPERATOR_KEY)
        r = await internal.internal("POST", "/v1/internal/apps", {"name": "pos", "code": "pos"})
        created = r.json()["data"]
        await internal.aclose()
        client = GatewayClient(url, created["app"]["client_key"], created["secret"], timeout=60)
        verify = asyncio.create_task(client.post("/v1/open/coupons/verify", {"poi_id": poi, "code": code}))
        async with httpx.AsyncClient() as http:
            for _ in range(200):
                counters = (await http.get(sandbox_url + "/_sandbox/counters")).json()
                if counters.get("counters", counters).get("verify", 0) >= 1:
                    break
                await asyncio.sleep(0.05)
            else:
                raise AssertionError("verify never reached the sandbox")
        gateway.kill()
        gateway.wait(timeout=10)
        with pytest.raises(httpx.HTTPError):
            await verify
        await client.aclose()

        gateway, url = start_serve(tmp_path, {**env, "DYGW_DOUYIN_TIMEOUT": "5"})
        internal = GatewayClient(url, operator_key=OPERATOR_KEY)
        for _ in range(200):
            r = await internal.internal("GET", "/v1/internal/reports/verifications")
            rows = r.json()["data"]
            if rows and rows[0]["verify_status"] != "processing":
                break
            await asyncio.sleep(0.1)
        await internal.aclose()
        assert len(rows) == 1
        assert rows[0]["verify_status"] == "success"
        assert rows[0]["origin_code"] == code
        async with httpx.AsyncClient() as http:
            counters = (await http.get(sandbox_url + "/_sandbox/counters")).json()
        counters = counters.get("counters", counters)
        assert counters["verify"] == 1
    finally:
        if gateway is not None and gateway.poll() is None:
            assert _stop(gateway) == 0
        _stop(sandbox)
