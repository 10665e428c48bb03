"""The pusher against a real aiohttp head office on 127.0.0.1, over real ledgers on both sides."""

import asyncio
import json
import logging

import pytest

from gateway_core.sync import Backoff, SyncPusher
from tests.gateway_core.sync.support import RECEIVER_KEY, Receiver, fill_outbox, open_ledger, remote_rows, settle

LIMIT = 64 * 1024


def make_pusher(ledger, receiver, **kwargs) -> SyncPusher:
    kwargs.setdefault("backoff", Backoff(base=0.01, cap=0.05))
    kwargs.setdefault("timeout", 2.0)
    key = kwargs.pop("key", RECEIVER_KEY)
    return SyncPusher(ledger, receiver.url, key, "store-a", **kwargs)


async def drain(pusher: SyncPusher, max_pushes: int = 500) -> list:
    results = []
    for _ in range(max_pushes):
        result = await pusher.push_once()
        results.append(result)
        if result.outcome == "idle":
            return results
    raise AssertionError("outbox not drained")


async def wait_until(condition, what: str) -> None:
    for _ in range(3000):  # up to 30 s; normally a few polls
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"gave up waiting for {what}")


async def assert_delivered_once(office_ledger, ids):
    rows = await remote_rows(office_ledger)
    assert sorted(r["id"] for r in rows) == sorted(ids)  # every one, none twice
    assert {r["store_id"] for r in rows} == {"store-a"}


async def test_a_backlog_larger_than_one_batch_drains_with_every_body_under_64k(store_ledger, office_ledger, receiver):
    ids = await fill_outbox(store_ledger, 1500, "store-a")
    pusher = make_pusher(store_ledger, receiver)
    results = await drain(pusher)
    sent = [r for r in results if r.outcome == "sent"]
    assert len(receiver.bodies) > 10 and sum(r.records for r in sent) == 1500
    assert all(len(body) < LIMIT for body in receiver.bodies)
    assert max(len(body) for body in receiver.bodies) > LIMIT * 0.7  # batches are not needlessly small
    await assert_delivered_once(office_ledger, ids)
    status = await pusher.status()
    assert status.backlog == 0 and status.pushed_total == 1500 and status.last_success_at
    assert status.enabled and not status.failing
    await pusher.aclose()


async def test_oldest_first_and_the_contract_envelope(store_ledger, receiver):
    await fill_outbox(store_ledger, 300, "store-a")
    pusher = make_pusher(store_ledger, receiver)
    await drain(pusher)
    seen = [r["id"] for body in receiver.bodies for r in json.loads(body)["records"]]
    assert seen == sorted(seen)
    first = json.loads(receiver.bodies[0])
    assert set(first) == {"store_id", "records"} and first["store_id"] == "store-a"
    assert first["records"][0]["created_at"].endswith("Z")
    await pusher.aclose()


@pytest.mark.parametrize("mode", ["500", "garbage", "slow", "down", "ok_then_drop", "wrong_key"])
async def test_nothing_is_acked_until_a_proper_answer_then_all_arrive_once(store_ledger, office_ledger, receiver, mode):
    ids = await fill_outbox(store_ledger, 200, "store-a")
    kwargs = {"timeout": 0.3}
    if mode == "wrong_key":
        kwargs["key"] = "not-the-key"
    else:
        receiver.mode, receiver.delay = mode, 1.0
    if mode == "down":
        await receiver.stop()
    pusher = make_pusher(store_ledger, receiver, **kwargs)
    for _ in range(3):
        result = await pusher.push_once()
        assert result.outcome == "failed" and result.error
    assert await store_ledger.outbox_backlog() == 200
    status = await pusher.status()
    assert status.failing and status.last_error and status.consecutive_failures == 3 and status.next_attempt_at
    if mode == "wrong_key":
        assert "DYGW_REPORTING_KEY" in status.last_error
    if mode == "down":
        await receiver.start(receiver.port)
    if mode == "slow":  # the late handlers do finish their ingest
        await wait_until(lambda: len(receiver.answered) == len(receiver.bodies), "the late handlers to answer")
    receiver.mode = "ok"
    pusher._key = RECEIVER_KEY
    results = await drain(pusher)
    await assert_delivered_once(office_ledger, ids)
    if mode in ("slow", "ok_then_drop"):  # the head office had stored the batch it could not confirm
        assert sum(r.stale for r in results) > 0
    status = await pusher.status()
    assert status.backlog == 0 and not status.failing and status.consecutive_failures == 0
    await pusher.aclose()


async def test_batches_sent_side_by_side_are_acked_each_on_its_own_answer(store_ledger, office_ledger, receiver):
    ids = await fill_outbox(store_ledger, 400, "store-a")
    receiver.fail_requests = {2}
    pusher = make_pusher(store_ledger, receiver, in_flight=4)
    first = await pusher.push_once()
    assert len(receiver.bodies) == 4 and first.outcome == "failed"
    second_batch = {r["id"] for r in json.loads(receiver.bodies[1])["records"]}
    assert first.acked == sum(len(json.loads(b)["records"]) for i, b in enumerate(receiver.bodies) if i != 1)
    assert await store_ledger.outbox_backlog() == 400 - first.acked
    await drain(pusher)
    resent = {r["id"] for body in receiver.bodies[4:] for r in json.loads(body)["records"]}
    assert second_batch <= resent
    await assert_delivered_once(office_ledger, ids)
    await pusher.aclose()


async def test_a_refused_batch_is_kept_logged_loudly_and_retried_only_after_the_cap(store_ledger, receiver, caplog):
    await fill_outbox(store_ledger, 10, "store-a")
    receiver.mode = "400"
    pusher = make_pusher(store_ledger, receiver, backoff=Backoff(base=0.01, cap=300, rand=lambda: 1.0))
    with caplog.at_level(logging.ERROR, logger="gateway_core.sync.pusher"):
        result = await pusher.push_once()
    assert result.outcome == "failed" and result.retry_in == 300
    assert "another version" in (result.error or "") and "records[0].mode" in (result.error or "")
    assert any(r.levelno == logging.ERROR for r in caplog.records)
    assert await store_ledger.outbox_backlog() == 10
    await pusher.aclose()


async def test_run_step_waits_out_the_backoff_and_sync_now_overrides_it(store_ledger, receiver):
    await fill_outbox(store_ledger, 5, "store-a")
    receiver.mode = "500"
    now = [1000.0]
    pusher = make_pusher(store_ledger, receiver, backoff=Backoff(base=10, cap=60), monotonic=lambda: now[0])
    await pusher.run_step()
    assert len(receiver.bodies) == 1
    await pusher.run_step()  # a wake (a new row) inside the backoff: no request
    assert len(receiver.bodies) == 1
    now[0] += 61
    await pusher.run_step()
    assert len(receiver.bodies) == 2
    receiver.mode = "ok"
    pusher.sync_now()
    await pusher.run_step()
    assert len(receiver.bodies) == 3 and await store_ledger.outbox_backlog() == 0
    await pusher.aclose()


async def test_a_restart_resumes_where_the_last_run_stopped(tmp_path, office_ledger, receiver):
    path = tmp_path / "restart.sqlite3"
    ledger = await open_ledger(path, "store-a")
    ids = await fill_outbox(ledger, 600, "store-a")
    pusher = make_pusher(ledger, receiver)
    assert (await pusher.push_once()).outcome == "sent"
    await pusher.aclose()
    await ledger.close()

    ledger = await open_ledger(path, "store-a")  # a new run: only what the file holds carries over
    try:
        assert 0 < await ledger.outbox_backlog() < 600
        pusher = make_pusher(ledger, receiver)
        await drain(pusher)
        await assert_delivered_once(office_ledger, ids)
        assert (await pusher.status()).pushed_total == 600
        await pusher.aclose()
    finally:
        await ledger.close()


async def test_changes_queued_while_a_batch_is_in_flight_stay_queued(store_ledger, office_ledger, receiver):
    ids = await fill_outbox(store_ledger, 3, "store-a")

    async def settle_first_meanwhile(_body: bytes) -> None:
        if len(receiver.bodies) == 1:
            await settle(store_ledger, ids[:1])

    receiver.on_request = settle_first_meanwhile
    pusher = make_pusher(store_ledger, receiver)
    first = await pusher.push_once()
    assert first.outcome == "sent" and first.acked == 3
    assert await store_ledger.outbox_backlog() == 1  # the settle, queued after the batch was read
    await drain(pusher)
    rows = {r["id"]: r for r in await remote_rows(office_ledger)}
    assert rows[ids[0]]["verify_status"] == "success"
    await pusher.aclose()


async def test_several_changes_of_one_row_go_as_its_newest_snapshot(store_ledger, office_ledger, receiver):
    ids = await fill_outbox(store_ledger, 20, "store-a")
    await settle(store_ledger, ids)
    assert await store_ledger.outbox_backlog() == 40
    pusher = make_pusher(store_ledger, receiver)
    result = await pusher.push_once()
    assert result.records == 20 and result.acked == 40 and result.accepted == 20
    rows = await remote_rows(office_ledger)
    assert {r["verify_status"] for r in rows} == {"success"}
    await pusher.aclose()


async def test_a_receiver_with_a_smaller_body_limit_makes_us_send_smaller_batches(store_ledger, office_ledger):
    receiver = await Receiver(office_ledger, max_body=16 * 1024).start()
    try:
        ids = await fill_outbox(store_ledger, 200, "store-a")
        pusher = make_pusher(store_ledger, receiver)
        results = await drain(pusher)
        assert results[0].outcome == "failed" and "too large" in (results[0].error or "")
        assert pusher.max_bytes <= 16 * 1024
        await assert_delivered_once(office_ledger, ids)
        await pusher.aclose()
    finally:
        await receiver.stop()


async def test_push_now_sends_at_once_despite_the_backoff(store_ledger, receiver):
    await fill_outbox(store_ledger, 5, "store-a")
    receiver.mode = "500"
    pusher = make_pusher(store_ledger, receiver, backoff=Backoff(base=100, cap=300))
    await pusher.run_step()
    receiver.mode = "ok"
    result = await pusher.push_now()
    assert result.outcome == "sent" and pusher.wakeup.is_set()
    await pusher.aclose()


async def test_the_loop_drains_on_its_own(store_ledger, office_ledger, receiver):
    from gateway_core.workers import BackgroundLoop

    ids = await fill_outbox(store_ledger, 400, "store-a")
    pusher = make_pusher(store_ledger, receiver)
    loop = BackgroundLoop("sync", pusher.run_step, interval=0.05, wakeup=pusher.wakeup)
    loop.start()
    try:
        for _ in range(200):
            if await store_ledger.outbox_backlog() == 0:
                break
            await asyncio.sleep(0.05)
        await assert_delivered_once(office_ledger, ids)
    finally:
        await loop.stop()
        await pusher.aclose()


@pytest.mark.parametrize("url", ["ftp://example.invalid", "not a url", "http://127.0.0.1:99999"])
async def test_a_mistyped_reporting_url_is_a_failure_on_the_status_line(store_ledger, url):
    await fill_outbox(store_ledger, 2, "store-a")
    pusher = SyncPusher(store_ledger, url, RECEIVER_KEY, "store-a", backoff=Backoff(base=0.01, cap=0.05))
    result = await pusher.push_once()
    assert result.outcome == "failed" and "cannot reach" in (result.error or "")
    assert (await pusher.status()).failing
    await pusher.aclose()


async def test_stopping_a_drain_leaves_no_batch_on_the_wire_behind(store_ledger, office_ledger, receiver):
    """The runtime stops the sync loop by cancelling it: its batches in flight go with it, instead
    of acking into a ledger that is about to close."""
    await fill_outbox(store_ledger, 300, "store-a")
    receiver.mode, receiver.delay = "slow", 3.0
    pusher = make_pusher(store_ledger, receiver, timeout=10.0, max_bytes=8_000)
    draining = asyncio.create_task(pusher.drain())
    await wait_until(lambda: len(receiver.bodies) >= 2, "batches on the wire")
    draining.cancel()
    with pytest.raises(asyncio.CancelledError):
        await draining
    left = [t for t in asyncio.all_tasks() if "_deliver" in repr(t.get_coro()) and not t.done()]
    assert left == []
    assert await store_ledger.outbox_backlog() == 300  # nothing acked: all of it goes again
    await pusher.aclose()
