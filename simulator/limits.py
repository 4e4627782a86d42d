"""Per-token rate limiting (quirk W11) and the stale-payload cache of concurrent reads (R9)."""

from __future__ import annotations

import math
import threading
import time
from collections import deque

Key = tuple[str, ...]


class RateLimiter:
    """A sliding one-minute window of calls per token."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: dict[str, deque[float]] = {}

    def check(self, token: str, per_minute: int) -> int | None:
        """Record a call; return seconds to wait when it is over the limit (not recorded then)."""
        now = time.monotonic()
        with self._lock:
            calls = self._calls.setdefault(token, deque())
            while calls and calls[0] <= now - 60:
                calls.popleft()
            if len(calls) >= per_minute:
                return max(1, math.ceil(calls[0] + 60 - now))
            calls.append(now)
            return None

    def clear(self) -> None:
        with self._lock:
            self._calls.clear()


class StaleReads:
    """Quirk R9: which reads are in flight per (token, environment, connector), last payloads.

    A read that starts while another of the same key is in flight is answered with the payload
    the last completed identical read produced, however old.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._in_flight: dict[Key, int] = {}
        self._payloads: dict[tuple[Key, str], bytes] = {}

    def begin(self, key: Key) -> bool:
        """Mark a read in flight; True when another one of the same key already was."""
        with self._lock:
            count = self._in_flight.get(key, 0)
            self._in_flight[key] = count + 1
            return count > 0

    def end(self, key: Key) -> None:
        with self._lock:
            self._in_flight[key] -= 1

    def remember(self, key: Key, query: str, payload: bytes) -> None:
        with self._lock:
            self._payloads[(key, query)] = payload

    def cached(self, key: Key, query: str) -> bytes | None:
        with self._lock:
            return self._payloads.get((key, query))

    def clear(self) -> None:
        with self._lock:
            self._in_flight.clear()
            self._payloads.clear()
