"""One table of the tenant: records by key, a change journal and secondary indexes.

Connector views over a 100,000-employee tenant cannot afford to rebuild every row after each
write, nor to scan a table to find an employee's contracts. So a table remembers what changed
(a journal of `(key, old record, new record)` per version) and keeps indexes on the fields that
joins and dependency look-ups use. Records are never changed in place: an update stores a new
dict, so the old one in the journal stays what it was.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from operator import itemgetter
from typing import Any

Record = dict[str, Any]
Key = tuple[Any, ...]
Change = tuple[Key, Record | None, Record | None]  # (key, before, after); None: absent
# An index group: tuples rather than lists, because a tuple of string keys is left alone by the
# garbage collector, and 600,000 lists made full collections during generation take seconds.
Group = tuple[Key, ...]

# How many changes a table remembers. A view older than that rebuilds its rows (lazily)
# instead of patching them: beyond a few thousand changes that is the cheaper way anyway.
JOURNAL_LIMIT = 20_000


class TenantError(Exception):
    """A mutation that the tenant cannot apply (unknown table, duplicate or missing key)."""


class Table:
    """One table: records in insertion order, indexed by their key.

    `version` grows by one per stored or removed record, and `changes_since(version)` returns
    what happened after it. `keys_by(field, value)` looks records up by a non-key field through
    an index that is kept up to date: from the start for the `indexed` fields (which
    `Tenant.find` uses too), from first use for others.
    """

    def __init__(self, name: str, key: tuple[str, ...], *, indexed: tuple[str, ...] = ()) -> None:
        self.name = name
        self.key = key
        self.lookups = frozenset(indexed)
        self.version = 0
        self._records: dict[Key, Record] = {}
        # itemgetter of one field returns the value itself, of several a tuple.
        self._single = len(key) == 1
        self._getter = itemgetter(*key)
        self._journal: list[Change] = []
        self._journal_base = 0  # the version before the journal's first change
        self._indexes: dict[str, dict[Any, Group]] = {}

    def key_of(self, record: Record) -> Key:
        try:
            value = self._getter(record)
        except KeyError as missing:
            raise TenantError(f"{self.name}: record lacks key field {missing}") from None
        return (value,) if self._single else value

    def get(self, key: Key) -> Record | None:
        return self._records.get(key)

    def add(self, record: Record) -> None:
        """Load a record during generation (no stamping, no version bump, no journal).

        Indexes are built afterwards, in one pass (`build_indexes`): kept up to date record by
        record, an index on a field many records share (an account's journal lines) costs time
        that grows with the square of the table.
        """
        key = self.key_of(record)
        if self._indexes:
            self._reindex(key, self._records.get(key), record)
        self._records[key] = record

    def __len__(self) -> int:
        return len(self._records)

    def __iter__(self) -> Iterator[Record]:
        return iter(self._records.values())

    def all_keys(self) -> Iterator[Key]:
        """Keys in insertion order (an update that changes a key moves the record to the end)."""
        return iter(self._records)

    def records(self) -> list[Record]:
        return list(self._records.values())

    # -- look-ups by other fields ------------------------------------------------------------

    def keys_by(self, field: str, value: Any) -> Group:
        """Keys of the records whose `field` equals `value`."""
        return self._index(field).get(value, ())

    def records_by(self, field: str, value: Any) -> list[Record]:
        """The records whose `field` equals `value`, in the order they were indexed."""
        records = self._records
        return [records[key] for key in self._index(field).get(value, ())]

    def by_key(self) -> dict[Key, Record]:
        """The live records by key, for loops that look up 100,000 times (do not change it)."""
        return self._records

    def build_indexes(self) -> None:
        """Index the `indexed` fields now (after generation), so no read waits for it later."""
        for field in self.lookups:
            self._index(field)

    def lookup(self, field: str) -> tuple[dict[Key, Record], dict[Any, Group]]:
        """The records by key and the index on `field`, for loops that look up 100,000 times.

        Both are live and must not be changed by the caller; hold the tenant lock while using.
        """
        return self._records, self._index(field)

    def _index(self, field: str) -> dict[Any, Group]:
        index = self._indexes.get(field)
        if index is None:
            # Hundreds of thousands of new lists would each time set off a full collection
            # that walks them all again; nothing built here can form a cycle.
            collecting = gc.isenabled()
            gc.disable()
            try:
                # Most values belong to one record: a bare key until a second one comes.
                groups: dict[Any, Any] = {}
                for key, record in self._records.items():
                    value = record.get(field)
                    group = groups.get(value)
                    if group is None:
                        groups[value] = key
                    elif type(group) is list:
                        group.append(key)
                    else:
                        groups[value] = [group, key]
                index = {
                    value: tuple(group) if type(group) is list else (group,)
                    for value, group in groups.items()
                }
            finally:
                if collecting:
                    gc.enable()
            self._indexes[field] = index
        return index

    def _reindex(self, key: Key, before: Record | None, after: Record | None) -> None:
        if before is None and after is not None:  # the common case, and all of generation
            for field, index in self._indexes.items():
                value = after.get(field)
                group = index.get(value)
                index[value] = (key,) if group is None else (*group, key)
            return
        for field, index in self._indexes.items():
            old = before.get(field) if before is not None else None
            new = after.get(field) if after is not None else None
            if before is not None and after is not None and old == new:
                continue  # same group, same place in it
            if before is not None:
                rest = tuple(k for k in index[old] if k != key)
                if rest:
                    index[old] = rest
                else:
                    del index[old]
            if after is not None:
                group = index.get(new)
                index[new] = (key,) if group is None else (*group, key)

    # -- the journal ---------------------------------------------------------------------------

    def changes_since(self, version: int) -> list[Change] | None:
        """What changed after `version`, oldest first; None when that is no longer known."""
        if version < self._journal_base or version > self.version:
            return None
        return self._journal[version - self._journal_base :]

    def _put(self, key: Key, record: Record) -> None:
        before = self._records.get(key)
        self._records[key] = record
        self._note(key, before, record)

    def _pop(self, key: Key) -> Record:
        record = self._records.pop(key)
        self._note(key, record, None)
        return record

    def _note(self, key: Key, before: Record | None, after: Record | None) -> None:
        if self._indexes:
            self._reindex(key, before, after)
        self._journal.append((key, before, after))
        self.version += 1
        if len(self._journal) > JOURNAL_LIMIT:
            dropped = len(self._journal) // 2
            del self._journal[:dropped]
            self._journal_base += dropped

    def _restart_at(self, version: int) -> None:
        """Continue numbering at `version` with an empty journal (a reset's fresh table)."""
        self.version = version
        self._journal.clear()
        self._journal_base = version
