"""Field values as AFAS reads them: strings or native JSON, coerced by the field's data type.

AFAS's examples mix `"AutoNum": "1"` and `true`, `"DvSn": 1` and `"1"`, `"AmDe": "12100"`; the
server reads both. Dates are `YYYY-MM-DD` (date-times `YYYY-MM-DDTHH:MM:SS`), decimals use `.`.
`""` clears a field; `null` is read as "not sent". Two quirks live here:

- W13 on: `""` in a string field is stored as an empty string, not as no value. Non-string fields
  store no value either way (an empty int would break every reader).
- W7 on: `KnPerson.SpNm`, `AfasContract.WrCt` and `AfasSalary.TtPy` want `"1"`/`"0"`; `true` or
  `"true"` is stored as the literal text. `AfasContract.DaEn` wants `dd-MM-yyyy`; an ISO date is
  read as `yyyy-dd-MM` (day and month swapped) when that is a valid date, else dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from simulator.updates.schema import field_kind

FLAG_01_FIELDS = frozenset({("KnPerson", "SpNm"), ("AfasContract", "WrCt"), ("AfasSalary", "TtPy")})
DMY_DATE_FIELDS = frozenset({("AfasContract", "DaEn")})

_ISO_DATE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?Z?)?$"
)
_DMY_DATE = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")
_TRUE = frozenset({"true", "1", "-1", "yes", "ja"})
_FALSE = frozenset({"false", "0", "no", "nee"})


class BadValue(ValueError):
    """A value the field's data type cannot hold; the message names the field and the value."""


@dataclass(frozen=True)
class Coerced:
    """A coerced value and, where a quirk changed it, what happened (for the write journal)."""

    value: Any
    quirk_note: str | None = None


@dataclass(frozen=True)
class ValueRules:
    """The switches that change how values are stored."""

    empty_string_stored: bool  # W13
    legacy_formats: bool  # W7


def coerce(object_name: str, field_id: str, raw: Any, rules: ValueRules) -> Coerced:
    """The value to store for one field, or raise BadValue."""
    kind = field_kind(object_name, field_id)
    if isinstance(raw, str) and raw == "":
        keep = rules.empty_string_stored and kind in (None, "string")
        return Coerced("" if keep else None)
    if raw is None:
        return Coerced(None)
    where = (object_name, field_id)
    if kind == "boolean":
        if where in FLAG_01_FIELDS and rules.legacy_formats:
            return _legacy_flag(field_id, raw)
        return Coerced(to_bool(raw, field_id))
    if kind == "int":
        return Coerced(to_int(raw, field_id))
    if kind == "decimal":
        return Coerced(to_decimal(raw, field_id))
    if kind == "date":
        if where in DMY_DATE_FIELDS:
            return _dmy_date(field_id, raw, legacy=rules.legacy_formats)
        return Coerced(to_date(raw, field_id))
    if kind == "datetime":
        return Coerced(to_datetime(raw, field_id))
    if kind == "string":
        return Coerced(to_text(raw))
    return Coerced(raw)  # a field the simulator does not model is kept as sent


def to_text(raw: Any) -> str:
    """A string field's value: numbers as written, booleans as AFAS's `true`/`false`."""
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw)


def to_bool(raw: Any, field_id: str) -> bool:
    """`true`/`false`, `"true"`/`"false"` (any case), `1`/`0`, `"1"`/`"0"`."""
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise BadValue(f"The value '{raw}' for field '{field_id}' is not a valid yes/no value.")


def to_int(raw: Any, field_id: str) -> int:
    """An integer from a number or a string of digits."""
    if isinstance(raw, bool):
        raise BadValue(f"The value '{raw}' for field '{field_id}' is not a valid number.")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    text = str(raw).strip()
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    raise BadValue(f"The value '{raw}' for field '{field_id}' is not a valid number.")


def to_decimal(raw: Any, field_id: str) -> Decimal:
    """A decimal from a number or a string with `.` as the separator (no thousands groups)."""
    if isinstance(raw, bool):
        raise BadValue(f"The value '{raw}' for field '{field_id}' is not a valid amount.")
    text = repr(raw) if isinstance(raw, float) else str(raw).strip()
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", text):
        raise BadValue(f"The value '{raw}' for field '{field_id}' is not a valid amount.")
    try:
        return Decimal(text)
    except InvalidOperation:
        raise BadValue(f"The value '{raw}' for field '{field_id}' is not a valid amount.") from None


def to_datetime(raw: Any, field_id: str) -> datetime:
    """`YYYY-MM-DD` (midnight) or `YYYY-MM-DDTHH:MM[:SS]`."""
    found = _ISO_DATE.match(str(raw).strip())
    if found is None:
        raise BadValue(f"The value '{raw}' for field '{field_id}' is not a valid date.")
    year, month, day, hour, minute, second = (int(g) if g else 0 for g in found.groups())
    try:
        return datetime(year, month, day, hour, minute, second)  # noqa: DTZ001 - AFAS local time
    except ValueError:
        raise BadValue(f"The value '{raw}' for field '{field_id}' is not a valid date.") from None


def to_date(raw: Any, field_id: str) -> date:
    """The date part of a date or date-time."""
    return to_datetime(raw, field_id).date()


def _legacy_flag(field_id: str, raw: Any) -> Coerced:
    if isinstance(raw, bool) or str(raw).strip().lower() in ("true", "false"):
        text = to_text(raw).lower()
        return Coerced(text, f"W7: {field_id} sent as {raw!r} is stored as the text {text!r}")
    return Coerced(to_bool(raw, field_id))


def _dmy_date(field_id: str, raw: Any, *, legacy: bool) -> Coerced:
    text = str(raw).strip()
    found = _DMY_DATE.match(text)
    if found is not None:
        day, month, year = (int(g) for g in found.groups())
        try:
            return Coerced(date(year, month, day))
        except ValueError:
            raise BadValue(
                f"The value '{raw}' for field '{field_id}' is not a valid date."
            ) from None
    iso = to_date(raw, field_id)
    if not legacy:
        return Coerced(iso)
    # The module reads the ISO text as year, day, month.
    try:
        swapped: date | None = date(iso.year, iso.day, iso.month)
    except ValueError:
        swapped = None
    return Coerced(swapped, f"W7: {field_id} sent as ISO {text!r} is stored as {swapped}")


def house_number(raw: Any) -> tuple[int | None, str | None]:
    """Split a house number into its number and any trailing addition ("12A" -> 12, "A").

    Raises BadValue when it does not start with digits.
    """
    if isinstance(raw, bool):
        raise BadValue(f"The value '{raw}' for field 'HmNr' is not a valid number.")
    if isinstance(raw, int):
        return raw, None
    text = to_text(raw).strip()
    found = re.fullmatch(r"(\d+)\s*[-/]?\s*(.*)", text)
    if found is None:
        raise BadValue(f"The value '{raw}' for field 'HmNr' is not a valid number.")
    return int(found.group(1)), (found.group(2).strip() or None)
