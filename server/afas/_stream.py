"""`rows()`: read a whole result set page by page without losing or repeating a row.

AFAS gives no total count (R8), may count `skip` from one (R12), may cap `take` silently (R13),
answers too large a page with "Out of memory" (R13), and slows down beyond a skip of ~100,000
(R17). So a read:

- orders by the caller's fields and then the key, always (R15);
- stops only on a page shorter than it asked for, never on a full one (R8);
- overlaps each page with the last row of the previous one. Finding that row where expected
  proves the pages join; finding it later shows AFAS repeated rows (de-duplicated by key and
  reported, R12); not finding it means rows may have shifted, and the read continues by key
  range from the last key instead (or fails when the order is not the key);
- halves the page on an out-of-memory 500 and carries on (R13);
- continues by key range instead of a skip beyond 100,000 (R17);
- checks every row against the filter and fails when AFAS ignored it (R14);
- believes an empty answer to a filtered call only once fresh metainfo still has the fields the
  query named (R2 with R6; see `Reader.vouch_for_empty`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence

from server.afas._plan import MAX_TAKE, Plan
from server.afas._reader import Reader, Tally, after_groups, wire_key
from server.afas.errors import (
    AfasFilterIgnored,
    AfasOutOfMemory,
    AfasPagingError,
    AfasTooFewRows,
)
from server.afas.filters import FilterGroup, evaluate
from server.afas.models import ReadWarning, Row

__all__ = ["SKIP_LIMIT", "PlanFactory", "RowStream", "check_filter", "scan"]

PlanFactory = Callable[[], Awaitable[Plan]]

# Beyond this skip AFAS documents reads as unacceptably slow (R17).
SKIP_LIMIT = 100_000


def check_filter(plan: Plan, groups: Sequence[FilterGroup], row: Row) -> None:
    """Raise when AFAS returned a row that violates the filter asked for (R14)."""
    if not evaluate(groups, row.values, plan.types, shell_row=row.shell):
        shown = ", ".join(f"{k}={v}" for k, v in zip(plan.key, row.key, strict=True))
        raise AfasFilterIgnored(
            f"AFAS returned a row that does not match the filter ({shown}); it answered an "
            "unfiltered or different question, so the whole answer is refused",
            connector=plan.connector,
        )


async def scan(
    reader: Reader,
    plan: Plan,
    groups: tuple[FilterGroup, ...],
    tally: Tally,
    *,
    seen: set[tuple[object, ...]],
    limit: int | None,
) -> AsyncIterator[Row]:
    """Yield every row matching `groups` once, in AFAS's order (see the module docstring)."""
    page_size = min(plan.page_size, MAX_TAKE - 1)
    if plan.page_size > page_size:  # only a size the caller asked for: the default fits
        tally.warn(
            "page_size_clamped",
            f"page size lowered to {page_size}: some tenants cap take at {MAX_TAKE} without a "
            "word, which would end the read early (R13)",
        )
    scanned: set[tuple[object, ...]] = set()
    position = 0  # rows of AFAS's ordered result consumed so far
    last: tuple[str, ...] | None = None  # key of the last row, as filter strings
    last_key: tuple[object, ...] | None = None
    by_key = False
    while True:
        want = page_size if limit is None else min(page_size, limit - tally.rows)
        if (
            not by_key
            and last is not None
            and plan.keyset
            and position + want > SKIP_LIMIT
            and reader.fits(plan, after_groups(plan, groups, last))
        ):
            by_key = True
            tally.warn(
                "keyset_continuation",
                f"past {SKIP_LIMIT:,} rows the read continued by key range instead of skip (R17)",
            )
        elif not by_key and position + want > SKIP_LIMIT:
            tally.warn(
                "large_skip",
                f"skip passed {SKIP_LIMIT:,}, which AFAS documents as very slow; order by the key "
                "alone, or narrow the filter, to avoid it (R17)",
            )
        sentinel = not by_key and last_key is not None
        skip = position - 1 if sentinel else 0
        take = want + 1 if sentinel else want
        sent = after_groups(plan, groups, last) if by_key and last is not None else groups
        try:
            page = await reader.page(plan, sent, skip=skip, take=take, tally=tally)
        except AfasOutOfMemory:
            if page_size <= 1:
                raise
            page_size = max(1, page_size // 2)
            tally.warn(
                "page_shrunk",
                f"AFAS ran out of memory; pages shrunk to {page_size} rows and the read went on "
                "(R13)",
            )
            continue
        rows = page.rows
        full = take
        echoed = page.echoed_take
        if echoed is not None and echoed < take and len(rows) == echoed:
            full = echoed
            page_size = max(1, full - 1)
            tally.warn(
                "take_capped",
                f"AFAS returned at most {full} rows per call although more were asked; pages "
                f"lowered to {page_size} (R13)",
            )
        if sentinel and last_key not in [r.key for r in rows]:
            if plan.keyset and last is not None:
                by_key = True
                tally.warn(
                    "paging_shifted",
                    "the previous page's last row was not where expected (rows shifted, or skip "
                    "is off); the read continued by key range from it, so nothing is lost (R12)",
                )
                continue
            raise AfasPagingError(
                "the previous page's last row was not where expected: rows shifted between "
                "calls or AFAS miscounted skip, so rows may be missing. Read again, or order by "
                "the key alone so the read can continue by key range (R12, R15)",
                connector=plan.connector,
            )
        fresh = repeated = 0
        for row in rows:
            check_filter(plan, groups, row)
            if row.key in scanned:
                repeated += 1
                continue
            scanned.add(row.key)
            fresh += 1
            if row.key in seen:
                continue  # already yielded by another partition of the same read
            seen.add(row.key)
            tally.rows += 1
            tally.shells += row.shell
            yield row
            if limit is not None and tally.rows >= limit:
                return
        overlap = repeated - (1 if sentinel else 0)
        if overlap > 0:
            tally.warn(
                "overlap_deduplicated",
                "AFAS returned rows already read on the previous page (skip counted from one, or "
                "an unstable order); they were de-duplicated by key (R12)",
                overlap,
            )
        if len(rows) < full:
            return  # a short page is the only end AFAS signals (R8)
        if fresh == 0:
            raise AfasPagingError(
                "AFAS returned a full page of rows already read; it seems to ignore skip or the "
                "key-range filter, so the read stops rather than loop",
                connector=plan.connector,
            )
        position = skip + len(rows)
        last_row = rows[-1]
        last_key = last_row.key
        last = wire_key(plan, last_row)
        if last is None and by_key:
            raise AfasPagingError(
                "a key value is empty, so the read cannot continue by key range",
                connector=plan.connector,
            )


class RowStream:
    """The rows of one read, as an async iterator, with the warnings it collected.

    Iterate it (`async for row in afas.rows(...)`), then read `warnings`; or `await collect()`.
    """

    def __init__(
        self,
        reader: Reader,
        prepare: PlanFactory,
        *,
        connector: str,
        limit: int | None,
        min_rows: int | None,
    ) -> None:
        self._reader = reader
        self._prepare = prepare
        self._limit = limit
        self._min_rows = min_rows
        self._tally = Tally(connector)
        self._iterator: AsyncIterator[Row] | None = None

    @property
    def warnings(self) -> tuple[ReadWarning, ...]:
        """What the read noticed so far (overlaps, shells, shrunk pages, split queries, ...)."""
        return self._tally.warnings()

    @property
    def calls(self) -> int:
        """GetConnector calls made so far."""
        return self._tally.calls

    def __aiter__(self) -> RowStream:
        return self

    async def __anext__(self) -> Row:
        if self._iterator is None:
            self._iterator = self._run()
        return await anext(self._iterator)

    async def collect(self) -> list[Row]:
        """Read everything and return it as a list."""
        return [row async for row in self]

    async def _run(self) -> AsyncIterator[Row]:
        if self._limit is not None and self._limit < 1:
            return
        plan = await self._prepare()
        seen: set[tuple[object, ...]] = set()
        for part in self._reader.partitions(plan, plan.groups, self._tally):
            async for row in scan(
                self._reader, plan, part, self._tally, seen=seen, limit=self._limit
            ):
                yield row
                if self._limit is not None and self._tally.rows >= self._limit:
                    return
        if self._min_rows is not None and self._tally.rows < self._min_rows:
            raise AfasTooFewRows(
                f"only {self._tally.rows} row(s) where at least {self._min_rows} were expected; "
                "a filter that matches nothing usually means a wrong field or value (R2)",
                connector=plan.connector,
            )
