"""Fixtures for the review surfaces: a store file, test approvers, the environment the CLI reads."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from review_helpers import SESSION_SECRET, approvers_env

from server.store import WriteStore


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "afas-mcp.sqlite"


@pytest.fixture
def store(db_path: Path) -> Iterator[WriteStore]:
    with WriteStore(db_path) as opened:
        yield opened


@pytest.fixture
def review_env(db_path: Path, tmp_path: Path) -> dict[str, str]:
    """The variables `afas-mcp review` reads, for this test's store and approvers."""
    return {
        "AFAS_MCP_DATABASE": str(db_path),
        "AFAS_MCP_REVIEWERS": approvers_env(),
        "AFAS_MCP_REVIEW_SECRET": SESSION_SECRET,
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, review_env: dict[str, str]) -> dict[str, str]:
    """`review_env` set in this process (for calling `main` directly), no config file."""
    monkeypatch.delenv("AFAS_MCP_CONFIG", raising=False)
    for name, value in review_env.items():
        monkeypatch.setenv(name, value)
    return review_env
