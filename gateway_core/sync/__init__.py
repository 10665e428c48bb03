"""Ledger sync (contract §6): the store pushes its outbox, the head office ingests it.

    pusher = SyncPusher(ledger, reporting_url, reporting_key, store_id)   # store side
    await pusher.push_once() -> PushResult; pusher.run_step() for a BackgroundLoop
    await pusher.status() -> SyncStatus; pusher.sync_now()
    await ingest_batch(ledger, body) -> {"accepted": n, "stale": m}       # head office side
"""

from gateway_core.sync.backoff import Backoff
from gateway_core.sync.batching import Batch, build_batch, coalesce, split_batches
from gateway_core.sync.ingest import MAX_BATCH_RECORDS, ingest_batch
from gateway_core.sync.pusher import PushResult, SyncPusher, SyncStatus, ledger_sync_status, sync_url

__all__ = [
    "MAX_BATCH_RECORDS", "Backoff", "Batch", "PushResult", "SyncPusher", "SyncStatus", "build_batch", "coalesce",
    "ingest_batch", "ledger_sync_status", "split_batches", "sync_url",
]
