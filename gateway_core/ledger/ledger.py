"""`Ledger`: the async face of the SQLite ledger. Each method hands one function to the writer
thread (one transaction) or to a reader thread (one snapshot); the modules beside this one hold
those functions, one concern each."""

from __future__ import annotations

import functools
import logging
import sqlite3
import time
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any, TypeVar

from gateway_core.clock import utc_now
from gateway_core.ledger import apps, cashiers, ingest, kv, outbox, replay, reports, tokens, verifications
from gateway_core.ledger import audit as audit_log
from gateway_core.ledger.connection import Database, SyncLevel
from gateway_core.ledger.errors import SecretKeyMismatch
from gateway_core.ledger.migrations import LATEST_VERSION, migrate
from gateway_core.ledger.models import AppAuth, Audit, IdemResult, StoredToken, VerificationFilter
from gateway_core.secretbox import SecretBox, SecretDecryptError

log = logging.getLogger(__name__)
T = TypeVar("T")

_KEY_CHECK = "secretbox.key_check"
_KEY_CHECK_CONTEXT = "ledger-key-check"
_PRUNE_EVERY_SECONDS = 60.0

# Durability. In WAL mode synchronous=NORMAL never corrupts the file, but a power cut can lose
# the last commits before the next checkpoint; FULL fsyncs the WAL at every commit. A lost
# `processing` row would leave a verify Douyin may have applied with no trace here, and a lost
# settle (or a head office losing rows it already acknowledged) would misstate money, so the
# writes that record money move commit with FULL (`settle_sync`, measured in bench/bench_ledger.py:
# see the figures in the module docstring of gateway_core.ledger). High-rate writes whose loss is
# harmless (nonces, last_used_at, outbox acks: a re-push is ignored as stale) use NORMAL. A FULL
# commit also makes every earlier NORMAL commit durable, since it syncs the whole WAL.
DURABLE: SyncLevel = "FULL"
CHEAP: SyncLevel = "NORMAL"


class Ledger:
    def __init__(self, db: Database, box: SecretBox, store_id: str | None, settle_sync: SyncLevel) -> None:
        self._db = db
        self._box = box
        self.store_id = store_id
        self._settle: SyncLevel = settle_sync
        self._auth_cache: dict[str, AppAuth] = {}
        self._auth_generation = 0
        self._last_prune = 0.0

    # --- lifecycle -----------------------------------------------------------------------------
    @classmethod
    async def open(
        cls,
        path: Path | str,
        box: SecretBox,
        *,
        store_id: str | None = None,
        settle_sync: SyncLevel = DURABLE,
        read_threads: int = 2,
    ) -> Ledger:
        """Create or open the ledger file (0600, WAL), migrate it, and check `box` opens its secrets.

        Raises SecretKeyMismatch when the file's secrets were sealed with another key.
        """
        db = Database(Path(path), read_threads=read_threads)

        def setup(conn: sqlite3.Connection) -> None:
            before = migrate(conn)
            if 0 < before < LATEST_VERSION:  # 0: a new file, created at the latest version
                log.info("ledger %s migrated from schema version %d to %d", path, before, LATEST_VERSION)
            _check_key(conn, box)

        try:
            await db.on_writer(lambda: db.open_writer(setup))
        except BaseException:
            await db.close()
            raise
        return cls(db, box, store_id, settle_sync)

    async def close(self) -> None:
        await self._db.close()

    async def __aenter__(self) -> Ledger:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def path(self) -> Path:
        return self._db.path

    async def ping(self) -> None:
        """Raises when the database cannot be read (for /health)."""
        await self._db.read(lambda conn: conn.execute("SELECT 1").fetchone())

    # --- apps ----------------------------------------------------------------------------------
    def _invalidate_auth(self) -> None:
        self._auth_generation += 1
        self._auth_cache.clear()

    async def create_app(
        self,
        name: str,
        code: str,
        *,
        description: str = "",
        client_key: str | None = None,
        secret: str | None = None,
        status: str = "active",
        allow_token_read: bool = False,
        audit: Audit | None = None,
    ) -> dict[str, Any]:
        """{"app": VerifierApp, "secret": str}; the only time the secret is readable.
        LedgerConflict("code" | "client_key") when taken."""
        now = utc_now()

        def run(conn: sqlite3.Connection) -> tuple[dict[str, Any], str]:
            view, plain = apps.create(
                conn,
                self._box,
                now,
                name=name,
                code=code,
                description=description,
                client_key=client_key,
                secret=secret,
                status=status,
                allow_token_read=allow_token_read,
            )
            if audit:
                audit_log.add(conn, now, audit.actor_type, audit.actor, audit.action, f"app:{view['id']}", None, view)
            return view, plain

        view, plain = await self._db.write(run, sync=DURABLE)
        return {"app": view, "secret": plain}

    async def list_apps(self) -> list[dict[str, Any]]:
        return await self._db.read(apps.list_all)

    async def get_app(self, app_id: int) -> dict[str, Any] | None:
        return await self._db.read(lambda conn: apps.get(conn, app_id))

    async def get_app_auth(self, client_key: str) -> AppAuth | None:
        """For the signature check: id, status, token right and the decrypted secret (cached)."""
        cached = self._auth_cache.get(client_key)
        if cached is not None:
            return cached
        generation = self._auth_generation
        found = await self._db.read(lambda conn: apps.auth(conn, self._box, client_key))
        # A change committed while we read may have invalidated the cache after our snapshot:
        # keep the answer for this request but do not cache it.
        if found is not None and generation == self._auth_generation:
            self._auth_cache[client_key] = found
        return found

    async def update_app(self, app_id: int, *, audit: Audit | None = None, **changes: Any) -> dict[str, Any]:
        """Change name, description, status or allow_token_read; LedgerNotFound for an unknown id."""
        now = utc_now()

        def run(conn: sqlite3.Connection) -> dict[str, Any]:
            before, after = apps.update(conn, app_id, changes, now)
            if audit:
                audit_log.add(conn, now, audit.actor_type, audit.actor, audit.action, f"app:{app_id}", before, after)
            return after

        try:
            return await self._db.write(run, sync=DURABLE)
        finally:
            self._invalidate_auth()

    async def set_app_secret(
        self, app_id: int, secret: str | None = None, *, audit: Audit | None = None
    ) -> dict[str, Any]:
        """Rotate (a new random secret when None): {"app": VerifierApp, "secret": str}.
        The old secret stops working as soon as this returns."""
        now = utc_now()

        def run(conn: sqlite3.Connection) -> tuple[dict[str, Any], str]:
            view, plain = apps.set_secret(conn, self._box, app_id, secret, now)
            if audit:
                audit_log.add(conn, now, audit.actor_type, audit.actor, audit.action, f"app:{app_id}")
            return view, plain

        try:
            view, plain = await self._db.write(run, sync=DURABLE)
        finally:
            self._invalidate_auth()
        return {"app": view, "secret": plain}

    async def touch_app(self, app_id: int, at: datetime | None = None) -> None:
        stamp = at or utc_now()
        await self._db.write(lambda conn: apps.touch(conn, app_id, stamp), sync=CHEAP)

    async def ensure_builtin_app(self, code: str = "counter", name: str = "收银台") -> dict[str, Any]:
        """The desktop counter's own app (every verification has an app); created once."""
        now = utc_now()

        def run(conn: sqlite3.Connection) -> dict[str, Any]:
            existing = apps.get_by_code(conn, code)
            if existing is not None:
                return existing
            view, _secret = apps.create(
                conn, self._box, now, name=name, code=code, builtin=True, description="built-in: the desktop counter"
            )
            return view

        return await self._db.write(run, sync=DURABLE)

    # --- replay protection ---------------------------------------------------------------------
    async def claim_nonce(self, client_key: str, nonce: str, now: float | None = None) -> bool:
        """True if the nonce is fresh (and now taken); False if seen within the last 600 s."""
        at = time.time() if now is None else now
        prune = at - self._last_prune >= _PRUNE_EVERY_SECONDS
        if prune:
            self._last_prune = at

        def run(conn: sqlite3.Connection) -> bool:
            if prune:  # the housekeeping of `prune()`, at most once a minute, on the way
                replay.prune_nonces(conn, at)
                replay.prune_idempotency(conn, datetime.fromtimestamp(at, UTC))
            return replay.claim_nonce(conn, client_key, nonce, at)

        return await self._db.write(run, sync=CHEAP)

    async def idempotency_begin(self, app_id: int, request_id: str, body_hash: str) -> IdemResult:
        """kind "new" (claimed: go ahead, then finish or abandon), "in_progress" (a twin request
        is running), "done" (replay `status`/`body`), "mismatch" (same id, other body: 409)."""
        now = utc_now()
        return await self._db.write(
            lambda conn: replay.idempotency_begin(conn, app_id, request_id, body_hash, now), sync=CHEAP
        )

    async def idempotency_finish(self, app_id: int, request_id: str, status: int, body: Any) -> None:
        await self._db.write(
            lambda conn: replay.idempotency_finish(conn, app_id, request_id, status, body), sync=self._settle
        )

    async def idempotency_abandon(self, app_id: int, request_id: str) -> None:
        await self._db.write(lambda conn: replay.idempotency_abandon(conn, app_id, request_id), sync=CHEAP)

    async def prune(self, now: datetime | None = None) -> dict[str, int]:
        """Housekeeping: expired nonces and week-old idempotency records."""
        at = now or utc_now()

        def run(conn: sqlite3.Connection) -> dict[str, int]:
            return {
                "nonces": replay.prune_nonces(conn, at.timestamp()),
                "idempotency": replay.prune_idempotency(conn, at),
            }

        return await self._db.write(run, sync=CHEAP)

    # --- verifications -------------------------------------------------------------------------
    async def insert_processing(self, rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """Write one `processing` row per certificate, all or none, before Douyin's verify.

        Raises CouponBusy(coupon_key, existing) when a coupon already has a processing or
        success row (the exactly-once guard), LedgerValidation on bad fields.
        """
        now = utc_now()
        return await self._db.write(
            lambda conn: verifications.insert_processing(conn, rows, now, self.store_id), sync=self._settle
        )

    async def update_verification(
        self, verification_id: int, changes: Mapping[str, Any], audit: Audit | None = None
    ) -> dict[str, Any]:
        now = utc_now()
        return await self._db.write(
            lambda conn: verifications.update_verification(conn, verification_id, changes, now, audit),
            sync=self._settle,
        )

    async def get_verification(self, verification_id: int) -> dict[str, Any] | None:
        return await self._db.read(lambda conn: verifications.get_view(conn, verification_id))

    async def get_verification_internal(self, verification_id: int) -> dict[str, Any] | None:
        return await self._db.read(lambda conn: verifications.get_internal(conn, verification_id))

    async def list_verifications(
        self, filters: VerificationFilter, page: int = 1, page_size: int = 50
    ) -> tuple[list[dict[str, Any]], int]:
        """(views of one page, newest first; total matching rows)."""
        reports.validate_filter(filters)
        page, page_size = max(1, page), max(1, page_size)
        return await self._db.read(lambda conn: reports.list_page(conn, filters, page, page_size))

    async def count_verifications(self, filters: VerificationFilter) -> int:
        reports.validate_filter(filters)
        return await self._db.read(lambda conn: reports.count(conn, filters))

    async def iter_verifications(
        self, filters: VerificationFilter, chunk: int = 2000
    ) -> AsyncIterator[list[dict[str, Any]]]:
        """Every matching view, newest first, in lists of up to `chunk` (keyset pages: each chunk
        costs the same however deep the export is)."""
        reports.validate_filter(filters)
        cursor: tuple[str, int] | None = None
        while True:
            views, cursor = await self._db.read(functools.partial(_chunk, filters, cursor, chunk))
            if views:
                yield views
            if cursor is None:
                return

    async def summary(
        self, filters: VerificationFilter, group_by: Sequence[str] = ("day",), tz: str | tzinfo = "Asia/Shanghai"
    ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """(VerificationSummaryRows sorted by their keys, totals row)."""
        reports.validate_filter(filters)
        return await self._db.read(lambda conn: reports.summary(conn, filters, group_by, tz))

    async def unsettled(self, now: datetime | None = None, limit: int = 100) -> list[dict[str, Any]]:
        at = now or utc_now()
        return await self._db.read(lambda conn: verifications.unsettled(conn, at, limit))

    async def enrichment_due(self, now: datetime | None = None, limit: int = 100) -> list[dict[str, Any]]:
        at = now or utc_now()
        return await self._db.read(lambda conn: verifications.enrichment_due(conn, at, limit))

    # --- Douyin tokens -------------------------------------------------------------------------
    async def load_token(self, client_key: str) -> StoredToken | None:
        return await self._db.read(lambda conn: tokens.load(conn, self._box, client_key))

    async def save_token(self, client_key: str, access_token: str, expires_at: datetime) -> None:
        now = utc_now()
        await self._db.write(
            lambda conn: tokens.save(conn, self._box, client_key, access_token, expires_at, now), sync=CHEAP
        )

    def token_store(self, token_factory: Callable[..., Any] | None = None) -> tokens.LedgerTokenStore:
        return tokens.LedgerTokenStore(self, token_factory)

    # --- settings ------------------------------------------------------------------------------
    async def get_setting(self, key: str, default: Any = None) -> Any:
        return await self._db.read(lambda conn: kv.get(conn, key, default))

    async def set_setting(self, key: str, value: Any) -> None:
        now = utc_now()
        await self._db.write(lambda conn: kv.put(conn, key, value, now), sync=DURABLE)

    # --- audit ---------------------------------------------------------------------------------
    async def add_audit(
        self,
        actor_type: str,
        actor: str,
        action: str,
        target: str | None = None,
        before: Any = None,
        after: Any = None,
    ) -> int:
        now = utc_now()
        return await self._db.write(
            lambda conn: audit_log.add(conn, now, actor_type, actor, action, target, before, after), sync=DURABLE
        )

    async def list_audit(
        self, target: str | None = None, before_id: int | None = None, limit: int = 100
    ) -> list[dict[str, Any]]:
        return await self._db.read(
            lambda conn: audit_log.list_entries(conn, target=target, before_id=before_id, limit=limit)
        )

    # --- cashiers ------------------------------------------------------------------------------
    async def add_cashier(
        self, name: str, pin: str, role: str = "cashier", *, audit: Audit | None = None
    ) -> dict[str, Any]:
        pin_hash = await self._on_reader(lambda: cashiers.hash_pin(pin))
        now = utc_now()

        def run(conn: sqlite3.Connection) -> dict[str, Any]:
            view = cashiers.add(conn, name, pin_hash, role, now)
            if audit:
                audit_log.add(
                    conn, now, audit.actor_type, audit.actor, audit.action, f"cashier:{view['id']}", None, view
                )
            return view

        return await self._db.write(run, sync=DURABLE)

    async def check_pin(self, name: str, pin: str) -> dict[str, Any] | None:
        """The active cashier `name` when `pin` is theirs, else None."""
        return await self._db.read(lambda conn: cashiers.check_pin(conn, name, pin))

    async def list_cashiers(self) -> list[dict[str, Any]]:
        return await self._db.read(cashiers.list_all)

    async def update_cashier(
        self, cashier_id: int, *, pin: str | None = None, audit: Audit | None = None, **changes: Any
    ) -> dict[str, Any]:
        """Change name, role, active and/or the PIN."""
        if pin is not None:
            changes["pin_hash"] = await self._on_reader(lambda: cashiers.hash_pin(pin))
        now = utc_now()

        def run(conn: sqlite3.Connection) -> dict[str, Any]:
            before, after = cashiers.update(conn, cashier_id, changes, now)
            if audit:
                audit_log.add(
                    conn, now, audit.actor_type, audit.actor, audit.action, f"cashier:{cashier_id}", before, after
                )
            return after

        return await self._db.write(run, sync=DURABLE)

    async def _on_reader(self, fn: Callable[[], T]) -> T:
        # CPU-heavy but DB-free (PIN hashing): keep it off the writer thread and the event loop.
        return await self._db.read(lambda _conn: fn())

    # --- sync ----------------------------------------------------------------------------------
    async def outbox_batch(
        self, limit: int = 200, max_bytes: int = 60_000, after_id: int = 0
    ) -> list[tuple[int, outbox.OutboxRecord]]:
        """[(outbox_id, VerificationView)], oldest first (after `after_id`), for one push; each view
        a read-only mapping that also carries its JSON text (`.raw`) to send as it is."""
        return await self._db.read(lambda conn: outbox.batch(conn, limit, max_bytes, after_id))

    async def outbox_ack(self, ids: Sequence[int]) -> int:
        """Drop entries the reporting side accepted; records a successful push."""
        now = utc_now()
        return await self._db.write(lambda conn: outbox.ack(conn, ids, now), sync=CHEAP)

    async def outbox_backlog(self) -> int:
        return await self._db.read(outbox.backlog)

    async def sync_state(self) -> dict[str, Any]:
        """last_success_at, last_error, last_error_at, pushed_total, backlog."""
        return await self._db.read(outbox.state)

    async def record_sync_error(self, error: str) -> None:
        now = utc_now()
        await self._db.write(lambda conn: outbox.record_error(conn, error, now), sync=CHEAP)

    async def ingest(self, store_id: str, records: Sequence[Any]) -> tuple[int, int]:
        """Head office: upsert another store's records; (accepted, stale); all or nothing.
        LedgerValidation({"records[i].field": reason}) on bad input, nothing written."""
        batch = ingest.check(store_id, records)  # here, so the writer thread only writes
        return await self._db.write(lambda conn: ingest.upsert(conn, batch), sync=self._settle)


def _chunk(
    filters: VerificationFilter, after: tuple[str, int] | None, limit: int, conn: sqlite3.Connection
) -> tuple[list[dict[str, Any]], tuple[str, int] | None]:
    return reports.keyset_chunk(conn, filters, after, limit)


def _check_key(conn: sqlite3.Connection, box: SecretBox) -> None:
    """Refuse a key that differs from the one the file's secrets were sealed with, instead of
    failing later on every request (or sealing new secrets under a second key)."""
    stored = kv.get(conn, _KEY_CHECK)
    if stored is None:
        conn.execute("BEGIN IMMEDIATE")
        try:
            value = {
                "sealed": box.encrypt("ok", _KEY_CHECK_CONTEXT),
                "source": box.source,
                "fingerprint": box.fingerprint,
            }
            kv.put(conn, _KEY_CHECK, value, utc_now())
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return
    try:
        box.decrypt(stored["sealed"], _KEY_CHECK_CONTEXT)
    except (SecretDecryptError, KeyError, TypeError) as exc:
        raise SecretKeyMismatch(
            f"the ledger's secrets were sealed with key {stored.get('fingerprint')} from "
            f"{stored.get('source')}, but the key in use ({box.fingerprint}) comes from {box.source}; "
            "restore that key (DYGW_SECRET_KEY, the OS keyring entry or the secret.key file)"
        ) from exc
