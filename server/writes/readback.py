"""Reading a write back from AFAS: a write kind's `Expectation`s run through the GetConnectors.

A 201 proves nothing (W14), so every applied write is read back and compared (`diff`). The
verdict:

- `match`: every expectation read back as expected.
- `drift`: something reads back otherwise, including a record that is not there at all ("AFAS
  says it stored it, but it does not read back"), a shell row where a record should be (R5),
  several records where one was meant, and an empty string where nothing was meant (W13). The
  write waits for a person with the diffs.
- `unverifiable`: the read itself failed (connector not linked, AFAS down, a field the connector
  lacks) or the tool named nothing to read. Nothing is known to be wrong; the result says why
  it could not be checked.

A record that is not visible yet is read again a few times with a short backoff (eventual
visibility); nothing is ever sent again. `locate` uses the same reads to find a write whose
answer was lost (W16).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from server.afas.client import AfasClient
from server.afas.errors import AfasError
from server.afas.filters import Filter, Operator
from server.config import GET_CONNECTORS
from server.store import FieldDiff, ReadBack
from server.writes.diff import RowView, diff_fields, diff_rows, name_words, plain, same
from server.writes.kinds import DisplayName, Expectation

__all__ = [
    "Absent",
    "CannotTell",
    "Connectors",
    "Found",
    "Located",
    "ReadBackPolicy",
    "locate",
    "read_back",
]

Sleep = Callable[[float], Awaitable[None]]

# At most this many rows are read for one multi-row record (AFAS advises <= 1,000 entry lines).
MAX_ROWS = 2000


@dataclass(frozen=True)
class Connectors:
    """Logical GetConnector names -> this environment's connector ids and their keys."""

    ids: Mapping[str, str]

    def resolve(self, logical: str) -> tuple[str, tuple[str, ...]]:
        """The connector id and key fields of a logical name (`employees`).

        Raises:
            LookupError: the name is not one of the product's GetConnectors.
        """
        spec = next((s for s in GET_CONNECTORS if s.logical == logical), None)
        if spec is None:
            raise LookupError(f"no GetConnector with the logical name {logical!r}")
        return self.ids.get(logical, spec.default), spec.key


@dataclass(frozen=True)
class ReadBackPolicy:
    """How patiently a record that is not visible yet is read again (never re-sent)."""

    delays: tuple[float, ...] = (0.2, 0.5, 1.0)
    sleep: Sleep = asyncio.sleep


@dataclass(frozen=True)
class _Seen:
    """What one expectation read: its rows (shells apart), or why it could not be read."""

    expectation: Expectation
    rows: tuple[RowView, ...] = ()
    shells: int = 0
    error: str | None = None

    @property
    def empty(self) -> bool:
        return self.error is None and not self.rows and not self.shells


async def _read_once(afas: AfasClient, exp: Expectation, connectors: Connectors) -> _Seen:
    try:
        connector, key = connectors.resolve(exp.connector)
        wanted = set(exp.match) | set(exp.fields) | {f for row in exp.rows or () for f in row}
        names = {f: v for f, v in exp.match.items() if isinstance(v, DisplayName)}
        stream = afas.rows(
            connector,
            key=key,
            filters=[_match_filter(name, value) for name, value in exp.match.items()],
            required_fields=sorted(wanted),
            # A name filter is a wide net, narrowed below; otherwise two rows already tell
            # "more than one record" apart from "this record".
            limit=2 if exp.rows is None and not names else MAX_ROWS,
        )
        rows = [row async for row in stream]
    except (AfasError, LookupError, ValueError) as exc:
        return _Seen(exp, error=f"{exp.label}: could not read {exp.connector} ({exc})")
    rows = [row for row in rows if all(same(v, row.values.get(f)) for f, v in names.items())]
    views = tuple(RowView(values=row.values, raw=row.raw) for row in rows if not row.shell)
    return _Seen(exp, rows=views, shells=sum(1 for row in rows if row.shell))


def _match_filter(name: str, value: Any) -> Filter:
    """Equality, except for a person's display name, whose word order AFAS may set per environment.

    A name is looked for by its longest word and then compared word by word (`same`), so
    "Anna van der Berg" finds the record AFAS shows as "Berg, Anna van der" both when reading a
    write back and when looking for one whose answer was lost (W16).
    """
    if isinstance(value, DisplayName) and (words := name_words(value)):
        return Filter(name, Operator.CONTAINS, max(words, key=len))
    return Filter(name, Operator.EQUALS, value)


async def _read_all(
    afas: AfasClient,
    expectations: Sequence[Expectation],
    connectors: Connectors,
    policy: ReadBackPolicy,
) -> list[_Seen]:
    seen = [await _read_once(afas, exp, connectors) for exp in expectations]
    for delay in policy.delays:
        waiting = [i for i, s in enumerate(seen) if s.empty]
        if not waiting:
            break
        await policy.sleep(delay)  # not visible yet: AFAS may still be committing it
        for i in waiting:
            seen[i] = await _read_once(afas, expectations[i], connectors)
    return seen


def _judge(seen: _Seen) -> tuple[list[FieldDiff], Any]:
    """The diffs of one expectation and what it read back (for the ledger)."""
    exp = seen.expectation
    if exp.rows is not None:
        return diff_rows(exp.label, exp.rows, seen.rows), [_shown(r, exp) for r in seen.rows]
    missing: str | None = None
    if not seen.rows:
        missing = (
            "a shell row: key only, everything else empty (blocked or deleted, R5)"
            if seen.shells
            else "not found: AFAS said it stored it, but it does not read back"
        )
    elif len(seen.rows) > 1:
        missing = f"{len(seen.rows)} records match where one was expected"
    if missing is not None:
        return [FieldDiff(field=exp.label, expected=plain(dict(exp.match)), actual=missing)], None
    (row,) = seen.rows
    return diff_fields(exp.label, exp.fields, row), _shown(row, exp)


def _shown(row: RowView, exp: Expectation) -> dict[str, Any]:
    names = [*exp.match, *exp.fields, *(f for r in exp.rows or () for f in r)]
    return {name: plain(row.actual(name)) for name in dict.fromkeys(names)}


async def read_back(
    afas: AfasClient,
    expectations: Sequence[Expectation],
    *,
    connectors: Connectors,
    policy: ReadBackPolicy | None = None,
) -> ReadBack:
    """Read every expectation back and compare: `match`, `drift` (with diffs) or `unverifiable`."""
    if not expectations:
        return ReadBack(result="unverifiable", reason="the write tool names nothing to read back")
    seen = await _read_all(afas, expectations, connectors, policy or ReadBackPolicy())
    diffs: list[FieldDiff] = []
    fields: dict[str, Any] = {}
    errors = [s.error for s in seen if s.error is not None]
    for item in seen:
        if item.error is None:
            found, shown = _judge(item)
            diffs += found
            fields[item.expectation.label] = shown
    reason = "; ".join(errors) if errors else None
    if diffs:
        return ReadBack(result="drift", fields=fields, diffs=diffs, reason=reason)
    if errors:
        return ReadBack(result="unverifiable", fields=fields, reason=reason)
    return ReadBack(result="match", fields=fields)


@dataclass(frozen=True)
class Found:
    """The record is in AFAS: its keys as AFAS would have answered, and its read-back."""

    afas_keys: dict[str, str]
    read_back: ReadBack


@dataclass(frozen=True)
class Absent:
    """No expectation found anything: as far as AFAS shows now, the write was not applied."""


@dataclass(frozen=True)
class CannotTell:
    """The lookup failed or was ambiguous; the write's fate stays unknown."""

    reason: str


Located = Found | Absent | CannotTell


async def locate(
    afas: AfasClient,
    expectations: Sequence[Expectation],
    *,
    connectors: Connectors,
    policy: ReadBackPolicy | None = None,
) -> Located:
    """Look a write up after its answer was lost (W16), by the kind's `locate` expectations."""
    if not expectations:
        return CannotTell("this kind of write cannot be looked up without the keys AFAS returns")
    seen = await _read_all(afas, expectations, connectors, policy or ReadBackPolicy())
    errors = [s.error for s in seen if s.error is not None]
    if errors:
        return CannotTell("; ".join(errors))
    if all(s.empty for s in seen):
        return Absent()
    crowded = [s for s in seen if s.expectation.rows is None and len(s.rows) > 1]
    if crowded:
        labels = ", ".join(s.expectation.label for s in crowded)
        return CannotTell(f"several records match {labels}; cannot tell which one is this write")
    keys: dict[str, str] = {}
    for item in seen:
        for answer_key, field_id in item.expectation.keys.items():
            # The rows of one record (the lines of an entry) share its key; else it is unclear.
            values = {str(plain(row.values.get(field_id))) for row in item.rows}
            if len(values) > 1:
                return CannotTell(
                    f"{item.expectation.label}: the rows found carry {len(values)} different "
                    f"{field_id} values; cannot tell which record is this write"
                )
            if values and None not in (row.values.get(field_id) for row in item.rows):
                keys[answer_key] = values.pop()
    diffs = [d for item in seen for d in _judge(item)[0]]
    fields = {s.expectation.label: _judge(s)[1] for s in seen}
    result = ReadBack(result="drift" if diffs else "match", fields=fields, diffs=diffs)
    return Found(afas_keys=keys, read_back=result)
