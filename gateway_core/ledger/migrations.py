"""Schema, versioned: `PRAGMA user_version` counts the migrations applied, in order.

Each migration runs in its own transaction together with the version bump, so a crash leaves the
file at the previous version, never half-way. Migrations are history: never edit one that has
shipped; add the next. DDL is written out as SQL rather than through sqlite-utils' `create()`
because what matters here (CHECKs, partial and expression indexes, generated columns, triggers,
AUTOINCREMENT) is beyond its table builder; sqlite-utils supplies the transaction (`atomic`, which
nests as savepoints) and the introspection later migrations use (`columns_dict`, `add_column`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

from gateway_core.ledger.errors import LedgerError

if TYPE_CHECKING:  # sqlite-utils (~80 ms to import) is needed only when a file migrates
    import sqlite_utils

# The VerificationView columns as of v1, frozen here on purpose (the outbox trigger snapshots
# exactly these); views.VIEW_KEYS must stay equal to it until a migration changes both.
V1_VIEW_COLUMNS: tuple[str, ...] = (
    "id",
    "app_id",
    "app_name",
    "poi_id",
    "verify_status",
    "error_code",
    "error_description",
    "certificate_id",
    "encrypted_code",
    "origin_code",
    "coupon_status",
    "product_id",
    "product_name",
    "sku_id",
    "sku_name",
    "verify_records_count",
    "verify_id",
    "order_id",
    "source_order_id",
    "ext_order_id",
    "order_status",
    "pay_amount",
    "receipt_amount",
    "discount_amount",
    "enrichment_status",
    "store_id",
    "operator",
    "mode",
    "request_id",
    "created_at",
    "updated_at",
    "verified_at",
    "cancelled_at",
)

_NOW_ISO = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"

_V1_TABLES = [
    """
    CREATE TABLE apps (
        id               INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reuse a retired app's id
        created_at       TEXT NOT NULL,
        updated_at       TEXT NOT NULL,
        name             TEXT NOT NULL,
        code             TEXT NOT NULL UNIQUE,
        description      TEXT NOT NULL DEFAULT '',
        client_key       TEXT NOT NULL UNIQUE,
        secret_enc       TEXT NOT NULL,                      -- SecretBox, context app-secret:<client_key>
        status           TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
        allow_token_read INTEGER NOT NULL DEFAULT 0 CHECK (allow_token_read IN (0, 1)),
        last_used_at     TEXT,
        builtin          INTEGER NOT NULL DEFAULT 0 CHECK (builtin IN (0, 1))
    )
    """,
    """
    CREATE TABLE verifications (
        id                   INTEGER PRIMARY KEY,
        app_id               INTEGER NOT NULL,  -- no FK: synced rows name other stores' apps
        app_name             TEXT NOT NULL DEFAULT '',
        poi_id               TEXT NOT NULL,
        verify_status        TEXT NOT NULL
                             CHECK (verify_status IN ('processing', 'success', 'failed', 'cancelled')),
        error_code           INTEGER NOT NULL DEFAULT 0,
        error_description    TEXT NOT NULL DEFAULT '',
        certificate_id       TEXT,
        encrypted_code       TEXT,
        origin_code          TEXT,
        coupon_status        TEXT NOT NULL DEFAULT 'unknown' CHECK (coupon_status IN
                             ('unused', 'verified', 'cancelled', 'refunded', 'expired', 'unknown')),
        product_id           TEXT,
        product_name         TEXT,
        sku_id               TEXT,
        sku_name             TEXT,
        verify_records_count INTEGER NOT NULL DEFAULT 0,
        verify_id            TEXT,
        order_id             TEXT,
        source_order_id      TEXT,
        ext_order_id         TEXT,
        order_status         INTEGER NOT NULL DEFAULT 0,
        pay_amount           INTEGER NOT NULL DEFAULT 0,
        receipt_amount       INTEGER NOT NULL DEFAULT 0,
        discount_amount      INTEGER NOT NULL DEFAULT 0,
        enrichment_status    TEXT NOT NULL DEFAULT 'pending'
                             CHECK (enrichment_status IN ('pending', 'enriched', 'failed', 'skipped')),
        store_id             TEXT,
        operator             TEXT,
        mode                 TEXT NOT NULL CHECK (mode IN ('short_link', 'code', 'encrypted_code')),
        request_id           TEXT,
        created_at           TEXT NOT NULL,  -- all times: ISO 8601 UTC with ms and Z, so text order = time order
        updated_at           TEXT NOT NULL,
        verified_at          TEXT,
        cancelled_at         TEXT,
        -- internal, never in the view
        remote_id            INTEGER,        -- NULL: our own row; else the source store's id (head office)
        details_json         TEXT,           -- coupon card: title, groupon_type, validity, amounts
        reconcile_attempts   INTEGER NOT NULL DEFAULT 0,
        next_reconcile_at    TEXT,
        enrich_attempts      INTEGER NOT NULL DEFAULT 0,
        next_enrich_at       TEXT,
        last_error           TEXT,
        -- Generated, so no write path can get the guard's key wrong or forget to update it.
        coupon_key           TEXT GENERATED ALWAYS AS (COALESCE(certificate_id, encrypted_code)) VIRTUAL,
        code_tail4           TEXT GENERATED ALWAYS AS (substr(origin_code, -4)) VIRTUAL,
        CHECK (coupon_key IS NOT NULL),
        CHECK (remote_id IS NULL OR store_id IS NOT NULL)
    )
    """,
    """
    CREATE TABLE idempotency (
        app_id        INTEGER NOT NULL REFERENCES apps (id),
        request_id    TEXT NOT NULL,
        body_hash     TEXT NOT NULL,
        state         TEXT NOT NULL CHECK (state IN ('in_progress', 'done')),
        status_code   INTEGER,
        response_json TEXT,
        created_at    TEXT NOT NULL,
        PRIMARY KEY (app_id, request_id)
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE nonces (
        client_key TEXT NOT NULL,
        nonce      TEXT NOT NULL,
        seen_at    INTEGER NOT NULL,  -- Unix seconds
        PRIMARY KEY (client_key, nonce)
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE douyin_tokens (
        client_key TEXT PRIMARY KEY,
        token_enc  TEXT NOT NULL,  -- SecretBox, context douyin-token:<client_key>
        expires_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE settings (
        key        TEXT PRIMARY KEY,
        value_json TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE audit_log (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        at          TEXT NOT NULL,
        actor_type  TEXT NOT NULL CHECK (actor_type IN ('app', 'cashier', 'system', 'operator_key')),
        actor       TEXT NOT NULL,
        action      TEXT NOT NULL,
        target      TEXT,
        before_json TEXT,
        after_json  TEXT
    )
    """,
    """
    CREATE TABLE cashiers (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        name       TEXT NOT NULL UNIQUE,
        pin_hash   TEXT NOT NULL,
        role       TEXT NOT NULL DEFAULT 'cashier' CHECK (role IN ('cashier', 'manager')),
        active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE outbox (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,  -- push order; never reused after an ack
        verification_id INTEGER NOT NULL REFERENCES verifications (id),
        record_json     TEXT NOT NULL,                      -- the VerificationView after the change
        created_at      TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE sync_state (
        id              INTEGER PRIMARY KEY CHECK (id = 1),
        last_success_at TEXT,
        last_error      TEXT,
        last_error_at   TEXT,
        pushed_total    INTEGER NOT NULL DEFAULT 0
    )
    """,
    "INSERT INTO sync_state (id) VALUES (1)",
]

_V1_INDEXES = [
    # The exactly-once guard: one coupon never has two live (processing/success) local rows, so two
    # concurrent verifies cannot both reach Douyin. Cancelled/failed rows fall out of the index,
    # letting the coupon be verified again; synced-in rows are other stores' business.
    """CREATE UNIQUE INDEX ux_verifications_live_coupon ON verifications (coupon_key)
       WHERE verify_status IN ('processing', 'success') AND remote_id IS NULL""",
    """CREATE UNIQUE INDEX ux_verifications_remote ON verifications (store_id, remote_id)
       WHERE remote_id IS NOT NULL""",
    # Reports: each filter column paired with created_at, so one index both narrows and yields the
    # newest-first order (the rowid at the end of every index entry breaks ties by id).
    "CREATE INDEX ix_verifications_created ON verifications (created_at)",
    "CREATE INDEX ix_verifications_poi ON verifications (poi_id, created_at)",
    "CREATE INDEX ix_verifications_app ON verifications (app_id, created_at)",
    "CREATE INDEX ix_verifications_status ON verifications (verify_status, created_at)",
    "CREATE INDEX ix_verifications_store ON verifications (store_id, created_at)",
    "CREATE INDEX ix_verifications_operator ON verifications (operator, created_at)",
    "CREATE INDEX ix_verifications_certificate ON verifications (certificate_id)",
    "CREATE INDEX ix_verifications_order ON verifications (order_id)",
    "CREATE INDEX ix_verifications_code_tail ON verifications (code_tail4)",
    # Background work queues stay tiny, so their partial indexes cost almost nothing.
    """CREATE INDEX ix_verifications_reconcile ON verifications (next_reconcile_at)
       WHERE verify_status = 'processing' AND remote_id IS NULL""",
    """CREATE INDEX ix_verifications_enrich ON verifications (next_enrich_at)
       WHERE enrichment_status = 'pending' AND verify_status = 'success' AND remote_id IS NULL""",
    "CREATE INDEX ix_idempotency_created ON idempotency (created_at)",
    "CREATE INDEX ix_nonces_seen ON nonces (seen_at)",
    "CREATE INDEX ix_audit_target ON audit_log (target, id)",
    "CREATE INDEX ix_outbox_verification ON outbox (verification_id)",
]


def _outbox_triggers(view_columns: tuple[str, ...]) -> list[str]:
    """Every change to one of our own rows queues its new view in the same transaction.

    Triggers rather than Python: no write path (present or future, or a repair by hand in the
    sqlite3 shell) can change a row and forget to tell the head office.
    """
    snapshot = "json_object(" + ", ".join(f"'{c}', NEW.{c}" for c in view_columns) + ")"
    insert_outbox = (
        f"INSERT INTO outbox (verification_id, record_json, created_at) VALUES (NEW.id, {snapshot}, {_NOW_ISO});"
    )
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in view_columns)
    return [
        f"""CREATE TRIGGER verifications_outbox_insert AFTER INSERT ON verifications
            WHEN NEW.remote_id IS NULL BEGIN {insert_outbox} END""",
        # Bookkeeping-only updates (reconcile attempts, next_enrich_at) change no view: no entry.
        f"""CREATE TRIGGER verifications_outbox_update AFTER UPDATE ON verifications
            WHEN NEW.remote_id IS NULL AND ({changed}) BEGIN {insert_outbox} END""",
    ]


_APPEND_ONLY_TRIGGERS = [
    """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
       BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
    """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
       BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
]


def _v1_core(db: sqlite_utils.Database) -> None:
    for sql in [*_V1_TABLES, *_V1_INDEXES, *_outbox_triggers(V1_VIEW_COLUMNS), *_APPEND_ONLY_TRIGGERS]:
        db.execute(sql)


# v2: hourly rollup for reports. Statuses are columns rather than part of the key: a status change
# (processing -> success, the common case) then touches one row, and the table is 4x smaller.
_ROLLUP_KEY = ("hour", "poi_id", "app_id", "app_name", "store_id", "operator")
_ROLLUP_SUMS = (
    "total_count",
    "success_count",
    "failed_count",
    "cancelled_count",
    "processing_count",
    "pay_amount",
    "receipt_amount",
    "discount_amount",
)


def _rollup_values(row: str) -> tuple[str, str]:
    """(key expressions, measure expressions) of one verifications row (`NEW` or `OLD`)."""
    key = (
        f"CAST(strftime('%s', {row}.created_at) AS INTEGER) / 3600, {row}.poi_id, {row}.app_id, "
        f"{row}.app_name, COALESCE({row}.store_id, ''), COALESCE({row}.operator, '')"
    )
    ok = f"{row}.verify_status = 'success'"
    measures = (
        f"1, {ok}, {row}.verify_status = 'failed', {row}.verify_status = 'cancelled', "
        f"{row}.verify_status = 'processing', "
        f"CASE WHEN {ok} THEN {row}.pay_amount ELSE 0 END, "
        f"CASE WHEN {ok} THEN {row}.receipt_amount ELSE 0 END, "
        f"CASE WHEN {ok} THEN {row}.discount_amount ELSE 0 END"
    )
    return key, measures


def _rollup_add(row: str) -> str:
    key, measures = _rollup_values(row)
    adds = ", ".join(f"{c} = {c} + excluded.{c}" for c in _ROLLUP_SUMS)
    return (
        f"INSERT INTO verification_hourly ({', '.join(_ROLLUP_KEY + _ROLLUP_SUMS)}) "
        f"VALUES ({key}, {measures}) ON CONFLICT ({', '.join(_ROLLUP_KEY)}) DO UPDATE SET {adds};"
    )


def _rollup_subtract(row: str) -> str:
    key, measures = _rollup_values(row)
    # A trigger body cannot use WITH, so the old row's key is spelled out in both statements.
    key_match = " AND ".join(f"{c} = {v}" for c, v in zip(_ROLLUP_KEY, _split(key), strict=True))
    amounts = dict(zip(_ROLLUP_SUMS, _split(measures), strict=True))
    sets = ", ".join(f"{c} = {c} - ({amounts[c]})" for c in _ROLLUP_SUMS)
    return (
        f"UPDATE verification_hourly SET {sets} WHERE {key_match}; "
        f"DELETE FROM verification_hourly WHERE {key_match} AND total_count = 0;"
    )


def _split(expressions: str) -> list[str]:
    """Split a comma list of SQL expressions at top level (commas inside parentheses stay)."""
    parts, depth, current = [], 0, []
    for ch in expressions:
        if ch == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
            continue
        depth += (ch == "(") - (ch == ")")
        current.append(ch)
    parts.append("".join(current).strip())
    return parts


_ROLLUP_COLUMNS = (
    "created_at",
    "poi_id",
    "app_id",
    "app_name",
    "store_id",
    "operator",
    "verify_status",
    "pay_amount",
    "receipt_amount",
    "discount_amount",
)


def _v2_hourly_rollup(db: sqlite_utils.Database) -> None:
    db.execute(
        """
        CREATE TABLE verification_hourly (
            hour             INTEGER NOT NULL,  -- Unix time of created_at // 3600 (UTC hour)
            poi_id           TEXT NOT NULL,
            app_id           INTEGER NOT NULL,
            app_name         TEXT NOT NULL,
            store_id         TEXT NOT NULL,     -- '' for NULL: NULLs never conflict in a key
            operator         TEXT NOT NULL,     -- '' for NULL
            total_count      INTEGER NOT NULL,
            success_count    INTEGER NOT NULL,
            failed_count     INTEGER NOT NULL,
            cancelled_count  INTEGER NOT NULL,
            processing_count INTEGER NOT NULL,
            pay_amount       INTEGER NOT NULL,  -- amounts: success rows only
            receipt_amount   INTEGER NOT NULL,
            discount_amount  INTEGER NOT NULL,
            PRIMARY KEY (hour, poi_id, app_id, app_name, store_id, operator)
        ) WITHOUT ROWID
        """
    )
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in _ROLLUP_COLUMNS)
    db.execute(
        f"CREATE TRIGGER verifications_hourly_insert AFTER INSERT ON verifications BEGIN {_rollup_add('NEW')} END"
    )
    # Add the new side before taking the old one away, so a row whose key did not change never
    # passes through zero (which would delete and re-create the rollup row).
    db.execute(
        f"CREATE TRIGGER verifications_hourly_update AFTER UPDATE OF {', '.join(_ROLLUP_COLUMNS)} "
        f"ON verifications WHEN {changed} BEGIN {_rollup_add('NEW')} {_rollup_subtract('OLD')} END"
    )
    db.execute(
        f"CREATE TRIGGER verifications_hourly_delete AFTER DELETE ON verifications BEGIN {_rollup_subtract('OLD')} END"
    )
    rebuild_hourly_rollup(db.conn)


def rebuild_hourly_rollup(conn: sqlite3.Connection) -> None:
    """Recompute the rollup from the raw rows (the v2 backfill; also a repair tool)."""
    conn.execute("DELETE FROM verification_hourly")
    ok = "verify_status = 'success'"
    conn.execute(
        f"""
        INSERT INTO verification_hourly ({", ".join(_ROLLUP_KEY + _ROLLUP_SUMS)})
        SELECT CAST(strftime('%s', created_at) AS INTEGER) / 3600, poi_id, app_id, app_name,
               COALESCE(store_id, ''), COALESCE(operator, ''),
               COUNT(*), SUM({ok}), SUM(verify_status = 'failed'), SUM(verify_status = 'cancelled'),
               SUM(verify_status = 'processing'),
               SUM(CASE WHEN {ok} THEN pay_amount ELSE 0 END),
               SUM(CASE WHEN {ok} THEN receipt_amount ELSE 0 END),
               SUM(CASE WHEN {ok} THEN discount_amount ELSE 0 END)
        FROM verifications GROUP BY 1, 2, 3, 4, 5, 6
        """
    )


# Which of our rows hold their coupon (the exactly-once guard): one in flight always; a success
# only for a coupon of one use. A 次卡 (multi-visit card) is verified once per visit, so its
# earlier successes must not refuse the next visit; a visit in flight still holds it. Frozen with
# v3 (migrations are history); the guard's queries repeat it word for word through LIVE_ROW, so
# that SQLite can use the partial indexes built on it.
_V3_LIVE_ROW = (
    "remote_id IS NULL AND (verify_status = 'processing' OR (verify_status = 'success' AND multi_use = 0))"
)
LIVE_ROW = _V3_LIVE_ROW  # the latest schema's


def _v3_multi_use_and_unknown_since(db: sqlite_utils.Database) -> None:
    """v1's guard held a coupon on any success, so a 次卡 could be used once: `multi_use` lets
    its visits through. `outcome_unknown_at` is when a verify's answer was lost, the moment the
    reconciler's grace counts from (counting from the row's creation, a slow request used it up)."""
    db.execute("ALTER TABLE verifications ADD COLUMN multi_use INTEGER NOT NULL DEFAULT 0 CHECK (multi_use IN (0, 1))")
    db.execute("ALTER TABLE verifications ADD COLUMN outcome_unknown_at TEXT")
    db.execute("DROP INDEX ux_verifications_live_coupon")
    # Looser than v1's (it leaves 次卡 successes out), so no existing file can fail to build it.
    db.execute(f"CREATE UNIQUE INDEX ux_verifications_live_coupon ON verifications (coupon_key) WHERE {_V3_LIVE_ROW}")
    # The guard's second look: the same coupon keyed by certificate id in one row and by encrypted
    # code in another (an encrypted_code request knows no certificate id). Not unique: rows of v1
    # files may already pair up that way, and the check runs inside the single writer's transaction.
    db.execute(f"CREATE INDEX ix_verifications_live_code ON verifications (encrypted_code) WHERE {_V3_LIVE_ROW}")


Migration = Callable[["sqlite_utils.Database"], None]
MIGRATIONS: list[Migration] = [_v1_core, _v2_hourly_rollup, _v3_multi_use_and_unknown_since]
LATEST_VERSION = len(MIGRATIONS)


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, target: int = LATEST_VERSION) -> int:
    """Bring the file to `target` (default: latest); returns the version it was at before.

    `conn` must be in autocommit mode (isolation_level=None): each step opens its own transaction.
    """
    before = schema_version(conn)
    if before > LATEST_VERSION:
        raise LedgerError(
            f"the ledger is at schema version {before}, newer than this program knows "
            f"({LATEST_VERSION}); run a newer dy-verifier"
        )
    if before >= target:
        return before
    import sqlite_utils

    db = sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False)
    for version in range(before + 1, target + 1):
        # IMMEDIATE takes the write lock up front (and waits on busy_timeout), so two processes
        # opening an old file at once migrate it once: the loser sees the new version and skips.
        conn.execute("BEGIN IMMEDIATE")
        try:
            if schema_version(conn) < version:
                MIGRATIONS[version - 1](db)  # sqlite-utils calls inside nest as savepoints
                conn.execute(f"PRAGMA user_version = {version}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    return before
