"""Values as the finance, crm and projects tools show them: pure units, no AFAS."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from server.afas.errors import AfasValueError
from server.afas.models import Row
from server.afas.values import AMSTERDAM
from tools._reads import not_blocked
from tools._values import day, flag, mask_iban, moment, money, percentage


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("2500"), "2500.00"),
        (Decimal("0.5"), "0.50"),
        (Decimal("12.345"), "12.345"),  # never rounded
        (12500, "12500.00"),
        (0.1, "0.10"),  # the digits of the float's shortest form, not its binary value
        ("12.500,00", "12500.00"),  # R4: a Dutch string that slipped past a retyped field
        (None, None),
    ],
)
def test_R4_money_is_an_exact_decimal_string_with_two_decimals_at_least(
    value: object, shown: str | None
) -> None:
    assert money(value) == shown


def test_R4_an_ambiguous_amount_is_refused_not_guessed() -> None:
    with pytest.raises(AfasValueError, match="ambiguous"):
        money("1.250")


@pytest.mark.parametrize(
    ("value", "shown"),
    [(Decimal("21.00"), "21"), (Decimal("9"), "9"), (Decimal("10.50"), "10.5"), (0, "0")],
)
def test_percentages_are_decimal_strings_without_padding(value: object, shown: str) -> None:
    assert percentage(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("NL31TRIO5069132180", "NL************2180"),
        ("nl31 trio 5069 1321 80", "NL************2180"),
        ("BE71096123456769", "BE**********6769"),
        ("NL31", "****"),
        ("", None),
        (None, None),
    ],
)
def test_an_iban_shows_only_its_country_and_last_four_characters(
    value: object, shown: str | None
) -> None:
    assert mask_iban(value) == shown


def test_R7_days_and_moments_are_amsterdam_calendar_and_clock() -> None:
    summer_utc = datetime(2026, 6, 30, 22, 30, tzinfo=UTC)  # 1 July, 00:30 in Amsterdam
    assert day(summer_utc) == "2026-07-01"
    assert moment(summer_utc) == "2026-07-01T00:30:00+02:00"
    assert day(date(2026, 1, 31)) == "2026-01-31"
    assert moment(datetime(2026, 1, 5, 9, 0, tzinfo=AMSTERDAM)) == "2026-01-05T09:00:00+01:00"
    assert day("2026-03-01T00:00:00Z") == "2026-03-01"  # AFAS's Z is Amsterdam time
    assert day(None) is None and moment(None) is None


@pytest.mark.parametrize(("value", "shown"), [(True, True), ("1", True), ("nee", False)])
def test_flags_read_afas_yes_and_no_in_every_form(value: object, shown: bool) -> None:
    assert flag(value) is shown


def test_a_blocked_flag_that_arrives_as_text_still_leaves_the_record_out() -> None:
    """An administrator may retype Blocked to text (R6); "true" must still mean blocked."""
    assert not_blocked(Row(values={"Blocked": "true"}, key=("1",))) is False
    assert not_blocked(Row(values={"Blocked": False}, key=("2",))) is True
    assert not_blocked(Row(values={"Blocked": None}, key=("3",))) is True
