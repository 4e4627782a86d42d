"""A driver record as a connector row: the tuple a view keeps, in the shape's field order.

Dates become datetimes (dates and date-times must sort together), rows of blocked and deleted
records become shells or disappear (quirk R5), and a drifted shape (R6) picks its fields.
`full_rows` builds a connector's rows from scratch, the reference the cached views must match.
"""

from __future__ import annotations

from datetime import date, datetime, time
from operator import itemgetter

from simulator.catalogue import GetConnector, Row, RowOptions
from simulator.catalogue.drift import Shape
from simulator.catalogue.fields import BLOCKED, DELETED, STATE
from simulator.catalogue.rows import RowContext
from simulator.orders import OrderBy, value_key
from simulator.tenant import Record, Tenant

MIDNIGHT = time()


class RowMaker:
    """Turns a driver record into the connector's row tuple in the shape's field order."""

    def __init__(
        self, connector: GetConnector, shape: Shape, options: RowOptions, *, shells: bool
    ) -> None:
        self.connector = connector
        self.shells = shells
        ids = connector.field_ids()
        self._ids = ids
        self._take = itemgetter(*ids)
        self._single = len(ids) == 1
        self._key_positions = {ids.index(name) for name in connector.key}
        self._dates = [f.id for f in connector.fields if f.data_type == "date"]
        self._sources = None if shape.identity else shape.sources

    def row(self, ctx: RowContext, driver: int, record: Record) -> Row | None:
        """The row a record shows as; None when it shows none (deleted, or R5 off)."""
        built = self.connector.drivers[driver].row(ctx, record)
        if built is None:
            return None
        # Dates and date-times compare and sort together only as datetimes.
        for name in self._dates:
            value = built[name]
            if value is not None and type(value) is date:
                built[name] = datetime.combine(value, MIDNIGHT)
        state = built.get(STATE)
        row: Row
        if state is None or (state == BLOCKED and not self.shells):
            row = (self._take(built),) if self._single else self._take(built)
        elif self.shells and state in (BLOCKED, DELETED):
            # Quirk R5: blocked and deleted records as shells, only the key filled.
            keys = self._key_positions
            row = tuple(built[n] if i in keys else None for i, n in enumerate(self._ids))
        else:
            return None
        if self._sources is None:
            return row
        return tuple(None if s is None else row[s] for s in self._sources)


def full_rows(
    connector: GetConnector,
    shape: Shape,
    tenant: Tenant,
    options: RowOptions,
    *,
    shells: bool,
    order_by: OrderBy = (),
) -> list[Row]:
    """Every row built from scratch, in shipped order or sorted: the reference a view matches."""
    maker = RowMaker(connector, shape, options, shells=shells)
    with tenant.lock:
        ctx = RowContext(tenant, options)
        rows = [
            row
            for driver, d in enumerate(connector.drivers)
            for record in tenant.table(d.table)
            if (row := maker.row(ctx, driver, record)) is not None
        ]
    columns = {f.id: index for index, f in enumerate(shape.fields)}
    for name, descending in reversed(order_by):
        index = columns[name]
        rows.sort(key=lambda row: value_key(row[index]), reverse=descending)
    return rows
