"""The store's side of sync: pushes the outbox to the head office (contract §6).

An outbox entry leaves the store only after the head office has answered 200 with its counts for
the batch that carried it. Anything else (no connection, a timeout, an error status, an answer we
cannot read) keeps the batch where it is, records the error for the status line and waits longer
before the next try. The outbox is in the ledger, so a restart resumes with the same oldest batch;
if the head office had already stored it, it answers `stale` and nothing is counted twice.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import timedelta
from typing import Any, Literal

import httpx

from gateway_core.clock import iso, utc_now
from gateway_core.ledger import Ledger
from gateway_core.sync.backoff import Backoff
from gateway_core.sync.batching import MAX_BATCH_RECORDS, MAX_BODY_BYTES, MAX_BODY_BYTES_HARD, Batch, split_batches
from gateway_core.tls import default_tls_context

log = logging.getLogger(__name__)

SYNC_PATH = "/v1/internal/sync/verifications"
MIN_BODY_BYTES = 4096  # how far a 413 may shrink our batches
# Batches on the wire at once; a few hide the round trip's latency, more only queue at the head
# office's single writer (bench_sync: 16 was slower than 8).
IN_FLIGHT = 8
DEFAULT_TIMEOUT = 20.0  # seconds for one batch, send to answer: ingest of 500 rows takes far less

Outcome = Literal["idle", "sent", "failed"]


@dataclass(frozen=True)
class PushResult:
    """What one `push_once` did. `idle`: nothing to send; `failed`: at least one batch was not
    delivered (the others of the round may have been: the counts are theirs)."""

    outcome: Outcome
    records: int = 0  # records delivered (after coalescing)
    acked: int = 0  # outbox entries removed
    accepted: int = 0
    stale: int = 0
    error: str | None = None
    retry_in: float | None = None


@dataclass(frozen=True)
class SyncStatus:
    """For /health and the desktop's sync status line."""

    enabled: bool
    backlog: int
    last_success_at: str | None
    last_error: str | None
    last_error_at: str | None
    pushed_total: int
    next_attempt_at: str | None = None  # while backing off
    consecutive_failures: int = 0

    @property
    def failing(self) -> bool:
        """The latest attempt failed (survives a restart: both times are kept in the ledger)."""
        if self.last_error_at is None:
            return False
        return self.last_success_at is None or self.last_error_at > self.last_success_at

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "failing": self.failing}


async def ledger_sync_status(ledger: Ledger, *, enabled: bool) -> SyncStatus:
    state = await ledger.sync_state()
    return SyncStatus(
        enabled=enabled,
        backlog=int(state["backlog"]),
        last_success_at=state["last_success_at"],
        last_error=state["last_error"],
        last_error_at=state["last_error_at"],
        pushed_total=int(state["pushed_total"] or 0),
    )


class _Failure(Exception):
    def __init__(self, message: str, *, to_cap: bool = False, at_least: float = 0.0, loud: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.to_cap = to_cap
        self.at_least = at_least
        self.loud = loud


def sync_url(reporting_url: str) -> str:
    base = reporting_url.rstrip("/")
    # Accept the full endpoint as well as the server's base URL: both get configured in practice.
    return base if base.endswith(SYNC_PATH) else base + SYNC_PATH


def url_problem(url: str) -> str | None:
    """Why `url` cannot be a head office's address, or None. Checked once, up front: some mistakes
    (a port past 65535) would otherwise surface as odd exceptions from deep in the socket layer."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError, TypeError) as exc:
        return f"not a URL ({exc})"
    if parsed.scheme not in ("http", "https"):
        return "must start with http:// or https://"
    if not parsed.host:
        return "has no host"
    if parsed.port is not None and not 0 < parsed.port < 65536:
        return f"port {parsed.port} is not a TCP port"
    return None


def _error_summary(response: httpx.Response) -> str:
    """`409 conflict: message (fields...)` from our error envelope, else the start of the body."""
    try:
        error = response.json()["error"]
        text = f"{response.status_code} {error.get('code', '')}: {error.get('message', '')}"
        if error.get("fields"):
            fields = list(error["fields"].items())
            text += " (" + "; ".join(f"{k}: {v}" for k, v in fields[:5])
            text += f"; and {len(fields) - 5} more)" if len(fields) > 5 else ")"
        return text
    except (ValueError, KeyError, TypeError, AttributeError):
        snippet = response.text[:200].strip().replace("\n", " ")
        return f"{response.status_code} {snippet}".strip()


def _retry_after(response: httpx.Response) -> float:
    raw = response.headers.get("Retry-After", "")
    return float(raw) if raw.strip().isdigit() else 0.0


def _counts(response: httpx.Response, expected: int) -> tuple[int, int]:
    """(accepted, stale) from a 200 answer; _Failure when it is not the ingest's answer for this batch."""
    try:
        data = response.json()["data"]
        accepted, stale = data["accepted"], data["stale"]
    except (ValueError, KeyError, TypeError) as exc:
        snippet = response.text[:200].strip().replace("\n", " ")
        raise _Failure(f"head office answered 200 but not with sync counts ({snippet!r}); batch kept") from exc
    counts_ok = all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in (accepted, stale))
    if not counts_ok or accepted + stale != expected:
        # Not the answer to this batch (a proxy's page, another service): do not trust it with an ack.
        raise _Failure(
            f"head office counted accepted={accepted!r} stale={stale!r} for a batch of {expected}; batch kept"
        )
    return accepted, stale


class SyncPusher:
    def __init__(
        self,
        ledger: Ledger,
        reporting_url: str,
        reporting_key: str | None,
        store_id: str,
        http: httpx.AsyncClient | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_records: int = MAX_BATCH_RECORDS,
        max_bytes: int = MAX_BODY_BYTES,
        in_flight: int = IN_FLIGHT,
        backoff: Backoff | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ledger = ledger
        self.url = sync_url(reporting_url)
        self._key = reporting_key
        self.store_id = store_id
        self._http = http or httpx.AsyncClient(timeout=timeout, follow_redirects=False, verify=default_tls_context())
        self._owns_http = http is None
        self._timeout = timeout
        self.max_records = max_records
        self.max_bytes = min(max_bytes, MAX_BODY_BYTES_HARD)
        self.in_flight = max(1, in_flight)
        self.backoff = backoff or Backoff()
        self._monotonic = monotonic
        self._not_before = 0.0  # monotonic time before which the loop does not try
        self._next_attempt_at: str | None = None
        self._forced = False
        self._lock = asyncio.Lock()
        self.wakeup = asyncio.Event()
        self._url_problem = url_problem(self.url)
        if self._url_problem:
            log.error("sync: DYGW_REPORTING_URL %r %s; nothing will be sent", reporting_url, self._url_problem)
        if not reporting_key:
            log.warning("sync: DYGW_REPORTING_KEY is not set; the head office will refuse our batches")

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    # ------------------------------------------------------------------ the loop's side
    def poke(self, *_: object) -> None:
        """A row changed: push soon (but not sooner than the backoff allows)."""
        self.wakeup.set()

    def sync_now(self) -> None:
        """The operator's "sync now": try at once, whatever the backoff says."""
        self._forced = True
        self.wakeup.set()

    async def push_now(self) -> PushResult:
        """The operator's "sync now" when they wait for the answer: one batch at once, whatever the
        backoff says; the background loop drains the rest."""
        self._not_before = 0.0
        result = await self.push_once()
        if result.outcome == "sent":
            self.wakeup.set()
        return result

    async def run_step(self) -> None:
        """One wake of the background loop: drain the outbox while the head office takes batches."""
        if self._forced:
            self._forced = False
            self._not_before = 0.0
        if self._monotonic() >= self._not_before:
            await self.drain()

    async def drain(self) -> PushResult:
        """Keep up to `in_flight` batches on the wire until the outbox is empty or one fails.

        Unlike rounds of `push_once`, a new batch leaves as soon as one is answered, so neither
        end waits for the slowest batch of a round (bench_sync: 2,848 -> 3,000 records/s). Each batch
        is acked on its own answer; after a failure no new batch leaves, the ones on the wire
        finish, and everything unacked is read again after the backoff.
        """
        async with self._lock:
            after = 0
            on_wire: set[asyncio.Task[tuple[Batch, tuple[int, int] | _Failure]]] = set()
            failures: list[_Failure] = []
            result = PushResult("idle")
            exhausted = False
            try:
                while True:
                    while not failures and not exhausted and len(on_wire) < self.in_flight:
                        entries = await self._ledger.outbox_batch(self.max_records, self.max_bytes - 200, after)
                        batches = split_batches(entries, self.store_id, self.max_bytes)
                        if not batches:
                            exhausted = True
                            break
                        after = max(batches[0].entry_ids)
                        on_wire.add(asyncio.create_task(self._deliver(batches[0])))
                    if not on_wire:
                        break
                    done, on_wire = await asyncio.wait(on_wire, return_when=asyncio.FIRST_COMPLETED)
                    for task in done:
                        batch, answer = task.result()
                        if isinstance(answer, _Failure):
                            failures.append(answer)
                            continue
                        result = replace(
                            result,
                            outcome="sent",
                            records=result.records + batch.records,
                            acked=result.acked + len(batch.entry_ids),
                            accepted=result.accepted + answer[0],
                            stale=result.stale + answer[1],
                        )
            finally:
                # Stopped (the runtime is shutting down): the batches still on the wire are not left
                # to ack into a closed ledger. What they carried is sent again next time, as stale.
                for task in on_wire:
                    task.cancel()
                await asyncio.gather(*on_wire, return_exceptions=True)
            if failures:
                return await self._failed(_worst(failures), await self._ledger.outbox_backlog(), result)
            if result.outcome == "sent":
                self._succeeded()
            return result

    def _succeeded(self) -> None:
        if self.backoff.failures:
            log.info("sync: head office reachable again after %d failed attempts", self.backoff.failures)
        self.backoff.succeeded()
        self._next_attempt_at = None

    async def _deliver(self, batch: Batch) -> tuple[Batch, tuple[int, int] | _Failure]:
        answer = await self._send_one(batch)
        if not isinstance(answer, _Failure):
            await self._ledger.outbox_ack(batch.entry_ids)
        return batch, answer

    async def status(self) -> SyncStatus:
        status = await ledger_sync_status(self._ledger, enabled=True)
        failures = self.backoff.failures
        return replace(
            status, next_attempt_at=self._next_attempt_at if failures else None, consecutive_failures=failures
        )

    # ------------------------------------------------------------------ one round
    async def push_once(self) -> PushResult:
        """Send the oldest batches once (up to `in_flight` of them side by side), whatever the
        backoff says; ack each only on a proper 200 for it."""
        async with self._lock:
            # The ledger sizes on its own JSON; leave room for the envelope around the records.
            entries = await self._ledger.outbox_batch(
                self.max_records * self.in_flight, (self.max_bytes - 200) * self.in_flight
            )
            batches = split_batches(entries, self.store_id, self.max_bytes, self.in_flight)
            if not batches:
                return PushResult("idle")
            # Side by side, the head office parses one batch while it commits another, and
            # neither end sits idle on the other's latency. Arrival order does not matter: the
            # ingest keeps whichever snapshot of a row has the newest updated_at.
            answers = await asyncio.gather(*(self._send_one(b) for b in batches))
            delivered: list[tuple[Batch, tuple[int, int]]] = []
            failures: list[_Failure] = []
            for batch, answer in zip(batches, answers, strict=True):
                if isinstance(answer, _Failure):
                    failures.append(answer)
                else:
                    delivered.append((batch, answer))
            acked = 0
            if delivered:
                acked = await self._ledger.outbox_ack([i for b, _ in delivered for i in b.entry_ids])
            result = PushResult(
                "sent",
                records=sum(b.records for b, _ in delivered),
                acked=acked,
                accepted=sum(counts[0] for _, counts in delivered),
                stale=sum(counts[1] for _, counts in delivered),
            )
            if failures:
                undelivered = sum(b.records for b in batches) - result.records
                return await self._failed(_worst(failures), undelivered, result)
            self._succeeded()
            return result

    async def _send_one(self, batch: Batch) -> tuple[int, int] | _Failure:
        try:
            return await self._send(batch)
        except _Failure as failure:
            return failure

    async def _send(self, batch: Batch) -> tuple[int, int]:
        if self._url_problem:
            raise _Failure(f"cannot reach the head office: DYGW_REPORTING_URL {self._url_problem}", to_cap=True)
        if batch.oversized:
            raise _Failure(
                f"verification {batch.verification_ids[0]} alone is {len(batch.body)} bytes, over the head "
                f"office's {MAX_BODY_BYTES_HARD}-byte limit; it cannot be sent and holds the queue",
                to_cap=True, loud=True,
            )  # fmt: skip
        headers = {"Content-Type": "application/json"}
        if self._key:
            headers["X-XTJ-UID"] = self._key
        try:
            response = await self._http.post(self.url, content=batch.body, headers=headers, timeout=self._timeout)
        except httpx.TimeoutException as exc:
            raise _Failure(f"head office did not answer within {self._timeout:g}s ({type(exc).__name__})") from exc
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            # InvalidURL is not an HTTPError: a mistyped DYGW_REPORTING_URL (port 99999) lands here
            # and must show on the status line like any other failure, not kill the loop's step.
            raise _Failure(f"cannot reach the head office at {self.url}: {type(exc).__name__}: {exc}") from exc
        status = response.status_code
        if status == 200:
            return _counts(response, batch.records)
        summary = _error_summary(response)
        if status == 400:
            # Our records are our own ledger's views, so a refusal means the two ends disagree on
            # the format (different versions). Retrying soon cannot help; an upgrade can.
            raise _Failure(
                f"head office refused a batch of {batch.records} as malformed ({summary}); it probably runs "
                "another version of dy-verifier: the batch is kept and retried every few minutes",
                to_cap=True, loud=True,
            )  # fmt: skip
        if status in (401, 403):
            raise _Failure(f"head office refused our key ({summary}): check DYGW_REPORTING_KEY", loud=True)
        if status == 404:
            raise _Failure(f"no sync endpoint at {self.url} ({summary}): check DYGW_REPORTING_URL", loud=True)
        if status == 413:
            # Something between us and the head office takes less than the contract's 64 KiB.
            # min(): the other batches of the same round get the same answer; halve once, not per batch.
            self.max_bytes = min(self.max_bytes, max(MIN_BODY_BYTES, len(batch.body) // 2))
            raise _Failure(f"head office found a {len(batch.body)}-byte batch too large; now sending at most "
                           f"{self.max_bytes} bytes")  # fmt: skip
        raise _Failure(f"head office answered {summary}", at_least=_retry_after(response))

    async def _failed(self, failure: _Failure, undelivered: int, partial: PushResult) -> PushResult:
        delay = self.backoff.failed(to_cap=failure.to_cap, at_least=failure.at_least)
        self._not_before = self._monotonic() + delay
        self._next_attempt_at = iso(utc_now() + timedelta(seconds=delay))
        await self._ledger.record_sync_error(failure.message)
        level = logging.ERROR if failure.loud else logging.WARNING
        log.log(
            level, "sync: %d records not delivered, next try in %.1fs (failure %d in a row): %s",
            undelivered, delay, self.backoff.failures, failure.message,
        )  # fmt: skip
        return replace(partial, outcome="failed", error=failure.message, retry_in=delay)


def _worst(failures: list[_Failure]) -> _Failure:
    """The backoff follows the worst answer: one refused batch outweighs a timed-out one."""
    return max(failures, key=lambda f: f.to_cap)
