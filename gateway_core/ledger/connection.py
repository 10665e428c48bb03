"""The ledger file and the threads that own its connections.

* One writer thread owns the only writing connection: writes are serialised in-process without
  locks, and SQLite's own write lock never has to arbitrate between our threads.
* A small pool of reader threads, each with its own connection, serves reports: in WAL mode they
  read a consistent snapshot while the writer commits, so a 1M-row CSV export never delays a
  verification and vice versa.
* The asyncio loop only awaits futures; nothing here runs SQL on the loop's thread.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import stat
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Literal, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
SyncLevel = Literal["FULL", "NORMAL"]

BUSY_TIMEOUT_MS = 5000


def create_private_file(path: Path) -> None:
    """Make sure `path` exists and only its owner can read or write it.

    The file is born 0600 through os.open's mode (which a umask can only narrow), rather than by
    switching the process-wide umask while other threads may be creating files. SQLite gives the
    -wal and -shm files the main file's mode, so they are owner-only too.
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
    except FileExistsError:
        pass
    restrict_mode(path)


def restrict_mode(path: Path) -> None:
    if os.name == "nt" or not path.exists():
        return
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        log.warning("%s was readable by others (mode %o); restricting it to its owner", path, mode)
        os.chmod(path, 0o600)


def connect(path: Path, *, query_only: bool) -> sqlite3.Connection:
    # isolation_level=None: we issue BEGIN/COMMIT ourselves; the sqlite3 module's implicit
    # transactions would otherwise open and commit at points we do not choose.
    conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA cache_size = -32000")  # 32 MB: the report indexes of ~1M rows stay warm
    if query_only:
        conn.execute("PRAGMA query_only = ON")
    else:
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise sqlite3.OperationalError(f"cannot switch {path} to WAL (journal_mode is {mode})")
        conn.execute("PRAGMA synchronous = NORMAL")
    return conn


class Database:
    """The connections and their threads; hands work to them and returns awaitables."""

    def __init__(self, path: Path, *, read_threads: int = 2) -> None:
        self.path = path
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ledger-writer")
        self._readers = ThreadPoolExecutor(max_workers=max(1, read_threads), thread_name_prefix="ledger-reader")
        self._write_conn: sqlite3.Connection | None = None
        self._sync: SyncLevel = "NORMAL"
        self._local = threading.local()
        self._read_conns: list[sqlite3.Connection] = []
        self._read_conns_lock = threading.Lock()
        self._closed = False
        self._pending: list[tuple[Callable[[sqlite3.Connection], Any], SyncLevel, asyncio.Future[Any],
                                  asyncio.AbstractEventLoop]] = []
        self._pending_lock = threading.Lock()
        self._drain_scheduled = False

    # --- writer thread -------------------------------------------------------------------------
    def open_writer(self, setup: Callable[[sqlite3.Connection], None]) -> None:
        """Runs on the writer thread: create the file, connect, run `setup` (migrations)."""
        create_private_file(self.path)
        conn = connect(self.path, query_only=False)
        try:
            setup(conn)
        except BaseException:
            conn.close()
            raise
        for suffix in ("-wal", "-shm"):
            restrict_mode(Path(str(self.path) + suffix))
        self._write_conn = conn

    def _drain(self) -> None:
        """Runs on the writer thread: every write queued so far, in one transaction (group commit).

        Each write runs inside its own SAVEPOINT, so one that raises (CouponBusy, a validation
        error) is rolled back alone while the others stand; the batch then commits once. Under
        load this turns N fsyncs into one, which is what lets many cashiers and API clients
        redeem at once on a slow disk; alone, a write still commits at once.
        """
        with self._pending_lock:
            batch, self._pending = self._pending, []
            self._drain_scheduled = False
        if not batch:
            return
        conn = self._write_conn
        outcomes: list[tuple[bool, object]] = []
        try:
            if conn is None:
                raise RuntimeError("the ledger is closed")
            # In WAL mode the level applies at commit: FULL fsyncs the WAL on this commit (and so
            # makes every earlier NORMAL commit durable too); NORMAL leaves it to the checkpoint.
            sync: SyncLevel = "FULL" if any(item[1] == "FULL" for item in batch) else "NORMAL"
            if sync != self._sync:
                conn.execute(f"PRAGMA synchronous = {sync}")
                self._sync = sync
            # IMMEDIATE: take the write lock now; another process (a second instance, the sqlite3
            # shell) then makes us wait on busy_timeout instead of failing mid-transaction.
            conn.execute("BEGIN IMMEDIATE")
            try:
                for fn, _sync, _future, _loop in batch:
                    conn.execute("SAVEPOINT one_write")
                    try:
                        result = fn(conn)
                    except Exception as exc:
                        conn.execute("ROLLBACK TO one_write")
                        conn.execute("RELEASE one_write")
                        outcomes.append((False, exc))
                    else:
                        conn.execute("RELEASE one_write")
                        outcomes.append((True, result))
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        except BaseException as exc:  # nothing of this batch was committed
            outcomes = [(False, exc)] * len(batch)
        for (_fn, _sync, future, loop), (ok, value) in zip(batch, outcomes, strict=True):
            loop.call_soon_threadsafe(_settle_future, future, ok, value)

    async def write(self, fn: Callable[[sqlite3.Connection], T], *, sync: SyncLevel = "NORMAL") -> T:
        """Run `fn(conn)` on the writer thread in a write transaction; returns once it is committed.

        If the awaiting task is cancelled the write still completes or rolls back as a whole; only
        its result is dropped.
        """
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        with self._pending_lock:
            self._pending.append((fn, sync, future, loop))
            schedule = not self._drain_scheduled
            self._drain_scheduled = True
        if schedule:
            self._writer.submit(self._drain)
        return await asyncio.shield(future)

    async def on_writer(self, fn: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._writer, fn)

    # --- reader threads ------------------------------------------------------------------------
    def _reader_conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = connect(self.path, query_only=True)
            self._local.conn = conn
            with self._read_conns_lock:
                self._read_conns.append(conn)
        return conn

    def _snapshot(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        if self._closed:
            raise RuntimeError("the ledger is closed")
        conn = self._reader_conn()
        # One read transaction: a page and its total come from the same snapshot.
        conn.execute("BEGIN")
        try:
            return fn(conn)
        finally:
            conn.execute("COMMIT")

    async def read(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._readers, self._snapshot, fn)

    # --- shutdown ------------------------------------------------------------------------------
    def _close_writer(self) -> None:
        conn, self._write_conn = self._write_conn, None
        if conn is None:
            return
        try:
            # Refreshes the planner statistics this session showed a need for (which index serves
            # which report); the analysis limit keeps it to milliseconds on a million rows, so a
            # SIGTERM still stops promptly.
            conn.execute("PRAGMA analysis_limit = 1000")
            conn.execute("PRAGMA optimize")
        except sqlite3.Error:
            log.exception("PRAGMA optimize failed")
        conn.close()

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, self._readers.shutdown, True)
        with self._read_conns_lock:
            conns, self._read_conns = self._read_conns, []
        for conn in conns:  # their threads are gone: nothing else can touch them now
            conn.close()
        await loop.run_in_executor(self._writer, self._close_writer)
        await loop.run_in_executor(None, self._writer.shutdown, True)


def _settle_future(future: asyncio.Future[Any], ok: bool, value: object) -> None:
    if future.cancelled():
        return
    if ok:
        future.set_result(value)
    else:
        assert isinstance(value, BaseException)
        future.set_exception(value)
