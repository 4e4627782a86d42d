"""The connectors toolset through the in-memory MCP client against the simulator over real HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest
from tool_helpers import call, product_server

from server.app import build_server
from server.config import load_settings
from simulator.testing import SimulatorHandle
from tools import resolve_toolsets
from tools.deps import open_deps

pytestmark = pytest.mark.anyio


async def test_list_connectors_shows_every_linked_connector_with_its_logical_name(
    connect, mode, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    async with connect(product_server(fresh_sim, tmp_path), mode=mode) as client:
        listed = await call(client, "list_connectors", {})
    by_id = {c["connector_id"]: c for c in listed["connectors"]}
    assert by_id["Profit_Debtor"]["logical_name"] == "debtors"
    assert by_id["AfasMcp_PayrollPeriods"]["logical_name"] == "payroll_periods"
    assert listed["warnings"] == []


async def test_describe_connector_shows_fields_and_key(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        described = await call(client, "describe_connector", {"connector_id": "debtors"})
    assert described["key"] == ["DebtorId"]
    fields = {f["field_id"]: f for f in described["fields"]}
    assert fields["CreditLimit"]["data_type"] == "decimal"
    assert fields["DebtorName"]["label"] == "Naam debiteur"


async def test_pages_follow_each_other_without_gaps_or_repeats(
    connect, mode, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    query = {"connector_id": "Profit_Debtor", "order_by": ["DebtorId"]}
    async with connect(product_server(fresh_sim, tmp_path), mode=mode) as client:
        whole = await call(client, "query_connector", query | {"limit": 12})
        first = await call(client, "query_connector", query | {"limit": 5})
        second = await call(
            client, "query_connector", query | {"limit": 7, "cursor": first["next_cursor"]}
        )
    ids = [row["DebtorId"] for row in whole["rows"]]
    paged = [row["DebtorId"] for row in first["rows"] + second["rows"]]
    assert paged == ids
    assert first["next_cursor"]


async def test_filters_and_or_groups_narrow_the_rows(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        some = await call(client, "query_connector", {"connector_id": "debtors", "limit": 3})
        (a, b) = [row["DebtorId"] for row in some["rows"][:2]]
        one = await call(
            client,
            "query_connector",
            {
                "connector_id": "debtors",
                "filters": [{"field": "DebtorId", "op": "equals", "value": a}],
            },
        )
        either = await call(
            client,
            "query_connector",
            {
                "connector_id": "debtors",
                "filters": [
                    [{"field": "DebtorId", "op": "equals", "value": a}],
                    [{"field": "DebtorId", "op": "equals", "value": b}],
                ],
            },
        )
    assert [row["DebtorId"] for row in one["rows"]] == [a]
    assert sorted(row["DebtorId"] for row in either["rows"]) == sorted([a, b])


async def test_R2_a_misspelt_filter_field_is_an_error_not_an_empty_answer(
    connect, mode, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    arguments = {
        "connector_id": "Profit_Debtor",
        "filters": [{"field": "DebtorNaam", "op": "contains", "value": "Jansen"}],
    }
    async with connect(product_server(fresh_sim, tmp_path), mode=mode) as client:
        result = await client.call_tool("query_connector", arguments)
    assert result.is_error
    text = result.content[0].text
    assert "DebtorNaam" in text
    assert "DebtorName" in text  # the suggestion
    assert fresh_sim.request_log.find(path_contains="/connectors/Profit_Debtor") == []


async def test_R6_a_configured_key_removed_by_an_administrator_is_drift_not_the_agents_mistake(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    fresh_sim.trigger_drift("Profit_Debtor", rename={"DebtorId": "DebtorId_old"})
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        configured = await client.call_tool("query_connector", {"connector_id": "debtors"})
        agents = await client.call_tool(
            "query_connector", {"connector_id": "debtors", "key": ["DebtorId"]}
        )
    assert configured.is_error and agents.is_error
    text = configured.content[0].text
    assert "Profit_Debtor" in text and "DebtorId" in text and "changed shape" in text
    # The same field named by the agent is the agent's to correct.
    assert "does not exist in this connector" in agents.content[0].text
    assert fresh_sim.request_log.find(path_contains="/connectors/Profit_Debtor") == []


async def test_R5_blocked_records_are_left_out_and_named_in_warnings(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        page = await call(client, "query_connector", {"connector_id": "employees", "limit": 500})
    (shells,) = [w for w in page["warnings"] if w["code"] == "shell_rows_left_out"]
    assert shells["count"] >= 1
    assert not [w for w in page["warnings"] if w["code"] == "shell_rows"]  # said once
    assert all(row["BirthName"] or row["FirstName"] for row in page["rows"])
    assert page["row_count"] == len(page["rows"])


async def test_R4_decimals_and_dates_come_back_in_one_plain_form(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        page = await call(client, "query_connector", {"connector_id": "debtors", "limit": 50})
    limits = [row["CreditLimit"] for row in page["rows"] if row["CreditLimit"] is not None]
    assert limits and all(isinstance(v, str) and "," not in v for v in limits)
    created = [row["CreateDate"] for row in page["rows"] if row["CreateDate"]]
    assert created and all(v[4] == "-" and v[7] == "-" for v in created)


async def test_R10_an_environment_mismatch_refuses_every_afas_tool(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    other = str(int(fresh_sim.environment_id) + 1)
    server = product_server(fresh_sim, tmp_path, AFAS_ENVIRONMENT_ID=other)
    async with connect(server) as client:
        result = await client.call_tool("list_connectors", {})
    assert result.is_error
    text = result.content[0].text
    assert "another environment" in text
    assert "restart" in text


async def test_a_server_started_while_afas_is_down_recovers_when_it_is_back(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    settings = load_settings(fresh_sim.env() | {"AFAS_MCP_DATABASE": str(tmp_path / "db.sqlite")})
    server = build_server(
        tools=resolve_toolsets(["connectors"], writes_enabled=False),
        deps_factory=lambda: open_deps(settings, retry_interval=0),
    )
    fresh_sim.set_maintenance(True, retry_after=0)
    async with connect(server) as client:
        down = await client.call_tool("list_connectors", {})
        fresh_sim.set_maintenance(False)
        back = await client.call_tool("list_connectors", {})
    assert down.is_error
    assert "AFAS is not available" in down.content[0].text
    assert not back.is_error
