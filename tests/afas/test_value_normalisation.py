from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from server.afas.errors import AfasValueError
from server.afas.values import (
    AMSTERDAM,
    format_filter_value,
    is_shell,
    normalise,
    parse_boolean,
    parse_date,
    parse_decimal,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (1234.56, "1234.56"),
        (0.1, "0.1"),
        (40, "40"),
        ("1.234,56", "1234.56"),
        ("1234,56", "1234.56"),
        ("-0,5", "-0.5"),
        ("1234.56", "1234.56"),
        ("1,234.56", "1234.56"),
        ("1.234.567", "1234567"),
        ("1.234.567,8", "1234567.8"),
        ("0,500", "0.500"),
        ("12,5", "12.5"),
        (" 7 ", "7"),
    ],
)
def test_R4_decimals_read_from_json_numbers_and_dutch_strings(raw: object, expected: str) -> None:
    assert normalise(raw, "decimal") == Decimal(expected)


@pytest.mark.parametrize("raw", ["1.234", "1,234", "-5.000"])
def test_R4_ambiguous_decimal_strings_raise_instead_of_guessing(raw: str) -> None:
    with pytest.raises(AfasValueError, match="ambiguous"):
        parse_decimal(raw)


def test_R4_field_decimals_settle_an_otherwise_ambiguous_string() -> None:
    assert parse_decimal("1.234", decimals=2) == Decimal(1234)
    assert parse_decimal("1,234", decimals=3) == Decimal("1.234")


@pytest.mark.parametrize("raw", ["12a", "1,23,4", "1.2.3", "--1", True, [1]])
def test_R4_non_numbers_raise(raw: object) -> None:
    with pytest.raises(AfasValueError):
        normalise(raw, "decimal")


def test_R4_int_fields_accept_numbers_and_integral_strings_only() -> None:
    assert normalise(2024, "int") == 2024
    assert normalise("2024", "int") == 2024
    assert normalise(5.0, "int") == 5
    with pytest.raises(AfasValueError):
        normalise("5,5", "int")
    with pytest.raises(AfasValueError):
        normalise(True, "int")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (True, True),
        (False, False),
        ("1", True),
        ("0", False),
        ("true", True),
        ("Nee", False),
        (1, True),
    ],
)
def test_booleans_in_every_form_afas_uses(raw: object, expected: bool) -> None:
    assert parse_boolean(raw) is expected


def test_unknown_boolean_raises() -> None:
    with pytest.raises(AfasValueError):
        parse_boolean("maybe")


def test_R7_trailing_z_is_amsterdam_local_time_not_utc() -> None:
    value = normalise("2024-07-01T09:30:00Z", "date")
    assert value == datetime(2024, 7, 1, 9, 30, tzinfo=AMSTERDAM)
    assert isinstance(value, datetime)
    assert value.utcoffset() == timedelta(hours=2)  # summer time: 07:30 UTC, not 09:30
    winter = parse_date("2024-01-15T00:00:00Z")
    assert winter is not None and winter.utcoffset() == timedelta(hours=1)


def test_R7_explicit_offsets_are_honoured_and_converted() -> None:
    assert parse_date("2024-01-15T12:00:00+00:00") == datetime(2024, 1, 15, 13, tzinfo=AMSTERDAM)


def test_R7_dates_without_time_and_dutch_dates_are_midnight_amsterdam() -> None:
    assert parse_date("2024-03-01") == datetime(2024, 3, 1, tzinfo=AMSTERDAM)
    assert parse_date("01-03-2024") == datetime(2024, 3, 1, tzinfo=AMSTERDAM)


def test_R7_non_dates_raise() -> None:
    with pytest.raises(AfasValueError):
        parse_date("2024-13-45T00:00:00Z")


def test_strings_empty_means_none_and_nulls_stay_none() -> None:
    assert normalise("", "string") is None
    assert normalise("abc", "string") == "abc"
    for data_type in ("string", "int", "decimal", "boolean", "date"):
        assert normalise(None, data_type) is None


def test_R7_filter_dates_are_amsterdam_wall_clock_without_z() -> None:
    aware = datetime(2024, 7, 1, 7, 30, tzinfo=UTC)
    assert format_filter_value(aware, "date") == "2024-07-01T09:30:00"
    assert format_filter_value(date(2024, 7, 1), "date") == "2024-07-01T00:00:00"
    assert format_filter_value("2024-07-01", "date") == "2024-07-01T00:00:00"


def test_filter_numbers_use_a_dot_and_booleans_one_or_zero() -> None:
    assert format_filter_value(Decimal("1234.50"), "decimal") == "1234.50"
    assert format_filter_value("1.234,5", "decimal") == "1234.5"
    assert format_filter_value(100, "int") == "100"
    assert format_filter_value(True, "boolean") == "1"


@pytest.mark.parametrize(("value", "data_type"), [("abc", "int"), ("1.5", "int"), ("x", "date")])
def test_R2_filter_values_that_cannot_be_of_the_type_raise(value: str, data_type: str) -> None:
    with pytest.raises(ValueError):
        format_filter_value(value, data_type)


TYPES = {"Id": "string", "Name": "string", "City": "string", "Blocked": "boolean"}


def test_R5_key_with_an_empty_payload_is_a_shell() -> None:
    shell = {"Id": "1", "Name": None, "City": None, "Blocked": True}
    assert is_shell(shell, key=("Id",), types=TYPES)


def test_R5_a_row_with_data_is_not_a_shell_even_when_blocked() -> None:
    row = {"Id": "1", "Name": "Jansen", "City": None, "Blocked": True}
    assert not is_shell(row, key=("Id",), types=TYPES)


def test_R5_wide_rows_are_shells_when_nearly_every_field_is_empty() -> None:
    types = {"Id": "string"} | {f"F{i}": "string" for i in range(20)}
    row: dict[str, object] = {"Id": "1"} | {f"F{i}": None for i in range(20)}
    row["F0"] = "status"
    assert is_shell(row, key=("Id",), types=types)
    row["F1"], row["F2"] = "x", "y"
    assert not is_shell(row, key=("Id",), types=types)
