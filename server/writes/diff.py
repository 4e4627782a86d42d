"""Type-aware comparison of what a write should have stored with what AFAS reads back.

The client normalises what it reads (`server.afas.values`): decimals arrive as `Decimal` whether
AFAS sent 12.5 or "12,50", dates as aware datetimes in Amsterdam, empty text as None. A write
tool states its expectations in plain Python values. So equality here means "the same to AFAS":

| expected | read back | same when |
|---|---|---|
| `Decimal` / `int` / `float` | a number, or text that parses as one ("12,50") | numerically equal |
| `date` | a datetime | it is midnight in Amsterdam on that day |
| `datetime` | a datetime | the same instant (a naive one is Amsterdam wall time) |
| `bool` | a flag, or "1"/"0"/"true" | the same truth |
| `str` | anything | equal after trailing whitespace (a number read back is compared as one) |
| `DisplayName` | text | the same words in any order, case and punctuation aside ("Berg, Anna") |
| None | None | and the raw value was not `""`: an empty string where nothing was meant is W13 |

An `Enum` is compared by its value. Rows of a multi-row record compare as a multiset: every
expected row matches a different row read back, and no row is left over.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from server.afas.errors import AfasValueError
from server.afas.values import AMSTERDAM, parse_boolean, parse_date, parse_decimal
from server.store import FieldDiff
from server.writes.kinds import DisplayName

__all__ = ["EMPTY_STRING", "RowView", "diff_fields", "diff_rows", "plain", "same"]

EMPTY_STRING = ""
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class RowView:
    """One row as read back: normalised values, and the raw ones (to tell `""` from null)."""

    values: Mapping[str, object]
    raw: Mapping[str, object]

    def actual(self, field_id: str) -> object:
        """The value as compared: `""` when AFAS sent an empty string, else the normalised one."""
        value = self.values.get(field_id)
        if value is None and self.raw.get(field_id) == EMPTY_STRING:
            return EMPTY_STRING
        return value


def same(expected: object, actual: object) -> bool:
    """Whether AFAS holds `expected` when it reads back `actual` (see the module table)."""
    if isinstance(expected, enum.Enum):
        expected = expected.value
    if expected is None:
        return actual is None
    if actual is None:
        return False
    if isinstance(expected, DisplayName):
        return isinstance(actual, str) and _words(expected) == _words(actual)
    if isinstance(expected, bool):
        return _truth(actual) is expected
    if isinstance(expected, int | float | Decimal):
        number = _number(actual)
        return number is not None and number == Decimal(str(expected))
    if isinstance(expected, datetime):
        moment = _moment(actual)
        return moment is not None and moment == _aware(expected)
    if isinstance(expected, date):
        moment = _moment(actual)
        return moment is not None and moment == datetime.combine(expected, time(0), AMSTERDAM)
    if isinstance(expected, str):
        if isinstance(actual, bool):
            return _truth(expected) is actual
        if isinstance(actual, int | Decimal):
            number = _number(expected)
            return number is not None and number == Decimal(str(actual))
        if isinstance(actual, datetime):
            return same(_day_or_moment(expected), actual)
        return expected.rstrip() == str(actual).rstrip()
    return expected == actual


def diff_fields(label: str, expected: Mapping[str, object], row: RowView) -> list[FieldDiff]:
    """One diff per expected field the row does not hold, named `label.Field`."""
    return [
        FieldDiff(field=f"{label}.{name}", expected=plain(want), actual=plain(row.actual(name)))
        for name, want in expected.items()
        if not same(want, row.actual(name))
    ]


def diff_rows(
    label: str, expected: Sequence[Mapping[str, object]], rows: Sequence[RowView]
) -> list[FieldDiff]:
    """Diffs between expected rows and rows read back, in any order (a multiset comparison).

    Each expected row must match a different row read back on all of its fields; unmatched
    expected rows are reported as missing, unmatched rows read back as unexpected.
    """
    pairs = _match(expected, rows)
    diffs: list[FieldDiff] = []
    for index, want in enumerate(expected):
        if index not in pairs:
            diffs.append(
                FieldDiff(field=f"{label}[{index + 1}]", expected=plain(dict(want)), actual=None)
            )
    used = set(pairs.values())
    fields = sorted({name for want in expected for name in want})
    for index, row in enumerate(rows):
        if index not in used:
            shown = {name: plain(row.actual(name)) for name in fields} or plain(dict(row.values))
            diffs.append(FieldDiff(field=f"{label}[unexpected]", expected=None, actual=shown))
    return diffs


def _match(expected: Sequence[Mapping[str, object]], rows: Sequence[RowView]) -> dict[int, int]:
    """A maximum matching expected-row index -> row index (augmenting paths; sizes are small)."""
    fits = [
        [r for r, row in enumerate(rows) if all(same(v, row.actual(k)) for k, v in want.items())]
        for want in expected
    ]
    owner: dict[int, int] = {}  # row index -> expected index

    def place(index: int, seen: set[int]) -> bool:
        for row in fits[index]:
            if row in seen:
                continue
            seen.add(row)
            if row not in owner or place(owner[row], seen):
                owner[row] = index
                return True
        return False

    for index in range(len(expected)):
        place(index, set())
    return {index: row for row, index in owner.items()}


def plain(value: object) -> Any:
    """A value as JSON for the ledger and the agent: decimals and dates as text."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        local = _aware(value).astimezone(AMSTERDAM)
        return local.date().isoformat() if local.time() == time(0) else local.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=AMSTERDAM)


def _number(value: object) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    if isinstance(value, str):
        try:
            return parse_decimal(value.strip())
        except AfasValueError:
            return None
    return None


def _truth(value: object) -> bool | None:
    try:
        return parse_boolean(value)
    except AfasValueError:
        return None


def _moment(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return _aware(value)
    if isinstance(value, date):
        return datetime.combine(value, time(0), AMSTERDAM)
    if isinstance(value, str):
        try:
            parsed = parse_date(value.strip())
        except AfasValueError:
            return None
        return parsed
    return None


def _words(name: str) -> Counter[str]:
    """A name's words as a multiset: no case, no punctuation, one Unicode form."""
    return Counter(name_words(name))


def name_words(name: str) -> list[str]:
    """A name's words, without case or punctuation, in one Unicode form."""
    return list(_WORD.findall(unicodedata.normalize("NFC", name).casefold()))


def _day_or_moment(text: str) -> object:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return _moment(text) or text
