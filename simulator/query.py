"""The GetConnector query string: skip/take, orderbyfieldids and the two filter syntaxes."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from simulator.errors import AfasError
from simulator.orders import OrderBy

DEFAULT_TAKE = 100
UNEXPECTED_ERROR = "An unexpected error has occurred."


@dataclass(frozen=True)
class Condition:
    """One `field operator value` test; the operator is kept as sent (it may not be a number)."""

    field: str
    operator: str
    value: str | None


# OR over groups, AND within a group.
Filter = tuple[tuple[Condition, ...], ...]


@dataclass(frozen=True)
class PageRequest:
    """What a GetConnector call asks for. `skip` and `take` are echoed back as received."""

    skip: int
    take: int
    order_by: OrderBy
    filter: Filter

    @property
    def get_all(self) -> bool:
        return self.skip == -1

    @property
    def filtered(self) -> bool:
        return bool(self.filter)


def parse_page_request(params: Mapping[str, str]) -> PageRequest:
    """Read the query parameters (names in any case); raise AfasError where AFAS answers 500."""
    lowered = {name.lower(): value for name, value in params.items()}
    skip = _skip(lowered.get("skip"))
    take = _take(lowered.get("take"), skip)
    return PageRequest(skip, take, _order_by(lowered.get("orderbyfieldids")), _filter(lowered))


def _skip(raw: str | None) -> int:
    # A non-numeric skip, or one below -1, behaves like 0 (observed by a PHP client).
    if raw is None or raw == "":
        return 0
    try:
        skip = int(raw)
    except ValueError:
        return 0
    return skip if skip >= -1 else 0


def _take(raw: str | None, skip: int) -> int:
    if raw is None or raw == "":
        return DEFAULT_TAKE
    try:
        take = int(raw)
    except ValueError:
        raise AfasError(UNEXPECTED_ERROR) from None
    if take < -1 or (take == -1 and skip != -1):
        # The documented invalid mix: take=-1 is only allowed with skip=-1 ("get all").
        raise AfasError(UNEXPECTED_ERROR)
    return take


def _order_by(raw: str | None) -> OrderBy:
    if not raw:
        return ()
    order: list[tuple[str, bool]] = []
    for part in raw.split(","):
        name = part.strip()
        if name:
            order.append((name[1:].strip(), True) if name.startswith("-") else (name, False))
    return tuple(order)


def _filter(params: Mapping[str, str]) -> Filter:
    if params.get("filterjson"):
        return _json_filter(params["filterjson"])
    fields = params.get("filterfieldids")
    if not fields:
        return ()
    values = params.get("filtervalues")
    operators = params.get("operatortypes")
    field_groups = _split(fields)
    value_groups = _split(values) if values is not None else None
    # Without operatortypes every condition is "equal to".
    operator_groups = (
        _split(operators) if operators else [["1"] * len(group) for group in field_groups]
    )
    if value_groups is None or not _same_shape(field_groups, value_groups, operator_groups):
        raise AfasError(UNEXPECTED_ERROR)
    return tuple(
        tuple(
            Condition(name.strip(), operator.strip(), value)
            for name, value, operator in zip(names, vals, ops, strict=True)
        )
        for names, vals, ops in zip(field_groups, value_groups, operator_groups, strict=True)
    )


def _split(raw: str) -> list[list[str]]:
    return [group.split(",") for group in raw.split(";")]


def _same_shape(*lists: list[list[str]]) -> bool:
    shapes = {tuple(len(group) for group in groups) for groups in lists}
    return len(shapes) == 1


def _json_filter(raw: str) -> Filter:
    """`{"Filters":{"Filter":[{"@FilterId":..,"Field":[{"@FieldId","@OperatorType","#text"}]}]}}`."""
    try:
        document = json.loads(raw)
        filters = _as_list(document["Filters"]["Filter"])
        groups = []
        for entry in filters:
            group = []
            for field in _as_list(entry["Field"]):
                text = field.get("#text")
                group.append(
                    Condition(
                        str(field["@FieldId"]),
                        str(field["@OperatorType"]),
                        None if text is None else str(text),
                    )
                )
            groups.append(tuple(group))
    except (ValueError, KeyError, TypeError, AttributeError):
        raise AfasError(UNEXPECTED_ERROR) from None
    return tuple(groups)


def _as_list(value: Any) -> list[Any]:
    # An XML-to-JSON document has a single element where a list of one was meant.
    return value if isinstance(value, list) else [value]
