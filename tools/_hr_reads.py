"""Reads the hr and payroll toolsets share: whole reads and pages, cursors, shell notes.

A GetConnector answer is only as good as the question: a filter on a field an administrator has
removed may come back as an empty 200 (R2, with R6), and an empty answer would then read as "no
such employee". The client guards against that: every field a read here reports, sorts or
filters on is passed to it as required, so a field gone from metainfo fails the read naming
connector and field (R6), and an empty answer to a filtered read is believed only after a fresh
look at metainfo.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from server.afas.client import AfasClient
from server.afas.filters import FilterSpec, to_groups
from server.afas.models import ReadWarning, Row
from server.outcomes import InvalidToolInput
from tools.base import DataWarning, data_warnings

# Rows per GetConnector call: well inside AFAS's columns x rows guideline for these narrow
# connectors, so a page rarely runs out of memory (R13).
PAGE_SIZE = 500


@dataclass(frozen=True, slots=True)
class Fetched:
    """The rows of one read and what the client noticed while reading them."""

    rows: list[Row]
    warnings: list[DataWarning]


def _relied_on(key: Sequence[str], fields: Iterable[str], filters: FilterSpec) -> set[str]:
    """Every field a read relies on: the ones it reports, the key and the filter fields."""
    return set(fields) | set(key) | {item.field for group in to_groups(filters) for item in group}


def _noticed(warnings: Sequence[ReadWarning]) -> list[DataWarning]:
    # Splitting a long filter over several calls is the client's business, not a data problem.
    return without_codes(data_warnings(warnings), "query_split")


async def read_rows(
    afas: AfasClient,
    connector: str,
    *,
    key: Sequence[str],
    fields: Iterable[str],
    filters: FilterSpec = None,
    limit: int | None = None,
) -> Fetched:
    """Read every row matching `filters`, requiring `fields` on each (R6)."""
    stream = afas.rows(
        connector,
        key=key,
        filters=filters,
        page_size=PAGE_SIZE,
        limit=limit,
        required_fields=_relied_on(key, fields, filters),
    )
    rows = await stream.collect()
    return Fetched(rows, _noticed(stream.warnings))


async def read_first(
    afas: AfasClient,
    connector: str,
    *,
    key: Sequence[str],
    fields: Iterable[str],
    filters: FilterSpec,
    take: int,
) -> Fetched:
    """The first `take` rows matching `filters` in key order, however long the filter (R16)."""
    page = await afas.fetch_page(
        connector,
        key=key,
        filters=filters,
        take=take,
        required_fields=_relied_on(key, fields, filters),
    )
    return Fetched(list(page.rows), _noticed(page.warnings))


def without_codes(warnings: Iterable[DataWarning], *codes: str) -> list[DataWarning]:
    """The warnings minus those a tool replaces with its own, more specific one."""
    return [w for w in warnings if w.code not in codes]


def shells_left_out(keys: Sequence[str], *, what: str) -> DataWarning:
    """The warning for blocked or deleted records left out of a list (R5)."""
    shown = ", ".join(keys[:10]) + (f" and {len(keys) - 10} more" if len(keys) > 10 else "")
    return DataWarning(
        code="shell_rows_left_out",
        message=f"{len(keys)} {what} came back from AFAS as blocked or deleted records (code "
        f"only, every other field empty) and were left out: {shown}",
        count=len(keys),
    )


# --- cursors -------------------------------------------------------------------------------------


def query_digest(tool: str, **arguments: Any) -> str:
    """A short fingerprint of a tool's query arguments (everything but limit and cursor)."""
    canonical = json.dumps(
        {"tool": tool, **arguments}, sort_keys=True, separators=(",", ":"), default=str
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def seal_cursor(digest: str, position: Any) -> str:
    """An opaque cursor that only works with the query it came from."""
    payload = json.dumps({"q": digest, "p": position}, separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode("utf-8")).decode("ascii").rstrip("=")


def open_cursor(cursor: str, digest: str) -> Any:
    """The position inside a cursor this toolset handed out for the same query.

    Raises:
        InvalidToolInput: not a cursor of ours, or one from a query with other arguments.
    """
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = json.loads(raw)
        query, position = payload["q"], payload["p"]
    except (binascii.Error, ValueError, KeyError, TypeError):
        raise InvalidToolInput(
            "the cursor is not one this tool handed out",
            hint="Pass next_cursor exactly as it was returned, or omit cursor for the first page",
        ) from None
    if query != digest:
        raise InvalidToolInput(
            "the cursor belongs to a query with other arguments (or from another day, for "
            "filters that depend on today's date)",
            hint="Repeat the arguments of the page the cursor came from, or omit cursor to start "
            "again from the first page",
        )
    return position
