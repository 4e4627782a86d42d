"""Per-connector insert locks, so inserts into one connector go one at a time (W9).

Parallel inserts into a connector can be given the same generated key by AFAS (an employee id,
say). The pipeline holds `locks.hold(connector)` from before it claims an insert until AFAS's
answer is recorded; other connectors proceed in parallel.

Two layers. An `asyncio.Lock` per connector queues the callers of one `ConnectorLocks` without
touching the database. With a lease store (the `WriteStore`, in the product always), the holder
then takes the connector's lease in the database (`server.store.leases`), which serialises every
pipeline and every process sharing the file: each review approval builds a pipeline of its own,
and the MCP server and `afas-mcp review serve` are two processes. Waiting for a lease polls with
backoff and gives up after `wait` (`ConnectorBusy`: nothing was sent); a held lease is renewed
every third of its `ttl`, so a crashed holder blocks the connector for at most `ttl`.

Without a lease store the locks are per object only; `WriteStore.key_seen_before` is then the
net that notices a key AFAS handed out twice, whichever pipeline saw it.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import os
import random
import secrets
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Protocol

from server.store.errors import ConnectorBusy

__all__ = ["ConnectorLocks", "LeaseStore"]

log = logging.getLogger(__name__)

_FIRST_PAUSE = 0.01  # seconds between attempts at first; doubled up to _LONGEST_PAUSE
_LONGEST_PAUSE = 0.25


class LeaseStore(Protocol):
    """Where leases are kept (`WriteStore`)."""

    def take_lease(self, connector: str, holder: str, *, ttl: timedelta) -> bool: ...

    def renew_lease(self, connector: str, holder: str, *, ttl: timedelta) -> bool: ...

    def release_lease(self, connector: str, holder: str) -> None: ...


class ConnectorLocks:
    """Insert locks by connector name; across processes too when given a lease store.

    Args:
        leases: the store that keeps the leases; None for locks of this object only.
        ttl: how long a lease lasts without renewal (what a crashed holder costs).
        wait: how long `hold` waits for another holder before `ConnectorBusy`.
        sleep: the pause between attempts (tests pass one that does not sleep).
        monotonic: the clock `wait` is measured on.
    """

    def __init__(
        self,
        leases: LeaseStore | None = None,
        *,
        ttl: timedelta = timedelta(seconds=30),
        wait: timedelta = timedelta(minutes=5),
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if ttl <= timedelta(0) or wait < timedelta(0):
            raise ValueError("a lease needs a positive ttl and a wait of zero or more")
        # No lock guards this dict: it is only touched from the event loop's thread, and
        # `setdefault` runs without an await, so two coroutines cannot both create a lock.
        self._locks: dict[str, asyncio.Lock] = {}
        self._leases = leases
        self._ttl = ttl
        self._wait = wait.total_seconds()
        self._sleep = sleep
        self._monotonic = monotonic
        self._holder = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        self._count = itertools.count(1)

    def lock_for(self, connector: str) -> asyncio.Lock:
        """The in-process lock of one connector (the same object every time)."""
        return self._locks.setdefault(connector, asyncio.Lock())

    @asynccontextmanager
    async def hold(self, connector: str) -> AsyncIterator[None]:
        """Hold the connector for the block: its lock, and its lease when there is a store.

        Raises:
            ConnectorBusy: another holder kept the lease for the whole `wait`; the block did
                not run.
        """
        async with self.lock_for(connector):
            if self._leases is None:
                yield
                return
            holder = f"{self._holder}:{next(self._count)}"
            await self._take(self._leases, connector, holder)
            done = asyncio.Event()
            renewing = asyncio.ensure_future(self._renew(self._leases, connector, holder, done))
            try:
                yield
            finally:
                done.set()
                renewing.cancel()  # not awaited: a cancelled caller must not wait here
                try:
                    self._leases.release_lease(connector, holder)
                except Exception:  # it lapses after ttl anyway; the caller's outcome matters more
                    log.exception("releasing the insert lease of %s failed", connector)

    async def _take(self, leases: LeaseStore, connector: str, holder: str) -> None:
        deadline = self._monotonic() + self._wait
        pause = _FIRST_PAUSE
        while not leases.take_lease(connector, holder, ttl=self._ttl):
            left = deadline - self._monotonic()
            if left <= 0:
                raise ConnectorBusy(connector, waited=self._wait)
            # Jitter, so waiters in several processes do not ask in lockstep.
            await self._sleep(min(left, pause * random.uniform(0.5, 1.0)))  # noqa: S311 (not crypto)
            pause = min(pause * 2, _LONGEST_PAUSE)

    async def _renew(
        self, leases: LeaseStore, connector: str, holder: str, done: asyncio.Event
    ) -> None:
        every = self._ttl.total_seconds() / 3
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(done.wait(), timeout=every)
            if done.is_set():
                return
            try:
                kept = leases.renew_lease(connector, holder, ttl=self._ttl)
            except Exception:
                log.exception("renewing the insert lease of %s failed", connector)
                continue
            if not kept:
                log.error(
                    "the insert lease of %s lapsed while %s held it (the process stalled for "
                    "longer than %s); another sender may insert in parallel now (W9)",
                    connector,
                    holder,
                    self._ttl,
                )
                return
