"""Value forms AFAS wants, and checks on Dutch identifiers.

The payload builders call the formatters (`to_afas_value`, `adapt_fields`,
`split_house_number`); the policies call the same functions to prove a payload uses those forms,
so the builder and the check cannot drift apart.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import assert_never
from zoneinfo import ZoneInfo

# AFAS stores and reads local times in Amsterdam, without a zone (R7).
AMSTERDAM = ZoneInfo("Europe/Amsterdam")

# A value as it travels in an UpdateConnector body.
AfasValue = str | int | bool


class LegacyFormat(enum.StrEnum):
    """A field whose value AFAS reads in an older form than its schema says (W7)."""

    FLAG_01 = "flag_01"
    """"1" or "0" instead of a JSON boolean."""
    DATE_DMY = "date_dmy"
    """dd-MM-yyyy instead of an ISO date."""


_DMY = re.compile(r"(\d{2})-(\d{2})-(\d{4})")


def _parse_dmy(text: str) -> date | None:
    found = _DMY.fullmatch(text)
    if found is None:
        return None
    day, month, year = (int(part) for part in found.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def format_legacy(value: object, legacy: LegacyFormat) -> str:
    """Format a value in the legacy form a field wants.

    Raises:
        ValueError: the value has no meaning in that form (e.g. "yes" for a flag).
    """
    match legacy:
        case LegacyFormat.FLAG_01:
            if isinstance(value, bool):
                return "1" if value else "0"
            if value in ("1", "0", "true", "false"):
                return "1" if value in ("1", "true") else "0"
            raise ValueError(f"{value!r} is not a flag (want a bool, '1' or '0')")
        case LegacyFormat.DATE_DMY:
            if isinstance(value, date):  # a datetime is a date; its time is dropped on purpose
                return value.strftime("%d-%m-%Y")
            if isinstance(value, str):
                if _parse_dmy(value) is not None:
                    return value
                try:
                    return date.fromisoformat(value).strftime("%d-%m-%Y")
                except ValueError:
                    pass
            raise ValueError(f"{value!r} is not a date (want a date or yyyy-MM-dd)")
        case _:
            assert_never(legacy)


def is_legacy_form(value: object, legacy: LegacyFormat) -> bool:
    """Whether a payload value already has the legacy form the field wants."""
    match legacy:
        case LegacyFormat.FLAG_01:
            return value in ("1", "0") and isinstance(value, str)
        case LegacyFormat.DATE_DMY:
            return isinstance(value, str) and _parse_dmy(value) is not None
        case _:
            assert_never(legacy)


def _amsterdam_wall_time(moment: datetime) -> str:
    """An aware moment as Amsterdam wall time; a naive one is taken to be Amsterdam already."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(AMSTERDAM)
    return moment.replace(tzinfo=None, microsecond=0).isoformat()


def to_afas_value(value: object, *, legacy: LegacyFormat | None = None) -> AfasValue:
    """Turn a Python value into the form an UpdateConnector field takes.

    Dates become ISO dates, date-times `yyyy-MM-ddTHH:mm:ss` in Amsterdam wall time, decimals
    plain strings ("1234.50", never "1.234,50" or an exponent). A field in the W7 override table
    (`legacy`) gets its legacy form instead.

    Raises:
        ValueError: the value cannot take the legacy form.
        TypeError: the value has no AFAS form (None, a list, ...); omit the field instead.
    """
    if legacy is not None:
        return format_legacy(value, legacy)
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        return _amsterdam_wall_time(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} has no AFAS value form; omit the field instead")


def adapt_fields(
    object_name: str,
    fields: Mapping[str, object],
    *,
    legacy_formats: Mapping[str, LegacyFormat],
    clear: frozenset[str] = frozenset(),
) -> dict[str, AfasValue]:
    """Build the `Fields` of one element: values in AFAS form, fields without a value left out.

    A field whose value is None or "" is omitted (W13: AFAS stores "" as a value), unless it is in
    `clear`, which sends "" on purpose to empty it. `legacy_formats` is the W7 override table
    (`PolicyRules.legacy_formats`), keyed `Object.Field`.
    """
    adapted: dict[str, AfasValue] = {}
    for field_id, value in fields.items():
        if field_id in clear:
            adapted[field_id] = ""
        elif value is None or value == "":
            continue
        else:
            legacy = legacy_formats.get(f"{object_name}.{field_id}")
            adapted[field_id] = to_afas_value(value, legacy=legacy)
    return adapted


@dataclass(frozen=True)
class HouseNumber:
    """A house number split the way AFAS stores it: `HmNr` numeric, `HmAd` the rest (W8)."""

    number: int
    addition: str | None


_HOUSE_NUMBER = re.compile(r"(\d+)[\s\-/]*(.*)")


def split_house_number(text: str | int) -> HouseNumber:
    """Split "12A", "12 A", "12-A", "12 bis" or "12a-2" into number and addition.

    Raises:
        ValueError: the text does not start with a number, or the number is 0.
    """
    cleaned = str(text).strip()
    found = _HOUSE_NUMBER.fullmatch(cleaned)
    if found is None:
        raise ValueError(f"house number {text!r} does not start with a number")
    number = int(found.group(1))
    if number == 0:
        raise ValueError(f"house number {text!r} is 0")
    addition = found.group(2).strip()
    return HouseNumber(number=number, addition=addition or None)


def normalise_iban(iban: str) -> str:
    """The IBAN in its electronic form: upper case, no spaces."""
    return re.sub(r"\s+", "", iban).upper()


def iban_is_valid(iban: str) -> bool:
    """Whether an IBAN has a valid shape and ISO 13616 mod-97 checksum."""
    electronic = normalise_iban(iban)
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", electronic):
        return False
    if electronic.startswith("NL") and len(electronic) != 18:
        return False
    rearranged = electronic[4:] + electronic[:4]
    digits = "".join(str(int(char, 36)) for char in rearranged)
    return int(digits) % 97 == 1


def bsn_is_valid(bsn: str) -> bool:
    """Whether a citizen service number (BSN) passes the Dutch 11-check."""
    if not re.fullmatch(r"\d{9}", bsn) or bsn == "000000000":
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    return sum(int(digit) * weight for digit, weight in zip(bsn, weights, strict=True)) % 11 == 0


def kvk_is_valid(kvk_number: str) -> bool:
    """Whether a Chamber of Commerce (KvK) number has its 8-digit form."""
    return re.fullmatch(r"\d{8}", kvk_number) is not None


def person_display_name(
    *, last_name: str, first_name: str | None = None, name_prefix: str | None = None
) -> str:
    """The name AFAS shows for a person: first name, prefix, last name ("Jan van der Berg").

    AFAS builds it from the parts it stores (`FiNm`, `Is`, `LaNm`); initials are not part of it.
    Debtor and creditor lists show this name, so duplicates are searched and read back by it.
    """
    parts = (first_name, name_prefix, last_name)
    return " ".join(stripped for part in parts if part and (stripped := part.strip()))


def normalise_text(text: str) -> str:
    """Text compared without case or spacing differences (names, postal codes)."""
    return " ".join(text.split()).casefold()


def normalise_postal_code(postal_code: str) -> str:
    """A postal code compared without case or spaces ("1234 ab" == "1234AB")."""
    return "".join(postal_code.split()).upper()


_NUMERAL = re.compile(r"-?(0|[1-9]\d*)(\.\d+)?")


def _canonical(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime):
        return _amsterdam_wall_time(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | Decimal | float):
        return _canonical_number(Decimal(str(value)))
    text = str(value).strip()
    if text in ("true", "false"):
        return "1" if text == "true" else "0"
    dmy = _parse_dmy(text)
    if dmy is not None:
        return dmy.isoformat()
    # Only plain numerals count as numbers: "0612345678" is a phone number, not 612345678.
    if _NUMERAL.fullmatch(text):
        return _canonical_number(Decimal(text))
    return text


def _canonical_number(number: Decimal) -> str:
    # normalize() drops trailing zeros ("55.00" -> 55) but writes 100 as 1E+2; "f" undoes that.
    return format(number.normalize(), "f")


def same_value(left: object, right: object) -> bool:
    """Whether two values mean the same to AFAS ("55" == 55 == Decimal("55.00"), True == "1")."""
    return _canonical(left) == _canonical(right)
