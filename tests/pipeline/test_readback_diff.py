"""Type-aware comparison of expected values with what AFAS reads back (pure units)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from policies.facts import PersonMatch
from server.afas.values import AMSTERDAM
from server.writes.diff import RowView, diff_fields, diff_rows, same
from server.writes.kinds import DisplayName

MIDNIGHT = datetime(2026, 4, 1, tzinfo=AMSTERDAM)

SAME: list[tuple[object, object, str]] = [
    (Decimal("12.50"), Decimal("12.5"), "decimals of another scale"),
    (Decimal("12.50"), "12,50", "a Dutch decimal string"),
    (Decimal("1234.56"), "1.234,56", "a Dutch string with thousands"),
    (Decimal("12.50"), 12.5, "a float"),
    (12, "12", "an int read back as text"),
    (12, Decimal("12.00"), "an int read back as a decimal"),
    ("12", 12, "text expected, a number read back"),
    (date(2026, 4, 1), MIDNIGHT, "a date and midnight in Amsterdam"),
    (date(2026, 4, 1), "2026-04-01T00:00:00Z", "a date and AFAS's local time with a Z"),
    ("2026-04-01", MIDNIGHT, "an ISO date text and a datetime"),
    (
        datetime(2026, 4, 1, 9, 30),  # noqa: DTZ001 (a naive time is what is being tested)
        datetime(2026, 4, 1, 7, 30, tzinfo=UTC),
        "a naive Amsterdam time",
    ),
    (True, "1", "a flag as 1"),
    (False, False, "a flag"),
    ("true", True, "a flag as text"),
    ("Jansen", "Jansen  ", "trailing whitespace"),
    (None, None, "nothing and nothing"),
    (PersonMatch.BSN, "bsn", "an enum by its value"),
]

DIFFERENT: list[tuple[object, object, str]] = [
    (Decimal("12.50"), Decimal("12.51"), "a cent off"),
    (Decimal("12.50"), "twelve", "text that is no number"),
    (Decimal("1.234"), "1.234", "an ambiguous Dutch string is not guessed"),
    (date(2026, 4, 1), datetime(2026, 4, 1, 12, 0, tzinfo=AMSTERDAM), "noon is not the day"),
    (date(2026, 4, 1), datetime(2026, 4, 1, 0, 0, tzinfo=UTC), "midnight UTC is not Amsterdam's"),
    (date(2026, 4, 1), MIDNIGHT.replace(day=2), "another day"),
    ("02", "2 ", "a code without its leading zero, as text"),
    (" Jansen", "Jansen", "leading whitespace counts"),
    ("Jansen", "jansen", "case counts"),
    (True, "0", "a flag the other way"),
    (12, None, "a value read back as nothing"),
    (None, "Jansen", "something where nothing was meant"),
    (None, "", "an empty string where nothing was meant (W13)"),
    ("", None, "an empty string meant, nothing read back"),
]


@pytest.mark.parametrize(
    ("expected", "actual"), [(e, a) for e, a, _ in SAME], ids=[i for *_, i in SAME]
)
def test_values_that_are_the_same_to_afas_match(expected: object, actual: object) -> None:
    assert same(expected, actual)


@pytest.mark.parametrize(
    ("expected", "actual"), [(e, a) for e, a, _ in DIFFERENT], ids=[i for *_, i in DIFFERENT]
)
def test_values_that_differ_to_afas_do_not_match(expected: object, actual: object) -> None:
    assert not same(expected, actual)


PERSON = DisplayName("Anna van der Berg")


@pytest.mark.parametrize(
    "shown",
    ["Anna van der Berg", "Berg, Anna van der", "BERG, Anna van der", "van der Berg, Anna "],
)
def test_a_person_display_name_matches_in_either_order_case_and_punctuation_aside(
    shown: str,
) -> None:
    assert same(PERSON, shown)
    assert diff_fields("debtor", {"DebtorName": PERSON}, row({"DebtorName": shown})) == []


@pytest.mark.parametrize(
    "shown",
    [
        "Berg, Anna van",  # a word lost
        "Berg, Anna van der van",  # a word too many: the words are a multiset
        "Berg, Anne van der",  # a word changed
        "Berg, A. van der",  # initials are not the first name
        "",
    ],
)
def test_a_person_display_name_with_other_words_is_drift(shown: str) -> None:
    assert not same(PERSON, shown)
    (diff,) = diff_fields("debtor", {"DebtorName": PERSON}, row({"DebtorName": shown}))
    assert (diff.field, diff.expected) == ("debtor.DebtorName", "Anna van der Berg")


def test_only_a_value_marked_as_a_display_name_is_compared_by_its_words() -> None:
    assert not same("Anna van der Berg", "Berg, Anna van der")
    assert not same(DisplayName("Anna van der Berg"), None)


def row(raw: dict[str, Any], **values: Any) -> RowView:
    return RowView(values={**raw, **values}, raw=raw)


def test_an_empty_string_read_back_where_nothing_was_meant_is_named_w13_drift() -> None:
    # The client turns "" into None for text fields; the raw value tells them apart.
    view = RowView(
        values={"AddNumber": None, "City": "Leusden"}, raw={"AddNumber": "", "City": "Leusden"}
    )
    diffs = diff_fields("employee", {"AddNumber": None, "City": "Leusden"}, view)
    assert [(d.field, d.expected, d.actual) for d in diffs] == [("employee.AddNumber", None, "")]


def test_field_diffs_name_label_and_field_with_plain_values() -> None:
    view = RowView(
        values={"Salary": Decimal("3400.00"), "EmploymentStart": MIDNIGHT, "EmployerId": "02"},
        raw={},
    )
    diffs = diff_fields(
        "salary",
        {"Salary": Decimal("3500.00"), "EmploymentStart": date(2026, 4, 1), "EmployerId": "02"},
        view,
    )
    assert [(d.field, d.expected, d.actual) for d in diffs] == [
        ("salary.Salary", "3500.00", "3400.00")
    ]


LINES = (
    {"AccountNo": "1100", "AmtDebit": Decimal("1210.00"), "AmtCredit": Decimal(0)},
    {"AccountNo": "8000", "AmtDebit": Decimal(0), "AmtCredit": Decimal("1000.00")},
    {"AccountNo": "1520", "AmtDebit": Decimal(0), "AmtCredit": Decimal("210.00")},
)


def lines(*values: tuple[str, str, str]) -> list[RowView]:
    return [row({"AccountNo": a, "AmtDebit": d, "AmtCredit": c}) for a, d, c in values]


def test_rows_match_in_any_order_and_in_any_number_form() -> None:
    read = lines(("1520", "0", "210,00"), ("1100", "1210.0", "0"), ("8000", "0", "1.000,00"))
    assert diff_rows("entry", LINES, read) == []


def test_a_missing_row_and_an_unexpected_row_are_both_named() -> None:
    read = lines(("1100", "1210.00", "0"), ("8000", "0", "1000.00"), ("1530", "0", "210.00"))
    diffs = diff_rows("entry", LINES, read)
    assert [d.field for d in diffs] == ["entry[3]", "entry[unexpected]"]
    assert diffs[0].expected == {"AccountNo": "1520", "AmtDebit": "0", "AmtCredit": "210.00"}
    assert diffs[1].actual == {"AccountNo": "1530", "AmtCredit": "210.00", "AmtDebit": "0"}


def test_rows_compare_as_a_multiset_so_a_doubled_line_is_not_hidden() -> None:
    two_same = (LINES[0], LINES[0])
    assert diff_rows("entry", two_same, lines(("1100", "1210", "0"))) != []
    assert diff_rows("entry", two_same, lines(("1100", "1210", "0"), ("1100", "1210", "0"))) == []
    one = (LINES[0],)
    extra = diff_rows("entry", one, lines(("1100", "1210", "0"), ("1100", "1210", "0")))
    assert [d.field for d in extra] == ["entry[unexpected]"]


def test_the_matching_finds_a_pairing_a_greedy_one_would_miss() -> None:
    # Row A fits both expectations, row B only the first: the only full pairing is 1-B, 2-A.
    wide = ({"AccountNo": "1100"}, {"AccountNo": "1100", "AmtDebit": Decimal(5)})
    read = [
        row({"AccountNo": "1100", "AmtDebit": "5"}),
        row({"AccountNo": "1100", "AmtDebit": "6"}),
    ]
    assert diff_rows("entry", wide, read) == []
