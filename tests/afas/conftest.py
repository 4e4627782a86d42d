"""One simulator for the client tests, over real HTTP on 127.0.0.1, reset before each test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from server.afas import AfasClient, RetryPolicy
from server.config import AfasSettings, load_settings
from simulator.testing import SimulatorHandle, start_simulator

# 1,200 employees: enough rows to page past AFAS's 1,000-row cap, quick to build.
SIZE = 1200


@pytest.fixture(scope="session")
def simulator() -> Iterator[SimulatorHandle]:
    with start_simulator(profile="realistic", seed=7, size=SIZE) as sim:
        yield sim


@pytest.fixture
def sim(simulator: SimulatorHandle) -> SimulatorHandle:
    """The shared simulator, back to its seeded state and the realistic profile's switches."""
    simulator.reset()
    return simulator


class FakeTime:
    """A monotonic clock that only moves when the client sleeps; records every sleep."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


def settings_for(sim: SimulatorHandle, **overrides: str) -> AfasSettings:
    """AfasSettings pointing at the simulator; no client-side rate limit unless asked."""
    env = {**sim.env(), "AFAS_RATE_LIMIT_PER_MINUTE": "0", "HOME": "/nonexistent"}
    env.update(overrides)
    return load_settings(env).afas


@asynccontextmanager
async def client_for(
    sim: SimulatorHandle,
    *,
    env: Mapping[str, str] | None = None,
    fake: FakeTime | None = None,
    **kwargs: Any,
) -> AsyncIterator[AfasClient]:
    settings = settings_for(sim, **dict(env or {}))
    if fake is not None:
        kwargs.setdefault("sleep", fake.sleep)
        kwargs.setdefault("clock", fake.clock)
    kwargs.setdefault("retry", RetryPolicy(backoff=0.01, max_backoff=0.05))
    async with AfasClient(settings, **kwargs) as client:
        yield client


def ground_truth(
    sim: SimulatorHandle, connector: str, key: tuple[str, ...], query: str = ""
) -> list[tuple[Any, ...]]:
    """Every row's key via AFAS's documented get-all (skip=-1, take=-1), bypassing the client."""
    url = f"{sim.base_url}/connectors/{connector}?skip=-1&take=-1"
    if query:
        url += f"&{query}"
    response = httpx.get(url, headers={"Authorization": sim.auth_header()}, timeout=30)
    response.raise_for_status()
    return [tuple(row[k] for k in key) for row in response.json()["rows"]]


def connector_calls(sim: SimulatorHandle, connector: str) -> list[Any]:
    """The client's calls to one connector in the request log (not the tests' get-all reads)."""
    suffix = f"/connectors/{connector}".lower()
    return [
        e
        for e in sim.request_log.entries
        if e.path.lower().endswith(suffix) and not e.query.startswith("skip=-1&take=-1")
    ]
