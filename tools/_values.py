"""Values as the finance, crm and projects tools show them, and the warnings about them.

The AFAS client has already normalised every value by its metainfo type (R4, R7). These helpers
turn them into the agent's forms (money as exact decimal strings, days as ISO dates, moments as
ISO 8601 with the Amsterdam offset) and read values through the client's own adapter again when
a field arrives with another type than expected: an administrator may have changed a field's
type (R6), and a Dutch number string must never be passed on as if it were a number (R4).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal

from server.afas.models import Row
from server.afas.values import AMSTERDAM, parse_boolean, parse_date, parse_decimal
from tools.base import DataWarning

__all__ = [
    "FieldReader",
    "MissingValues",
    "day",
    "flag",
    "mask_iban",
    "moment",
    "money",
    "percentage",
    "shell_warning",
    "text",
    "whole_number",
]


def text(value: object) -> str | None:
    """A text value; empty text is no value."""
    if value is None:
        return None
    shown = value if isinstance(value, str) else str(value)
    return shown.strip() or None


def flag(value: object) -> bool | None:
    """A yes/no value; None when AFAS sent none."""
    return None if value is None else parse_boolean(value)


def whole_number(value: object) -> int | None:
    """An integer value (administration, year, period)."""
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    number = _decimal(value)
    return None if number is None else int(number)


def _decimal(value: object) -> Decimal | None:
    if value is None or isinstance(value, Decimal):
        return value
    return parse_decimal(value)  # the client's adapter: Dutch strings, floats, ambiguity (R4)


def money(value: object) -> str | None:
    """An amount as an exact decimal string with at least two decimals ("2500.00").

    Never a float: "1.234,56" from AFAS becomes "1234.56", digit for digit (R4).
    """
    number = _decimal(value)
    if number is None:
        return None
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -2:
        number = number.quantize(Decimal("0.01"))
    return format(number, "f")


def percentage(value: object) -> str | None:
    """A percentage as a decimal string without padding ("21", "9", "10.5")."""
    number = _decimal(value)
    if number is None:
        return None
    shown = format(number.normalize(), "f")
    return "0" if shown in {"-0", "0"} else shown


def _moment(value: object) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(AMSTERDAM) if value.tzinfo else value.replace(tzinfo=AMSTERDAM)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=AMSTERDAM)
    return parse_date(value)  # AFAS's `Z` is Amsterdam time, not UTC (R7)


def day(value: object) -> str | None:
    """A calendar day in Europe/Amsterdam as "YYYY-MM-DD"."""
    moment_ = _moment(value)
    return None if moment_ is None else moment_.date().isoformat()


def moment(value: object) -> str | None:
    """A point in time as ISO 8601 with its Amsterdam offset ("2026-03-01T14:30:00+01:00")."""
    moment_ = _moment(value)
    return None if moment_ is None else moment_.isoformat()


def mask_iban(value: object) -> str | None:
    """An IBAN with everything but the country code and the last four characters starred.

    Bank account numbers of private persons are personal data, and an agent needs no more than
    this to tell accounts apart or to check the last digits on an invoice with the user.
    """
    iban = text(value)
    if iban is None:
        return None
    compact = "".join(iban.split()).upper()
    if len(compact) <= 6:
        return "*" * len(compact)
    return compact[:2] + "*" * (len(compact) - 6) + compact[-4:]


class FieldReader:
    """Reads fields from one connector's rows and remembers optional fields it did not find.

    Required fields are guaranteed by the client: a row without one raises `AfasConnectorDrift`
    (R6). An optional field that has gone is shown as null, and `warnings()` says which fields
    and what they mean, so a null never passes for "AFAS holds no value".

    Args:
        connector_id: the connector read, for the warning.
        meaning: field id -> the output field(s) it fills, for the warning.
    """

    def __init__(self, connector_id: str, meaning: Mapping[str, str]) -> None:
        self.connector_id = connector_id
        self.meaning = meaning
        self.missing: set[str] = set()

    def __call__(self, row: Row, field: str) -> object:
        if field in row.values:
            return row.values[field]
        self.missing.add(field)
        return None

    def warnings(self) -> list[DataWarning]:
        """One `field_missing` warning naming every optional field that was not there."""
        if not self.missing:
            return []
        fields = sorted(self.missing)
        shown = ", ".join(self.meaning.get(f, f) for f in fields)
        return [
            DataWarning(
                code="field_missing",
                message=f"{self.connector_id} no longer has field(s) {', '.join(fields)} (an "
                f"AFAS administrator changed the GetConnector, R6); {shown} are shown as null "
                "although AFAS may hold values",
                count=len(fields),
            )
        ]


def shell_warning(kind: str, shells: Sequence[Row], *, connector_id: str) -> DataWarning:
    """The warning for shells left out of a list: how many, and which keys (R5)."""
    keys = [_key_text(row.key) for row in shells]
    shown = ", ".join(keys[:10]) + (f" and {len(keys) - 10} more" if len(keys) > 10 else "")
    return DataWarning(
        code="shell_rows_left_out",
        message=f"{len(shells)} {kind} record(s) came back from {connector_id} as shells (key "
        f"only, every other field empty): blocked or deleted records, left out of the list: "
        f"{shown} (R5)",
        count=len(shells),
    )


def _key_text(key: Iterable[object]) -> str:
    return "/".join(str(part) for part in key)


class MissingValues:
    """Collects records whose essential values AFAS left empty, for one warning per value.

    A debtor without a name or a VAT code without a percentage is not a record to act on
    without asking; the warning names the records so the agent can tell the user.

    Args:
        record: what one record is, in words ("debtor").
    """

    def __init__(self, record: str) -> None:
        self.record = record
        self.by_value: dict[str, list[str]] = {}

    def check(self, key: str, **values: object) -> None:
        """Note every value (named by keyword) of the record `key` that is None."""
        for name, value in values.items():
            if value is None:
                self.by_value.setdefault(name.replace("_", " "), []).append(key)

    def warnings(self) -> list[DataWarning]:
        """One `missing_value` warning per value that was empty somewhere."""
        found = []
        for name, keys in self.by_value.items():
            shown = ", ".join(keys[:10]) + (f" and {len(keys) - 10} more" if len(keys) > 10 else "")
            found.append(
                DataWarning(
                    code="missing_value",
                    message=f"{len(keys)} {self.record} record(s) have no {name} in AFAS: "
                    f"{shown}; check with the user before relying on them",
                    count=len(keys),
                )
            )
        return found
