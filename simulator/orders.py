"""A connector's rows in one `orderbyfieldids` order, kept sorted while rows come and go.

Profit sorts nulls first and strings without regard to case; rows that sort equal stay in
shipped (insertion) order. The first sort is Python's stable sort, once per field from the last
to the first; after that a changed row is taken out and put back with a binary search on a key
that spells the same order out in full: the field values (inverted for descending fields), then
the driver and the record's place in its table.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from typing import Any

from simulator.catalogue.rows import RowId

OrderBy = tuple[tuple[str, bool], ...]  # (field id, descending)
Getter = Callable[[RowId], Any]


def value_key(value: Any) -> tuple[int, Any]:
    """Profit's order for one value: nulls first, then values; strings without case."""
    if value is None:
        return (0, 0)
    return (1, value.casefold() if isinstance(value, str) else value)


def _sort_key(getter: Getter) -> Callable[[RowId], tuple[int, Any]]:
    # value_key inlined: the first sort calls this once per row, 100,000 times at full size.
    def key(rid: RowId) -> tuple[int, Any]:
        value = getter(rid)
        if value is None:
            return (0, 0)
        return (1, value.casefold() if isinstance(value, str) else value)

    return key


class Descending:
    """Wraps a sort key so that it sorts the other way round."""

    __slots__ = ("key",)

    def __init__(self, key: tuple[int, Any]) -> None:
        self.key = key

    def __lt__(self, other: Descending) -> bool:
        return other.key < self.key

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Descending) and self.key == other.key

    __hash__ = None  # type: ignore[assignment]  # mutable-looking, compared only


class SortedOrder:
    """Row ids sorted by some of their values, with a stable tie-break on insertion order.

    `getters` give each sort field's value of a row: from the built row, or, when every sort
    field is a key field (`from_keys`), from the driver key, so that no row need be built.
    `ordinal` is the shared map from row id to its place in its driver table, which the view
    keeps current.
    """

    def __init__(
        self,
        ids: list[RowId],
        getters: list[Getter],
        descending: tuple[bool, ...],
        ordinal: dict[RowId, int],
        *,
        from_keys: bool,
    ) -> None:
        self.from_keys = from_keys
        self._getters = getters
        self._descending = descending
        self._ordinal = ordinal
        # `ids` comes in insertion order, so the stable sorts leave ties in that order.
        for getter, reverse in reversed(list(zip(getters, descending, strict=True))):
            ids.sort(key=_sort_key(getter), reverse=reverse)
        self.ids = ids

    def _full_key(self, rid: RowId) -> tuple[Any, ...]:
        parts: list[Any] = []
        for getter, descending in zip(self._getters, self._descending, strict=True):
            key = value_key(getter(rid))
            parts.append(Descending(key) if descending else key)
        return (*parts, rid[0], self._ordinal[rid])

    def insert(self, rid: RowId) -> None:
        """Put a row in its place (its values and ordinal must be current)."""
        bisect.insort(self.ids, rid, key=self._full_key)

    def remove(self, rid: RowId) -> None:
        """Take a row out (call while its values and ordinal are still the old ones)."""
        position = bisect.bisect_left(self.ids, self._full_key(rid), key=self._full_key)
        if position >= len(self.ids) or self.ids[position] != rid:
            raise LookupError(f"row {rid} is not where its sort values put it")
        del self.ids[position]
