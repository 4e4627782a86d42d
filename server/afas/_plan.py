"""A validated read: every field checked against metainfo before anything is sent.

AFAS may answer a misspelt filter field with an empty 200 (R2), pages without an order come back
with rows missing and repeated (R15), and a connector an administrator edited keeps its URL but
loses fields (R6). So a read is planned first: the key, sort and filter fields must exist, filter
values must fit the field's type, required fields must be present, and the order always ends
with the key.

Which error a missing field raises depends on who named it. A field the caller declared or
passed as required (key, sort and filter fields included) is part of what the product relies
on, so its absence means the connector changed: `AfasConnectorDrift`. Any other field came from
the question asked, so it is the asker's mistake: `AfasUnknownField`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from server.afas.errors import AfasConnectorDrift, AfasInvalidFilter, AfasUnknownField
from server.afas.filters import Filter, FilterGroup, FilterSpec, Operator, to_groups, wire_value
from server.afas.models import ConnectorMeta

__all__ = ["MAX_TAKE", "Plan", "check_required", "make_plan"]

# The client never asks for more rows in one call: some tenants cap `take` at 1000 without a
# word (R13), and a capped page would look like the last one.
MAX_TAKE = 1000
# AFAS's guideline: columns x rows per call below 150,000.
_CELLS_PER_CALL = 150_000
_BOOLEAN_OPERATORS = frozenset(
    {Operator.EQUALS, Operator.NOT_EQUALS, Operator.IS_EMPTY, Operator.IS_NOT_EMPTY}
)


@dataclass(frozen=True, slots=True)
class Plan:
    """Everything a read needs once its fields have been checked.

    Attributes:
        connector: the GetConnector id.
        meta: its metainfo.
        key: the fields that identify a row.
        order: the `orderbyfieldids` entries, ending with the key (R15).
        groups: the caller's filter as OR-ed AND-groups.
        required: fields every row must carry (R6), the key included.
        page_size: rows per call.
        keyset: True when the order is exactly the key, so a read can continue by key range.
    """

    connector: str
    meta: ConnectorMeta
    key: tuple[str, ...]
    order: tuple[str, ...]
    groups: tuple[FilterGroup, ...]
    required: frozenset[str]
    page_size: int
    keyset: bool

    @property
    def types(self) -> dict[str, str]:
        return self.meta.types

    @property
    def named(self) -> frozenset[str]:
        """Every field the query string names: key, sort and filter fields."""
        filtered = {item.field for group in self.groups for item in group}
        return frozenset(self.key) | {o.removeprefix("-") for o in self.order} | filtered

    def decimals(self, field_id: str) -> int | None:
        found = self.meta.get(field_id)
        return found.decimals if found else None


def _unknown(meta: ConnectorMeta, connector: str, field: str, role: str) -> AfasUnknownField:
    known = [f.id for f in meta.fields]
    near = tuple(difflib.get_close_matches(field, known, n=3, cutoff=0.6))
    hint = f"; did you mean {', '.join(near)}?" if near else ""
    return AfasUnknownField(
        f"{role} field {field!r} is not a field of this connector{hint} "
        "(checked against its metainfo; nothing was sent)",
        connector=connector,
        field=field,
        suggestions=near,
    )


def check_required(meta: ConnectorMeta, connector: str, fields: Iterable[str]) -> None:
    """Fail loudly, naming connector and fields, when metainfo lacks a required field (R6).

    Raises:
        AfasConnectorDrift: one or more fields are missing.
    """
    types = meta.types
    missing = tuple(sorted(f for f in set(fields) if f not in types))
    if missing:
        raise AfasConnectorDrift(
            f"required field(s) {', '.join(missing)} no longer in the connector's metainfo; "
            "an AFAS administrator changed the GetConnector",
            connector=connector,
            fields=missing,
        )


def _check_filter(item: Filter, meta: ConnectorMeta, connector: str) -> None:
    field = meta.get(item.field)
    if field is None:
        raise _unknown(meta, connector, item.field, "filter")
    op, data_type = item.operator, field.data_type
    if data_type == "blob":
        raise AfasInvalidFilter(
            f"field {item.field} holds files; it cannot be filtered", connector=connector
        )
    if op.text_only and data_type != "string":
        raise AfasInvalidFilter(
            f"operator {op.name.lower()} works on text; field {item.field} is {data_type}",
            connector=connector,
        )
    if data_type == "boolean" and op not in _BOOLEAN_OPERATORS:
        raise AfasInvalidFilter(
            f"field {item.field} is boolean; use equals or not_equals", connector=connector
        )
    try:
        wire_value(item, data_type)
    except ValueError as exc:
        # A value that cannot be of the field's type can never match; AFAS would answer an empty
        # list, which reads as "nothing found" (R2).
        raise AfasInvalidFilter(
            f"filter on {item.field} ({data_type}, {op.name.lower()}): {exc}", connector=connector
        ) from None


def make_plan(
    meta: ConnectorMeta,
    *,
    connector: str,
    key: Sequence[str],
    filters: FilterSpec,
    order_by: Sequence[str],
    required: Iterable[str],
    page_size: int | None,
) -> Plan:
    """Check a read against metainfo and return its plan.

    Raises:
        AfasConnectorDrift: a required field is gone, key, sort and filter fields included (R6).
        AfasUnknownField: a key, sort or filter field the connector does not have and the caller
            did not require (R2).
        AfasInvalidFilter: a filter value or operator that cannot match the field (R2).
        ValueError: no key, or a page size below 1.
    """
    key = tuple(key)
    if not key:
        raise ValueError("a read needs the key fields that identify a row (R12, R15)")
    required_set = frozenset(required)
    check_required(meta, connector, required_set)
    for field in key:
        if meta.get(field) is None:
            raise _unknown(meta, connector, field, "key")
    order: list[str] = []
    for entry in order_by:
        name = entry.removeprefix("-")
        if meta.get(name) is None:
            raise _unknown(meta, connector, name, "sort")
        if name not in {o.removeprefix("-") for o in order}:
            order.append(entry)
    seen = {o.removeprefix("-") for o in order}
    order.extend(field for field in key if field not in seen)
    groups = to_groups(filters)
    for group in groups:
        for item in group:
            _check_filter(item, meta, connector)
    if page_size is None:
        page_size = min(_CELLS_PER_CALL // max(1, len(meta.fields)), MAX_TAKE - 1)
    if page_size < 1:
        raise ValueError("page_size must be at least 1")
    return Plan(
        connector=connector,
        meta=meta,
        key=key,
        order=tuple(order),
        groups=groups,
        required=required_set | frozenset(key),
        page_size=page_size,
        keyset=tuple(order) == key,
    )
