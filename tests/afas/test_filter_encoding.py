from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal

import pytest

from server.afas.filters import (
    Filter,
    FilterGroup,
    Operator,
    encode_filters,
    evaluate,
    filterjson,
    query_string,
    to_groups,
)
from server.afas.values import AMSTERDAM

# TV4 (afas-api.md §3.5): AFAS's own filterjson example, percent-encoded, exactly as in the docs.
TV4 = (
    "filterjson=%7B%22Filters%22%3A%7B%22Filter%22%3A%5B%7B%22%40FilterId%22%3A%22Filter%201%22"
    "%2C%22Field%22%3A%5B%7B%22%40FieldId%22%3A%22AdminId%22%2C%22%40OperatorType%22%3A%221%22%2C"
    "%22%23text%22%3A%221%22%7D%2C%7B%22%40FieldId%22%3A%22AdminNm%22%2C%22%40OperatorType%22%3A"
    "%226%22%2C%22%23text%22%3A%22Internet%22%7D%5D%7D%2C%7B%22%40FilterId%22%3A%22Filter%202%22"
    "%2C%22Field%22%3A%5B%7B%22%40FieldId%22%3A%22AdminId%22%2C%22%40OperatorType%22%3A%221%22%2C"
    "%22%23text%22%3A%223%22%7D%2C%7B%22%40FieldId%22%3A%22AdminNm%22%2C%22%40OperatorType%22%3A"
    "%221%22%2C%22%23text%22%3A%22Internet%22%7D%5D%7D%5D%7D%7D"
)
TYPES = {"AdminId": "int", "AdminNm": "string", "Start": "date", "Amount": "decimal"}


def test_R14_operator_codes_are_afas_official_table() -> None:
    assert [(op.name, int(op)) for op in Operator] == [
        ("EQUALS", 1),
        ("GREATER_OR_EQUAL", 2),
        ("LESS_OR_EQUAL", 3),
        ("GREATER_THAN", 4),
        ("LESS_THAN", 5),
        ("CONTAINS", 6),
        ("NOT_EQUALS", 7),
        ("IS_EMPTY", 8),
        ("IS_NOT_EMPTY", 9),
        ("STARTS_WITH", 10),
        ("NOT_CONTAINS", 11),
        ("NOT_STARTS_WITH", 12),
        ("ENDS_WITH", 13),
        ("NOT_ENDS_WITH", 14),
        ("QUICK_FILTER", 15),
    ]


def test_R14_string_operators_are_refused_at_construction() -> None:
    with pytest.raises(TypeError, match="Operator"):
        Filter("AdminNm", "eq", "x")  # type: ignore[arg-type]


def test_R14_integer_codes_become_operators_and_unknown_codes_fail() -> None:
    assert Filter("AdminId", 6, "x").operator is Operator.CONTAINS  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Filter("AdminId", 16, "x")  # type: ignore[arg-type]


def test_operators_parse_by_name_symbol_or_code() -> None:
    assert Operator.parse("contains") is Operator.CONTAINS
    assert Operator.parse(">=") is Operator.GREATER_OR_EQUAL
    assert Operator.parse("7") is Operator.NOT_EQUALS
    with pytest.raises(ValueError, match="equals"):
        Operator.parse("like")


TV4_GROUPS = [
    FilterGroup(
        Filter("AdminId", Operator.EQUALS, 1), Filter("AdminNm", Operator.CONTAINS, "Internet")
    ),
    FilterGroup(
        Filter("AdminId", Operator.EQUALS, 3), Filter("AdminNm", Operator.EQUALS, "Internet")
    ),
]


def test_TV4_filterjson_is_exactly_as_afas_documents() -> None:
    assert query_string([("filterjson", filterjson(TV4_GROUPS, TYPES))]) == TV4


def test_or_groups_use_the_compact_form_afas_documents_with_comma_and_semicolon() -> None:
    # The grammar of AFAS's offboarding example (afas-api.md §3.3): `,` AND, `;` OR.
    assert encode_filters(TV4_GROUPS, TYPES) == [
        ("filterfieldids", "AdminId,AdminNm;AdminId,AdminNm"),
        ("filtervalues", "1,Internet;3,Internet"),
        ("operatortypes", "1,6;1,1"),
    ]


def test_the_compact_form_is_several_times_shorter_than_filterjson() -> None:
    groups = [FilterGroup(Filter("AdminNm", Operator.EQUALS, f"{n:06}")) for n in range(40)]
    compact = len(query_string(encode_filters(groups, TYPES)))
    verbose = len(query_string([("filterjson", filterjson(groups, TYPES))]))
    assert compact * 5 < verbose


def test_one_and_group_uses_the_simple_parameters() -> None:
    groups = to_groups(
        [
            Filter("AdminId", Operator.GREATER_OR_EQUAL, 10),
            Filter("Start", Operator.LESS_THAN, datetime(2020, 3, 22, tzinfo=AMSTERDAM)),
            Filter("AdminNm", Operator.IS_EMPTY),
        ]
    )
    assert encode_filters(groups, TYPES) == [
        ("filterfieldids", "AdminId,Start,AdminNm"),
        ("filtervalues", "10,2020-03-22T00:00:00,[is leeg]"),
        ("operatortypes", "2,5,8"),
    ]


@pytest.mark.parametrize("value", ["Jansen, B.V.", "a;b"])
def test_values_holding_separators_go_as_json_so_they_cannot_split(value: str) -> None:
    groups = [
        FilterGroup(Filter("AdminId", Operator.EQUALS, 1)),
        FilterGroup(Filter("AdminNm", Operator.EQUALS, value)),
    ]
    ((name, document),) = encode_filters(groups, TYPES)
    assert name == "filterjson"
    parsed = json.loads(document)["Filters"]["Filter"]
    assert [f["Field"][0]["#text"] for f in parsed] == ["1", value]


def test_filter_specs_normalise_to_or_ed_and_groups() -> None:
    a, b = Filter("AdminId", Operator.EQUALS, 1), Filter("AdminId", Operator.EQUALS, 2)
    assert to_groups(None) == ()
    assert to_groups([]) == ()
    assert to_groups(a) == (FilterGroup(a),)
    assert to_groups([a, b]) == (FilterGroup(a, b),)
    assert to_groups([FilterGroup(a), FilterGroup(b)]) == (FilterGroup(a), FilterGroup(b))
    with pytest.raises(TypeError):
        to_groups([a, FilterGroup(b)])  # type: ignore[list-item]


ROW = {"AdminId": 3, "AdminNm": "Internet B.V.", "Start": None, "Amount": Decimal("12.50")}


@pytest.mark.parametrize(
    ("item", "holds"),
    [
        (Filter("AdminId", Operator.EQUALS, 3), True),
        (Filter("AdminId", Operator.EQUALS, 4), False),
        (Filter("AdminId", Operator.GREATER_THAN, "2"), True),
        (Filter("AdminNm", Operator.CONTAINS, "internet"), True),  # AFAS ignores case
        (Filter("AdminNm", Operator.STARTS_WITH, "B.V."), False),
        (Filter("AdminNm", Operator.NOT_ENDS_WITH, "b.v."), False),
        (Filter("AdminNm", Operator.EQUALS, "INTERNET B.V.  "), True),
        (Filter("Amount", Operator.LESS_OR_EQUAL, Decimal("12.5")), True),
        (Filter("Amount", Operator.GREATER_THAN, "12,50"), False),
        (Filter("Start", Operator.IS_EMPTY), True),
        (Filter("Start", Operator.IS_NOT_EMPTY), False),
        (Filter("AdminNm", Operator.QUICK_FILTER, "Sf x"), True),  # Profit's syntax, not ours
    ],
)
def test_R14_rows_are_checked_against_the_filter_locally(item: Filter, holds: bool) -> None:
    assert evaluate(to_groups(item), ROW, TYPES) is holds


NULLS = {"AdminId": 3, "AdminNm": None, "Start": None, "Amount": None}


@pytest.mark.parametrize(
    ("item", "holds"),
    [
        # A null satisfies no comparison, as in AFAS's SQL: such a row violates the filter.
        (Filter("Start", Operator.EQUALS, "2024-01-01"), False),
        (Filter("Start", Operator.GREATER_OR_EQUAL, datetime(2024, 1, 1, tzinfo=AMSTERDAM)), False),
        (Filter("Amount", Operator.LESS_THAN, 100), False),
        (Filter("AdminNm", Operator.CONTAINS, "net"), False),
        (Filter("AdminNm", Operator.STARTS_WITH, "Int"), False),
        (Filter("AdminNm", Operator.ENDS_WITH, "B.V."), False),
        (Filter("AdminNm", Operator.IS_NOT_EMPTY), False),
        (Filter("AdminNm", Operator.IS_EMPTY), True),
        # Whether AFAS keeps nulls under a negation is undocumented: never a false alarm.
        (Filter("AdminNm", Operator.NOT_EQUALS, "x"), True),
        (Filter("AdminNm", Operator.NOT_CONTAINS, "x"), True),
        (Filter("AdminNm", Operator.NOT_STARTS_WITH, "x"), True),
        (Filter("AdminNm", Operator.NOT_ENDS_WITH, "x"), True),
        (Filter("AdminNm", Operator.EQUALS, ""), True),  # an empty value may mean "empty"
        (Filter("AdminNm", Operator.QUICK_FILTER, "Sf x"), True),
    ],
)
def test_R14_a_null_violates_every_comparison_but_the_undocumented_ones(
    item: Filter, holds: bool
) -> None:
    assert evaluate(to_groups(item), NULLS, TYPES) is holds


def test_R5_the_nulls_of_a_shell_row_are_blanks_not_data_so_only_its_key_is_checked() -> None:
    shell = {"AdminId": 3, "AdminNm": None, "Start": None, "Amount": None}
    on_blank = to_groups([Filter("AdminNm", Operator.CONTAINS, "net")])
    assert evaluate(on_blank, shell, TYPES, shell_row=True)
    assert evaluate(
        to_groups(Filter("AdminNm", Operator.IS_NOT_EMPTY)), shell, TYPES, shell_row=True
    )
    on_key = to_groups([Filter("AdminId", Operator.EQUALS, 4)])
    assert not evaluate(on_key, shell, TYPES, shell_row=True)


def test_R14_a_row_violates_or_groups_only_when_it_fails_every_group() -> None:
    groups = [
        FilterGroup(Filter("AdminId", Operator.EQUALS, 9)),
        FilterGroup(Filter("AdminNm", Operator.CONTAINS, "net")),
    ]
    assert evaluate(groups, ROW, TYPES)
    assert not evaluate(groups[:1], ROW, TYPES)
