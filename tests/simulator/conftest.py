"""Fixtures for the simulator's own tests: one server per session, reset after every test."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from sim_helpers import REFERENCE_DATE

from simulator.testing import SimulatorHandle, start_simulator


@pytest.fixture(scope="session")
def running_simulator() -> Iterator[SimulatorHandle]:
    with start_simulator(profile="realistic", seed=1, reference_date=REFERENCE_DATE) as sim:
        yield sim


@pytest.fixture
def sim(running_simulator: SimulatorHandle) -> Iterator[SimulatorHandle]:
    """The session's simulator, back to its seeded state and realistic profile after the test."""
    yield running_simulator
    running_simulator.reset()


@pytest.fixture
def docs_sim(sim: SimulatorHandle) -> SimulatorHandle:
    """The simulator with only documented behaviour switched on."""
    sim.quirks.use_profile("docs")
    return sim


@pytest.fixture
def client(sim: SimulatorHandle) -> Iterator[httpx.Client]:
    """An HTTP client for the simulator with the full-access token."""
    with httpx.Client(
        base_url=sim.base_url, headers={"Authorization": sim.auth_header()}, timeout=10
    ) as http:
        yield http
