"""Materialised connector rows, cached per tenant state, with cached sort orders.

Building the rows of a 100,000-employee connector takes a moment; filtering and paging them must
not. A view is built once per (tables' versions, drift, row options) and keeps each sort order it
was asked for, so a paged read costs one lazy filter pass over an already sorted list.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import date, datetime, time
from operator import itemgetter
from typing import Any

from simulator.catalogue import GetConnector, Row, RowOptions
from simulator.catalogue.drift import Shape
from simulator.catalogue.fields import BLOCKED, DELETED, STATE
from simulator.tenant import Tenant

MIDNIGHT = time()
OrderBy = tuple[tuple[str, bool], ...]  # (field id, descending)


class ConnectorView:
    """The rows of one connector for one tenant state, in shipped (insertion) order."""

    def __init__(self, shape: Shape, rows: list[Row]) -> None:
        self.shape = shape
        self.rows = rows
        self.columns = {f.id: index for index, f in enumerate(shape.fields)}
        self._orders: dict[OrderBy, list[Row]] = {}

    def ordered(self, order_by: OrderBy) -> list[Row]:
        """The rows sorted by the given fields; nulls sort first, strings without case."""
        if not order_by:
            return self.rows
        cached = self._orders.get(order_by)
        if cached is None:
            cached = list(self.rows)
            # Stable sorts from the last key to the first give a multi-key sort with mixed
            # directions.
            for field_id, descending in reversed(order_by):
                cached.sort(key=_sort_key(self.columns[field_id]), reverse=descending)
            self._orders[order_by] = cached
        return cached


def _sort_key(column: int) -> Callable[[Row], tuple[int, Any]]:
    def key(row: Row) -> tuple[int, Any]:
        value = row[column]
        if value is None:
            return (0, 0)
        return (1, value.casefold() if isinstance(value, str) else value)

    return key


def materialise(
    connector: GetConnector, shape: Shape, tenant: Tenant, options: RowOptions, *, shells: bool
) -> list[Row]:
    """Build a connector's rows as tuples in the shape's field order.

    Deleted records are left out, and blocked ones shown in full, unless `shells` (quirk R5):
    then both come back with only the key filled.
    """
    ids = connector.field_ids()
    take = itemgetter(*ids)
    key_positions = {ids.index(name) for name in connector.key}
    date_ids = [f.id for f in connector.fields if f.data_type == "date"]
    rows: list[Row] = []
    with tenant.lock:
        for record in connector.build(tenant, options):
            # Dates and date-times compare and sort together only as datetimes.
            for name in date_ids:
                value = record[name]
                if value is not None and type(value) is date:
                    record[name] = datetime.combine(value, MIDNIGHT)
            state = record.get(STATE)
            if state is None or (state == BLOCKED and not shells):
                rows.append(take(record) if len(ids) > 1 else (take(record),))
            elif shells and state in (BLOCKED, DELETED):
                rows.append(
                    tuple(record[n] if i in key_positions else None for i, n in enumerate(ids))
                )
    if shape.identity:
        return rows
    sources = shape.sources
    return [tuple(None if s is None else row[s] for s in sources) for row in rows]


class ViewCache:
    """One cached view per connector, rebuilt when its cache key changes."""

    def __init__(self) -> None:
        self._views: dict[str, tuple[Hashable, ConnectorView]] = {}

    def get(self, name: str, key: Hashable, build: Callable[[], ConnectorView]) -> ConnectorView:
        cached = self._views.get(name)
        if cached is not None and cached[0] == key:
            return cached[1]
        view = build()
        self._views[name] = (key, view)
        return view

    def clear(self) -> None:
        self._views.clear()
