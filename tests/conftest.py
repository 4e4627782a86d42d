"""Fixtures shared by every test package."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def shared_dir() -> Path:
    """AFAS's official docs beside the checkout; tests that need it skip in a fresh clone."""
    if not (SHARED / "afas" / "official").is_dir():
        pytest.skip("../shared is not beside this checkout (AFAS's official docs and specs)")
    return SHARED
