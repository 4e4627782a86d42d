"""How a GetConnector's rows come from the tenant, one record at a time.

A connector's rows are driven by one or more tables (`Driver`): each record of a driver table
gives at most one row, built by a function of that record and whatever else it looks up. Other
tables it reads are `Link`s, which say whose rows a change to one of their records affects. With
both, a connector view can build only the rows a page needs and, after a write, rebuild only the
rows the write touched (simulator/views.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from typing import Any

from simulator.tenant import Record, Table, Tenant
from simulator.tenant.store import Key


@dataclass(frozen=True)
class RowOptions:
    """What a row builder needs besides the tenant: the day, and quirks that change row content."""

    today: date
    wage_tax_blank_for_terminated: bool = False  # quirk R1


# A row's identity: which driver it comes from (its position) and the driver record's key.
RowId = tuple[int, Key]


class RowContext:
    """What a row function may read: tables, their indexes, the options and small lookups.

    One context serves one batch of row building under the tenant lock; `memo` keeps derived
    lookups (a code table as a dict) for that batch only, so they never outlive a change.
    """

    def __init__(self, tenant: Tenant, options: RowOptions) -> None:
        self.tenant = tenant
        self.options = options
        self.today: date = options.today
        self._tables: dict[str, Table] = {}
        self._memo: dict[str, Any] = {}

    def table(self, name: str) -> Table:
        table = self._tables.get(name)
        if table is None:
            table = self._tables[name] = self.tenant.table(name)
        return table

    def record(self, table: str, *key: Any) -> Record | None:
        """One record by its key, or None."""
        return self.table(table).get(key)

    def records_by(self, table: str, field: str, value: Any) -> list[Record]:
        """The records of `table` whose `field` equals `value` (through an index)."""
        return self.table(table).records_by(field, value)

    def in_force(self, table: str, field: str, date_field: str) -> Callable[[Any], Record | None]:
        """A finder of the dated record (an employee's contract, salary, ...) in force today.

        `find(value)`: of the records of `table` whose `field` is `value`, the latest start
        (`date_field`) on or before today, else the earliest; None when there are none.
        """
        records, index = self.table(table).lookup(field)
        by_start, today = itemgetter(date_field), self.today

        def find(value: Any) -> Record | None:
            keys = index.get(value)
            if not keys:
                return None
            if len(keys) == 1:
                return records[keys[0]]
            if len(keys) == 2:  # most employees: a salary and its raise
                first, second = records[keys[0]], records[keys[1]]
                if by_start(first) > by_start(second):
                    first, second = second, first
                return second if by_start(second) <= today else first
            chosen = sorted([records[key] for key in keys], key=by_start)
            started = [record for record in chosen if record[date_field] <= today]
            return started[-1] if started else chosen[0]

        return find

    def memo(self, name: str, make: Callable[[RowContext], Any]) -> Any:
        """A lookup derived from the tenant (`make(context)`), made once per context."""
        made = self._memo.get(name, _MISSING)
        if made is _MISSING:
            made = self._memo[name] = make(self)
        return made


_MISSING: Any = object()
RowFunction = Callable[[RowContext, Record], Record | None]
Affected = Callable[[RowContext, Record], Iterable[RowId]]


@dataclass(frozen=True)
class Driver:
    """A table whose records each give at most one row (None from `row`: no row)."""

    table: str
    row: RowFunction


@dataclass(frozen=True)
class Link:
    """Another table the rows read; `affects` maps a changed record to the rows it shows in.

    Without `affects`, a change to the table affects every row (fine for small code tables).
    """

    table: str
    affects: Affected | None = None


def same_key(field: str, driver: int = 0) -> Affected:
    """The row whose driver record's key is this record's `field` (a contract's employee)."""

    def affects(ctx: RowContext, record: Record) -> Iterable[RowId]:
        return ((driver, (record.get(field),)),)

    return affects


def matching(driver_field: str, field: str, *, table: str, driver: int = 0) -> Affected:
    """The rows whose driver record's `driver_field` equals this record's `field`."""

    def affects(ctx: RowContext, record: Record) -> Iterable[RowId]:
        return ((driver, key) for key in ctx.table(table).keys_by(driver_field, record.get(field)))

    return affects


def build_rows(
    drivers: tuple[Driver, ...], tenant: Tenant, options: RowOptions
) -> Iterator[Record]:
    """Every row of a connector in shipped order: the drivers' records in insertion order."""
    ctx = RowContext(tenant, options)
    for driver in drivers:
        row = driver.row
        for record in tenant.table(driver.table):
            built = row(ctx, record)
            if built is not None:
                yield built
