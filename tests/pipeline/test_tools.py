"""The write side as the MCP server serves it: get_write_status, who asks, start-up reconcile."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import anyio
import pytest
from mcp import Client
from mcp.types import Implementation
from pipeline_helpers import Parts, sim_journal_intent
from pydantic import BaseModel

from server.afas.client import AfasClient
from server.app import build_server, server_for_settings
from server.config import Settings, load_settings
from server.pipeline import WritePipeline
from server.store import WriteStore
from simulator.testing import SimulatorHandle
from tools import write_kinds
from tools.base import ToolInput, ToolSpec
from tools.deps import ToolDeps, open_deps

pytestmark = pytest.mark.anyio

Mode = Literal["auto", "legacy"]
MODES: list[Mode] = ["auto", "legacy"]


def client(server: Any, mode: Mode, name: str = "test-client") -> Client:
    return Client(server, mode=mode, client_info=Implementation(name=name, version="1.0"))


@pytest.mark.parametrize("mode", MODES)
async def test_get_write_status_reports_a_write_in_the_ledger(
    mode: Mode, sim: SimulatorHandle, parts: Parts, store: WriteStore, afas: AfasClient
) -> None:
    result = await parts.pipeline(afas, store).submit(sim_journal_intent())
    async with client(server_for_settings(parts.settings), mode) as mcp:
        answer = await mcp.call_tool("get_write_status", {"write_id": result.write_id})
    assert not answer.is_error, answer.content
    report = answer.structured_content or {}
    assert report["status"] == "verified"
    assert report["read_back"]["result"] == "match"
    assert report["explanation"].startswith("Applied in AFAS as")
    assert report["afas_key"] == result.afas_key


@pytest.mark.parametrize("mode", MODES)
async def test_an_unknown_write_id_is_an_error_the_agent_can_act_on(
    mode: Mode, sim: SimulatorHandle, settings: Settings
) -> None:
    async with client(server_for_settings(settings), mode) as mcp:
        answer = await mcp.call_tool("get_write_status", {"write_id": "w_nosuchwriteatall"})
    assert answer.is_error
    text = answer.content[0].text  # type: ignore[union-attr]
    assert "No write with id 'w_nosuchwriteatall' exists in this server's write ledger" in text
    assert "ids start with 'w_'" in text


async def test_the_write_status_tool_is_served_only_with_writes_on_and_no_tool_approves(
    sim: SimulatorHandle, tmp_path: Path
) -> None:
    base = sim.env() | {"AFAS_MCP_DATABASE": str(tmp_path / "db.sqlite")}
    for writes, expected in (("false", False), ("true", True)):
        server = server_for_settings(load_settings(base | {"AFAS_MCP_WRITES": writes}))
        async with client(server, "auto") as mcp:
            tools = {tool.name: tool for tool in (await mcp.list_tools()).tools}
        assert ("get_write_status" in tools) is expected
        assert not [name for name in tools if "approve" in name or "reject" in name]
    status = tools["get_write_status"]
    assert status.annotations is not None and status.annotations.read_only_hint is True


class Who(BaseModel):
    requester: str


async def whoami(deps: ToolDeps, args: ToolInput) -> Who:
    return Who(requester=deps.requester)


WHOAMI = ToolSpec(
    name="whoami",
    toolset="writes",
    title="Who am I",
    description="Test tool: the requester a write would carry.",
    input_model=ToolInput,
    output_model=Who,
    handler=whoami,
    read_only=True,
)


@pytest.mark.parametrize("mode", MODES)
async def test_the_requester_is_the_configured_name_and_the_mcp_clients_own(
    mode: Mode, sim: SimulatorHandle, tmp_path: Path
) -> None:
    settings = load_settings(
        sim.env()
        | {
            "AFAS_MCP_DATABASE": str(tmp_path / "afas-mcp.sqlite"),
            "AFAS_MCP_WRITES": "true",
            "AFAS_MCP_REQUESTER": "hr-bot",
        }
    )
    server = build_server(tools=[WHOAMI], deps_factory=lambda: open_deps(settings))
    async with client(server, mode, name="Claude Code") as mcp:
        answer = await mcp.call_tool("whoami", {})
    assert (answer.structured_content or {})["requester"] == "hr-bot:Claude-Code"


async def test_open_deps_opens_the_store_and_pipeline_and_reconciles_in_the_background(
    sim: SimulatorHandle, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = anyio.Event()

    async def reconcile_pending(self: WritePipeline) -> int:
        started.set()
        return 0

    monkeypatch.setattr(WritePipeline, "reconcile_pending", reconcile_pending)
    async with open_deps(settings) as deps:
        with anyio.fail_after(5):
            await started.wait()
        assert deps.store is not None and deps.write_store() is deps.store
        assert deps.write_pipeline() is deps.pipeline
        assert deps.requester == "agent"
        secret = settings.secret_values()[0]
        assert deps.store.scrubber.scrub_text(f"x {secret} y") == "x [REDACTED] y"
    assert len(write_kinds()) == len({kind.tool for kind in write_kinds()})


async def test_with_writes_off_there_is_no_store_and_writes_are_refused_plainly(
    sim: SimulatorHandle, tmp_path: Path
) -> None:
    settings = load_settings(sim.env() | {"AFAS_MCP_DATABASE": str(tmp_path / "db.sqlite")})
    async with open_deps(settings) as deps:
        assert deps.store is None and deps.pipeline is None
        with pytest.raises(Exception, match="writes are switched off"):
            deps.write_pipeline()
    assert not (tmp_path / "db.sqlite").exists()
