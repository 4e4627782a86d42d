from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from policies.values import (
    AMSTERDAM,
    HouseNumber,
    LegacyFormat,
    adapt_fields,
    bsn_is_valid,
    format_legacy,
    iban_is_valid,
    is_legacy_form,
    kvk_is_valid,
    normalise_iban,
    normalise_postal_code,
    normalise_text,
    same_value,
    split_house_number,
    to_afas_value,
)


@pytest.mark.parametrize(
    ("value", "legacy", "expected"),
    [
        (True, LegacyFormat.FLAG_01, "1"),
        (False, LegacyFormat.FLAG_01, "0"),
        ("1", LegacyFormat.FLAG_01, "1"),
        ("0", LegacyFormat.FLAG_01, "0"),
        ("true", LegacyFormat.FLAG_01, "1"),
        ("false", LegacyFormat.FLAG_01, "0"),
        (date(2026, 4, 1), LegacyFormat.DATE_DMY, "01-04-2026"),
        (datetime(2026, 4, 1, 9, 30, tzinfo=AMSTERDAM), LegacyFormat.DATE_DMY, "01-04-2026"),
        ("2026-04-01", LegacyFormat.DATE_DMY, "01-04-2026"),
        ("01-04-2026", LegacyFormat.DATE_DMY, "01-04-2026"),
    ],
    ids=[
        "true becomes 1",
        "false becomes 0",
        "the string 1 stays 1",
        "the string 0 stays 0",
        "the string true becomes 1",
        "the string false becomes 0",
        "a date becomes day-month-year",
        "a date-time loses its time",
        "an ISO date string becomes day-month-year",
        "a day-month-year string stays as it is",
    ],
)
def test_W7_format_legacy_gives_the_form_afas_reads(
    value: object, legacy: LegacyFormat, expected: str
) -> None:
    assert format_legacy(value, legacy) == expected
    assert is_legacy_form(expected, legacy)


@pytest.mark.parametrize(
    ("value", "legacy"),
    [
        ("yes", LegacyFormat.FLAG_01),
        (1, LegacyFormat.FLAG_01),
        ("31-02-2026", LegacyFormat.DATE_DMY),
        ("April 1st", LegacyFormat.DATE_DMY),
        (20260401, LegacyFormat.DATE_DMY),
    ],
    ids=[
        "yes is not a flag",
        "an integer is not a flag",
        "the 31st of February is not a date",
        "prose is not a date",
        "a number is not a date",
    ],
)
def test_W7_format_legacy_refuses_values_without_meaning(
    value: object, legacy: LegacyFormat
) -> None:
    with pytest.raises(ValueError, match="is not a"):
        format_legacy(value, legacy)


@pytest.mark.parametrize(
    ("value", "legacy", "expected"),
    [
        ("1", LegacyFormat.FLAG_01, True),
        (True, LegacyFormat.FLAG_01, False),
        (1, LegacyFormat.FLAG_01, False),
        ("true", LegacyFormat.FLAG_01, False),
        ("01-04-2026", LegacyFormat.DATE_DMY, True),
        ("2026-04-01", LegacyFormat.DATE_DMY, False),
        ("32-01-2026", LegacyFormat.DATE_DMY, False),
        (date(2026, 4, 1), LegacyFormat.DATE_DMY, False),
    ],
    ids=[
        "the string 1 is a legacy flag",
        "a JSON boolean is not",
        "the integer 1 is not",
        "the string true is not",
        "day-month-year is a legacy date",
        "an ISO date is not",
        "an impossible day is not",
        "a date object is not (it is not serialised yet)",
    ],
)
def test_W7_is_legacy_form_accepts_only_the_exact_wire_form(
    value: object, legacy: LegacyFormat, expected: bool
) -> None:
    assert is_legacy_form(value, legacy) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, True),
        (40, 40),
        ("MEDLERA", "MEDLERA"),
        (Decimal("3500.50"), "3500.50"),
        (Decimal("1E+3"), "1000"),
        (date(2026, 4, 1), "2026-04-01"),
        (datetime(2026, 4, 1, 8, 0, 0, 123, tzinfo=AMSTERDAM), "2026-04-01T08:00:00"),
        (datetime(2026, 4, 1, 6, 0, tzinfo=UTC), "2026-04-01T08:00:00"),
    ],
    ids=[
        "a bool stays a bool",
        "an int stays an int",
        "a string stays a string",
        "a decimal is a plain string",
        "a decimal never uses an exponent",
        "a date is ISO",
        "a date-time is ISO to the second",
        "a UTC moment is written as Amsterdam wall time",
    ],
)
def test_to_afas_value_gives_the_documented_forms(value: object, expected: object) -> None:
    assert to_afas_value(value) == expected


def test_to_afas_value_applies_the_legacy_form_when_asked() -> None:
    assert to_afas_value(False, legacy=LegacyFormat.FLAG_01) == "0"


@pytest.mark.parametrize("value", [None, [1, 2], 1.5], ids=["None", "a list", "a float"])
def test_to_afas_value_refuses_values_without_an_afas_form(value: object) -> None:
    with pytest.raises(TypeError, match="omit the field"):
        to_afas_value(value)


def test_W13_adapt_fields_leaves_out_empty_values_and_formats_the_rest() -> None:
    fields = adapt_fields(
        "AfasContract",
        {"CmId": "01", "DaEn": date(2026, 12, 31), "WrCt": True, "ViTo": None, "EnS2": ""},
        legacy_formats={
            "AfasContract.DaEn": LegacyFormat.DATE_DMY,
            "AfasContract.WrCt": LegacyFormat.FLAG_01,
        },
    )
    assert fields == {"CmId": "01", "DaEn": "31-12-2026", "WrCt": "1"}


def test_W13_adapt_fields_sends_an_empty_string_only_for_fields_to_clear() -> None:
    fields = adapt_fields(
        "KnPerson", {"EmAd": None, "TeNr": "06"}, legacy_formats={}, clear=frozenset({"EmAd"})
    )
    assert fields == {"EmAd": "", "TeNr": "06"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", HouseNumber(12, None)),
        (12, HouseNumber(12, None)),
        ("12A", HouseNumber(12, "A")),
        ("12 A", HouseNumber(12, "A")),
        ("12-A", HouseNumber(12, "A")),
        ("12/3", HouseNumber(12, "3")),
        ("12 bis", HouseNumber(12, "bis")),
        ("12a-2", HouseNumber(12, "a-2")),
        ("  105 ", HouseNumber(105, None)),
        ("12-", HouseNumber(12, None)),
    ],
    ids=[
        "a plain number has no addition",
        "an int has no addition",
        "12A splits into 12 and A",
        "a space separates the addition",
        "a hyphen separates the addition",
        "a slash separates the addition",
        "a word addition is kept as written",
        "an addition with its own hyphen is kept whole",
        "surrounding spaces are ignored",
        "a trailing separator is no addition",
    ],
)
def test_W8_split_house_number_separates_number_and_addition(
    text: str | int, expected: HouseNumber
) -> None:
    assert split_house_number(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("A12", "does not start with a number"),
        ("", "does not start with a number"),
        ("bis", "does not start with a number"),
        ("0", "is 0"),
    ],
    ids=[
        "a letter first is refused",
        "an empty house number is refused",
        "an addition alone is refused",
        "house number 0 is refused",
    ],
)
def test_W8_split_house_number_refuses_what_is_not_a_house_number(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        split_house_number(text)


@pytest.mark.parametrize(
    ("iban", "valid"),
    [
        ("NL91ABNA0417164300", True),
        ("nl91 abna 0417 1643 00", True),
        ("NL10ABNA0417164300", False),
        ("NL91ABNA0417164301", False),
        ("NL91ABNA041716430", False),
        ("BE68539007547034", True),
        ("DE89370400440532013000", True),
        ("GB82WEST12345698765432", True),
        ("XX00", False),
        ("", False),
    ],
    ids=[
        "a valid Dutch IBAN passes",
        "spaces and lower case do not matter",
        "a wrong check digit fails",
        "a changed last digit fails",
        "a Dutch IBAN one character short fails",
        "a valid Belgian IBAN passes",
        "a valid German IBAN passes",
        "a valid British IBAN passes",
        "a stub fails",
        "an empty string fails",
    ],
)
def test_iban_is_valid_checks_shape_and_mod_97(iban: str, valid: bool) -> None:
    assert iban_is_valid(iban) is valid


@pytest.mark.parametrize(
    ("bsn", "valid"),
    [
        ("111222333", True),
        ("123456782", True),
        ("123456789", False),
        ("000000000", False),
        ("11122233", False),
        ("11122233A", False),
    ],
    ids=[
        "a BSN passing the 11-check is valid",
        "another valid BSN",
        "a BSN failing the 11-check is invalid",
        "all zeros is invalid although it sums to 0",
        "eight digits is invalid",
        "a letter is invalid",
    ],
)
def test_bsn_is_valid_applies_the_11_check(bsn: str, valid: bool) -> None:
    assert bsn_is_valid(bsn) is valid


@pytest.mark.parametrize(
    ("kvk", "valid"),
    [("93056589", True), ("9305658", False), ("930565890", False), ("9305658A", False)],
    ids=["eight digits", "seven digits", "nine digits", "a letter"],
)
def test_kvk_is_valid_wants_eight_digits(kvk: str, valid: bool) -> None:
    assert kvk_is_valid(kvk) is valid


def test_normalisers_ignore_case_and_spacing() -> None:
    assert normalise_iban(" nl91 abna 0417164300") == "NL91ABNA0417164300"
    assert normalise_text("  Jansen   Personeel B.V. ") == "jansen personeel b.v."
    assert normalise_postal_code("3833 lc") == "3833LC"


@pytest.mark.parametrize(
    ("left", "right", "same"),
    [
        ("55", 55, True),
        (Decimal("55.00"), "55", True),
        (Decimal("100"), "100.0", True),
        (True, "1", True),
        (False, "false", True),
        ("true", True, True),
        (date(2026, 4, 1), "2026-04-01", True),
        (date(2026, 4, 1), "01-04-2026", True),
        (datetime(2026, 4, 1, 8, 0, tzinfo=AMSTERDAM), "2026-04-01T08:00:00", True),
        (None, "", True),
        (2.5, "2.50", True),
        ("0612345678", "612345678", False),
        ("jan@example.com", "JAN@example.com", False),
        ("55", 56, False),
        (" MEDLERA ", "MEDLERA", True),
    ],
    ids=[
        "a numeric string equals the number",
        "trailing zeros do not matter",
        "100 is not written as 1E+2",
        "True equals 1",
        "False equals the string false",
        "the string true equals True",
        "a date equals its ISO string",
        "a date equals its day-month-year string",
        "a date-time equals its ISO string",
        "None equals an empty string",
        "a float equals its decimal string",
        "a leading zero makes a different value (phone numbers)",
        "case matters in text",
        "different numbers differ",
        "surrounding spaces do not matter",
    ],
)
def test_same_value_compares_what_afas_would_store(left: object, right: object, same: bool) -> None:
    assert same_value(left, right) is same


def test_W7_a_legacy_format_the_code_does_not_know_fails_loudly() -> None:
    with pytest.raises(AssertionError):
        format_legacy(True, "flag_yes_no")  # type: ignore[arg-type]
    with pytest.raises(AssertionError):
        is_legacy_form("J", "flag_yes_no")  # type: ignore[arg-type]
