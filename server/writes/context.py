"""The context builder: what the policies know about AFAS when they judge one write.

For each lookup the intent needs (`policies.required_lookups`), read AFAS through the client
(`server.writes.lookups`), or reuse a snapshot read for the same scope less than `rules.ttl(lookup)`
ago: open payroll and booking periods at most an hour (W2, W18), person matches, similar relations
and current values never (0 s), because a duplicate created a minute ago must block the next one.
An approval asks for a `fresh` context: every lookup is read again, and the cache is refreshed.

A lookup that fails goes into `PolicyContext.missing` with its reason; it never raises, and the
policies that need it then refuse the write (fail closed). The environment type comes from the
settings, today (Europe/Amsterdam) from the clock, the hour's write counts from the ledger.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Hashable, Mapping
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any, Protocol

from policies import Lookup, PolicyContext, PolicyRules, WriteIntent, required_lookups
from policies.context import Ambiguity, EnvironmentType, today_in_amsterdam
from server.afas.client import AfasClient
from server.afas.errors import AfasError
from server.store import WriteRecord, WriteStatus
from server.writes.lookups import LOADERS, Loaded, Loader, LookupSource, scope_of
from server.writes.readback import Connectors

__all__ = ["RECENT_WINDOW", "ContextBuilder", "WriteCounter"]

log = logging.getLogger(__name__)

RECENT_WINDOW = timedelta(hours=1)


class WriteCounter(Protocol):
    """The part of the write store the builder reads: the hour's writes per tool."""

    def clock(self) -> datetime: ...

    def count_recent(self, tool: str, *, since: datetime) -> int: ...


class ContextBuilder:
    """Builds `PolicyContext`s, caching each lookup per scope for its TTL.

    Args:
        rules: the policy rules (TTLs, and handed to the policies).
        connectors: the logical connector names of this environment.
        environment: the AFAS environment type (`production`, `test`, `accept`).
        ledger: where the hour's writes are counted (the `WriteStore`).
        clock: now, timezone-aware; today is its date in Amsterdam.
        monotonic: seconds, for cache ages; tests pass their own.
        loaders: the AFAS lookups (tests may replace one to make it fail).
    """

    def __init__(
        self,
        *,
        rules: PolicyRules,
        connectors: Connectors,
        environment: EnvironmentType,
        ledger: WriteCounter,
        clock: Callable[[], datetime],
        monotonic: Callable[[], float] = time.monotonic,
        loaders: Mapping[Lookup, Loader] = LOADERS,
    ) -> None:
        self.rules = rules
        self._connectors = connectors
        self._environment: EnvironmentType = environment
        self._ledger = ledger
        self._clock = clock
        self._monotonic = monotonic
        self._loaders = loaders
        self._cache: dict[tuple[Lookup, Hashable], tuple[float, Loaded]] = {}

    async def build(
        self,
        intent: WriteIntent,
        *,
        afas: AfasClient,
        fresh: bool = False,
        recorded: WriteRecord | None = None,
    ) -> PolicyContext:
        """The context for `intent`: only the lookups its tool's policies need.

        Args:
            intent: the write to judge.
            afas: the verified AFAS client.
            fresh: read every lookup again (an approval's re-check), ignoring the cache.
            recorded: the write as the ledger holds it, when it is already recorded (an
                approval); it is not counted among the hour's writes.
        """
        today = today_in_amsterdam(self._clock())
        source = LookupSource(afas=afas, connectors=self._connectors, today=today)
        wanted = sorted(required_lookups(intent))
        loaded: dict[str, Any] = {}
        missing: dict[Lookup, str] = {}
        ambiguities: list[Ambiguity] = []
        afas_lookups = [lookup for lookup in wanted if lookup is not Lookup.RECENT_WRITES]
        results = await asyncio.gather(
            *(self._lookup(lookup, intent, source, fresh=fresh) for lookup in afas_lookups)
        )
        for lookup, result in zip(afas_lookups, results, strict=True):
            if isinstance(result, str):
                missing[lookup] = result
            else:
                loaded[lookup.value] = result.value
                ambiguities += result.ambiguities
        if Lookup.RECENT_WRITES in wanted:
            try:
                loaded[Lookup.RECENT_WRITES.value] = self._recent_writes(intent.tool, recorded)
            except Exception as exc:  # the ledger unreadable: the budget policy refuses
                log.exception("counting recent writes failed")
                missing[Lookup.RECENT_WRITES] = f"the write ledger could not be read ({exc})"
        return PolicyContext(
            environment=self._environment,
            today=today,
            rules=self.rules,
            ambiguities=tuple(ambiguities),
            missing=MappingProxyType(missing),
            **loaded,
        )

    def forget(self) -> None:
        """Drop every cached lookup (the next builds read AFAS again)."""
        self._cache.clear()

    async def _lookup(
        self, lookup: Lookup, intent: WriteIntent, source: LookupSource, *, fresh: bool
    ) -> Loaded | str:
        """The lookup's snapshot, or the reason it could not be loaded."""
        key = (lookup, scope_of(lookup, intent))
        ttl = self.rules.ttl(lookup).total_seconds()
        cached = self._cache.get(key)
        if not fresh and cached is not None and self._monotonic() - cached[0] < ttl:
            return cached[1]
        loader = self._loaders.get(lookup)
        if loader is None:
            return "the server has no way to load it (a server bug; report it to the operator)"
        started = self._monotonic()
        try:
            result = await loader(source, intent)
        except AfasError as exc:
            return f"AFAS could not be read: {exc}"
        except (LookupError, ValueError) as exc:
            return str(exc)
        except Exception as exc:  # a loader bug must refuse the write, not let it through
            log.exception("loading lookup %s failed", lookup.value)
            return f"it could not be loaded ({type(exc).__name__})"
        if ttl > 0:
            self._cache[key] = (started, result)
        return result

    def _recent_writes(self, tool: str, recorded: WriteRecord | None) -> Mapping[str, int]:
        since = self._ledger.clock() - RECENT_WINDOW
        count = self._ledger.count_recent(tool, since=since)
        if (
            recorded is not None
            and recorded.tool == tool
            and recorded.created_at >= since
            and recorded.status is not WriteStatus.DENIED
        ):
            count -= 1  # the write being judged is not one of "the others this hour"
        return MappingProxyType({tool: max(count, 0)})
