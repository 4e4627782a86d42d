"""Fixtures for the write store: a file in tmp_path, a hand-driven clock, writes in any state."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from store_helpers import FakeClock, Writes

from server.store import WriteStore


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "afas-mcp.sqlite"


@pytest.fixture
def store(db_path: Path, clock: FakeClock) -> Iterator[WriteStore]:
    with WriteStore(db_path, clock=clock) as opened:
        yield opened


@pytest.fixture
def writes(store: WriteStore) -> Writes:
    return Writes(store)
