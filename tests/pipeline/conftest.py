"""Fixtures of the pipeline tests: the simulator over real HTTP and a real SQLite file.

The simulator runs once per module on 127.0.0.1 (seed 1, reference date 2026-03-18) and is reset
after every test; each test gets its own database file, a hand-driven clock, and an AFAS client
opened inside the test (an async client belongs to the event loop that opened it).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from pipeline_helpers import REFERENCE_DATE, Clock, Parts

from server.afas.client import AfasClient
from server.config import Settings, load_settings
from server.store import WriteStore
from simulator.testing import SimulatorHandle, start_simulator

pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
def running_sim() -> Iterator[SimulatorHandle]:
    with start_simulator(profile="realistic", seed=1, reference_date=REFERENCE_DATE) as handle:
        yield handle


@pytest.fixture
def sim(running_sim: SimulatorHandle) -> Iterator[SimulatorHandle]:
    running_sim.reset()
    yield running_sim
    running_sim.reset()


@pytest.fixture
def settings_env(sim: SimulatorHandle, tmp_path: Path) -> dict[str, str]:
    """The environment the test's settings are loaded from (child processes load it too)."""
    return sim.env() | {
        "AFAS_MCP_DATABASE": str(tmp_path / "afas-mcp.sqlite"),
        "AFAS_MCP_WRITES": "true",
        "AFAS_RATE_LIMIT_PER_MINUTE": "0",
        "AFAS_TIMEOUT_SECONDS": "10",
    }


@pytest.fixture
def settings(settings_env: dict[str, str]) -> Settings:
    return load_settings(settings_env)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def parts(settings: Settings, clock: Clock) -> Parts:
    return Parts(settings=settings, clock=clock)


@pytest.fixture
def store(parts: Parts) -> Iterator[WriteStore]:
    with parts.store() as opened:
        yield opened


@pytest.fixture
async def afas(settings: Settings) -> AsyncIterator[AfasClient]:
    async with AfasClient(settings.afas) as client:
        yield client
