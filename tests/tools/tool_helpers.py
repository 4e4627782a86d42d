"""Helpers the tool tests share (this module holds no tests): the product server over the
simulator, and tool calls through the in-memory MCP client.

A module pins what its server adds to the simulator's settings once, e.g.
`product_server = partial(tool_helpers.product_server, **UNPACED)`; a call's own `env` still wins.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from server.app import server_for_settings
from server.config import load_settings
from simulator.testing import SimulatorHandle

# The hostile profile refuses calls without an IntegrationId (W21).
INTEGRATION_ID = {"AFAS_INTEGRATION_ID": "12345_678900"}
# The client's own pacing (AFAS_RATE_LIMIT_PER_MINUTE, 300 by default) switched off.
UNPACED = {"AFAS_RATE_LIMIT_PER_MINUTE": "0"}


def product_server(sim: SimulatorHandle, tmp_path: Path, **env: str) -> Any:
    """The product server as `afas-mcp serve` builds it, pointed at the simulator, its ledger in
    `tmp_path`; `env` on top."""
    settings = load_settings(sim.env() | {"AFAS_MCP_DATABASE": str(tmp_path / "db.sqlite")} | env)
    return server_for_settings(settings)


async def call(client: Any, tool: str, arguments: dict[str, Any]) -> dict[str, Any]:
    """The structured result of a tool call that must succeed."""
    result = await client.call_tool(tool, arguments)
    assert not result.is_error, result.content[0].text
    content: dict[str, Any] = result.structured_content
    return content


async def refused(client: Any, tool: str, arguments: dict[str, Any]) -> str:
    """The error text of a tool call that must fail."""
    result = await client.call_tool(tool, arguments)
    assert result.is_error, result.structured_content
    text: str = result.content[0].text
    return text


async def every_page(client: Any, tool: str, arguments: dict[str, Any], items: str) -> list[Any]:
    """Follow next_cursor to the end and return every item of every page."""
    page = await call(client, tool, arguments)
    found = list(page[items])
    for _ in range(100):
        if page["next_cursor"] is None:
            return found
        page = await call(client, tool, arguments | {"cursor": page["next_cursor"]})
        found += page[items]
    raise AssertionError("more than 100 pages")


def codes(result: dict[str, Any]) -> list[str]:
    """The warning codes of a result."""
    return [warning["code"] for warning in result["warnings"]]
