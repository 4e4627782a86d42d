"""MCP test fixtures for the server tests: an in-memory client helper, both protocol eras.

Open the client inside the test body (`async with connect(server, mode=mode) as client:`), never
in a yield fixture: the SDK's task groups must be entered and left in the same task.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, Literal

import pytest
from mcp import Client

Mode = Literal["auto", "legacy"]
Connect = Callable[..., AbstractAsyncContextManager[Client]]


@asynccontextmanager
async def _connect(server: Any, *, mode: Mode = "auto") -> AsyncIterator[Client]:
    async with Client(server, mode=mode) as client:
        yield client


@pytest.fixture
def connect() -> Connect:
    """`connect(server, mode=...)`: in-memory; "auto" is 2026-07-28, "legacy" 2025-11-25."""
    return _connect


@pytest.fixture(params=["auto", "legacy"])
def mode(request: pytest.FixtureRequest) -> Mode:
    """Both protocol eras, for behaviour that must hold on each."""
    era: Mode = request.param
    return era
