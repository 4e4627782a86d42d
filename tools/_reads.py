"""Reading one connector for the finance, crm and projects tools: pages, single records, sets.

Every read names the fields it cannot do without (declared on the client, so a drifted connector
fails loudly with the connector and field named, R6), is ordered by the connector's key (R15),
and pages with the client's keyset cursor (R8, R12). On top of the client:

- a page is filled up to `limit` with rows the tool keeps: shells (R5) and rows the tool leaves
  out (blocked records, by default) are counted, never silently dropped, and the next call
  carries on exactly after the last row read;
- a filtered read, or a page after a cursor (a filter on the key), that comes back empty is
  checked against fresh metainfo: AFAS answers a filter on a field it no longer has with an
  empty 200 (R2 after R6), which would otherwise read as "nothing found" or "no more pages";
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
from server.afas.errors import AfasConnectorDrift
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

# The client's own shell warning only counts; the tools name the keys instead.
_REPLACED = frozenset({"shell_rows"})
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
        if warning.code in _REPLACED:
            continue
        old = merged.get(warning.code)
        count = warning.count
        if old is not None and old.count is not None and count is not None:
            count += old.count
        merged[warning.code] = DataWarning(code=warning.code, message=warning.message, count=count)
    return list(merged.values())


async def _check_empty_answer(
    afas: AfasClient, connector_id: str, groups: Sequence[FilterGroup], key: Sequence[str] = ()
) -> None:
    """Raise when an empty answer to a filter may only mean AFAS could not apply it (R2, R6).

    Metainfo is cached; an administrator may have removed or renamed a filtered field since, and
    AFAS may answer such a filter with an empty 200. Fresh metainfo settles it. `key` names the
    key fields when the read continued from a cursor: that is a filter on the key.
    """
    meta = await afas.get_connector_meta(connector_id, refresh=True)  # checks declared fields
    filtered = {item.field for group in groups for item in group} | set(key)
    missing = tuple(sorted(name for name in filtered if meta.get(name) is None))
    if missing:
        raise AfasConnectorDrift(
            f"filter field(s) {', '.join(missing)} are no longer in the connector's metainfo, so "
            "AFAS's empty answer means nothing; an AFAS administrator changed the GetConnector",
            connector=connector_id,
            fields=missing,
        )


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
    cursor, seen = after, 0
    raw_warnings: list[ReadWarning] = []
    for _ in range(max_calls):
        page = await afas.fetch_page(
            connector_id,
            key=source.key,
            filters=list(filters),
            take=limit - len(found.rows),
            after=cursor,
            required_fields=source.required,
        )
        raw_warnings.extend(page.warnings)
        seen += len(page.rows)
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
    if seen == 0 and (filters or after is not None):
        # A page after a cursor is asked for as "key greater than the last one": a filter too,
        # so an empty continuation can also be AFAS failing to apply it.
        await _check_empty_answer(afas, connector_id, filters, source.key if after else ())
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


async def read_all(
    deps: ToolDeps, source: Source, *, filters: Sequence[FilterGroup] = (), page_size: int = 200
) -> Found:
    """Every row matching `filters`, read to AFAS's short last page (R8); shells split off."""
    afas, connector_id = await _open(deps, source)
    stream = afas.rows(
        connector_id,
        key=source.key,
        filters=list(filters),
        page_size=page_size,
        required_fields=source.required,
    )
    found = Found(connector_id=connector_id)
    async for row in stream:
        (found.shells if row.shell else found.rows).append(row)
    found.warnings = _merge(stream.warnings)
    if filters and not found.rows and not found.shells:
        await _check_empty_answer(afas, connector_id, filters)
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
