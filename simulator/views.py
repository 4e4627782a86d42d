"""Connector rows built per record when a page needs them, and patched after writes.

A 100,000-employee connector takes seconds to build in full, so a view builds rows one driver
record at a time: a page in key order (what the product asks for) or in no order builds only
the rows it walks past. A sort on another field builds every row once and keeps the order.
After a write, the tables' change journals say which records changed; the view rebuilds the
rows those records show in and moves them in its sorted orders, instead of starting over.
`simulator.rowmaker.full_rows` builds everything from scratch, the way a view's answer must
always look.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Hashable, Iterable
from typing import Any

from simulator.catalogue import GetConnector, Row, RowOptions
from simulator.catalogue.drift import Shape
from simulator.catalogue.rows import RowContext, RowId
from simulator.orders import Getter, OrderBy, SortedOrder
from simulator.rowmaker import RowMaker
from simulator.tenant import Table, Tenant

# A write that changes more rows than this (or a third of them) makes the view start over:
# building rows lazily again is cheaper than patching that many into the sorted orders.
PATCH_LIMIT = 2_000
RESUME_LIMIT = 64  # where paged reads stopped, per order and filter
Predicate = Callable[[Row], bool]
_MISSING: Any = object()


class ConnectorView:
    """One connector's rows for one shape and set of row options, kept in step with the tenant.

    Every method takes the tenant lock: rows are read from the live tables.
    """

    def __init__(
        self,
        connector: GetConnector,
        shape: Shape,
        tenant: Tenant,
        options: RowOptions,
        *,
        shells: bool,
    ) -> None:
        self.connector = connector
        self.shape = shape
        self.tenant = tenant
        self.options = options
        self.columns = {f.id: index for index, f in enumerate(shape.fields)}
        self._maker = RowMaker(connector, shape, options, shells=shells)
        self._drivers = tuple(d.table for d in connector.drivers)
        self._links = {link.table: link for link in connector.links}
        self._reset()

    def _reset(self) -> None:
        self._rows: dict[RowId, Row | None] = {}  # built so far; None: the record shows no row
        self._complete = False
        self._orders: dict[OrderBy, SortedOrder] = {}
        self._ordinal: dict[RowId, int] = {}
        self._next_ordinal = 0
        self._pending: list[RowId] | None = None  # what the background warm-up has yet to build
        # (order, filter) -> (matches counted, position in the order) where a walk stopped.
        self._resumes: dict[Hashable, tuple[int, int]] = {}
        self._seen = {name: self._state(name) for name in self.connector.sources}

    def _state(self, name: str) -> tuple[Table, int]:
        table = self.tenant.table(name)
        return table, table.version

    def select(
        self,
        *,
        order_by: OrderBy,
        shuffle: random.Random | None,
        predicate: Predicate | None,
        filter_key: Hashable = None,
        offset: int,
        limit: int | None,
        count: bool,
    ) -> tuple[list[Row], int | None]:
        """The rows of one page and, with `count`, how many rows match in all.

        Without `order_by` the rows come in shipped order, or shuffled by `shuffle` (R15).
        Without `count` the walk stops once the page is full. `filter_key` names the
        predicate (the parsed filter): a sorted read that continues where the last one with
        the same order and filter stopped starts its walk there, so paging on costs a page.
        """
        with self.tenant.lock:
            ctx = RowContext(self.tenant, self.options)
            self.sync(ctx)
            if count:
                self._complete_rows(ctx)
            walk = self._walk(ctx, order_by, shuffle)
            resume = (order_by, filter_key) if order_by and not count else None
            matched, start = self._resumes.get(resume, (0, 0)) if resume else (0, 0)
            if matched > offset:
                matched, start = 0, 0
            ids = walk[start:] if start else walk
            page: list[Row] = []
            end = None if limit is None else offset + limit
            rows, make = self._rows, self._row
            position = start
            for rid in ids:
                position += 1
                row = rows.get(rid, _MISSING)
                if row is _MISSING:
                    row = make(ctx, rid)
                if row is None or (predicate is not None and not predicate(row)):
                    continue
                if matched >= offset and (end is None or matched < end):
                    page.append(row)
                matched += 1
                if not count and end is not None and matched >= end:
                    break
            if resume is not None:
                if len(self._resumes) >= RESUME_LIMIT:
                    self._resumes.clear()
                self._resumes[resume] = (matched, position)
            return page, (matched if count else None)

    def all_rows(self, order_by: OrderBy = ()) -> list[Row]:
        """Every row, in shipped order or sorted (what a `skip=-1` read returns)."""
        rows, _total = self.select(
            order_by=order_by, shuffle=None, predicate=None, offset=0, limit=None, count=False
        )
        return rows

    def warm(self, *, rows: int) -> bool:
        """Build up to `rows` more rows (the background warm-up); True once all are built."""
        with self.tenant.lock:
            ctx = RowContext(self.tenant, self.options)
            self.sync(ctx)
            if self._complete:
                return True
            if self._pending is None:
                self._pending = list(self._ids())
            pending, built = self._pending, self._rows
            while pending and rows > 0:
                rid = pending.pop()
                if rid not in built:
                    self._row(ctx, rid)
                    rows -= 1
            if pending:
                return False
            self._complete_rows(ctx)  # and whatever was inserted meanwhile
            return True

    # -- rows --------------------------------------------------------------------------------

    def _row(self, ctx: RowContext, rid: RowId) -> Row | None:
        record = ctx.table(self._drivers[rid[0]]).get(rid[1])
        if record is None:
            return None  # gone since the id was listed (the warm-up's list is a snapshot)
        row = self._rows[rid] = self._maker.row(ctx, rid[0], record)
        return row

    def _ids(self) -> Iterable[RowId]:
        """Every row id in shipped order: each driver's records in insertion order."""
        for driver, name in enumerate(self._drivers):
            for key in self.tenant.table(name).all_keys():
                yield (driver, key)

    def _complete_rows(self, ctx: RowContext) -> None:
        if self._complete:
            return
        rows, make = self._rows, self._row
        for rid in self._ids():
            if rid not in rows:
                make(ctx, rid)
        self._complete = True
        self._pending = None

    def _walk(
        self, ctx: RowContext, order_by: OrderBy, shuffle: random.Random | None
    ) -> list[RowId]:
        if order_by:
            return self._order(ctx, order_by).ids
        ids = list(self._ids())
        if shuffle is not None:
            shuffle.shuffle(ids)
        return ids

    # -- sorted orders -------------------------------------------------------------------------

    def _order(self, ctx: RowContext, order_by: OrderBy) -> SortedOrder:
        order = self._orders.get(order_by)
        if order is not None:
            return order
        if not self._orders:
            # Ties sort in insertion order; from now on the view tracks each row's place.
            self._ordinal = {rid: n for n, rid in enumerate(self._ids())}
            self._next_ordinal = len(self._ordinal)
        descending = tuple(d for _name, d in order_by)
        positions = self._key_positions(order_by)
        if positions is not None:
            # Every sort field is a key field: the driver keys give the order, no row needed.
            order = SortedOrder(
                list(self._ids()),
                [_key_getter(p) for p in positions],
                descending,
                self._ordinal,
                from_keys=True,
            )
        else:
            self._complete_rows(ctx)
            rows = self._rows
            order = SortedOrder(
                [rid for rid in self._ids() if rows[rid] is not None],
                [_row_getter(rows, self.columns[name]) for name, _d in order_by],
                descending,
                self._ordinal,
                from_keys=False,
            )
        self._orders[order_by] = order
        return order

    def _key_positions(self, order_by: OrderBy) -> list[int] | None:
        """Where each sort field sits in the drivers' keys; None if one is not a key field."""
        positions = []
        base_fields, key = self.connector.fields, self.connector.key
        for name, _descending in order_by:
            source = self.shape.sources[self.columns[name]]
            if source is None or base_fields[source].id not in key:
                return None
            positions.append(key.index(base_fields[source].id))
        return positions

    # -- keeping up with the tenant ----------------------------------------------------------

    def sync(self, ctx: RowContext) -> None:
        """Apply the tenant's changes since the last call, or start over when that is cheaper.

        A change to a driver record affects its own row; a change to a linked record affects
        the rows its link names (both as it was and as it is). Inserts and deletes also move
        row ids in the key orders.
        """
        affected: set[RowId] = set()
        events: list[tuple[RowId, bool]] = []  # (row id, exists now), in journal order
        for name, (table, version) in self._seen.items():
            current = ctx.table(name)
            if current.version == version and current is table:
                continue
            changes = current.changes_since(version) if current is table else None
            link = self._links.get(name)
            if changes is None or (link is not None and link.affects is None):
                self._reset()
                return
            if link is None:
                driver = self._drivers.index(name)
                for key, before, after in changes:
                    rid = (driver, key)
                    affected.add(rid)
                    if before is None or after is None:
                        events.append((rid, after is not None))
            else:
                assert link.affects is not None  # noqa: S101 - checked above, for mypy
                for _key, before, after in changes:
                    for record in (before, after):
                        if record is not None:
                            affected.update(link.affects(ctx, record))
        size = sum(len(ctx.table(name)) for name in self._drivers)
        if len(affected) > max(PATCH_LIMIT, size // 3):
            self._reset()
            return
        if affected:
            self._patch(ctx, affected, events)
            self._resumes.clear()
        self._seen = {name: self._state(name) for name in self.connector.sources}

    def _patch(
        self, ctx: RowContext, affected: set[RowId], events: list[tuple[RowId, bool]]
    ) -> None:
        rows = self._rows
        row_orders = [o for o in self._orders.values() if not o.from_keys]
        key_orders = [o for o in self._orders.values() if o.from_keys]
        # Out with the old rows, while their values and places are still the old ones.
        for rid in affected:
            if rows.get(rid) is not None:
                for order in row_orders:
                    order.remove(rid)
            rows.pop(rid, None)
        # Inserted and deleted records: their places in the tables and in the key orders.
        if self._orders:
            for rid, exists in events:
                if exists:
                    self._ordinal[rid] = self._next_ordinal
                    self._next_ordinal += 1
                    for order in key_orders:
                        order.insert(rid)
                else:
                    for order in key_orders:
                        order.remove(rid)
                    del self._ordinal[rid]
        if not self._complete:
            return  # built again when a page walks past them
        for rid in affected:
            record = ctx.table(self._drivers[rid[0]]).get(rid[1])
            if record is None:
                continue
            row = rows[rid] = self._maker.row(ctx, rid[0], record)
            if row is not None:
                for order in row_orders:
                    order.insert(rid)


def _key_getter(position: int) -> Getter:
    def value(rid: RowId) -> Any:
        return rid[1][position]

    return value


def _row_getter(rows: dict[RowId, Row | None], column: int) -> Getter:
    def value(rid: RowId) -> Any:
        return rows[rid][column]  # type: ignore[index]  # sorted rows are never None

    return value


class ViewCache:
    """One cached view per connector, replaced when its cache key changes."""

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
