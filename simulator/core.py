"""The simulator's state: environments, credentials, quirk switches, faults, logs, settings.

`Simulator` is what `testing.start_simulator` hands to tests and what the ASGI app serves. It is
safe to use from the test thread while the server thread answers requests.
"""

from __future__ import annotations

import asyncio
import itertools
import threading
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, NoReturn

from simulator import connections
from simulator.auth import Credentials
from simulator.catalogue import Field
from simulator.catalogue.drift import Shape
from simulator.environment import Environment
from simulator.errors import AfasError, LogReferences
from simulator.faults import Faults
from simulator.limits import RateLimiter, StaleReads
from simulator.quirks import Profile, QuirkSwitches
from simulator.reqlog import ProfitLog, RequestLog
from simulator.tenant import DEFAULT_SIZE, Tenant
from simulator.warmup import WarmUp

if TYPE_CHECKING:
    from starlette.responses import Response

    from simulator.calls import Call

# The write side registers one of these (see docs/simulator.md): it answers POST/PUT/DELETE
# on /connectors/... and calls `Simulator.after_apply(call)` once the change is stored.
UpdateHandler = Callable[["Call"], Awaitable["Response"]]


@dataclass
class Settings:
    """Tunables of the simulated server; tests adjust them through `sim.settings`."""

    r9_delay_seconds: float = 0.02  # processing time of a read under R9, so overlaps happen
    r17_skip_threshold: int = 100_000
    r17_delay_seconds: float = 2.0
    take_cap: int = 1000  # R13_take_capped_at_1000
    cell_budget: int = 2_500_000  # rows x columns above this: "Out of memory" (R13)
    max_query_length: int = 2049  # R16, counted from the "?"
    rate_limit_per_minute: int = 600  # W11, per token
    oauth_token_lifetime_seconds: float = 3600.0
    hang_seconds: float = 120.0  # a hang without a client timeout ends in AFAS's timeout 500
    maintenance_retry_after: int = 7200
    profit_version: str = "9.1.2"


SERVER_TIMEOUT = "The maximum duration for performing the assignment has been exceeded."


class ResponseSuppressed(Exception):
    """No response is to be sent: the connection was dropped or the client gave up."""


def environment_id_for(seed: int, *, sibling: bool = False) -> str:
    """A five-digit participant number, stable per seed; the sibling's always differs."""
    base = 10_000 + (seed * 7919) % 80_000
    return str(base + 5_003 if sibling else base)


class Simulator:
    """A simulated AFAS installation: one environment (plus a sibling under quirk R10)."""

    def __init__(
        self,
        *,
        profile: Profile = "realistic",
        seed: int = 1,
        size: int | None = None,
        reference_date: date | None = None,
        environment_type: str = "test",
        settings: Settings | None = None,
    ) -> None:
        self.seed = seed
        self.size = size or DEFAULT_SIZE
        self.reference_date = reference_date
        self._initial_settings = settings or Settings()
        self.settings = replace(self._initial_settings)
        self.quirks = QuirkSwitches(profile)
        self.environment = Environment(
            environment_id=environment_id_for(seed),
            environment_type=environment_type,
            seed=seed,
            size=self.size,
            reference_date=reference_date,
            quirks=self.quirks,
        )
        self.credentials = Credentials(seed=seed, environment_name=self.environment.name)
        self.faults = Faults()
        self.request_log = RequestLog()
        self.profit_log = ProfitLog()
        self.log_references = LogReferences(seed)
        self.rate_limiter = RateLimiter()
        self.stale_reads = StaleReads()
        self.update_handler: UpdateHandler | None = None
        self.maintenance_retry_after: int | None = None
        self.shuffle_seeds = itertools.count()
        # Requests being answered (changed by the server's event loop only): the background
        # warm-up steps aside while there are any.
        self.requests_in_flight = 0
        self._warm_up: WarmUp | None = None
        self._sibling: Environment | None = None
        self._lock = threading.Lock()
        from simulator.updates import install  # the UpdateConnectors register their handler

        install(self)

    @property
    def tenant(self) -> Tenant:
        return self.environment.tenant

    @property
    def sibling(self) -> Environment:
        """Another company's environment, reachable with the same token under quirk R10."""
        with self._lock:
            if self._sibling is None:
                self._sibling = Environment(
                    environment_id=environment_id_for(self.seed, sibling=True),
                    environment_type=self.environment.environment_type,
                    seed=self.seed + 1_000,
                    size=max(20, self.size // 2),
                    reference_date=self.reference_date,
                    quirks=self.quirks,
                )
            return self._sibling

    def environment_for(self, environment_id: str | None) -> Environment | None:
        """The environment a URL prefix names (None: the primary one); None when unknown."""
        if environment_id is None or environment_id == self.environment.environment_id:
            return self.environment
        if environment_id == environment_id_for(self.seed, sibling=True):
            return self.sibling
        return None

    def warm_up(self) -> WarmUp:
        """Build every connector's rows in a background thread, yielding to requests.

        For a large tenant served to people and agents (`afas-mcp simulator`): reads sorted or
        filtered on any field are then as quick as reads in key order. Started once.
        """
        with self._lock:
            if self._warm_up is None:
                self._warm_up = WarmUp(self)
                self._warm_up.start()
            return self._warm_up

    # -- run-time controls --------------------------------------------------------------------

    def trigger_drift(
        self,
        connector_id: str,
        *,
        remove: Sequence[str] = (),
        add: Sequence[str | Field] = (),
        rename: Mapping[str, str] | None = None,
    ) -> Shape:
        """Change a GetConnector's fields now (quirk R6); see Environment.trigger_drift."""
        return self.environment.trigger_drift(connector_id, remove=remove, add=add, rename=rename)

    def revoke_token(self, label: str = "full") -> None:
        """Revoke a token (and its OAuth client): every later call with it answers 401 (R11)."""
        self.credentials.revoke(label)

    def block_connector(self, connector_id: str) -> None:
        """AFAS blocks a GetConnector that hurts others (fair use): calls answer 500."""
        connector = self.environment.get_connector(connector_id)
        self.environment.blocked.add(connector.id if connector else connector_id)

    def unblock_connector(self, connector_id: str) -> None:
        connector = self.environment.get_connector(connector_id)
        self.environment.blocked.discard(connector.id if connector else connector_id)

    def set_maintenance(self, on: bool, *, retry_after: int | None = None) -> None:
        """Maintenance mode: every call answers 503 with `retry_after` until switched off."""
        wait = retry_after if retry_after is not None else self.settings.maintenance_retry_after
        self.maintenance_retry_after = wait if on else None

    def reset(self) -> None:
        """Back to the seeded tenant, the profile's switches, no faults, empty logs."""
        self.environment.reset()
        with self._lock:
            if self._sibling is not None:
                self._sibling.reset()
        self.quirks.reset()
        self.faults.clear()
        self.request_log.clear()
        self.profit_log.clear()
        self.credentials.reset()
        self.rate_limiter.clear()
        self.stale_reads.clear()
        self.maintenance_retry_after = None
        self.settings = replace(self._initial_settings)
        from simulator.updates import write_side  # journal, W15 locks and W9 settings too

        write_side(self).reset()

    # -- the write side's hook -----------------------------------------------------------------

    async def after_apply(self, call: Call) -> None:
        """Call once a write is stored: applies `drop_after_apply` / `hang_after_apply` faults.

        Raises ResponseSuppressed when the connection was dropped or the client gave up; the
        handler lets it propagate and nothing is answered, though the change stays applied.
        """
        rule = self.faults.take(call.method, call.route_path, after_apply=True)
        if rule is None:
            return
        call.notes.append(f"fault {rule.kind}")
        if rule.kind == "drop_after_apply":
            await drop_connection(call)
        await hang(call, rule.seconds or self.settings.hang_seconds)


async def drop_connection(call: Call) -> NoReturn:
    """Close the client's connection with no response (the logs record it first)."""
    call.leave_unanswered()
    if not connections.abort(call.client):
        # Not served by our uvicorn protocol (an in-process ASGI transport): fail the call.
        raise ConnectionAbortedError("simulated dropped connection")
    await wait_for_disconnect(call, 5.0)
    raise ResponseSuppressed


async def hang(call: Call, seconds: float) -> NoReturn:
    """Answer nothing until the client gives up; if it never does, AFAS's own timeout 500.

    The logs record the call as unanswered when the hang starts (a client that times out has
    its outcome then); the timeout 500, if it comes, replaces that record.
    """
    call.leave_unanswered()
    if await wait_for_disconnect(call, seconds):
        raise ResponseSuppressed
    raise AfasError(SERVER_TIMEOUT)


async def wait_for_disconnect(call: Call, seconds: float) -> bool:
    """Wait until the client disconnects (True) or `seconds` pass (False)."""
    try:
        async with asyncio.timeout(seconds):
            while (await call.receive())["type"] != "http.disconnect":
                continue
    except TimeoutError:
        return False
    return True
