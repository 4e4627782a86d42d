"""Client-side limits: a token bucket per environment, a concurrency cap, a lock per connector.

AFAS has no request-rate header and no 429; it blocks a GetConnector that hurts other tenants
(W11) and allows at most 8 parallel calls. Concurrent reads of one connector can return a stale
cached payload (R9), so calls to one connector are serialised while others run in parallel.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

__all__ = ["Limits", "TokenBucket"]

Sleep = Callable[[float], Awaitable[None]]
Clock = Callable[[], float]


class TokenBucket:
    """A token bucket: `rate_per_minute` calls a minute on average, bursts up to `burst`.

    A rate of 0 disables the bucket.
    """

    def __init__(self, *, rate_per_minute: int, burst: int, clock: Clock, sleep: Sleep) -> None:
        self._rate = rate_per_minute / 60.0
        self._burst = float(max(1, burst))
        self._tokens = self._burst
        self._clock = clock
        self._sleep = sleep
        self._stamp = clock()
        self._lock = asyncio.Lock()

    async def acquire(self) -> float:
        """Take one token, waiting as long as needed; return how long it waited."""
        if self._rate <= 0:
            return 0.0
        waited = 0.0
        async with self._lock:
            while True:
                now = self._clock()
                self._tokens = min(self._burst, self._tokens + (now - self._stamp) * self._rate)
                self._stamp = now
                if self._tokens >= 1.0:
                    self._tokens -= 1.0
                    return waited
                delay = (1.0 - self._tokens) / self._rate
                waited += delay
                await self._sleep(delay)


class Limits:
    """Everything a call must pass before it goes out: connector lock, cap, bucket.

    The connector lock is taken first so a call waiting for its connector does not hold one of
    the parallel slots; the bucket last, so a token is spent only when the call can go.
    """

    def __init__(
        self, *, rate_per_minute: int, max_parallel: int, clock: Clock, sleep: Sleep
    ) -> None:
        burst = max(1, -(-rate_per_minute // 6))  # ten seconds' worth
        self.bucket = TokenBucket(
            rate_per_minute=rate_per_minute, burst=burst, clock=clock, sleep=sleep
        )
        self._slots = asyncio.Semaphore(max_parallel)
        self._locks: dict[str, asyncio.Lock] = {}

    def connector_lock(self, resource: str) -> asyncio.Lock:
        """The lock for one connector (the credential is fixed per client, so per credential)."""
        lock = self._locks.get(resource)
        if lock is None:
            lock = self._locks[resource] = asyncio.Lock()
        return lock

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold one of the parallel slots and spend one token from the bucket."""
        async with self._slots:
            await self.bucket.acquire()
            yield
