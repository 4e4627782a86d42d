"""What a GetConnector is: its fields (as `/metainfo/get/{id}` shows them) and its row builder."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from simulator.catalogue.rows import Driver, Link, RowOptions, build_rows
from simulator.tenant import Record, Tenant

DataType = Literal["string", "int", "decimal", "boolean", "date"]
Row = tuple[Any, ...]

# Row-state marker a builder may set under this key; never a field of the connector.
STATE = "_state"
BLOCKED = "blocked"
DELETED = "deleted"


@dataclass(frozen=True)
class Field:
    """One field of a GetConnector, with everything metainfo reports about it."""

    id: str
    data_type: DataType
    label: str
    length: int = 0
    field_id: str = ""
    control_type: int = 1
    decimals: int = 0
    decimals_field_id: str = ""

    def metainfo(self) -> dict[str, object]:
        return {
            "id": self.id,
            "fieldId": self.field_id,
            "dataType": self.data_type,
            "label": self.label,
            "length": self.length,
            "controlType": self.control_type,
            "decimals": self.decimals,
            "decimalsFieldId": self.decimals_field_id,
        }


def text(id_: str, label: str, length: int = 50, *, code: str = "", lookup: bool = False) -> Field:
    """A string field; `lookup` marks an id/lookup field (controlType 5)."""
    return Field(id_, "string", label, length, code, 5 if lookup else 1)


def number(id_: str, label: str, length: int = 9, *, code: str = "", lookup: bool = False) -> Field:
    """An int field."""
    return Field(id_, "int", label, length, code, 5 if lookup else 1)


def amount(id_: str, label: str, *, code: str = "", decimals: int = 2) -> Field:
    """A decimal field."""
    return Field(id_, "decimal", label, 18, code, 1, decimals)


def flag(id_: str, label: str, *, code: str = "") -> Field:
    """A boolean field."""
    return Field(id_, "boolean", label, 1, code, 1)


def moment(id_: str, label: str, *, code: str = "") -> Field:
    """A date or date-time field."""
    return Field(id_, "date", label, 0, code, 1)


@dataclass(frozen=True)
class GetConnector:
    """A GetConnector definition: fields, key, the tables it reads and how to build its rows.

    Each driver record gives at most one row, a dict keyed by field id; a row may be marked
    `STATE: BLOCKED | DELETED` so the shell-row quirk (R5) can act on it. Deleted rows are left
    out unless shells are on. The connector's key fields are, in order, its drivers' key fields
    (so rows can be put in key order without being built).
    """

    id: str
    description: str
    fields: tuple[Field, ...]
    key: tuple[str, ...]
    drivers: tuple[Driver, ...]
    links: tuple[Link, ...] = ()
    # Decimal fields rendered as Dutch strings ("1.234,56") under quirk R4.
    dutch_decimals: frozenset[str] = field(default=frozenset())

    def field_ids(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.fields)

    @property
    def sources(self) -> tuple[str, ...]:
        """Every table the rows read: drivers first."""
        return (*(d.table for d in self.drivers), *(link.table for link in self.links))

    def build(self, tenant: Tenant, options: RowOptions) -> Iterator[Record]:
        """Every row as a dict (with its STATE mark), in shipped order."""
        return build_rows(self.drivers, tenant, options)


def connector(
    id_: str,
    description: str,
    fields: Iterable[Field],
    *,
    key: tuple[str, ...],
    rows: Driver | tuple[Driver, ...],
    links: tuple[Link, ...] = (),
    dutch_decimals: Iterable[str] = (),
) -> GetConnector:
    """Define a connector; fields without an internal code get `U001`, `U002`, ... as AFAS does."""
    numbered = tuple(
        f if f.field_id else replace(f, field_id=f"U{position:03d}")
        for position, f in enumerate(fields, 1)
    )
    ids = {f.id for f in numbered}
    missing = [name for name in (*key, *dutch_decimals) if name not in ids]
    if missing:
        raise ValueError(f"{id_}: key or Dutch-decimal fields not among the fields: {missing}")
    drivers = rows if isinstance(rows, tuple) else (rows,)
    return GetConnector(id_, description, numbered, key, drivers, links, frozenset(dutch_decimals))
