"""Reading one connector for the finance, crm and projects tools: pages, single records, sets.

Every read passes the client the fields it relies on: the ones the tool cannot do without, the
key and the fields the tool filters on. So a drifted connector fails loudly with connector and
field named (R6), and the client believes an empty answer to a filtered read, or to a page after
a cursor, only after a fresh look at metainfo (R2 with R6). Reads are ordered by the connector's
key (R15), page with the client's keyset cursor (R8, R12), and a filter too long for one query
string is split by the client (R16). On top of the client:

- a page is filled up to `limit` with rows the tool keeps: shells (R5) and rows the tool leaves
  out (blocked records, by default) are counted, never silently dropped, and the next call
  carries on exactly after the last row read;
- tool cursors are sealed with the arguments they came from, so a cursor cannot continue a
  different question.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import Field, StringConstraints

from server.afas.client import AfasClient
from server.afas.filters import Filter, FilterGroup, Operator, to_groups
from server.afas.models import ReadWarning, Row
from server.config import GET_CONNECTORS
from server.outcomes import InvalidToolInput
from tools._values import flag, shell_warning
from tools.base import DataWarning, ToolInput
from tools.deps import ToolDeps

__all__ = [
    "Found",
    "RecordNumber",
    "SearchText",
    "Source",
    "cursor_field",
    "find_one",
    "limit_field",
    "not_blocked",
    "open_cursor",
    "read_all",
    "read_page",
    "seal_cursor",
    "shells_left_out",
]

# Warnings the agent is not shown: the client's shell warning only counts (the tools name the
# keys instead), and splitting a long filter over several calls is the client's business.
_NOT_SHOWN = frozenset({"shell_rows", "query_split"})
# Calls one tool page may make while filling itself past left-out rows.
_MAX_CALLS = 5
_KEYS = {spec.logical: spec.key for spec in GET_CONNECTORS}


@dataclass(frozen=True)
class Source:
    """A connector as a tool reads it.

    Attributes:
        logical: the logical connector name (`debtors`); the id comes from configuration.
        required: fields the tool cannot answer without; their absence fails the read (R6).
        record: what one row is, in words ("debtor"), for messages.
    """

    logical: str
    required: frozenset[str]
    record: str

    @property
    def key(self) -> tuple[str, ...]:
        return _KEYS[self.logical]


@dataclass
class Found:
    """What a read returned, split into what the tool shows and what it left out.

    Attributes:
        connector_id: the connector read.
        rows: rows the tool keeps, in key order.
        shells: blocked or deleted records AFAS returned as key-only shells (R5).
        left_out: rows the tool's `keep` predicate dropped (e.g. blocked records).
        next_cursor: the client's cursor after the last row read; None at the end.
        warnings: what the client noticed, merged by code.
    """

    connector_id: str
    rows: list[Row] = field(default_factory=list)
    shells: list[Row] = field(default_factory=list)
    left_out: int = 0
    next_cursor: str | None = None
    warnings: list[DataWarning] = field(default_factory=list)


async def _open(deps: ToolDeps, source: Source) -> tuple[AfasClient, str]:
    afas = await deps.afas()
    connector_id = deps.connector(source.logical)
    afas.declare_required_fields(connector_id, source.required)
    return afas, connector_id


def _merge(warnings: Iterable[ReadWarning]) -> list[DataWarning]:
    merged: dict[str, DataWarning] = {}
    for warning in warnings:
        if warning.code in _NOT_SHOWN:
            continue
        old = merged.get(warning.code)
        count = warning.count
        if old is not None and old.count is not None and count is not None:
            count += old.count
        merged[warning.code] = DataWarning(code=warning.code, message=warning.message, count=count)
    return list(merged.values())


def _relied_on(source: Source, filters: Sequence[FilterGroup]) -> frozenset[str]:
    """Every field a read relies on: the source's required fields, its key, the filter fields.

    Passed to the client as required, a missing one is drift naming connector and field (R6),
    never an unknown field, which would read as the agent's mistake.
    """
    filtered = {item.field for group in filters for item in group}
    return source.required | frozenset(source.key) | filtered


async def read_page(
    deps: ToolDeps,
    source: Source,
    *,
    filters: Sequence[FilterGroup] = (),
    limit: int,
    after: str | None,
    keep: Callable[[Row], bool] | None = None,
    max_calls: int = _MAX_CALLS,
) -> Found:
    """Read up to `limit` kept rows after the client cursor `after` (None: from the start).

    Rows `keep` rejects and shells do not count towards `limit`; the page fills up with further
    calls, at most `max_calls` in all.
    """
    afas, connector_id = await _open(deps, source)
    found = Found(connector_id=connector_id)
    cursor = after
    raw_warnings: list[ReadWarning] = []
    for _ in range(max_calls):
        page = await afas.fetch_page(
            connector_id,
            key=source.key,
            filters=list(filters),
            take=limit - len(found.rows),
            after=cursor,
            required_fields=_relied_on(source, filters),
        )
        raw_warnings.extend(page.warnings)
        for row in page.rows:
            if row.shell:
                found.shells.append(row)
            elif keep is None or keep(row):
                found.rows.append(row)
            else:
                found.left_out += 1
        cursor = page.next_cursor
        # Every row of every page is either shown or counted, so the cursor stays exact.
        if cursor is None or len(found.rows) >= limit:
            break
    found.next_cursor = cursor
    found.warnings = _merge(raw_warnings)
    return found


def not_blocked(row: Row) -> bool:
    """The `keep` of lists that leave blocked records out unless asked."""
    # Through `flag`: after an administrator retyped the field, "true" must still mean blocked.
    return flag(row.values.get("Blocked")) is not True


def shells_left_out(kind: str, found: Found) -> list[DataWarning]:
    """The warning for the shells a page left out (R5), if there were any."""
    if not found.shells:
        return []
    return [shell_warning(kind, found.shells, connector_id=found.connector_id)]


async def find_one(deps: ToolDeps, source: Source, value: object) -> tuple[Row | None, Found]:
    """The row whose single key field equals `value` (a shell counts), or None."""
    (key_field,) = source.key
    groups = to_groups(Filter(key_field, Operator.EQUALS, value))
    found = await read_page(deps, source, filters=groups, limit=2, after=None)
    rows = found.rows + found.shells
    return (rows[0] if rows else None), found


async def read_all(deps: ToolDeps, source: Source, *, filters: Sequence[FilterGroup] = ()) -> Found:
    """Every row matching `filters`, read to AFAS's short last page (R8); shells split off."""
    afas, connector_id = await _open(deps, source)
    stream = afas.rows(
        connector_id,
        key=source.key,
        filters=list(filters),
        required_fields=_relied_on(source, filters),
    )
    found = Found(connector_id=connector_id)
    async for row in stream:
        (found.shells if row.shell else found.rows).append(row)
    found.warnings = _merge(stream.warnings)
    return found


# --- input fields every list tool shares -------------------------------------------------------

# A record number as AFAS keys them (debtor, creditor, project); surrounding spaces dropped.
RecordNumber = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=16)]
# Free text for "contains" filters. Wildcards are refused: AFAS would read them as its own
# pattern syntax, and the answer would no longer be the plain match the tool promises.
SearchText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80, pattern=r"^[^%*]*$")
]


# --- the tools' own cursors ----------------------------------------------------------------------


def limit_field(default: int, maximum: int) -> Any:
    """The `limit` input field: bounded, with the same words on every list tool."""
    return Field(
        default,
        ge=1,
        le=maximum,
        description=f"Results per page (1 to {maximum}; default {default}). A page can hold "
        "fewer when blocked or deleted records were left out; continue while next_cursor is set.",
    )


def cursor_field() -> Any:
    """The `cursor` input field."""
    return Field(
        None,
        description="next_cursor from the previous page; omit for the first page. It only "
        "works with the same other arguments (limit may change).",
    )


def _digest(tool: str, args: ToolInput) -> str:
    shown = args.model_dump(mode="json", exclude={"limit", "cursor"})
    canonical = json.dumps({"tool": tool, "args": shown}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def seal_cursor(tool: str, args: ToolInput, after: str | None) -> str | None:
    """The cursor handed to the agent: the client's cursor bound to these arguments."""
    if after is None:
        return None
    payload = json.dumps({"q": _digest(tool, args), "after": after}, separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def open_cursor(tool: str, args: ToolInput, cursor: str | None) -> str | None:
    """The client's cursor inside an agent's cursor, or an error saying what to change."""
    if cursor is None:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        payload = json.loads(base64.urlsafe_b64decode(padded.encode()))
        query, after = payload["q"], payload["after"]
    except (binascii.Error, ValueError, KeyError, TypeError):
        raise InvalidToolInput(
            "the cursor is not one this tool handed out",
            hint="Pass next_cursor exactly as returned, or omit cursor for the first page",
        ) from None
    if query != _digest(tool, args) or not isinstance(after, str):
        raise InvalidToolInput(
            f"the cursor belongs to a {tool} call with other arguments",
            hint="Repeat the arguments of the page the cursor came from (only limit may "
            "change), or omit cursor to start from the first page",
        )
    return after
