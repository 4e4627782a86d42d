"""One GetConnector call and what every read does with its answer.

Builds the query (order always given, R15), refuses or partitions query strings over AFAS's
2049-character limit (R16), normalises each row by metainfo (R4, R7), flags shells (R5), checks
required fields (R6), believes an empty answer to a filtered call only once fresh metainfo still
has every field the query named (R2 with R6), and builds the key-range filters that continue a
read without a huge skip (R17).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import quote

from server.afas._http import Session
from server.afas._plan import MAX_TAKE, Plan, check_required
from server.afas.errors import (
    AfasConnectorDrift,
    AfasQueryTooLong,
    AfasUnexpectedResponse,
    AfasValidationError,
    AfasValueError,
)
from server.afas.filters import (
    Filter,
    FilterGroup,
    Operator,
    encode_filters,
    query_string,
)
from server.afas.models import ConnectorMeta, ReadWarning, Row
from server.afas.values import format_filter_value, is_shell, normalise

__all__ = ["QUERY_LIMIT", "Host", "Reader", "Tally"]

# AFAS answers 404 when the query string (from `?` on) is longer than this.
QUERY_LIMIT = 2049
# Digits of the largest skip and take a read may send, to measure a query before its last call.
_WORST_SKIP, _WORST_TAKE = 99_999_999, MAX_TAKE


class Host(Protocol):
    """What the reader needs from the client."""

    session: Session

    async def get_connector_meta(
        self, connector_id: str, *, refresh: bool = False
    ) -> ConnectorMeta: ...

    def forget_meta(self, connector_id: str) -> None: ...


@dataclass
class Tally:
    """What one read noticed: warnings by code, calls made, rows and shells seen.

    `rechecked` is set once metainfo was fetched afresh to vouch for an empty answer, so a read
    does that at most once.
    """

    connector: str
    calls: int = 0
    rows: int = 0
    shells: int = 0
    rechecked: bool = False
    _warnings: dict[str, ReadWarning] = field(default_factory=dict)

    def warn(self, code: str, message: str, count: int | None = None) -> None:
        """Record a warning; the same code again adds to its count instead of repeating."""
        old = self._warnings.get(code)
        if old is not None and count is not None:
            count += old.count or 0
        self._warnings[code] = ReadWarning(code, message, self.connector, count)

    def warnings(self) -> tuple[ReadWarning, ...]:
        found = list(self._warnings.values())
        if self.shells:
            found.append(
                ReadWarning(
                    "shell_rows",
                    f"{self.shells} row(s) came back as shells (key present, payload empty): "
                    "blocked or deleted records, flagged `shell` and not data (R5)",
                    self.connector,
                    self.shells,
                )
            )
        return tuple(found)


@dataclass(frozen=True, slots=True)
class RawPage:
    """The rows of one call and the `take` AFAS echoed."""

    rows: list[Row]
    echoed_take: int | None


class Reader:
    """Shared by `rows()` and `fetch_page()`."""

    def __init__(self, host: Host) -> None:
        self.host = host

    def query(self, plan: Plan, groups: Sequence[FilterGroup], *, skip: int, take: int) -> str:
        params = [
            ("skip", str(skip)),
            ("take", str(take)),
            ("orderbyfieldids", ",".join(plan.order)),
        ]
        return query_string(params + encode_filters(groups, plan.types))

    def fits(self, plan: Plan, groups: Sequence[FilterGroup]) -> bool:
        """Whether a read with these groups stays under the limit on every call it could make."""
        query = self.query(plan, groups, skip=_WORST_SKIP, take=_WORST_TAKE)
        return len(query) + 1 <= QUERY_LIMIT

    def partitions(
        self, plan: Plan, groups: tuple[FilterGroup, ...], tally: Tally
    ) -> list[tuple[FilterGroup, ...]]:
        """Split OR-groups over several reads when one query string would be too long (R16).

        Raises:
            AfasQueryTooLong: one AND-group alone is too long; it cannot be split.
        """
        if self.fits(plan, groups):
            return [groups]
        parts: list[tuple[FilterGroup, ...]] = []
        current: tuple[FilterGroup, ...] = ()
        for group in groups:
            if not self.fits(plan, (group,)):
                raise AfasQueryTooLong(
                    f"one filter group alone makes the query string longer than AFAS's "
                    f"{QUERY_LIMIT} characters (AFAS would answer 404); use fewer or shorter "
                    "values",
                    connector=plan.connector,
                )
            if current and not self.fits(plan, (*current, group)):
                parts.append(current)
                current = ()
            current = (*current, group)
        parts.append(current)
        tally.warn(
            "query_split",
            f"the filter was too long for one query string ({QUERY_LIMIT} characters); it was "
            f"split into {len(parts)} reads and the results joined (R16)",
            len(parts),
        )
        return parts

    async def page(
        self, plan: Plan, groups: Sequence[FilterGroup], *, skip: int, take: int, tally: Tally
    ) -> RawPage:
        """Make one call and return its rows, normalised.

        Raises:
            AfasQueryTooLong: the query string would pass 2049 characters (nothing is sent).
            AfasConnectorDrift: AFAS no longer knows a field metainfo listed, a row lacks a
                required field, or a filtered call came back empty and fresh metainfo lacks a
                field the query named (R2, R6).
        """
        connector = plan.connector
        query = self.query(plan, groups, skip=skip, take=take)
        if len(query) + 1 > QUERY_LIMIT:
            raise AfasQueryTooLong(
                f"the query string would be {len(query) + 1} characters; AFAS answers 404 above "
                f"{QUERY_LIMIT}. Nothing was sent",
                connector=connector,
            )
        try:
            response = await self.host.session.send(
                "GET",
                f"/connectors/{quote(connector, safe='')}",
                query=query,
                connector=connector,
                lock=connector,
            )
        except AfasValidationError as exc:
            text = (exc.external_message or "").lower()
            if "field" in text and "not found" in text:
                self.host.forget_meta(connector)
                raise AfasConnectorDrift(
                    f"AFAS does not know a field its metainfo listed ({exc.external_message}); "
                    "the GetConnector was changed",
                    connector=connector,
                    fields=(),
                ) from None
            raise
        tally.calls += 1
        try:
            body = response.json()
        except ValueError:
            raise AfasUnexpectedResponse("the answer is not JSON", connector=connector) from None
        raw_rows = body.get("rows") if isinstance(body, dict) else None
        if not isinstance(raw_rows, list) or not all(isinstance(r, dict) for r in raw_rows):
            raise AfasUnexpectedResponse("the answer has no list of rows", connector=connector)
        echoed = body.get("take")
        echoed_take = echoed if isinstance(echoed, int) and not isinstance(echoed, bool) else None
        if not raw_rows and groups:
            await self.vouch_for_empty(plan, tally)
        return RawPage([self.row(plan, raw, tally) for raw in raw_rows], echoed_take)

    async def vouch_for_empty(self, plan: Plan, tally: Tally) -> None:
        """Believe an empty answer to a filtered call only if the query's fields still exist.

        AFAS may answer a filter on a field an administrator removed with an empty 200 instead
        of its 500 (R2), and the cached metainfo the read was planned with still lists the field
        (R6). So metainfo is fetched afresh, once per read.

        Raises:
            AfasConnectorDrift: a field the query named or the rows need is gone or changed type.
        """
        if tally.rechecked:
            return
        tally.rechecked = True
        fresh = await self.host.get_connector_meta(plan.connector, refresh=True)
        changed = []
        for name in sorted(plan.named):
            found = fresh.get(name)
            if found is None or found.data_type != plan.types[name]:
                changed.append(name)
        if changed:
            raise AfasConnectorDrift(
                f"AFAS answered no rows, and field(s) {', '.join(changed)} that the query names "
                "are no longer in the connector's metainfo (or changed type) since the read was "
                "planned: an AFAS administrator changed the GetConnector. The empty answer was not "
                "taken as 'nothing found'",
                connector=plan.connector,
                fields=tuple(changed),
            )
        check_required(fresh, plan.connector, plan.required)

    def row(self, plan: Plan, raw: dict[str, object], tally: Tally) -> Row:
        """Normalise one row by metainfo and flag it when it is a shell (R4, R5, R7)."""
        missing = tuple(sorted(name for name in plan.required if name not in raw))
        if missing:
            self.host.forget_meta(plan.connector)
            raise AfasConnectorDrift(
                f"rows no longer carry required field(s) {', '.join(missing)}; the GetConnector "
                "was changed",
                connector=plan.connector,
                fields=missing,
            )
        types = plan.types
        values: dict[str, object] = {}
        for name, value in raw.items():
            data_type = types.get(name)
            if data_type is None:
                tally.warn(
                    "unknown_field",
                    f"rows carry field {name!r}, which metainfo does not list; passed on as sent "
                    "(R6)",
                )
                values[name] = value
                continue
            try:
                values[name] = normalise(value, data_type, decimals=plan.decimals(name))
            except AfasValueError as exc:
                raise AfasValueError(
                    f"field {name} ({data_type}): {exc.message}", connector=plan.connector
                ) from None
        shell = is_shell(values, key=plan.key, types=types)
        return Row(values=values, key=tuple(values[k] for k in plan.key), shell=shell, raw=raw)


def wire_key(plan: Plan, row: Row) -> tuple[str, ...] | None:
    """The row's key as filter strings, or None when a key value is empty."""
    if any(value is None for value in row.key):
        return None
    return tuple(
        format_filter_value(value, plan.types[name])
        for name, value in zip(plan.key, row.key, strict=True)
    )


def after_groups(
    plan: Plan, groups: Sequence[FilterGroup], last: Sequence[str]
) -> tuple[FilterGroup, ...]:
    """The filter for "rows after `last` in key order", ANDed into each caller group (R17).

    For a key (k1, k2) that is `k1 > v1 OR (k1 = v1 AND k2 > v2)`.
    """
    ranges: list[list[Filter]] = []
    for index, name in enumerate(plan.key):
        equal = [
            Filter(k, Operator.EQUALS, v) for k, v in zip(plan.key[:index], last, strict=False)
        ]
        ranges.append([*equal, Filter(name, Operator.GREATER_THAN, last[index])])
    bases: Sequence[tuple[Filter, ...]] = [tuple(g) for g in groups] or [()]
    return tuple(FilterGroup(*base, *extra) for base in bases for extra in ranges)
