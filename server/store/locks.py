"""One asyncio lock per AFAS connector, so inserts into one connector go one at a time (W9).

Parallel inserts into a connector can be given the same generated key by AFAS (an employee id,
say). The pipeline holds `locks.hold(connector)` from sending an insert until its answer is
recorded; other connectors proceed in parallel.

Scope: one process, one event loop. Two server processes writing the same connector are not
serialised by this; the second net is `WriteStore.key_seen_before`, which notices a key AFAS has
returned before, whichever process saw it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class ConnectorLocks:
    """A registry of `asyncio.Lock`s keyed by connector name, created on first use."""

    def __init__(self) -> None:
        # No lock guards this dict: it is only touched from the event loop's thread, and
        # `setdefault` runs without an await, so two coroutines cannot both create a lock.
        self._locks: dict[str, asyncio.Lock] = {}

    def lock_for(self, connector: str) -> asyncio.Lock:
        """The lock of one connector (the same object every time)."""
        return self._locks.setdefault(connector, asyncio.Lock())

    @asynccontextmanager
    async def hold(self, connector: str) -> AsyncIterator[None]:
        """Hold the connector's lock for the block."""
        async with self.lock_for(connector):
            yield
