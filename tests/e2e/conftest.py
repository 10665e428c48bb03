"""A real gateway for end-to-end tests: Runtime in demo mode (in-process sandbox Douyin), its HTTP
server on 127.0.0.1:0, a real SQLite file in tmp_path, and a signed client for a fresh verifier app.

Also two plain functions for tests (and benches) that run `python -m gateway_core ...` as real
processes: `start_process` and `start_serve` (`from tests.e2e.conftest import start_serve`).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import IO

import httpx
import pytest

from gateway_core.api_client import GatewayClient
from gateway_core.runtime import Runtime
from gateway_core.sandbox import SANDBOX_POIS
from gateway_core.settings import Settings

OPERATOR_KEY = "test-operator-key-0123456789"


@dataclass
class Gateway:
    runtime: Runtime
    url: str
    client: GatewayClient
    internal: GatewayClient
    app: dict
    secret: str
    data_dir: Path

    @property
    def sandbox(self):  # the in-process sandbox Douyin
        return self.runtime.sandbox

    @property
    def poi_id(self) -> str:
        return SANDBOX_POIS[0].poi_id

    def set_douyin_timeout(self, seconds: float) -> None:
        """Make the gateway give up on Douyin quickly (the client's shared httpx timeout)."""
        self.runtime.douyin._http.timeout = httpx.Timeout(seconds)

    def counters(self) -> dict[str, int]:
        return dict(self.sandbox.state.counters)

    async def new_client(self, code: str, **fields) -> GatewayClient:
        r = await self.internal.internal("POST", "/v1/internal/apps", {"name": code, "code": code, **fields})
        assert r.status_code == 201, r.text
        data = r.json()["data"]
        return GatewayClient(self.url, data["app"]["client_key"], data["secret"])


def make_settings(data_dir: Path, **overrides) -> Settings:
    return Settings(data_dir=data_dir, internal_api_keys=(OPERATOR_KEY,), secret_key=None, **overrides)


@pytest.fixture
async def gateway(tmp_path: Path) -> AsyncIterator[Gateway]:
    runtime = Runtime(
        make_settings(tmp_path / "data"),
        demo=True,
        reconcile_interval=0.2,
        unknown_outcome_grace=timedelta(seconds=0.5),
    )
    await runtime.start()
    url = await runtime.start_http(host="127.0.0.1", port=0)
    internal = GatewayClient(url, operator_key=OPERATOR_KEY)
    r = await internal.internal("POST", "/v1/internal/apps", {"name": "ERP 收银", "code": "erp"})
    assert r.status_code == 201, r.text
    data = r.json()["data"]
    client = GatewayClient(url, data["app"]["client_key"], data["secret"])
    gw = Gateway(runtime, url, client, internal, data["app"], data["secret"], tmp_path / "data")
    try:
        yield gw
    finally:
        await client.aclose()
        await internal.aclose()
        await runtime.stop()


# --- real processes ----------------------------------------------------------------------------


def start_process(args: list[str], env: dict[str, str], log: Path, ready: str) -> tuple[subprocess.Popen[str], str]:
    """Start `python -m gateway_core ARGS` (env on top of os.environ) and read its first stdout line.

    stderr is appended to `log`, and so is whatever the process prints on stdout after that first
    line: files, never a pipe nobody reads, so the process can never block on a full pipe. If the
    first line does not start with `ready`, the process is killed and AssertionError shows the
    end of its log. Returns (process, first line).
    """
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("a", encoding="utf-8") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gateway_core", *args],
            stdout=subprocess.PIPE, stderr=err, text=True, encoding="utf-8", errors="replace",
            env={**os.environ, "PYTHONIOENCODING": "utf-8", **env},
        )  # fmt: skip
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    if not line.startswith(ready):
        proc.kill()
        proc.wait()
        proc.stdout.close()
        tail = log.read_text(encoding="utf-8", errors="replace")[-2000:]
        raise AssertionError(f"gateway_core {args[0]}: no {ready!r} line (got {line!r}); its stderr:\n{tail}")
    threading.Thread(target=_copy_to_log, args=(proc.stdout, log), daemon=True).start()
    return proc, line


def _copy_to_log(stream: IO[str], log: Path) -> None:
    with stream, log.open("a", encoding="utf-8") as out:
        for line in stream:
            out.write(line)


def start_serve(data_dir: Path, env: dict[str, str]) -> tuple[subprocess.Popen[str], str]:
    """`python -m gateway_core serve --port 0 --data-dir DATA_DIR`: (process, its base URL).

    Its stderr goes to DATA_DIR/stderr.log (appended across restarts). An inherited
    DYGW_SECRET_KEY is cleared (the ledger key lives in DATA_DIR) unless `env` sets one.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    args = ["serve", "--port", "0", "--data-dir", str(data_dir)]
    proc, line = start_process(args, {"DYGW_SECRET_KEY": "", **env}, data_dir / "stderr.log", "listening on http://")
    return proc, line.split()[-1].rstrip("/")
