"""Opening the store's SQLite file: how it is configured, how writers take turns.

Where it lives is configuration (`AFAS_MCP_DATABASE`, read by `server.config`); callers pass the
path.

Every connection gets WAL (readers never block the one writer), foreign keys, a busy timeout and
`synchronous=FULL`: the ledger row that says "about to send" must be on disk before the request
leaves, or a power cut could lose the only trace of a write AFAS then applied (W16).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database

from server.store.errors import SchemaTooNew
from server.store.migrations import MIGRATIONS, SCHEMA_VERSION


def open_database(path: Path | str, *, busy_timeout: float = 10.0) -> Database:
    """Open (creating if needed) the store at `path`, configured and migrated.

    The connection may be used from any thread, but by one thread at a time: `WriteStore`
    serialises its own calls. `busy_timeout` (seconds) bounds how long a writer waits for
    another connection's transaction before `sqlite3.OperationalError: database is locked`.

    Raises:
        SchemaTooNew: a newer afas-mcp has migrated this file.
    """
    file = Path(path)
    _create_private(file)
    conn = sqlite3.connect(str(file), timeout=busy_timeout, check_same_thread=False)
    try:
        db = Database(conn, strict=True, execute_plugins=False)
        db.execute("PRAGMA foreign_keys = ON")
        db.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        db.enable_wal()
        db.execute("PRAGMA synchronous = FULL")
        with write_transaction(db):
            # Inside one IMMEDIATE transaction, so two processes opening a fresh file at once
            # cannot both create the tables.
            MIGRATIONS.apply(db)
            version = len(MIGRATIONS.applied(db))
            if version > SCHEMA_VERSION:
                raise SchemaTooNew(
                    f"{file} has schema version {version}; this afas-mcp knows {SCHEMA_VERSION}"
                )
            db.execute(f"PRAGMA user_version = {version}")
    except BaseException:
        conn.close()
        raise
    return db


def schema_version(db: Database) -> int:
    """The schema version recorded in the file (`PRAGMA user_version`)."""
    version: int = db.execute("PRAGMA user_version").fetchone()[0]
    return version


@contextlib.contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """A transaction that holds SQLite's write lock from its first statement.

    `db.atomic()` begins DEFERRED: a transaction that reads a state and then writes would take
    the write lock only at the write, and in WAL mode a commit by another connection in between
    fails it with SQLITE_BUSY_SNAPSHOT, which the busy timeout does not retry. BEGIN IMMEDIATE
    queues writers up front instead, so a read-check-write runs as one step across connections
    and processes. Nested use falls back to `db.atomic()` (a savepoint in the outer one).
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.rollback()
        raise
    else:
        try:
            db.conn.execute("COMMIT")
        except BaseException:
            db.rollback()
            raise


def _create_private(file: Path) -> None:
    # The file holds payloads with personal data (names, salaries): readable by its owner only.
    # SQLite gives the -wal and -shm files the same permissions as the database file.
    file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(file, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
