"""What a tool is, independent of the MCP SDK.

A tool is a plain async function over pydantic models plus the facts an MCP client needs to
show it honestly (toolset, annotations). `server/app.py` is the only module that turns these
specs into MCP tools; everything here is testable without MCP. The output parts every toolset
shares (`DataWarning`, `plain_value`) live here too, so all tools word warnings and values alike.

A toolset module (`tools/hr.py`, ...) declares its tools in one tuple::

    class GetEmployeeInput(ToolInput):
        employee_id: str = Field(description="The employee code (EmId), e.g. '1000123'.")

    class Employee(BaseModel):
        ...

    async def get_employee(deps: ToolDeps, args: GetEmployeeInput) -> Employee:
        ...

    TOOLS: tuple[ToolSpec, ...] = (
        ToolSpec(name="get_employee", toolset="hr", title="Get employee",
                 description="...", input_model=GetEmployeeInput, output_model=Employee,
                 handler=get_employee, read_only=True, idempotent=True),
    )
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from server.afas.models import ReadWarning
from server.afas.values import AMSTERDAM

# handler(deps, args) -> result. `deps` is the running server's dependencies
# (`tools.deps.ToolDeps`: settings, AFAS client, connector names, clock, later the write store);
# `args` is an instance of the spec's input model. Typed loosely here so a handler can annotate
# its own precise types (`async def f(deps: ToolDeps, args: MyInput) -> MyOutput`).
ToolHandler = Callable[[Any, Any], Awaitable[BaseModel]]

_TOOL_NAME = re.compile(r"^[a-z][a-z0-9_]{1,63}$")


class ToolInput(BaseModel):
    """Base for tool input models: an argument the model does not define is refused.

    Without `extra="forbid"` a misspelt argument (`employe_id`) would be dropped silently and the
    tool would answer a different question than the agent asked.
    """

    model_config = ConfigDict(extra="forbid")


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

    def __post_init__(self) -> None:
        # A spec that would mislead a client is a programming error: fail at import, not at call.
        if not _TOOL_NAME.fullmatch(self.name):
            raise ValueError(f"tool name {self.name!r} must be snake_case ([a-z][a-z0-9_]*)")
        if not self.description.strip() or not self.title.strip():
            raise ValueError(f"tool {self.name!r} needs a title and a description for the model")
        if self.read_only and self.destructive:
            raise ValueError(f"tool {self.name!r} cannot be both read-only and destructive")


# --- output parts every toolset shares ----------------------------------------------------------

# A value as the agent sees it: decimals as exact strings, dates as ISO text.
Value = str | int | bool | None


class DataWarning(BaseModel):
    """Something suspect in the data; report it to the user."""

    code: str = Field(description="Stable identifier, e.g. 'shell_rows', 'overlap_deduplicated'.")
    message: str = Field(description="What was noticed and what it means, in one sentence.")
    count: int | None = Field(None, description="How many rows or calls it concerned, if known.")


def data_warnings(warnings: Sequence[ReadWarning]) -> list[DataWarning]:
    """The client's read warnings as the agent sees them."""
    return [DataWarning(code=w.code, message=w.message, count=w.count) for w in warnings]


def plain_value(value: object) -> Value:
    """One normalised AFAS value as JSON the agent can rely on.

    Decimals become strings with a dot ("1234.56"), so no digit is lost to floating point; a date
    without a time becomes "YYYY-MM-DD"; a date with a time becomes ISO 8601 with its Amsterdam
    offset ("2026-03-01T14:30:00+01:00").
    """
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        local = value.astimezone(AMSTERDAM) if value.tzinfo else value.replace(tzinfo=AMSTERDAM)
        return local.date().isoformat() if local.time() == time(0) else local.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
