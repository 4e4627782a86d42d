"""What every tool handler gets as `deps`: settings, the AFAS client behind a gate, the clock.

The server opens one `ToolDeps` per lifespan with `open_deps(settings)`. Startup checks the AFAS
connection and the pinned environment, but a failure there does not stop the server: the gate
stays closed, every AFAS-backed tool answers with the reason, and the next call after
`retry_interval` seconds tries again, so the server recovers when AFAS is back. An environment
mismatch is the exception: the gate stays shut until a restart (R10).
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

import anyio

from server.afas.client import AfasClient
from server.afas.errors import AfasEnvironmentMismatch, AfasError
from server.afas.values import AMSTERDAM
from server.outcomes import AfasUnavailableForTools, ToolConfigurationError

if TYPE_CHECKING:
    from server.config import Settings

log = logging.getLogger(__name__)


def amsterdam_now() -> datetime:
    """The current time in Europe/Amsterdam, the time zone AFAS stores."""
    return datetime.now(AMSTERDAM)


class AfasGate:
    """The AFAS client, handed out only while the connection and the environment pin hold.

    Args:
        client: the open AFAS client.
        retry_interval: after a failed check, calls within this many seconds get the same
            failure without asking AFAS again (a down AFAS is not hammered by every tool call).
        reverify_interval: after a good check, re-confirm the environment this often (R10).
        monotonic: the clock, for tests.
    """

    def __init__(
        self,
        client: AfasClient,
        *,
        retry_interval: float = 5.0,
        reverify_interval: float = 900.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._retry_interval = retry_interval
        self._reverify_interval = reverify_interval
        self._monotonic = monotonic
        self._lock = anyio.Lock()
        self._checked_at: float | None = None
        self._failure: AfasError | None = None
        self._mismatch: AfasEnvironmentMismatch | None = None

    @property
    def problem(self) -> str | None:
        """Why tools cannot use AFAS right now; None when they can (or nothing was checked)."""
        failure = self._mismatch or self._failure
        return str(failure) if failure else None

    async def check(self) -> bool:
        """Verify the connection and the environment pin now; log the outcome, never raise."""
        async with self._lock:
            return await self._check()

    async def _check(self) -> bool:
        if self._mismatch is not None:
            return False
        try:
            await self._client.verify_environment()
        except AfasEnvironmentMismatch as exc:
            self._mismatch = exc
            log.error(
                "AFAS environment mismatch; every AFAS tool is refused until a restart: %s", exc
            )
        except AfasError as exc:
            self._failure = exc
            log.error(
                "AFAS at %s is not usable; tools will report it and retry: %s", self._where(), exc
            )
        else:
            if self._failure is not None:
                log.info("AFAS is reachable again and the environment pin holds")
            self._failure = None
        self._checked_at = self._monotonic()
        return self._failure is None and self._mismatch is None

    async def client(self) -> AfasClient:
        """The verified client.

        Raises:
            ToolConfigurationError: AFAS reports another environment than the pinned one.
            AfasUnavailableForTools: AFAS could not be reached or refused the credentials.
        """
        async with self._lock:
            if self._due():
                await self._check()
        if self._mismatch is not None:
            raise ToolConfigurationError(
                f"AFAS reports another environment than this server is pinned to "
                f"({self._mismatch}); every AFAS call is refused so no other company's data is "
                "read or changed",
                hint="An operator must fix AFAS_ENVIRONMENT_ID or the token and restart the server",
            )
        if self._failure is not None:
            raise AfasUnavailableForTools(
                f"{self._failure} (AFAS at {self._where()}; the server tries again on the next "
                "call)",
                retry_after=getattr(self._failure, "retry_after", None),
            )
        return self._client

    def _where(self) -> str:
        return self._client.base_url  # holds no secret

    def _due(self) -> bool:
        if self._mismatch is not None:
            return False
        if self._checked_at is None:
            return True
        interval = self._retry_interval if self._failure else self._reverify_interval
        return self._monotonic() - self._checked_at >= interval


@dataclass(kw_only=True)
class ToolDeps:
    """The running server's dependencies, as tool handlers see them.

    Attributes:
        settings: the loaded configuration.
        gate: the AFAS client behind the connection check; use `await deps.afas()`.
        connectors: logical connector name (`employees`, `debtors`, ...) -> the connector id in
            this environment (the `[connectors]` configuration over the defaults).
        clock: now, in Europe/Amsterdam; tests pin it.
    """

    settings: Settings
    gate: AfasGate
    connectors: Mapping[str, str] = field(default_factory=dict)
    clock: Callable[[], datetime] = amsterdam_now
    # The write store and pipeline join here when the write tools land.

    async def afas(self) -> AfasClient:
        """The AFAS client, once the connection and the environment pin are confirmed."""
        return await self.gate.client()

    def connector(self, logical_name: str) -> str:
        """The connector id for a logical name.

        Raises:
            ToolConfigurationError: the name is not configured.
        """
        try:
            return self.connectors[logical_name]
        except KeyError:
            raise ToolConfigurationError(
                f"no connector is configured for {logical_name!r}",
                hint="An operator must add it to the [connectors] configuration",
            ) from None

    def now(self) -> datetime:
        """The current time in Europe/Amsterdam."""
        return self.clock()

    def today(self) -> date:
        """Today's date in Europe/Amsterdam (AFAS's calendar day)."""
        return self.clock().date()


@asynccontextmanager
async def open_deps(settings: Settings, *, retry_interval: float = 5.0) -> AsyncIterator[ToolDeps]:
    """Open the AFAS client, start the connection and pin check, and yield the deps.

    The check runs in the background: the server answers `initialize` and `tools/list` at once
    even when AFAS hangs, and a tool call that arrives meanwhile waits for the check's outcome.
    A failed check is logged and leaves the gate closed; the server still runs.
    """
    async with AfasClient(settings.afas) as client, anyio.create_task_group() as tasks:
        gate = AfasGate(client, retry_interval=retry_interval)
        tasks.start_soon(_startup_check, gate)
        try:
            yield ToolDeps(settings=settings, gate=gate, connectors=dict(settings.connectors))
        finally:
            tasks.cancel_scope.cancel()


async def _startup_check(gate: AfasGate) -> None:
    if await gate.check():
        log.info("AFAS connection verified; the environment pin holds")
