"""The write journal: what every UpdateConnector call sent, what was stored and which quirks acted.

This is the simulator's own state inspection for tests, unrelated to AFAS's Profit log (which
shows far less, quirks W14 and W17). Tests read it through `write_side(sim).journal`:

    record = write_side(sim).journal.last()
    record.status, record.results, record.quirks          # ("W1: employer defaulted to 01",)
    record.rows("contracts")[0]["CmId"]                    # what the tenant now holds
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from simulator.tenant.store import Record
from simulator.updates.changes import StoredRow


@dataclass(frozen=True)
class WriteRecord:
    """One UpdateConnector call as the write side handled it.

    `status` is the HTTP status sent, or None when no answer was sent (a dropped or hung call,
    W16); `stored` is empty when nothing was applied. `quirks` has one line per quirk that changed
    the outcome, starting with the quirk id; `ignored_fields` lists `Object.Field` entries the
    simulator accepted without modelling them; `unknown` the `(label, value)` of every code the
    answer said "does not exist" of (AFAS's message names the field, not the value).
    """

    number: int
    time: datetime
    method: str
    connector: str
    path: str
    integration_id: str | None
    request: Any
    status: int | None
    results: Any
    error: str | None
    stored: tuple[StoredRow, ...]
    quirks: tuple[str, ...]
    ignored_fields: tuple[str, ...]
    unknown: tuple[tuple[str, str], ...] = ()

    def rows(self, table: str) -> list[Record]:
        """The records this call left in a table (after defaulting and quirks)."""
        return [dict(row.record) for row in self.stored if row.table == table and row.record]

    def quirk(self, quirk_id: str) -> list[str]:
        """The journal lines of one quirk (`"W1"` or the full switch id)."""
        prefix = quirk_id.split("_", 1)[0] + ":"
        return [line for line in self.quirks if line.startswith(prefix)]


class WriteJournal:
    """Every write in arrival order of completion; safe to read from the test thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._records: list[WriteRecord] = []
        self._count = 0

    def next_number(self) -> int:
        with self._lock:
            self._count += 1
            return self._count

    def append(self, record: WriteRecord) -> None:
        with self._lock:
            self._records.append(record)

    def replace(self, record: WriteRecord) -> None:
        """Put a later version of a record (same number) in its place."""
        with self._lock:
            for index in range(len(self._records) - 1, -1, -1):
                if self._records[index].number == record.number:
                    self._records[index] = record
                    return
            self._records.append(record)  # cleared meanwhile: keep the final version

    @property
    def records(self) -> list[WriteRecord]:
        with self._lock:
            return list(self._records)

    def __len__(self) -> int:
        with self._lock:
            return len(self._records)

    def last(self, connector: str | None = None) -> WriteRecord:
        """The latest write (of one connector, when given)."""
        found = self.for_connector(connector) if connector else self.records
        if not found:
            raise LookupError(f"no write{' to ' + connector if connector else ''} was journalled")
        return found[-1]

    def for_connector(self, connector: str) -> list[WriteRecord]:
        return [r for r in self.records if r.connector.lower() == connector.lower()]

    def with_quirk(self, quirk_id: str) -> list[WriteRecord]:
        """The writes a quirk acted on."""
        return [r for r in self.records if r.quirk(quirk_id)]

    def clear(self) -> None:
        with self._lock:
            self._records.clear()
