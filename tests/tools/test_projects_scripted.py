"""Project shells through the MCP app, over a scripted AFAS client (no HTTP).

The simulator has no blocked or deleted projects, so it never returns a project shell (R5);
AFAS can. These pin what the agent sees when it does.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

from server.afas.models import ConnectorMeta, FieldMeta, Page, Row
from server.app import build_server
from tools import projects
from tools.deps import AfasGate, ToolDeps

pytestmark = pytest.mark.anyio

FIELDS = ("ProjectId", "Description", "UnitId", "CheckedOut", "DebtorId")


class ScriptedAfas:
    """Answers like AfasClient from fixed pages; records what was asked."""

    base_url = "http://scripted"

    def __init__(self, pages: list[Page]) -> None:
        self.pages = pages
        self.calls: list[dict[str, Any]] = []
        self.required: set[str] = set()

    async def verify_environment(self) -> None:
        return None

    def declare_required_fields(self, connector_id: str, fields: Any) -> None:
        self.required |= set(fields)

    async def get_connector_meta(self, connector_id: str, *, refresh: bool = False) -> Any:
        fields = tuple(FieldMeta(id=f) for f in (*FIELDS, *OPTIONAL))
        return ConnectorMeta(name=connector_id, fields=fields)

    async def fetch_page(self, connector_id: str, **kwargs: Any) -> Page:
        self.calls.append({"connector_id": connector_id, **kwargs})
        return self.pages.pop(0)


OPTIONAL = ("ProjectGroup", "BcCo", "DateStart", "DateReady", "Chargeable", "CreateDate")


def project(number: str, *, tombstone: bool = False, closed: bool = False) -> Row:
    values: dict[str, object] = {
        "ProjectId": number,
        "Description": None if tombstone else f"Project {number}",
        "UnitId": None if tombstone else 1,
        "CheckedOut": None if tombstone else closed,
        "DebtorId": None if tombstone else "10000",
        **dict.fromkeys((*OPTIONAL, "ModifiedDate")),
    }
    return Row(values=values, key=(number,), shell=tombstone)


def make_server(afas: ScriptedAfas) -> Any:
    @asynccontextmanager
    async def deps() -> AsyncIterator[ToolDeps]:
        yield ToolDeps(
            settings=None,  # type: ignore[arg-type]  # the projects tools never read it
            gate=AfasGate(afas),  # type: ignore[arg-type]
            connectors={"projects": "Profit_Projects"},
        )

    return build_server(tools=projects.TOOLS, deps_factory=deps)


async def test_R5_a_project_shell_is_reported_as_blocked_or_deleted_not_as_empty_record(
    connect, mode
) -> None:
    afas = ScriptedAfas([Page(rows=(project("910009", tombstone=True),), next_cursor=None)])
    async with connect(make_server(afas), mode=mode) as client:
        result = await client.call_tool("get_project", {"project_id": "910009"})
    answer = result.structured_content
    assert (answer["status"], answer["project"]) == ("blocked_or_deleted", None)
    (warning,) = answer["warnings"]
    assert warning["code"] == "record_is_shell" and "no hours may be booked" in warning["message"]
    assert afas.required == set(FIELDS)


async def test_R5_project_shells_are_left_out_of_a_search_counted_and_the_page_filled_up(
    connect,
) -> None:
    afas = ScriptedAfas(
        [
            Page(rows=(project("1"), project("2", tombstone=True)), next_cursor="after-2"),
            Page(rows=(project("3", closed=True), project("4")), next_cursor="after-4"),
        ]
    )
    async with connect(make_server(afas)) as client:
        result = await client.call_tool("search_projects", {"limit": 2})
    answer = result.structured_content
    assert [p["project_id"] for p in answer["projects"]] == ["1", "4"]
    assert [w["code"] for w in answer["warnings"]] == ["shell_rows_left_out"]
    assert "1 project record(s)" in answer["warnings"][0]["message"]
    assert answer["next_cursor"] is not None
    assert [(c["after"], c["take"]) for c in afas.calls] == [(None, 2), ("after-2", 1)]
