"""`fetch_page()`: one page at a time for tools that hand agents a cursor.

When the order is the key, the cursor holds the last key and the next page is "rows after it"
(a keyset cursor: immune to skip counting and to rows inserted or deleted in between). Otherwise
the cursor holds a position, and the page overlaps the previous page's last row to prove the two
join (R12). Asking one row more than needed tells whether another page exists, without an extra
call (R8).

Cursors are opaque to callers and bound to the query they came from: a cursor from another
connector, key, order or filter is refused.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass

from server.afas._plan import MAX_TAKE, Plan
from server.afas._reader import Reader, Tally, after_groups, wire_key
from server.afas._stream import check_filter
from server.afas.errors import AfasOutOfMemory, AfasPagingError, AfasRequestRefused
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
        sentinel = cursor is not None and cursor.position is not None
        if cursor is not None and cursor.position is None:
            groups, skip, asked = after_groups(plan, plan.groups, cursor.last), 0, take + 1
        elif cursor is not None and cursor.position is not None:
            groups, skip, asked = plan.groups, max(0, cursor.position - 1), take + 2
        else:
            groups, skip, asked = plan.groups, 0, take + 1
        try:
            page = await reader.page(plan, groups, skip=skip, take=asked, tally=tally)
            break
        except AfasOutOfMemory:
            if take <= 1:
                raise
            take = max(1, take // 2)
            tally.warn("page_shrunk", f"AFAS ran out of memory; page shrunk to {take} (R13)")
    rows = page.rows
    for row in rows:
        check_filter(plan, plan.groups, row)
    start = 0
    if sentinel and cursor is not None:
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
    fresh = rows[start:]
    out: tuple[Row, ...] = tuple(fresh[:take])
    tally.rows = len(out)
    tally.shells = sum(row.shell for row in out)
    next_cursor = None
    # More rows exist when we got more than `take` new ones; when AFAS repeated rows, the extra
    # row may have been eaten, so a full answer also gets a cursor (the next page may be empty).
    if out and (len(fresh) > take or len(rows) >= asked):
        last = wire_key(plan, out[-1])
        if last is None:
            raise AfasPagingError(
                "a key value is empty, so no cursor can point past it", connector=plan.connector
            )
        position = None if plan.keyset else skip + start + len(out)
        next_cursor = _Cursor(fingerprint, last, position).encode()
    return Page(rows=out, next_cursor=next_cursor, warnings=tally.warnings())
