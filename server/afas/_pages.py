"""`fetch_page()`: one page at a time for tools that hand agents a cursor.

When the order is the key, the cursor holds the last key and the next page is "rows after it"
(a keyset cursor: immune to skip counting and to rows inserted or deleted in between). Otherwise
the cursor holds a position, and the page overlaps the previous page's last row to prove the two
join (R12). Asking one row more than needed tells whether another page exists, without an extra
call (R8). A filter too long for one query string is split over several calls whose rows are
merged by key (R16); only keyset pages can be merged, so another order refuses such a filter.

Cursors are opaque to callers and bound to the query they came from: a cursor from another
connector, key, order or filter is refused.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from itertools import pairwise

from server.afas._plan import MAX_TAKE, Plan
from server.afas._reader import QUERY_LIMIT, Reader, Tally, after_groups, wire_key
from server.afas._stream import check_filter
from server.afas.errors import (
    AfasOutOfMemory,
    AfasPagingError,
    AfasQueryTooLong,
    AfasRequestRefused,
)
from server.afas.filters import wire_value
from server.afas.models import Page, Row

__all__ = ["fetch_page"]


@dataclass(frozen=True, slots=True)
class _Cursor:
    query: str  # fingerprint of the query the cursor belongs to
    last: tuple[str, ...]  # key of the last row returned, as filter strings
    position: int | None  # server position after that row (skip cursors only)

    def encode(self) -> str:
        data = {"q": self.query, "k": list(self.last), "p": self.position}
        raw = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")

    @classmethod
    def decode(cls, text: str, *, connector: str) -> _Cursor:
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            data = json.loads(raw)
            last = tuple(str(v) for v in data["k"])
            position = data["p"]
            if position is not None and not isinstance(position, int):
                raise TypeError
            return cls(query=str(data["q"]), last=last, position=position)
        except (ValueError, TypeError, KeyError):
            raise AfasRequestRefused(
                "the cursor is not one this client issued", connector=connector
            ) from None


def _fingerprint(plan: Plan) -> str:
    groups = [
        [[f.field, int(f.operator), wire_value(f, plan.types[f.field])] for f in group]
        for group in plan.groups
    ]
    shape = json.dumps([plan.connector, plan.key, plan.order, groups], ensure_ascii=False)
    return hashlib.sha256(shape.encode("utf-8")).hexdigest()[:16]


async def fetch_page(reader: Reader, plan: Plan, *, take: int, after: str | None) -> Page:
    """Return up to `take` rows after the cursor `after` (None: the first page)."""
    tally = Tally(plan.connector)
    if take < 1:
        raise ValueError("take must be at least 1")
    limit = MAX_TAKE - 2
    if take > limit:
        tally.warn("page_size_clamped", f"take lowered to {limit} (R13)")
        take = limit
    fingerprint = _fingerprint(plan)
    cursor = _Cursor.decode(after, connector=plan.connector) if after else None
    if cursor is not None and cursor.query != fingerprint:
        raise AfasRequestRefused(
            "the cursor belongs to another query (connector, key, order or filter differ); "
            "start again without a cursor",
            connector=plan.connector,
        )
    while True:
        try:
            if plan.keyset:
                last = cursor.last if cursor is not None else None
                skip, start, asked = 0, 0, take + 1
                rows = await _after_key(reader, plan, last, asked, tally)
            else:
                skip, start, asked, rows = await _after_position(reader, plan, cursor, take, tally)
            break
        except AfasOutOfMemory:
            if take <= 1:
                raise
            take = max(1, take // 2)
            tally.warn("page_shrunk", f"AFAS ran out of memory; page shrunk to {take} (R13)")
    fresh = rows[start:]
    out: tuple[Row, ...] = tuple(fresh[:take])
    tally.rows = len(out)
    tally.shells = sum(row.shell for row in out)
    next_cursor = None
    # More rows exist when we got more than `take` new ones; when AFAS repeated rows, the extra
    # row may have been eaten, so a full answer also gets a cursor (the next page may be empty).
    if out and (len(fresh) > take or len(rows) >= asked):
        last_key = wire_key(plan, out[-1])
        if last_key is None:
            raise AfasPagingError(
                "a key value is empty, so no cursor can point past it", connector=plan.connector
            )
        position = None if plan.keyset else skip + start + len(out)
        next_cursor = _Cursor(fingerprint, last_key, position).encode()
    return Page(rows=out, next_cursor=next_cursor, warnings=tally.warnings())


async def _after_key(
    reader: Reader, plan: Plan, last: tuple[str, ...] | None, asked: int, tally: Tally
) -> list[Row]:
    """The first `asked` rows after the key `last`, in key order (a keyset page).

    A filter too long for one query string is read in parts (R16): each part's first `asked`
    rows hold every row of the union's first `asked`, so merging them by key and cutting gives
    exactly the page one call would have given.
    """
    groups = after_groups(plan, plan.groups, last) if last is not None else plan.groups
    parts = reader.partitions(plan, groups, tally)
    found: dict[tuple[object, ...], Row] = {}
    for part in parts:
        page = await reader.page(plan, part, skip=0, take=asked, tally=tally)
        for row in page.rows:
            check_filter(plan, part, row)
            found.setdefault(row.key, row)
        if len(parts) > 1:
            _check_key_order(plan, page.rows)
    rows = list(found.values())
    if len(parts) > 1:
        rows.sort(key=_collated)
    return rows[:asked]


async def _after_position(
    reader: Reader, plan: Plan, cursor: _Cursor | None, take: int, tally: Tally
) -> tuple[int, int, int, list[Row]]:
    """A page in another order than the key: skip, overlapping the previous page's last row.

    Returns the skip sent, where the new rows start, the rows asked for and the rows.
    """
    if not reader.fits(plan, plan.groups):
        raise AfasQueryTooLong(
            f"the filter is too long for one query string ({QUERY_LIMIT} characters), and pages "
            "in another order than the key cannot be split over several calls; order by the key "
            "alone (the default), or use fewer values. Nothing was sent",
            connector=plan.connector,
        )
    if cursor is None or cursor.position is None:
        skip, asked = 0, take + 1
    else:
        skip, asked = max(0, cursor.position - 1), take + 2
    page = await reader.page(plan, plan.groups, skip=skip, take=asked, tally=tally)
    rows = page.rows
    for row in rows:
        check_filter(plan, plan.groups, row)
    if cursor is None:
        return skip, 0, asked, rows
    keys = [wire_key(plan, row) for row in rows]
    if cursor.last not in keys:
        raise AfasPagingError(
            "the previous page's last row is no longer where it was (rows shifted, or AFAS "
            "miscounted skip); start again without a cursor (R12)",
            connector=plan.connector,
        )
    start = keys.index(cursor.last) + 1
    if start > 1:
        tally.warn(
            "overlap_deduplicated",
            "AFAS returned rows of the previous page again; they were dropped (R12)",
            start - 1,
        )
    return skip, start, asked, rows


def _collated(row: Row) -> tuple[tuple[int, object], ...]:
    """A row's key as AFAS's database orders it: nulls first, text without case (R15)."""
    return tuple(
        (0, "") if v is None else (1, v.casefold().rstrip() if isinstance(v, str) else v)
        for v in row.key
    )


def _check_key_order(plan: Plan, rows: list[Row]) -> None:
    """Refuse to merge parts whose key order the client cannot reproduce."""
    keys = [_collated(row) for row in rows]
    if any(a > b for a, b in pairwise(keys)):
        raise AfasPagingError(
            "AFAS orders this key differently from how the client compares it, so the parts of a "
            "filter too long for one call cannot be merged into one page safely; use fewer filter "
            "values so one call holds them (R16)",
            connector=plan.connector,
        )
