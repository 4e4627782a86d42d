"""Fixtures shared by every test package.

The MCP client is in memory, in both protocol eras. Open it inside the test body
(`async with connect(server, mode=mode) as client:`), never in a yield fixture: the SDK's task
groups must be entered and left in the same task.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any, Literal

import pytest
from mcp import Client

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"

Mode = Literal["auto", "legacy"]
Connect = Callable[..., AbstractAsyncContextManager[Client]]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def shared_dir() -> Path:
    """AFAS's official docs beside the checkout; tests that need it skip in a fresh clone."""
    if not (SHARED / "afas" / "official").is_dir():
        pytest.skip("../shared is not beside this checkout (AFAS's official docs and specs)")
    return SHARED


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
