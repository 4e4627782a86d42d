"""What the model sees of each tool is committed in tests/__toolsnaps__ and reviewed on change.

A change to a tool's name, title, description, input or output schema or annotations fails here
until the snapshot is rewritten:

    UPDATE_TOOLSNAPS=1 .venv/bin/pytest tests/server/test_tool_schemas.py
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from server.app import build_server
from tools import resolve_toolsets

pytestmark = pytest.mark.anyio

SNAPS = Path(__file__).resolve().parent.parent / "__toolsnaps__"
UPDATE = os.environ.get("UPDATE_TOOLSNAPS") == "1"
SNAPPED_KEYS = ("name", "title", "description", "inputSchema", "outputSchema", "annotations")


@asynccontextmanager
async def no_deps() -> AsyncIterator[None]:
    yield None  # tools/list never touches the dependencies


async def live_tools(connect: Any) -> dict[str, dict[str, Any]]:
    """Every tool of every toolset with writes on, as `tools/list` shows it on the wire."""
    server = build_server(tools=resolve_toolsets(None, writes_enabled=True), deps_factory=no_deps)
    async with connect(server) as client:
        listed = (await client.list_tools()).tools
    wire = [t.model_dump(mode="json", by_alias=True, exclude_none=True) for t in listed]
    return {t["name"]: {k: t[k] for k in SNAPPED_KEYS if k in t} for t in wire}


def dump(snapshot: dict[str, Any]) -> str:
    return json.dumps(snapshot, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


async def test_every_tool_matches_its_committed_schema_snapshot(connect: Any) -> None:
    live = await live_tools(connect)
    if UPDATE:
        SNAPS.mkdir(exist_ok=True)
        for stale in SNAPS.glob("*.json"):
            if stale.stem not in live:
                stale.unlink()
        for name, snapshot in live.items():
            (SNAPS / f"{name}.json").write_text(dump(snapshot), encoding="utf-8")
    committed = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in SNAPS.glob("*.json")}
    missing = sorted(set(live) - set(committed))
    stale = sorted(set(committed) - set(live))
    changed = sorted(n for n in set(live) & set(committed) if live[n] != committed[n])
    assert not (missing or stale or changed), (
        f"tool schemas differ from tests/__toolsnaps__ (missing: {missing}, stale: {stale}, "
        f"changed: {changed}); review the change, then run "
        "UPDATE_TOOLSNAPS=1 .venv/bin/pytest tests/server/test_tool_schemas.py"
    )


async def test_every_write_tool_says_it_is_not_read_only(connect: Any) -> None:
    live = await live_tools(connect)
    for spec in resolve_toolsets(None, writes_enabled=True):
        assert live[spec.name]["annotations"]["readOnlyHint"] is spec.read_only, spec.name
        assert live[spec.name]["annotations"]["openWorldHint"] is spec.open_world, spec.name
        assert live[spec.name].get("outputSchema"), f"{spec.name} has no output schema"


async def test_no_write_tool_is_listed_when_writes_are_off(connect: Any) -> None:
    server = build_server(tools=resolve_toolsets(None, writes_enabled=False), deps_factory=no_deps)
    async with connect(server) as client:
        listed = (await client.list_tools()).tools
    assert listed, "the read tools are always there"
    assert all(t.annotations and t.annotations.read_only_hint for t in listed)
