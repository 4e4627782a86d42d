"""Building the write side from the settings: the store, the context builder, the pipeline.

The MCP server (`tools.deps.open_deps`) and the approvers' surfaces (`server.pipeline.
review_actions`) build the same pipeline here, so an approval runs exactly the code a tool call
runs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from policies import PolicyRules
from server.config import Settings
from server.pipeline import AfasSource, WritePipeline
from server.store import ConnectorLocks, Scrubber, WriteStore
from server.store.scrub import MIN_SECRET_LENGTH
from server.writes.context import ContextBuilder
from server.writes.kinds import WriteKind, kinds_by_tool
from server.writes.options import WriteOptions
from server.writes.readback import Connectors
from server.writes.settle import Settler

__all__ = ["build_pipeline", "open_store"]

log = logging.getLogger(__name__)


def open_store(settings: Settings, options: WriteOptions) -> WriteStore:
    """Open the ledger at `AFAS_MCP_DATABASE`, with every live secret registered for scrubbing.

    AFAS logs no request bodies, so the audit trail keeps them (W17); the token, its Base64 and
    XML forms and the OAuth secret must never reach the file.
    """
    scrubber = Scrubber()
    secrets = [s for s in settings.secret_values() if len(s) >= MIN_SECRET_LENGTH]
    if secrets:
        scrubber.register(*secrets)
    settings.database.parent.mkdir(parents=True, exist_ok=True)
    return WriteStore(settings.database, scrubber=scrubber, review_ttl=options.approval_ttl)


def build_pipeline(
    settings: Settings,
    *,
    afas: AfasSource,
    store: WriteStore,
    kinds: Iterable[WriteKind],
    options: WriteOptions,
    clock: Callable[[], datetime],
    rules: PolicyRules | None = None,
    locks: ConnectorLocks | None = None,
) -> WritePipeline:
    """The write pipeline for these settings; `rules` overrides the configured policy rules.

    Its insert locks are leases in `store` (unless `locks` is given), so this pipeline's inserts
    take turns with every other pipeline and process on the same database (W9).
    """
    connectors = Connectors(dict(settings.connectors))
    contexts = ContextBuilder(
        rules=rules or settings.policies.rules,
        connectors=connectors,
        environment=settings.afas.environment_type,
        ledger=store,
        clock=clock,
    )
    settler = Settler(
        store=store, connectors=connectors, settle_absent_after=options.settle_absent_after
    )
    return WritePipeline(
        afas=afas,
        store=store,
        contexts=contexts,
        settler=settler,
        kinds=kinds_by_tool(list(kinds)),
        review_url=options.review_url,
        duplicate_window=options.duplicate_window,
        locks=locks or ConnectorLocks(store, wait=_lock_wait(settings)),
        stale_sending=_stale_sending(settings),
    )


def _stale_sending(settings: Settings) -> timedelta:
    # A send may legitimately take the client's whole timeout; only after that (and a margin)
    # is a `sending` row an abandoned one.
    return timedelta(seconds=settings.afas.timeout_seconds + 300)


def _lock_wait(settings: Settings) -> timedelta:
    # The holder of a connector's insert lock may wait the client's whole timeout for AFAS's
    # answer; a waiter gives it that, and the same again for one more holder ahead of it.
    return timedelta(seconds=2 * settings.afas.timeout_seconds + 60)
