"""The tenant's tables and the mutation API the write side uses.

A tenant is a set of named tables of plain dict records. Each table has a key (a tuple of field
names) and keeps its records in insertion order. Every mutation bumps the table's version and the
tenant's version, which is what connector caches are keyed on.

Bookkeeping fields every record carries start with an underscore:
`_created` and `_modified` (naive Amsterdam datetimes) and, where a record can be soft-deleted,
`_deleted`. Everything else is named as AFAS names it: UpdateConnector field codes (`EmId`,
`BcCo`, `DaBe`, ...) for the tables the write side writes, standard connector field ids for
reference tables. `docs/simulator.md` lists every table.
"""

from __future__ import annotations

import threading
from datetime import date, datetime
from typing import Any

from simulator.clock import TenantClock
from simulator.tenant.table import Key, Record, Table, TenantError

__all__ = ["Key", "Record", "Table", "Tenant", "TenantError", "as_key"]


def as_key(key: Key | str | int) -> Key:
    """Accept a scalar for single-field keys."""
    return key if isinstance(key, tuple) else (key,)


class Tenant:
    """A seeded AFAS environment's data, safe to read and mutate from several threads.

    Mutations go through `insert`, `update`, `delete` and `touch`; they stamp `_modified` with
    the tenant clock and bump versions. Reads that must see a consistent state hold `lock`.
    """

    def __init__(self, *, seed: int, size: int, clock: TenantClock) -> None:
        self.seed = seed
        self.size = size
        self.clock = clock
        self.lock = threading.RLock()
        self.version = 0
        self._tables: dict[str, Table] = {}
        self._sequences: dict[str, int] = {}

    @property
    def reference_date(self) -> date:
        return self.clock.reference_date

    def now(self) -> datetime:
        return self.clock.now()

    def today(self) -> date:
        return self.clock.today()

    # -- structure -----------------------------------------------------------------------------

    def create_table(
        self, name: str, key: tuple[str, ...], *, indexed: tuple[str, ...] = ()
    ) -> Table:
        """Add a table whose `indexed` fields are indexed from the start (and used by `find`)."""
        table = Table(name, key, indexed=indexed)
        self._tables[name] = table
        return table

    def table(self, name: str) -> Table:
        try:
            return self._tables[name]
        except KeyError:
            raise TenantError(f"no table {name!r}; tables: {sorted(self._tables)}") from None

    def build_indexes(self) -> None:
        """Index every table's `indexed` fields (once its records are loaded)."""
        for table in self._tables.values():
            table.build_indexes()

    def table_names(self) -> list[str]:
        return sorted(self._tables)

    def versions(self, names: tuple[str, ...]) -> tuple[int, ...]:
        return tuple(self.table(name).version for name in names)

    # -- sequences -------------------------------------------------------------------------

    def set_sequence(self, name: str, last_used: int) -> None:
        self._sequences[name] = last_used

    def next_number(self, name: str) -> int:
        """Return the next number of a sequence (`EmId`, `BcCo`, `DbId`, `EnNo:1`, ...)."""
        with self.lock:
            value = self._sequences.get(name, 0) + 1
            self._sequences[name] = value
            return value

    # -- reads -----------------------------------------------------------------------------

    def get(self, table: str, key: Key | str | int) -> Record | None:
        """Return a copy of one record, or None."""
        with self.lock:
            record = self.table(table).get(as_key(key))
            return dict(record) if record is not None else None

    def find(self, table: str, **criteria: Any) -> list[Record]:
        """Return copies of the records whose fields equal every criterion."""
        with self.lock:
            target = self.table(table)
            # An indexed field narrows the search to its index instead of a scan of the table.
            indexed = next((name for name in criteria if name in target.lookups), None)
            candidates = (
                target.records_by(indexed, criteria[indexed]) if indexed is not None else target
            )
            return [
                dict(record)
                for record in candidates
                if all(record.get(field) == value for field, value in criteria.items())
            ]

    # -- mutations -------------------------------------------------------------------------

    def insert(self, table: str, record: Record) -> Record:
        """Add a record; stamps `_created`/`_modified` unless given. Returns the stored copy."""
        with self.lock:
            target = self.table(table)
            stored = dict(record)
            key = target.key_of(stored)
            if target.get(key) is not None:
                raise TenantError(f"{table}: key {key} exists")
            now = self.now()
            stored.setdefault("_created", now)
            stored.setdefault("_modified", now)
            target._put(key, stored)
            self.version += 1
            return dict(stored)

    def update(
        self, table: str, key: Key | str | int, changes: Record, *, touch: bool = True
    ) -> Record:
        """Change fields of a record (and `_modified`, unless `touch=False`). Returns a copy."""
        with self.lock:
            target = self.table(table)
            current = target.get(as_key(key))
            if current is None:
                raise TenantError(f"{table}: no record with key {as_key(key)}")
            updated = {**current, **changes}
            new_key = target.key_of(updated)
            if new_key != as_key(key):
                if target.get(new_key) is not None:
                    raise TenantError(f"{table}: key {new_key} exists")
                target._pop(as_key(key))
            if touch and "_modified" not in changes:
                updated["_modified"] = self.now()
            target._put(new_key, updated)
            self.version += 1
            return dict(updated)

    def delete(self, table: str, key: Key | str | int) -> Record:
        """Remove a record for good (AFAS deletes are hard deletes). Returns what was removed."""
        with self.lock:
            target = self.table(table)
            if target.get(as_key(key)) is None:
                raise TenantError(f"{table}: no record with key {as_key(key)}")
            removed = target._pop(as_key(key))
            self.version += 1
            return removed

    def touch(self, table: str, key: Key | str | int) -> Record:
        """Move a record's `_modified` to now without changing anything else."""
        return self.update(table, key, {})

    def restore(self, other: Tenant) -> None:
        """Take over another tenant's tables and sequences (used by reset; keeps this object)."""
        with self.lock:
            self._tables = other._tables
            self._sequences = other._sequences
            self.clock = other.clock
            self.version += 1
            for table in self._tables.values():
                # Versions must only grow, or a cache built before the reset would look fresh.
                table._restart_at(self.version)
