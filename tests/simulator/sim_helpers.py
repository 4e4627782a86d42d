"""Small helpers the simulator tests share."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from simulator.testing import SimulatorHandle

# Pinned so dates in assertions do not move with the calendar.
REFERENCE_DATE = date(2026, 3, 18)


def get(sim: SimulatorHandle, path: str, label: str = "full", **params: Any) -> httpx.Response:
    """GET below the base URL with a token of the table."""
    return httpx.get(
        f"{sim.base_url}{path}",
        params=params,
        headers={"Authorization": sim.auth_header(label)},
        timeout=10,
    )


def rows(sim: SimulatorHandle, connector: str, **params: Any) -> list[dict[str, Any]]:
    """Every row of a connector (ordered by `orderbyfieldids` when given)."""
    response = get(sim, f"/connectors/{connector}", skip=-1, take=-1, **params)
    assert response.status_code == 200, response.text
    return list(response.json()["rows"])


def by_key(items: list[dict[str, Any]], key: str) -> dict[Any, dict[str, Any]]:
    return {item[key]: item for item in items}
