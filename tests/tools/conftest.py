"""Fixtures for the tool tests: the simulator the product server reads from and writes to.

Each module that asks gets its own simulator (module scope), and each test a tenant reset before
and after it. A module that needs another tenant (larger, or the hostile profile) overrides `sim`;
the write tests run against both profiles (`profile_sim`). The in-memory MCP client (`connect`,
`mode`) comes from `tests/conftest.py`, the plain helpers from `tool_helpers`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from simulator.testing import SimulatorHandle, start_simulator

# Its asserts report like a test's own.
pytest.register_assert_rewrite("tool_helpers")


@pytest.fixture(scope="module")
def sim() -> Iterator[SimulatorHandle]:
    """The realistic tenant (seed 1), one for each module."""
    with start_simulator(profile="realistic", seed=1) as handle:
        yield handle


@pytest.fixture
def fresh_sim(sim: SimulatorHandle) -> Iterator[SimulatorHandle]:
    """The module's tenant, reset before and after the test."""
    sim.reset()
    yield sim
    sim.reset()


@pytest.fixture(scope="module", params=["realistic", "hostile"])
def profile_sim(request: pytest.FixtureRequest) -> Iterator[SimulatorHandle]:
    """The tenant in each profile (seed 1), one for each module and profile."""
    with start_simulator(profile=request.param, seed=1) as handle:
        yield handle


@pytest.fixture
def fresh_profile_sim(profile_sim: SimulatorHandle) -> Iterator[SimulatorHandle]:
    """The module's tenant in one profile, reset before and after the test."""
    profile_sim.reset()
    yield profile_sim
    profile_sim.reset()
