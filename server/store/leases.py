"""Connector leases: at most one sender inserts into a connector at a time, in every process (W9).

AFAS can give two parallel inserts into one connector the same generated key (an employee id).
Every pipeline and every process sharing the database (the MCP server, `afas-mcp review serve`,
the review CLI) takes the connector's row in `connector_locks` before it sends an insert, and
gives it back once AFAS's answer is recorded. The row is taken inside `BEGIN IMMEDIATE`, so two
takers cannot both see it free. It carries an expiry the holder keeps moving forward while it
works; a holder that crashed stops renewing, and its lease can be taken once it has lapsed.
`ConnectorLocks` (`server.store.locks`) is the asynchronous side: waiting, backoff and renewal.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from server.store.clock import from_text, to_text
from server.store.ledger import Ledger

__all__ = ["ConnectorLeases"]

log = logging.getLogger(__name__)


class ConnectorLeases(Ledger):
    """The lease table's three steps, each one short transaction on the store's connection."""

    def take_lease(self, connector: str, holder: str, *, ttl: timedelta) -> bool:
        """Take the connector's lease for `ttl` if it is free or lapsed; True when taken."""
        with self._transaction() as now:
            row = self._db.execute(
                "SELECT holder, expires_at FROM connector_locks WHERE connector = ?", [connector]
            ).fetchone()
            if row is not None and row[0] != holder and from_text(row[1]) > now:
                return False
            if row is not None and row[0] != holder:
                log.warning(
                    "the insert lease of %s held by %s lapsed at %s (a crashed sender?); "
                    "taken over by %s",
                    connector,
                    row[0],
                    row[1],
                    holder,
                )
            self._db.execute(
                "INSERT INTO connector_locks (connector, holder, acquired_at, expires_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (connector) DO UPDATE SET "
                "holder = excluded.holder, acquired_at = excluded.acquired_at, "
                "expires_at = excluded.expires_at",
                [connector, holder, to_text(now), to_text(now + ttl)],
            )
            return True

    def renew_lease(self, connector: str, holder: str, *, ttl: timedelta) -> bool:
        """Move the lease's expiry to `ttl` from now; False when `holder` no longer has it."""
        with self._transaction() as now:
            cursor = self._db.execute(
                "UPDATE connector_locks SET expires_at = ? WHERE connector = ? AND holder = ?",
                [to_text(now + ttl), connector, holder],
            )
            return cursor.rowcount == 1

    def release_lease(self, connector: str, holder: str) -> None:
        """Give the lease back (nothing happens when `holder` no longer has it)."""
        with self._transaction():
            self._db.execute(
                "DELETE FROM connector_locks WHERE connector = ? AND holder = ?",
                [connector, holder],
            )

    def lease_holder(self, connector: str) -> str | None:
        """Who holds the connector's lease now (lapsed or not), or None."""
        with self._lock:
            row = self._db.execute(
                "SELECT holder FROM connector_locks WHERE connector = ?", [connector]
            ).fetchone()
        return None if row is None else str(row[0])
