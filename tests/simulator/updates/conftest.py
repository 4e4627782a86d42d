"""Fixtures of the UpdateConnector tests: the session's simulator with its write side."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from simulator.testing import SimulatorHandle
from simulator.updates import WriteSide, write_side


@pytest.fixture
def writes(sim: SimulatorHandle) -> Iterator[WriteSide]:
    """The write side of the session's simulator; its journal and controls are reset after."""
    side = write_side(sim)
    yield side
    side.reset()
