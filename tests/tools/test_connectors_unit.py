"""query_connector's own parts: value normalisation, cursors bound to their query, filters."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from server.afas.filters import Operator
from server.afas.values import AMSTERDAM
from server.outcomes import InvalidToolInput
from tools.base import plain_value
from tools.connectors import (
    FilterCondition,
    QueryConnectorInput,
    _filter_groups,
    _open_cursor,
    _query_digest,
    _seal_cursor,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1234.50"), "1234.50"),
        (Decimal("1E+3"), "1000"),
        (datetime(2026, 3, 1, tzinfo=AMSTERDAM), "2026-03-01"),
        (datetime(2026, 3, 1, 14, 30, tzinfo=AMSTERDAM), "2026-03-01T14:30:00+01:00"),
        (datetime(2026, 7, 1, 12, 0, tzinfo=UTC), "2026-07-01T14:00:00+02:00"),
        (True, True),
        (7, 7),
        ("x", "x"),
        (None, None),
    ],
)
def test_values_are_normalised_one_way_everywhere(value: object, expected: object) -> None:
    assert plain_value(value) == expected


def query(**kwargs: object) -> QueryConnectorInput:
    return QueryConnectorInput.model_validate({"connector_id": "Profit_Debtor", **kwargs})


def test_a_cursor_works_only_with_the_query_it_came_from() -> None:
    first = query(filters=[{"field": "City", "op": "equals", "value": "Utrecht"}])
    digest = _query_digest("Profit_Debtor", first, ("DebtorId",))
    cursor = _seal_cursor("after-123", digest)
    assert _open_cursor(cursor, digest) == "after-123"
    other = query(filters=[{"field": "City", "op": "equals", "value": "Zwolle"}])
    with pytest.raises(InvalidToolInput, match="belongs to a query with other arguments"):
        _open_cursor(cursor, _query_digest("Profit_Debtor", other, ("DebtorId",)))


def test_a_cursor_that_was_not_handed_out_is_refused() -> None:
    with pytest.raises(InvalidToolInput, match="not one this tool handed out"):
        _open_cursor("not-a-cursor", "0" * 16)


def test_a_list_of_conditions_is_and_and_a_list_of_lists_is_or() -> None:
    anded = _filter_groups(
        [
            FilterCondition(field="City", op="equals", value="Utrecht"),
            FilterCondition(field="Balance", op="greater", value=10.5),
        ]
    )
    assert len(anded) == 1
    (city, balance) = anded[0].filters
    assert (city.operator, balance.operator, balance.value) == (
        Operator.EQUALS,
        Operator.GREATER_THAN,
        Decimal("10.5"),
    )
    ored = _filter_groups(
        [
            [FilterCondition(field="City", op="equals", value="Utrecht")],
            [FilterCondition(field="City", op="empty")],
        ]
    )
    assert [g.filters[0].operator for g in ored] == [Operator.EQUALS, Operator.IS_EMPTY]


def test_an_operator_that_needs_a_value_without_one_is_refused() -> None:
    with pytest.raises(InvalidToolInput, match="has no value"):
        _filter_groups([FilterCondition(field="City", op="contains")])


def test_every_operator_name_maps_to_the_official_code() -> None:
    from tools.connectors import OPERATORS

    assert {name: int(op) for name, op in OPERATORS.items()} == {
        "equals": 1,
        "greater_or_equal": 2,
        "less_or_equal": 3,
        "greater": 4,
        "less": 5,
        "contains": 6,
        "not_equals": 7,
        "empty": 8,
        "not_empty": 9,
        "starts_with": 10,
        "not_contains": 11,
        "not_starts_with": 12,
        "ends_with": 13,
        "not_ends_with": 14,
    }
