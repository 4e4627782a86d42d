"""Filter conditions compiled into row predicates, typed by the field's metainfo dataType.

Operators are AFAS's codes 1-15 (afas-api.md §3.4). Strings compare without regard to case, as
Profit's SQL Server collation does. A null never satisfies a comparison (as in SQL); only "is
empty" (8) and "is not empty" (9) look at nulls, and those two ignore the value.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from simulator.catalogue import Field, Row
from simulator.query import Condition, Filter

Predicate = Callable[[Row], bool]
ProblemKind = Literal["unknown_field", "unknown_operator", "string_operator", "bad_value"]

COMPARISONS = {1, 2, 3, 4, 5, 7}
TEXT_MATCHES = {6, 10, 11, 12, 13, 14, 15}


class FilterProblem(Exception):
    """A filter AFAS would refuse; `kind` lets the caller apply quirks R2 and R14."""

    def __init__(self, kind: ProblemKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


def compile_filter(groups: Filter, columns: Mapping[str, tuple[int, Field]]) -> Predicate:
    """One predicate for an OR of AND-groups. Raises FilterProblem for what AFAS refuses.

    Non-numeric operators are reported before anything else, so quirk R14 ("a string operator
    returns the whole table") wins over a misspelt field in the same request.
    """
    for group in groups:
        for condition in group:
            if not condition.operator.strip().lstrip("-").isdigit():
                raise FilterProblem(
                    "string_operator", f"Invalid operator type '{condition.operator}'"
                )
    compiled = [[_condition(c, columns) for c in group] for group in groups]
    if len(compiled) == 1 and len(compiled[0]) == 1:
        return compiled[0][0]
    return lambda row: any(all(test(row) for test in group) for group in compiled)


def _condition(condition: Condition, columns: Mapping[str, tuple[int, Field]]) -> Predicate:
    if condition.field not in columns:
        raise FilterProblem("unknown_field", f"Connector field '{condition.field}' not found")
    index, field = columns[condition.field]
    operator = int(condition.operator)
    if operator == 8:
        return lambda row: row[index] is None or row[index] == ""
    if operator == 9:
        return lambda row: row[index] is not None and row[index] != ""
    if operator in TEXT_MATCHES:
        return _text_match(index, operator, condition.value or "")
    if operator not in COMPARISONS:
        raise FilterProblem("unknown_operator", f"Invalid operator type '{operator}'")
    return _comparison(index, operator, _typed(field, condition.value))


def _text_match(index: int, operator: int, raw: str) -> Predicate:
    # Profit's wildcard forms (`%x%`, quick filter `*x*`) mean the same as the plain value here.
    needle = raw.strip("%*").casefold()
    tests: dict[int, Callable[[str], bool]] = {
        6: lambda text: needle in text,
        15: lambda text: needle in text,
        11: lambda text: needle not in text,
        10: lambda text: text.startswith(needle),
        12: lambda text: not text.startswith(needle),
        13: lambda text: text.endswith(needle),
        14: lambda text: not text.endswith(needle),
    }
    test = tests[operator]

    def predicate(row: Row) -> bool:
        value = row[index]
        return value is not None and test(_as_text(value).casefold())

    return predicate


def _comparison(index: int, operator: int, wanted: Any) -> Predicate:
    fold = isinstance(wanted, str)
    tests: dict[int, Callable[[Any], bool]] = {
        1: lambda value: value == wanted,
        2: lambda value: value >= wanted,
        3: lambda value: value <= wanted,
        4: lambda value: value > wanted,
        5: lambda value: value < wanted,
        7: lambda value: value != wanted,
    }
    test = tests[operator]

    def predicate(row: Row) -> bool:
        value = row[index]
        if value is None:
            return False
        return test(value.casefold() if fold else value)

    return predicate


def _typed(field: Field, raw: str | None) -> Any:
    """The filter value as the field's type; raises FilterProblem("bad_value") when it is not."""
    text = (raw or "").strip()
    try:
        if field.data_type == "string":
            return (raw or "").casefold()
        if field.data_type == "int":
            return int(text)
        if field.data_type == "decimal":
            return Decimal(text)
        if field.data_type == "boolean":
            return {"true": True, "1": True, "false": False, "0": False}[text.lower()]
        return _date(text)
    except (ValueError, InvalidOperation, KeyError):
        raise FilterProblem(
            "bad_value", f"The value '{raw}' is not valid for field '{field.id}'"
        ) from None


def _date(text: str) -> datetime:
    # Filters take local time without a zone: `YYYY-MM-DDTHH:MM:SS` or a bare date. The `Z`
    # that responses carry is not accepted back.
    if text.endswith(("Z", "z")):
        raise ValueError("zone designator in a filter date")
    value = datetime.fromisoformat(text)
    if value.tzinfo is not None:
        raise ValueError("zone offset in a filter date")
    return value


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S")
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
