"""One value adapter for everything that crosses the AFAS edge (R4, R5, R7).

Reading: every value is normalised by its metainfo `dataType` before anything else sees it.
Decimals become `Decimal` whether AFAS sent a JSON number or a Dutch string ("1.234,56");
a string that could be read two ways raises instead of guessing. Dates become timezone-aware
datetimes in Europe/Amsterdam: AFAS writes a trailing `Z`, but the time is Amsterdam local time.

Writing: filter values are formatted the way AFAS's query parameters want them
(`YYYY-MM-DDTHH:MM:SS` without a zone, decimals with a `.`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from server.afas.errors import AfasValueError

__all__ = [
    "AMSTERDAM",
    "format_date",
    "format_filter_value",
    "is_shell",
    "normalise",
    "parse_boolean",
    "parse_date",
    "parse_decimal",
    "to_amsterdam_naive",
]

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

_TRUE = frozenset({"true", "1", "yes", "ja", "y", "j", "-1"})
_FALSE = frozenset({"false", "0", "no", "nee", "n"})
_NUMBER = re.compile(r"[+-]?[0-9.,]*[0-9][0-9.,]*")
_GROUPED = re.compile(r"[1-9][0-9]{0,2}(?:[.,][0-9]{3})+")
_ISO = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})(?:[T ](?P<time>\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?))?"
    r"(?P<zone>Z|[+-]\d{2}:?\d{2})?"
)
_DUTCH_DATE = re.compile(r"(?P<day>\d{1,2})-(?P<month>\d{1,2})-(?P<year>\d{4})")


def normalise(value: object, data_type: str, *, decimals: int | None = None) -> object:
    """Return `value` as the Python type its metainfo `dataType` promises.

    `string` → `str` (empty → None), `int` → `int`, `decimal` → `Decimal`, `boolean` → `bool`,
    `date` → aware `datetime` in Europe/Amsterdam. Unknown types pass through unchanged.

    Raises:
        AfasValueError: the value does not fit the type, or a decimal string is ambiguous.
    """
    if value is None:
        return None
    if data_type == "string":
        text = value if isinstance(value, str) else str(value)
        return text or None
    if data_type == "int":
        return _parse_int(value)
    if data_type == "decimal":
        return parse_decimal(value, decimals=decimals)
    if data_type == "boolean":
        return parse_boolean(value)
    if data_type == "date":
        return parse_date(value)
    return value


def _parse_int(value: object) -> int | None:
    if isinstance(value, bool):
        raise AfasValueError(f"expected an integer, got a boolean ({value})")
    if isinstance(value, int):
        return value
    number = parse_decimal(value)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise AfasValueError(f"expected an integer, got {value!r}")
    return int(number)


def parse_decimal(value: object, *, decimals: int | None = None) -> Decimal | None:
    """Read a JSON number or a Dutch or plain number string as a `Decimal` (R4).

    Accepted: `1234.56`, `"1.234,56"`, `"1234,56"`, `"-0,5"`, `"1.234.567"`. A string with one
    separator followed by exactly three digits (`"1.234"`, `"1,234"`) could be a thousands group
    or three decimals; it is read only when the field's `decimals` settle it, otherwise it raises.

    Args:
        value: the value as AFAS sent it.
        decimals: the field's number of decimals from metainfo, when known.

    Raises:
        AfasValueError: not a number, or ambiguous.
    """
    if isinstance(value, bool):
        raise AfasValueError(f"expected a number, got a boolean ({value})")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # repr() is the shortest string that round-trips, so 0.1 stays 0.1.
        return Decimal(repr(value))
    if not isinstance(value, str):
        raise AfasValueError(f"expected a number, got {type(value).__name__}")
    text = value.strip()
    if not text:
        return None
    if not _NUMBER.fullmatch(text):
        raise AfasValueError(f"expected a number, got {value!r}")
    sign = "-" if text.startswith("-") else ""
    body = text.lstrip("+-")
    try:
        return Decimal(sign + _plain_digits(body, decimals=decimals, original=value))
    except InvalidOperation:
        raise AfasValueError(f"expected a number, got {value!r}") from None


def _plain_digits(body: str, *, decimals: int | None, original: str) -> str:
    """Turn a number body with `.`/`,` separators into `digits[.digits]`."""
    dots, commas = body.count("."), body.count(",")
    if dots and commas:
        # Both present: the last one is the decimal separator, the other groups thousands.
        decimal_sep = "," if body.rfind(",") > body.rfind(".") else "."
        group_sep = "." if decimal_sep == "," else ","
        whole, _, fraction = body.rpartition(decimal_sep)
        if decimal_sep in whole or not _GROUPED.fullmatch(whole.replace(group_sep, ".")):
            raise AfasValueError(f"cannot read {original!r} as a number")
        return whole.replace(group_sep, "") + "." + fraction
    if not dots and not commas:
        return body
    sep = "." if dots else ","
    if dots + commas > 1:
        # "1.234.567": only thousands groups make sense.
        if not _GROUPED.fullmatch(body.replace(",", ".")):
            raise AfasValueError(f"cannot read {original!r} as a number")
        return body.replace(sep, "")
    whole, _, fraction = body.partition(sep)
    if len(fraction) != 3 or whole in {"", "0"}:
        return (whole or "0") + "." + fraction
    # One separator and exactly three digits after it: "1.234" is 1234 in Dutch and 1.234 in
    # English. Only the field's number of decimals can tell.
    # A field without decimals (0, or unknown) settles nothing: metainfo says 0 for too many
    # fields to be trusted with a factor of a thousand.
    if decimals is not None and 1 <= decimals < 3:
        return whole + fraction
    if decimals is not None and decimals >= 3 and len(whole) <= 3:
        return whole + "." + fraction
    raise AfasValueError(
        f"{original!r} is ambiguous: a thousands separator or a decimal separator; "
        "refusing to guess"
    )


def parse_boolean(value: object) -> bool | None:
    """Read `true`/`false`, `1`/`0` (number or string), `ja`/`nee` and friends as a `bool`.

    Raises:
        AfasValueError: anything else.
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1, -1):
        return value != 0
    if isinstance(value, str):
        text = value.strip().lower()
        if not text:
            return None
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    raise AfasValueError(f"expected a boolean, got {value!r}")


def parse_date(value: object) -> datetime | None:
    """Read an AFAS date or date-time as an aware datetime in Europe/Amsterdam (R7).

    AFAS writes `2012-11-22T09:49:49Z`, but the `Z` is not UTC: AFAS documents the time as
    Amsterdam local time, so the `Z` is ignored. An explicit offset (`+02:00`) is honoured.
    `dd-mm-yyyy` (the form some update fields use) is accepted too.

    Raises:
        AfasValueError: not a date.
    """
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.replace(tzinfo=AMSTERDAM)
        return value.astimezone(AMSTERDAM)
    if isinstance(value, date):
        return datetime.combine(value, time(), tzinfo=AMSTERDAM)
    if not isinstance(value, str):
        raise AfasValueError(f"expected a date, got {type(value).__name__}")
    text = value.strip()
    if not text:
        return None
    match = _ISO.fullmatch(text)
    try:
        if match:
            stamp = datetime.fromisoformat(f"{match['date']}T{match['time'] or '00:00:00'}")
            zone = match["zone"]
            if zone and zone != "Z":
                offset = datetime.fromisoformat(f"2000-01-01T00:00:00{zone}").tzinfo
                return stamp.replace(tzinfo=offset).astimezone(AMSTERDAM)
            return stamp.replace(tzinfo=AMSTERDAM)
        dutch = _DUTCH_DATE.fullmatch(text)
        if dutch:
            day = date(int(dutch["year"]), int(dutch["month"]), int(dutch["day"]))
            return datetime.combine(day, time(), tzinfo=AMSTERDAM)
    except ValueError:
        pass
    raise AfasValueError(f"expected a date, got {value!r}")


def to_amsterdam_naive(value: datetime | date) -> datetime:
    """Return the Amsterdam wall-clock time of `value` without a zone, as AFAS filters want it."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(AMSTERDAM)
        return value.replace(tzinfo=None)
    return datetime.combine(value, time())


def format_date(value: datetime | date) -> str:
    """Format a date for a filter value: `YYYY-MM-DDTHH:MM:SS`, Amsterdam time, no `Z`."""
    return to_amsterdam_naive(value).strftime("%Y-%m-%dT%H:%M:%S")


def format_filter_value(value: object, data_type: str) -> str:
    """Format a Python value for a GetConnector filter on a field of `data_type`.

    Raises:
        ValueError: the value cannot be a value of that type (the caller names the field).
    """
    if data_type == "date":
        if isinstance(value, str):
            parsed = _parse_user_date(value)
            return format_date(parsed)
        if isinstance(value, datetime | date):
            return format_date(value)
        raise ValueError(f"expected a date, got {type(value).__name__}")
    if data_type in {"int", "decimal"}:
        try:
            number = parse_decimal(value)
        except AfasValueError as exc:
            raise ValueError(exc.message) from None
        if number is None:
            raise ValueError("expected a number, got an empty value")
        if data_type == "int" and number != number.to_integral_value():
            raise ValueError(f"expected an integer, got {value!r}")
        return format(number.normalize() if data_type == "int" else number, "f")
    if data_type == "boolean":
        try:
            flag = parse_boolean(value)
        except AfasValueError as exc:
            raise ValueError(exc.message) from None
        if flag is None:
            raise ValueError("expected a boolean, got an empty value")
        return "1" if flag else "0"
    if isinstance(value, bool | int | float | Decimal | str):
        return str(value)
    raise ValueError(f"expected text, got {type(value).__name__}")


def _parse_user_date(text: str) -> datetime:
    """Read a date a caller typed; unlike AFAS's own output, a `Z` here means UTC."""
    stripped = text.strip()
    try:
        parsed = datetime.fromisoformat(stripped.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"expected a date as YYYY-MM-DD[THH:MM:SS], got {text!r}") from None
    return parsed


def is_shell(
    values: Mapping[str, object],
    *,
    key: tuple[str, ...],
    types: Mapping[str, str],
) -> bool:
    """Tell whether a row is a shell: its key present, its payload stripped (R5).

    AFAS returns blocked or deleted records with the key intact and the other fields null. A
    shell is a tombstone, never data: treating it as an update would overwrite real values with
    empties. Boolean fields are status flags (Blocked, ...) and do not count as payload. A row
    counts as a shell when every payload field is empty, or, for wide connectors (ten payload
    fields or more), when at most one in ten is filled.
    """
    if any(values.get(field) is None for field in key):
        return False
    payload = [
        name for name in values if name not in key and types.get(name, "string") != "boolean"
    ]
    if not payload:
        return False
    filled = sum(1 for name in payload if values[name] not in (None, ""))
    if filled == 0:
        return True
    return len(payload) >= 10 and filled * 10 <= len(payload)
