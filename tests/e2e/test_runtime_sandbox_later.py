"""Training mode's sandbox bound at start and served later (the desktop serves it once its window
is up): a Douyin call made in between waits for it instead of failing, and a stop in between
leaves nothing listening."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import pytest

from gateway_core.runtime import Runtime
from gateway_core.sandbox import SANDBOX_POIS
from tests.e2e.conftest import make_settings


async def test_a_scan_before_the_sandbox_is_served_is_answered_once_it_is(tmp_path: Path) -> None:
    runtime = Runtime(make_settings(tmp_path / "data"), demo=True, serve_sandbox_later=True)
    await runtime.start()
    try:
        assert runtime.sandbox is not None and not runtime.sandbox.running
        poi = SANDBOX_POIS[0].poi_id
        coupon = runtime.sandbox.state.coupon(tag="single", state="usable", poi_id=poi)
        early = asyncio.create_task(runtime.service.prepare_coupon(poi_id=poi, code=coupon.code))
        await asyncio.sleep(0.5)
        assert not early.done()  # queued by the kernel, not refused
        await runtime.serve_sandbox()
        assert runtime.sandbox.running
        prepared = await asyncio.wait_for(early, 10)
        assert prepared.usable_count == 1 and prepared.cards[0].title == coupon.title
        await runtime.serve_sandbox()  # a second call changes nothing
    finally:
        await runtime.stop()


async def test_stopping_before_the_sandbox_is_served_closes_its_socket(tmp_path: Path) -> None:
    runtime = Runtime(make_settings(tmp_path / "data"), demo=True, serve_sandbox_later=True)
    await runtime.start()
    host, port = runtime.sandbox.base_url.removeprefix("http://").split(":")
    await runtime.stop()
    with pytest.raises(ConnectionRefusedError), socket.create_connection((host, int(port)), timeout=2):
        pass
