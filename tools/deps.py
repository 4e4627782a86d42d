"""What every tool handler gets as `deps`: settings, the AFAS client, the clock, the write side.

The server opens one `ToolDeps` per lifespan with `open_deps(settings)`. Startup checks the AFAS
connection and the pinned environment, but a failure there does not stop the server: the gate
stays closed, every AFAS-backed tool answers with the reason, and the next call after
`retry_interval` seconds tries again, so the server recovers when AFAS is back. What the agent is
told depends on the failure: AFAS down or throttling is "try again later"; credentials AFAS
refuses (401, 403: revoked token, unlinked App Connector, IP restriction) are a configuration
problem an operator must fix, so they are terminal although the gate still looks again (a
relinked connector works without a restart). An environment mismatch shuts the gate until a
restart (R10).

With `AFAS_MCP_WRITES=true` the store (`AFAS_MCP_DATABASE`) is opened with the live secrets
registered for scrubbing, the pipeline is built with every toolset's `WRITE_KINDS`, and a
background task settles what a crash or a lost answer left open (`reconcile_pending`: at start,
then every `reconcile_interval`); its failures are logged, never fatal.

Who asks for a write (`ToolDeps.requester`): `AFAS_MCP_REQUESTER` (default "agent"), followed by
the MCP client's own name when it gave one at initialisation (`agent:claude-code`).
`server/app.py` puts that name in `CLIENT_NAME` for the length of each tool call. It is what the
client says it is, and only used to refuse self-approval and to show approvers who asked, never
to authorise anything.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

import anyio

from server.afas.client import AfasClient
from server.afas.errors import (
    AfasAuthError,
    AfasEnvironmentMismatch,
    AfasError,
    AfasPermissionError,
)
from server.afas.values import AMSTERDAM
from server.outcomes import AfasUnavailableForTools, ToolConfigurationError, ToolOutcomeError
from server.pipeline import WritePipeline
from server.store import WriteStore
from server.writes.options import load_write_options
from server.writes.wiring import build_pipeline, open_store
from tools import write_kinds

if TYPE_CHECKING:
    from server.config import Settings

log = logging.getLogger(__name__)

CLIENT_NAME: ContextVar[str | None] = ContextVar("afas_mcp_client_name", default=None)
"""The MCP client's name (`clientInfo.name`) during one tool call; set by `server/app.py`."""

_NOT_NAME = re.compile(r"[^A-Za-z0-9._@+-]+")


# Failures no wait will cure: a revoked token, a user who lost rights, an IP restriction (R11).
_REFUSED_CREDENTIALS = (AfasAuthError, AfasPermissionError)


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
        except _REFUSED_CREDENTIALS as exc:
            self._failure = exc
            log.error(
                "AFAS at %s refuses this server's credentials; an operator must renew or relink "
                "them (`afas-mcp check` verifies): %s",
                self._where(),
                exc,
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
            ToolConfigurationError: AFAS reports another environment than the pinned one, or
                refuses the credentials (terminal: an operator must act).
            AfasUnavailableForTools: AFAS could not be reached or is throttling.
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
        if isinstance(self._failure, _REFUSED_CREDENTIALS):
            raise ToolConfigurationError(
                f"AFAS refuses this server's credentials, so no AFAS tool can work: "
                f"{self._failure} (AFAS at {self._where()})",
                hint="An operator must renew the token or OAuth client (AFAS_TOKEN, "
                "AFAS_OAUTH_CLIENT_ID/SECRET) or relink the App Connector in AFAS; "
                "`afas-mcp check` verifies them",
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
    store: WriteStore | None = None
    """The write ledger, review queue and audit trail; None with writes off."""
    pipeline: WritePipeline | None = None
    """Where every write goes (`await deps.write_pipeline().submit(intent, dry_run=...)`)."""
    default_requester: str = "agent"

    @property
    def requester(self) -> str:
        """Who asks for a write: the configured requester and the MCP client's name, if given."""
        client = _NOT_NAME.sub("-", (CLIENT_NAME.get() or "").strip()).strip("-")[:64]
        return f"{self.default_requester}:{client}" if client else self.default_requester

    def write_pipeline(self) -> WritePipeline:
        """The write pipeline.

        Raises:
            ToolConfigurationError: writes are off (`AFAS_MCP_WRITES` is not true).
        """
        if self.pipeline is None:
            raise ToolConfigurationError(
                "writes are switched off on this server, so nothing can be written",
                hint="An operator must set AFAS_MCP_WRITES=true",
            )
        return self.pipeline

    def write_store(self) -> WriteStore:
        """The write store.

        Raises:
            ToolConfigurationError: writes are off, so there is no write ledger.
        """
        if self.store is None:
            raise ToolConfigurationError(
                "writes are switched off on this server, so there is no write ledger",
                hint="An operator must set AFAS_MCP_WRITES=true",
            )
        return self.store

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
    A failed check is logged and leaves the gate closed; the server still runs. With writes on,
    the store and pipeline open too, and open writes are reconciled in the background.
    """
    async with AsyncExitStack() as stack:
        client = await stack.enter_async_context(AfasClient(settings.afas))
        gate = AfasGate(client, retry_interval=retry_interval)
        deps = ToolDeps(settings=settings, gate=gate, connectors=dict(settings.connectors))
        if settings.writes:
            options = load_write_options(settings)
            # Entered before the task group, so it closes only after the background tasks end.
            deps.store = stack.enter_context(open_store(settings, options))
            deps.default_requester = options.requester
            deps.pipeline = build_pipeline(
                settings,
                afas=gate.client,
                store=deps.store,
                kinds=write_kinds(),
                options=options,
                clock=deps.now,
            )
        tasks = await stack.enter_async_context(anyio.create_task_group())
        tasks.start_soon(_startup_check, gate)
        if deps.pipeline is not None:
            interval = options.reconcile_interval.total_seconds()
            tasks.start_soon(_keep_reconciling, deps.pipeline, interval)
        try:
            yield deps
        finally:
            tasks.cancel_scope.cancel()


async def _startup_check(gate: AfasGate) -> None:
    if await gate.check():
        log.info("AFAS connection verified; the environment pin holds")


async def _keep_reconciling(pipeline: WritePipeline, interval: float) -> None:
    """Settle writes a crash or a lost answer left open: at start, then every `interval` s."""
    while True:
        try:
            looked_at = await pipeline.reconcile_pending()
        except ToolOutcomeError as exc:  # AFAS not usable now; the next round tries again
            log.warning("open writes wait for AFAS to be reconciled: %s", exc)
        except Exception:
            log.exception("reconciling open writes failed; trying again in %.0f s", interval)
        else:
            if looked_at:
                log.info("looked at %d open write(s) in AFAS", looked_at)
        await anyio.sleep(interval)
