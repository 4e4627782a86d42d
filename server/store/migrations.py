"""The schema of the write store, as an ordered list of migrations.

Each migration runs once per database, inside a transaction with its row in
`_sqlite_migrations` (sqlite-utils). Migrations are history: never edit one that has shipped,
add the next. A new one is written to be idempotent (`IF NOT EXISTS`, a column added only when
missing), so a file someone patched by hand, or a half-applied upgrade, migrates all the same.
`SCHEMA_VERSION` is the number of migrations and is mirrored into
`PRAGMA user_version`, so `sqlite3 afas-mcp.sqlite 'pragma user_version'` answers without Python.

The status and action CHECK lists are written out, not generated from the enums: a migration must
mean the same thing forever, even after the enum grows (a new status needs a new migration).
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("afas_mcp")

SCHEMA_VERSION = 3

_WRITES = """
CREATE TABLE writes (
    id                TEXT PRIMARY KEY,
    status            TEXT NOT NULL CHECK (status IN (
                          'recorded', 'pending_review', 'approved', 'sending', 'unknown',
                          'applied', 'verified', 'drift', 'resolved', 'failed', 'rejected',
                          'expired', 'denied')),
    tool              TEXT NOT NULL,
    connector         TEXT NOT NULL,
    action            TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
    target            TEXT NOT NULL,   -- JSON object: the key of the record an update hits
    body              TEXT NOT NULL,   -- JSON object: exactly the payload the digest covers
    facts             TEXT NOT NULL,   -- JSON: what the tool resolved, in plain terms
    digest            TEXT NOT NULL,
    verdicts          TEXT NOT NULL,   -- JSON list: the latest policy run
    confidence        REAL,
    requester         TEXT NOT NULL,
    source_confidence REAL,
    review_reason     TEXT,
    expires_at        TEXT,
    approver          TEXT,
    approved_at       TEXT,
    rejected_by       TEXT,
    rejected_at       TEXT,
    rejection_reason  TEXT,
    afas_keys         TEXT,            -- JSON object: the key AFAS returned or reconciled
    read_back         TEXT,            -- JSON: result, fields, diffs
    error             TEXT,            -- JSON: AFAS message, error number, log reference
    resolution        TEXT CHECK (resolution IN ('acknowledged', 'corrected')),
    resolved_by       TEXT,
    resolved_at       TEXT,
    retry_of          TEXT REFERENCES writes(id),
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
) STRICT
"""

_AUDIT = """
CREATE TABLE audit (
    id          INTEGER PRIMARY KEY,
    write_id    TEXT NOT NULL REFERENCES writes(id),
    step        TEXT NOT NULL,
    actor       TEXT NOT NULL,
    at          TEXT NOT NULL,
    from_status TEXT,
    to_status   TEXT,
    detail      TEXT NOT NULL          -- JSON, scrubbed: request and response bodies, reasons
) STRICT
"""

_AFAS_KEYS = """
CREATE TABLE afas_keys (
    connector  TEXT NOT NULL,
    record_key TEXT NOT NULL,          -- canonical JSON of the key fields AFAS returned
    write_id   TEXT NOT NULL REFERENCES writes(id),
    seen_at    TEXT NOT NULL,
    PRIMARY KEY (connector, record_key, write_id)
) STRICT
"""


def _refuse(table: str, event: str, message: str, *, columns: str = "") -> str:
    of = f" OF {columns}" if columns else ""
    return (
        f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event}{of} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
    )


@MIGRATIONS()
def m001_ledger_audit_keys(db: Database) -> None:
    """The write ledger and review queue, the append-only audit trail, the AFAS keys seen."""
    statements = [
        _WRITES,
        _AUDIT,
        _AFAS_KEYS,
        "CREATE INDEX writes_by_digest ON writes (digest, created_at)",
        "CREATE INDEX writes_by_status ON writes (status, expires_at)",
        "CREATE INDEX writes_by_tool ON writes (tool, created_at)",
        "CREATE INDEX audit_by_write ON audit (write_id, id)",
        # Enforced in the database, not only in Python: a second connection, the sqlite3 shell
        # or a future bug cannot rewrite history.
        _refuse("audit", "UPDATE", "the audit trail is append-only"),
        _refuse("audit", "DELETE", "the audit trail is append-only"),
        _refuse("writes", "DELETE", "the write ledger never forgets a write"),
        # An approval is bound to the digest of these columns; they never change after recording.
        _refuse(
            "writes",
            "UPDATE",
            "a recorded intent is immutable",
            columns="tool, connector, action, target, body, digest, requester, created_at",
        ),
    ]
    for statement in statements:
        db.execute(statement)


_CONNECTOR_LOCKS = """
CREATE TABLE IF NOT EXISTS connector_locks (
    connector   TEXT PRIMARY KEY,
    holder      TEXT NOT NULL,      -- host:pid:token of the one sender inserting now
    acquired_at TEXT NOT NULL,
    expires_at  TEXT NOT NULL       -- renewed while held; a crashed holder's lease lapses here
) STRICT
"""


@MIGRATIONS()
def m002_connector_locks(db: Database) -> None:
    """One lease per connector, so inserts go one at a time across pipelines and processes (W9)."""
    db.execute(_CONNECTOR_LOCKS)


@MIGRATIONS()
def m003_confidence_factors(db: Database) -> None:
    """Why the server was as sure as it was: the confidence's threshold and factors, as JSON."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(writes)").fetchall()}
    if "confidence_detail" not in columns:
        db.execute("ALTER TABLE writes ADD COLUMN confidence_detail TEXT")
