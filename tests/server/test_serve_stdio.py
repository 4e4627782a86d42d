"""The real `afas-mcp serve` process over stdio, driven by the SDK's stdio client.

AFAS_BASE_URL points at a closed port on 127.0.0.1: the server must still start, list its tools,
and answer a tool call with a clear error that names the problem, never crash.
"""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

import pytest
from mcp import Client, StdioServerParameters

pytestmark = pytest.mark.anyio

TOKEN = "<token><version>1</version><data>" + "A1" * 32 + "</data></token>"


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def serve_env(tmp_path: Path, base_url: str, **extra: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "SYSTEMROOT"}}
    return (
        keep
        | {
            "AFAS_ENVIRONMENT_ID": "12345",
            "AFAS_ENVIRONMENT_TYPE": "test",
            "AFAS_TOKEN": TOKEN,
            "AFAS_BASE_URL": base_url,
            "AFAS_TIMEOUT_SECONDS": "5",
            "AFAS_MCP_DATABASE": str(tmp_path / "afas-mcp.sqlite"),
            "PYTHONUNBUFFERED": "1",
        }
        | extra
    )


def serve(env: dict[str, str]) -> StdioServerParameters:
    return StdioServerParameters(command=sys.executable, args=["-m", "server", "serve"], env=env)


async def test_serve_over_stdio_starts_without_afas_and_every_tool_names_the_problem(
    tmp_path: Path, mode: str
) -> None:
    env = serve_env(tmp_path, f"http://127.0.0.1:{closed_port()}/ProfitRestServices")
    async with Client(serve(env), mode=mode, read_timeout_seconds=30) as client:
        tools = {t.name for t in (await client.list_tools()).tools}
        result = await client.call_tool("list_connectors", {})
    assert {"list_connectors", "describe_connector", "query_connector"} <= tools
    assert result.is_error
    text = result.content[0].text
    assert "AFAS is not available" in text
    assert "127.0.0.1" in text
    assert "tries again" in text


async def test_serve_over_stdio_reads_from_the_simulator(tmp_path: Path) -> None:
    from simulator.testing import start_simulator

    with start_simulator(profile="realistic", seed=1) as sim:
        env = serve_env(tmp_path, sim.base_url) | sim.env()
        async with Client(serve(env), read_timeout_seconds=30) as client:
            result = await client.call_tool(
                "query_connector", {"connector_id": "debtors", "limit": 2}
            )
    assert not result.is_error, result.content[0].text
    assert result.structured_content["row_count"] == 2
    assert result.structured_content["next_cursor"]
