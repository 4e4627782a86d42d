"""The base of `WriteStore`: the connection, the one compare-and-set, and the read side.

Every state change goes through `_move`: `UPDATE writes SET status = ? ... WHERE id = ? AND
status = ?` inside `_transaction`, which holds SQLite's write lock from its first statement
(`write_transaction`), and the audit row is appended in the same transaction. Two approvers, two
senders, two processes: exactly one moves a write out of a given state; the others then see the
state it moved to. The transitions allowed are `server.store.machine`'s, checked here.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Self

from sqlite_utils import Database

from server.store import audit
from server.store.clock import Clock, to_text, utc_now
from server.store.db import open_database, write_transaction
from server.store.errors import IllegalTransition, WriteNotFound
from server.store.machine import BLOCKING_DUPLICATES, allowed
from server.store.models import AuditEntry, AuditStep, WriteRecord, WriteStatus
from server.store.rows import canonical_keys, dumps, looks_like_write_id, record_from_row
from server.store.scrub import Scrubber

SERVER_ACTOR = "afas-mcp"


class Ledger:
    """The connection to the store's file, the transition primitive and the queries.

    One instance owns one connection; its methods may be called from any thread (they take turns
    on a lock). Separate instances, in this process or others, coordinate through SQLite's write
    lock, so every guarantee here also holds across processes sharing the file.

    Args:
        path: the SQLite file (created, WAL-mode and migrated on open).
        clock: returns the current aware datetime; tests inject their own.
        scrubber: removes secrets from everything stored; register the live token on it.
        review_ttl: how long a write held for review waits before it expires, by default.
        busy_timeout: seconds a writer waits for another connection's transaction.
    """

    def __init__(
        self,
        path: Path | str,
        *,
        clock: Clock = utc_now,
        scrubber: Scrubber | None = None,
        review_ttl: timedelta = timedelta(days=3),
        busy_timeout: float = 10.0,
    ) -> None:
        self.path = Path(path)
        self.clock = clock
        self.scrubber = scrubber if scrubber is not None else Scrubber()
        self.review_ttl = review_ttl
        self._lock = threading.RLock()
        self._db: Database = open_database(self.path, busy_timeout=busy_timeout)

    def close(self) -> None:
        """Close the connection (SQLite checkpoints the WAL when the last one closes)."""
        with self._lock:
            self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading ---------------------------------------------------------------------------

    def get(self, write_id: str) -> WriteRecord:
        """The write with this id.

        Raises:
            WriteNotFound: no such write (also for text that is not a write id at all).
        """
        with self._lock:
            return self._require(write_id)

    def list_writes(
        self, *, statuses: Iterable[WriteStatus] | None = None, limit: int = 100
    ) -> list[WriteRecord]:
        """The newest writes first, optionally only those in `statuses`."""
        wanted = [s.value for s in (WriteStatus if statuses is None else statuses)]
        marks = ", ".join("?" for _ in wanted)
        with self._lock:
            rows = self._rows(
                f"SELECT * FROM writes WHERE status IN ({marks}) "  # noqa: S608 (placeholders only)
                "ORDER BY created_at DESC, rowid DESC LIMIT ?",
                [*wanted, limit],
            )
        return [record_from_row(row) for row in rows]

    def find_by_digest(
        self,
        digest: str,
        *,
        within: timedelta,
        statuses: Iterable[WriteStatus] = BLOCKING_DUPLICATES,
    ) -> WriteRecord | None:
        """The newest write with this digest created within `within`, in one of `statuses`."""
        with self._lock:
            return self._find_duplicate(digest, since=self.clock() - within, statuses=statuses)

    def audit_trail(self, write_id: str) -> list[AuditEntry]:
        """Every step of one write, oldest first.

        Raises:
            WriteNotFound: no such write.
        """
        with self._lock:
            self._require(write_id)
            return audit.trail(self._db, write_id)

    def count_recent(self, tool: str, *, since: datetime) -> int:
        """How many writes `tool` asked for since `since` (policy-denied ones not counted)."""
        with self._lock:
            row = self._db.execute(
                "SELECT count(*) FROM writes WHERE tool = ? AND created_at >= ? AND status != ?",
                [tool, to_text(since), WriteStatus.DENIED.value],
            ).fetchone()
        count: int = row[0]
        return count

    def key_seen_before(
        self, connector: str, keys: Mapping[str, object], *, excluding: str | None = None
    ) -> bool:
        """Whether AFAS returned this record key for another write already (W9).

        Meant for inserts: a key seen before means two inserts got the same generated id.
        `excluding` leaves out the write the key was just returned for, so the check may run
        before or after `mark_applied` stores it.
        """
        with self._lock:
            row = self._db.execute(
                "SELECT 1 FROM afas_keys WHERE connector = ? AND record_key = ? "
                "AND write_id IS NOT ? LIMIT 1",
                [connector, dumps(canonical_keys(keys)), excluding],
            ).fetchone()
        return row is not None

    # -- the transition primitive ----------------------------------------------------------

    @contextmanager
    def _transaction(self) -> Iterator[datetime]:
        """Hold the write lock (this thread's turn, then SQLite's) and give the time of it."""
        with self._lock, write_transaction(self._db):
            yield self.clock()

    def _move(
        self,
        write_id: str,
        *,
        current: WriteStatus,
        target: WriteStatus,
        step: AuditStep,
        actor: str,
        now: datetime,
        changes: Mapping[str, object] | None = None,
        detail: Mapping[str, Any] | None = None,
    ) -> None:
        """Compare-and-set the status and append the audit row; call inside `_transaction`.

        `target == current` records a step that changes columns but not the state.
        """
        if target is not current and not allowed(current, target):
            raise IllegalTransition(write_id, current=current, target=target)
        sets: dict[str, object] = {"status": target.value, "updated_at": to_text(now)}
        sets.update(changes or {})
        assignments = ", ".join(f"{column} = ?" for column in sets)
        cursor = self._db.execute(
            f"UPDATE writes SET {assignments} WHERE id = ? AND status = ?",  # noqa: S608 (our column names)
            [*sets.values(), write_id, current.value],
        )
        if cursor.rowcount != 1:
            # Unreachable while the write lock is held; kept so that a future caller outside
            # `_transaction` fails loudly instead of reporting a move that did not happen.
            raise IllegalTransition(write_id, current=self._status(write_id), target=target)
        audit.append(
            self._db,
            self.scrubber,
            write_id=write_id,
            step=step,
            actor=actor,
            at=now,
            from_status=current,
            to_status=target,
            detail=detail,
        )

    def _change(
        self,
        write_id: str,
        *,
        sources: set[WriteStatus],
        target: WriteStatus,
        step: AuditStep,
        actor: str,
        changes: Mapping[str, object] | None = None,
        detail: Mapping[str, Any] | None = None,
        keys: Mapping[str, str] | None = None,
    ) -> WriteRecord:
        """One transition from any of `sources`; the error names the state the write is in."""
        with self._transaction() as now:
            current = self._status(write_id)
            if current not in sources:
                raise IllegalTransition(write_id, current=current, target=target)
            self._move(
                write_id,
                current=current,
                target=target,
                step=step,
                actor=actor,
                now=now,
                changes=changes,
                detail=detail,
            )
            record = self._require(write_id)
            if keys:
                self._db.execute(
                    "INSERT OR IGNORE INTO afas_keys (connector, record_key, write_id, seen_at) "
                    "VALUES (?, ?, ?, ?)",
                    [record.connector, dumps(keys), write_id, to_text(now)],
                )
            return record

    # -- small helpers ---------------------------------------------------------------------

    def _json(self, value: object) -> str:
        """A JSON column value, scrubbed."""
        return dumps(self.scrubber.scrub(value))

    def _rows(self, sql: str, params: Sequence[object]) -> list[dict[str, Any]]:
        cursor = self._db.execute(sql, list(params))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def _require(self, write_id: str) -> WriteRecord:
        if looks_like_write_id(write_id):
            rows = self._rows("SELECT * FROM writes WHERE id = ?", [write_id])
            if rows:
                return record_from_row(rows[0])
        raise WriteNotFound(write_id)

    def _status(self, write_id: str) -> WriteStatus:
        row = self._db.execute("SELECT status FROM writes WHERE id = ?", [write_id]).fetchone()
        if row is None:
            raise WriteNotFound(write_id)
        return WriteStatus(row[0])

    def _find_duplicate(
        self, digest: str, *, since: datetime, statuses: Iterable[WriteStatus]
    ) -> WriteRecord | None:
        wanted = [s.value for s in statuses]
        marks = ", ".join("?" for _ in wanted)
        where = f"digest = ? AND created_at >= ? AND status IN ({marks})"
        rows = self._rows(
            f"SELECT * FROM writes WHERE {where} "  # noqa: S608 (placeholders only)
            "ORDER BY created_at DESC, rowid DESC LIMIT 1",
            [digest, to_text(since), *wanted],
        )
        return record_from_row(rows[0]) if rows else None
