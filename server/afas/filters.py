"""GetConnector filters: the official operator codes, OR-groups, encoding, and a local check.

A filter is sent only after every field and value has been checked against the connector's
metainfo (R2: AFAS may answer a misspelt field with an empty 200). Operators are the integer
codes of AFAS's own table (R14: a string operator may return the whole table). Returned rows are
checked against the filter again on our side, so an unfiltered answer to a filtered question is
caught (R14).

Grammar: a `FilterGroup` ANDs its conditions; several groups are ORed. They go out in AFAS's
compact form, `filterfieldids`/`filtervalues`/`operatortypes` with `,` between the conditions of
a group and `;` between groups, about 25 characters a condition. AFAS documents no way to escape
a `,` or `;` inside a value, so a query with such a value goes out as `filterjson` instead, about
180 characters a condition (R16 splits what no longer fits).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import IntEnum
from typing import TypeAlias
from urllib.parse import quote

from server.afas.values import format_filter_value, to_amsterdam_naive

__all__ = [
    "Filter",
    "FilterGroup",
    "FilterSpec",
    "Operator",
    "encode_filters",
    "evaluate",
    "filterjson",
    "to_groups",
]

# Operators 8 and 9 need a placeholder value; these are the ones AFAS's own examples use.
_PLACEHOLDER = {8: "[is leeg]", 9: "[is niet leeg]"}
# The compact form's separators; a value holding one must go out as filterjson.
_SEPARATORS = frozenset(",;")


class Operator(IntEnum):
    """AFAS's GetConnector operator codes, exactly as in its official table (R14)."""

    EQUALS = 1
    GREATER_OR_EQUAL = 2
    LESS_OR_EQUAL = 3
    GREATER_THAN = 4
    LESS_THAN = 5
    CONTAINS = 6
    NOT_EQUALS = 7
    IS_EMPTY = 8
    IS_NOT_EMPTY = 9
    STARTS_WITH = 10
    NOT_CONTAINS = 11
    NOT_STARTS_WITH = 12
    ENDS_WITH = 13
    NOT_ENDS_WITH = 14
    QUICK_FILTER = 15

    @property
    def symbol(self) -> str:
        """The symbol connect.afas.nl shows for the operator."""
        return _SYMBOLS[self]

    @property
    def takes_value(self) -> bool:
        """False for "is empty" and "is not empty", whose value AFAS ignores."""
        return self not in (Operator.IS_EMPTY, Operator.IS_NOT_EMPTY)

    @property
    def text_only(self) -> bool:
        """True for the text operators (contains, starts with, ends with and their negations)."""
        return self in _TEXT_ONLY

    @classmethod
    def parse(cls, name: str | int) -> Operator:
        """Look an operator up by code, name (`contains`, `not_equals`) or symbol (`>=`, `*`).

        Raises:
            ValueError: no such operator; the message lists the names.
        """
        if isinstance(name, int) and not isinstance(name, bool):
            return cls(name)
        if isinstance(name, str):
            text = name.strip()
            if text.isdigit():
                return cls(int(text))
            found = cls.__members__.get(text.upper()) or _BY_SYMBOL.get(text)
            if found is not None:
                return found
        names = ", ".join(member.name.lower() for member in cls)
        raise ValueError(f"unknown filter operator {name!r}; use one of: {names}")


_SYMBOLS: dict[Operator, str] = dict(
    zip(
        Operator,
        ["=", ">=", "<=", ">", "<", "*", "!=", "[]", "![]", "@", "!*", "!@", "&", "!&", "Sf"],
        strict=True,
    )
)
_BY_SYMBOL = {symbol: operator for operator, symbol in _SYMBOLS.items()}
_TEXT_ONLY = frozenset(
    {
        Operator.CONTAINS,
        Operator.NOT_CONTAINS,
        Operator.STARTS_WITH,
        Operator.NOT_STARTS_WITH,
        Operator.ENDS_WITH,
        Operator.NOT_ENDS_WITH,
    }
)


@dataclass(frozen=True, slots=True)
class Filter:
    """One condition: `field` `operator` `value`.

    Args:
        field: the field `id` from the connector's metainfo.
        operator: an `Operator` (or its integer code). Strings are refused: operators are codes.
        value: a Python value of the field's type (`str`, `int`, `Decimal`, `bool`, `date`,
            `datetime`), or a string in AFAS's filter format. Ignored by IS_EMPTY/IS_NOT_EMPTY.
    """

    field: str
    operator: Operator
    value: object = None

    def __post_init__(self) -> None:
        if isinstance(self.operator, bool) or not isinstance(self.operator, int):
            raise TypeError(
                f"filter operator for {self.field!r} must be an Operator (AFAS's integer codes), "
                f"not {type(self.operator).__name__}; e.g. Operator.EQUALS"
            )
        object.__setattr__(self, "operator", Operator(self.operator))
        if not self.field:
            raise ValueError("filter field id is empty")


class FilterGroup:
    """Conditions that must all hold (AND). Pass several groups to OR them."""

    __slots__ = ("filters",)

    def __init__(self, *filters: Filter) -> None:
        if not filters:
            raise ValueError("a FilterGroup needs at least one Filter")
        for item in filters:
            if not isinstance(item, Filter):
                raise TypeError(f"FilterGroup takes Filter objects, got {type(item).__name__}")
        self.filters: tuple[Filter, ...] = filters

    def __iter__(self) -> Iterator[Filter]:
        return iter(self.filters)

    def __len__(self) -> int:
        return len(self.filters)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FilterGroup) and other.filters == self.filters

    def __hash__(self) -> int:
        return hash(self.filters)

    def __repr__(self) -> str:
        return f"FilterGroup{self.filters!r}"


FilterSpec: TypeAlias = Filter | FilterGroup | Sequence[Filter] | Sequence[FilterGroup] | None
"""What `rows()` accepts: one condition, one AND-group, a list of conditions (ANDed), or a list
of groups (ORed)."""


def to_groups(spec: FilterSpec) -> tuple[FilterGroup, ...]:
    """Normalise a filter spec to OR-ed AND-groups; `()` means no filter."""
    if spec is None:
        return ()
    if isinstance(spec, Filter):
        return (FilterGroup(spec),)
    if isinstance(spec, FilterGroup):
        return (spec,)
    items = list(spec)
    if not items:
        return ()
    if all(isinstance(item, Filter) for item in items):
        return (FilterGroup(*items),)  # type: ignore[arg-type]
    if all(isinstance(item, FilterGroup) for item in items):
        return tuple(items)  # type: ignore[arg-type]
    raise TypeError("filters must be Filters (ANDed) or FilterGroups (ORed), not a mix")


def wire_value(item: Filter, data_type: str) -> str:
    """Return the filter value as AFAS's query parameter wants it.

    Raises:
        ValueError: the value cannot be a value of the field's type.
    """
    if not item.operator.takes_value:
        return _PLACEHOLDER[item.operator]
    if item.operator is Operator.QUICK_FILTER:
        if not isinstance(item.value, str) or not item.value:
            raise ValueError("a quick filter needs Profit's quick-filter text as a string")
        return item.value
    if item.value is None:
        raise ValueError(
            f"operator {item.operator.name.lower()} needs a value; to find empty fields use "
            "Operator.IS_EMPTY"
        )
    return format_filter_value(item.value, data_type)


def encode_filters(
    groups: Sequence[FilterGroup], types: Mapping[str, str]
) -> list[tuple[str, str]]:
    """Return the query parameters for `groups` (already validated against metainfo).

    The compact `,`/`;` form when no value holds a separator, `filterjson` otherwise.
    """
    if not groups:
        return []
    wired = _wired(groups, types)
    if any(_SEPARATORS.intersection(value) for group in wired for _, value in group):
        return [("filterjson", _json(wired))]
    fields = ";".join(",".join(f.field for f, _ in group) for group in wired)
    values = ";".join(",".join(v for _, v in group) for group in wired)
    operators = ";".join(",".join(str(int(f.operator)) for f, _ in group) for group in wired)
    return [("filterfieldids", fields), ("filtervalues", values), ("operatortypes", operators)]


def filterjson(groups: Sequence[FilterGroup], types: Mapping[str, str]) -> str:
    """The `filterjson` document for `groups`, compact, as in AFAS's own example (TV4)."""
    return _json(_wired(groups, types))


def _wired(
    groups: Sequence[FilterGroup], types: Mapping[str, str]
) -> list[list[tuple[Filter, str]]]:
    return [[(f, wire_value(f, types[f.field])) for f in group] for group in groups]


def _json(wired: list[list[tuple[Filter, str]]]) -> str:
    document = {
        "Filters": {
            "Filter": [
                {
                    "@FilterId": f"Filter {index}",
                    "Field": [
                        # A string code, as in AFAS's own filterjson example.
                        {"@FieldId": f.field, "@OperatorType": str(int(f.operator)), "#text": v}
                        for f, v in group
                    ],
                }
                for index, group in enumerate(wired, start=1)
            ]
        }
    }
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False)


def query_string(params: Sequence[tuple[str, str]]) -> str:
    """Percent-encode parameters with no safe characters (like JavaScript's encodeURIComponent)."""
    return "&".join(f"{name}={quote(value, safe='')}" for name, value in params)


def evaluate(
    groups: Sequence[FilterGroup],
    values: Mapping[str, object],
    types: Mapping[str, str],
    *,
    shell_row: bool = False,
) -> bool:
    """Tell whether a normalised row may satisfy the filter (R14).

    Returns False only when the row certainly violates every group. A null satisfies no
    comparison, as in the SQL under AFAS: a row with a null where the filter asks `=`, `<`,
    `contains` or `starts with` a value violates it; only "is empty" matches a null. Where the
    outcome on our side could differ from AFAS's, a condition counts as satisfied, so a
    legitimate row is never reported: quick filters and wildcards (Profit's syntax), a null under
    a negation (`!=`, `does not contain`, ...: AFAS does not document whether it keeps nulls), a
    null compared with an empty value, and the nulls of a shell row (`shell_row`), which are blanks
    of a blocked or deleted record, not its data (R5).
    """
    if not groups:
        return True
    return any(
        all(_holds(f, values.get(f.field), types[f.field], shell_row=shell_row) for f in g)
        for g in groups
    )


_NEGATIONS = frozenset(
    {
        Operator.NOT_EQUALS,
        Operator.NOT_CONTAINS,
        Operator.NOT_STARTS_WITH,
        Operator.NOT_ENDS_WITH,
    }
)


def _holds(item: Filter, actual: object, data_type: str, *, shell_row: bool) -> bool:
    op = item.operator
    if op is Operator.QUICK_FILTER:
        return True
    if actual is None and (shell_row or op in _NEGATIONS or item.value == ""):
        return True
    if op is Operator.IS_EMPTY:
        return actual in (None, "")
    if op is Operator.IS_NOT_EMPTY:
        return actual not in (None, "")
    if actual is None:
        return False
    if op.text_only:
        if not isinstance(actual, str) or not isinstance(item.value, str):
            return True
        needle, hay = item.value.casefold(), actual.casefold()
        if "%" in needle or "*" in needle:
            return True  # wildcard syntax: AFAS's semantics, not ours
        positive = {
            Operator.CONTAINS: needle in hay,
            Operator.NOT_CONTAINS: needle not in hay,
            Operator.STARTS_WITH: hay.startswith(needle),
            Operator.NOT_STARTS_WITH: not hay.startswith(needle),
            Operator.ENDS_WITH: hay.endswith(needle),
            Operator.NOT_ENDS_WITH: not hay.endswith(needle),
        }
        return positive[op]
    try:
        expected = _comparable(item.value, data_type)
        have = _comparable(actual, data_type)
        return _compare(op, have, expected)
    except (ValueError, TypeError):
        return True


def _comparable(value: object, data_type: str) -> object:
    if data_type == "date":
        if isinstance(value, str):
            value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        if isinstance(value, datetime | date):
            return to_amsterdam_naive(value)
        raise TypeError
    if data_type in {"int", "decimal"}:
        return Decimal(format_filter_value(value, "decimal"))
    if data_type == "boolean":
        return format_filter_value(value, "boolean")
    # SQL Server, under AFAS, compares text case-insensitively and ignores trailing spaces.
    return str(value).casefold().rstrip()


def _compare(op: Operator, have: object, expected: object) -> bool:
    if op is Operator.EQUALS:
        return have == expected
    if op is Operator.NOT_EQUALS:
        return have != expected
    ordered = {
        Operator.GREATER_OR_EQUAL: lambda a, b: a >= b,
        Operator.LESS_OR_EQUAL: lambda a, b: a <= b,
        Operator.GREATER_THAN: lambda a, b: a > b,
        Operator.LESS_THAN: lambda a, b: a < b,
    }
    result: bool = ordered[op](have, expected)
    return result
