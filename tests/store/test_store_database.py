from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from server.store import SchemaTooNew, WriteStore
from server.store.db import open_database, schema_version
from server.store.migrations import SCHEMA_VERSION


def _raw(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path)


def test_opening_twice_applies_each_migration_once(db_path: Path) -> None:
    WriteStore(db_path).close()
    with WriteStore(db_path):
        pass
    conn = _raw(db_path)
    try:
        rows = conn.execute("SELECT migration_set, name FROM _sqlite_migrations").fetchall()
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()
    assert rows == [
        ("afas_mcp", "m001_ledger_audit_keys"),
        ("afas_mcp", "m002_connector_locks"),
        ("afas_mcp", "m003_confidence_factors"),
    ]
    assert version == SCHEMA_VERSION == len(rows)


def test_schema_version_is_readable_from_the_open_database(db_path: Path) -> None:
    db = open_database(db_path)
    try:
        assert schema_version(db) == SCHEMA_VERSION
    finally:
        db.close()


def test_database_runs_in_wal_mode_with_foreign_keys(db_path: Path) -> None:
    db = open_database(db_path)
    try:
        assert db.journal_mode == "wal"
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 10_000
    finally:
        db.close()


def test_every_table_is_strict(db_path: Path) -> None:
    db = open_database(db_path)
    try:
        tables = db.table_names()
        assert {"writes", "audit", "afas_keys", "connector_locks", "_sqlite_migrations"} <= set(
            tables
        )
        assert all(db.table(name).strict for name in tables)
    finally:
        db.close()


def test_a_strict_column_refuses_a_value_of_the_wrong_type(db_path: Path) -> None:
    WriteStore(db_path).close()
    conn = _raw(db_path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="cannot store TEXT value in REAL"):
            conn.execute(
                "INSERT INTO writes (id, status, tool, connector, action, target, body, facts, "
                "digest, verdicts, confidence, requester, created_at, updated_at) "
                "VALUES ('w_a', 'recorded', 't', 'c', 'insert', '{}', '{}', '{}', 'd', '[]', "
                "'high', 'r', 'x', 'x')"
            )
    finally:
        conn.close()


def test_a_status_outside_the_machine_is_refused_by_the_schema(db_path: Path) -> None:
    WriteStore(db_path).close()
    conn = _raw(db_path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            conn.execute(
                "INSERT INTO writes (id, status, tool, connector, action, target, body, facts, "
                "digest, verdicts, requester, created_at, updated_at) "
                "VALUES ('w_a', 'sent', 't', 'c', 'insert', '{}', '{}', '{}', 'd', '[]', 'r', "
                "'x', 'x')"
            )
    finally:
        conn.close()


def test_a_database_migrated_by_a_newer_version_is_refused(db_path: Path) -> None:
    WriteStore(db_path).close()
    conn = _raw(db_path)
    with conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('afas_mcp', 'm999_from_the_future', '2030-01-01')"
        )
    conn.close()
    with pytest.raises(SchemaTooNew, match=f"knows {SCHEMA_VERSION}"):
        WriteStore(db_path)


def test_database_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "dir" / "afas-mcp.sqlite"
    WriteStore(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
