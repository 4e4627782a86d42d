"""The demo's agent: a real MCP client session with `afas-mcp serve` over stdio.

This is the one place besides `server/app.py` that imports the MCP SDK, and it is a client,
not a server: it plays the agent the product is built for.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mcp import Client, StdioServerParameters
from mcp.client.stdio import stdio_client

from server.config import load_settings
from server.review.actions import build_review_actions


def say(line: str = "") -> None:
    """Print one line of the demo's story (the demo is not a stdio server, stdout is free)."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


@dataclass(frozen=True)
class ToolInfo:
    """What the agent knows of one tool: its name and whether it only reads."""

    name: str
    read_only: bool


class DemoAgent:
    """A scripted agent: calls tools and fails the demo loudly when a promise is broken."""

    def __init__(self, client: Any) -> None:
        self._client = client

    @classmethod
    @asynccontextmanager
    async def connect(cls, env: dict[str, str], *, log: Path) -> AsyncIterator[DemoAgent]:
        """Start `afas-mcp serve` as a child process and open a session with it.

        The server's own log (stderr) goes to `log`, so it does not interleave with the story;
        the demo shows its tail when a step fails.
        """
        params = StdioServerParameters(
            command=sys.executable, args=["-m", "server", "serve"], env=env
        )
        with log.open("w", encoding="utf-8") as errlog:
            async with Client(
                stdio_client(params, errlog=errlog), read_timeout_seconds=60
            ) as client:
                yield cls(client)

    async def list_tools(self) -> list[ToolInfo]:
        listed = await self._client.list_tools()
        return [
            ToolInfo(
                name=tool.name,
                read_only=bool(tool.annotations and tool.annotations.read_only_hint),
            )
            for tool in listed.tools
        ]

    async def call(self, tool: str, arguments: dict[str, Any]) -> dict[str, Any]:
        """Call a tool that must succeed; its structured result."""
        result = await self._client.call_tool(tool, arguments)
        if result.is_error:
            from server.demo import DemoFailed

            raise DemoFailed(f"{tool} failed: {result.content[0].text}")
        content: dict[str, Any] = result.structured_content
        return content

    async def refused(self, tool: str, arguments: dict[str, Any]) -> str:
        """Call a tool that must be refused; the text the agent reads."""
        result = await self._client.call_tool(tool, arguments)
        if not result.is_error:
            from server.demo import DemoFailed

            raise DemoFailed(f"{tool} should have been refused: {result.structured_content}")
        text: str = result.content[0].text
        return text

    async def approve_as_person(self, env: dict[str, str], write_id: str, *, approver: str) -> str:
        """Approve a held write the way the review page does, as a person who is not the agent."""
        actions = build_review_actions(load_settings(env))
        outcome = await actions.approve(write_id, approver=approver)
        return f"{outcome.status}: {outcome.message}"
