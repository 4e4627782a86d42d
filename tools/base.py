"""What a tool is, independent of the MCP SDK.

A tool is a plain async function over pydantic models plus the facts an MCP client needs to
show it honestly (toolset, annotations). `server/app.py` is the only module that turns these
specs into MCP tools; everything here is testable without MCP.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

# handler(deps, args) -> result. `deps` is the running server's dependencies (AFAS client,
# settings, write store, clock); `args` is an instance of the spec's input model.
ToolHandler = Callable[[Any, Any], Awaitable[BaseModel]]


@dataclass(frozen=True)
class ToolSpec:
    """One agent-facing tool: name, copy for the model, input/output models, honest hints."""

    name: str
    toolset: str
    title: str
    description: str
    input_model: type[BaseModel]
    output_model: type[BaseModel]
    handler: ToolHandler
    read_only: bool
    destructive: bool = False
    idempotent: bool = False
    open_world: bool = True
