"""The connectors toolset through the MCP app, over a scripted AFAS client (no HTTP).

The simulator tests (test_connectors.py) cover the real wire; these pin what the agent sees for
answers that are awkward to provoke there.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest

from server.afas.errors import AfasUnknownField
from server.afas.models import ConnectorMeta, ConnectorRef, MetaInfo, Page, ReadWarning, Row
from server.afas.values import AMSTERDAM
from server.app import build_server
from tools import connectors
from tools.deps import AfasGate, ToolDeps

pytestmark = pytest.mark.anyio

DEBTOR_META = ConnectorMeta.model_validate(
    {
        "name": "Profit_Debtor",
        "description": "Debiteuren",
        "fields": [
            {"id": "DebtorId", "dataType": "string", "label": "Nummer"},
            {"id": "DebtorName", "dataType": "string", "label": "Naam", "length": 80},
            {"id": "CreditLimit", "dataType": "decimal", "label": "Kredietlimiet", "decimals": 2},
            {"id": "Created", "dataType": "date", "label": "Aangemaakt"},
        ],
    }
)


class ScriptedAfas:
    """Answers like AfasClient from fixed data; records fetch_page calls."""

    def __init__(self, pages: list[Page]) -> None:
        self.pages = pages
        self.calls: list[dict[str, Any]] = []

    async def verify_environment(self) -> None:
        return None

    async def metainfo(self) -> MetaInfo:
        return MetaInfo(
            get_connectors=(
                ConnectorRef(id="Profit_Debtor", description="Debiteuren"),
                ConnectorRef(id="Custom_Things", description="Zelfgemaakt"),
            )
        )

    async def get_connector_meta(self, connector_id: str) -> ConnectorMeta:
        return DEBTOR_META.model_copy(update={"name": connector_id})

    async def fetch_page(self, connector_id: str, **kwargs: Any) -> Page:
        self.calls.append({"connector_id": connector_id, **kwargs})
        for group in kwargs["filters"]:
            for item in group:
                if DEBTOR_META.get(item.field) is None:
                    raise AfasUnknownField(
                        f"filter field {item.field!r} is not a field of this connector",
                        connector=connector_id,
                        field=item.field,
                        suggestions=("DebtorName",),
                    )
        return self.pages.pop(0)


def debtor(number: str, name: str | None, *, tombstone: bool = False) -> Row:
    values = {
        "DebtorId": number,
        "DebtorName": name,
        "CreditLimit": None if tombstone else Decimal("1500.00"),
        "Created": None if tombstone else datetime(2026, 3, 1, tzinfo=AMSTERDAM),
    }
    return Row(values=values, key=(number,), shell=tombstone)


def make_server(afas: ScriptedAfas) -> Any:
    @asynccontextmanager
    async def deps() -> AsyncIterator[ToolDeps]:
        yield ToolDeps(
            settings=None,  # type: ignore[arg-type]  # the connectors tools never read it
            gate=AfasGate(afas),  # type: ignore[arg-type]
            connectors={"debtors": "Profit_Debtor", "payroll_periods": "AfasMcp_PayrollPeriods"},
        )

    return build_server(tools=connectors.TOOLS, deps_factory=deps)


async def test_list_connectors_names_the_logical_names_and_warns_about_unlinked_ones(
    connect, mode
) -> None:
    async with connect(make_server(ScriptedAfas([])), mode=mode) as client:
        result = await client.call_tool("list_connectors", {})
    assert not result.is_error, result.content
    listed = result.structured_content
    assert listed["connectors"] == [
        {"connector_id": "Custom_Things", "description": "Zelfgemaakt", "logical_name": None},
        {"connector_id": "Profit_Debtor", "description": "Debiteuren", "logical_name": "debtors"},
    ]
    (warning,) = listed["warnings"]
    assert warning["code"] == "connector_not_linked"
    assert "AfasMcp_PayrollPeriods" in warning["message"]


async def test_describe_connector_accepts_a_logical_name_and_shows_the_key(connect) -> None:
    async with connect(make_server(ScriptedAfas([]))) as client:
        result = await client.call_tool("describe_connector", {"connector_id": "debtors"})
    described = result.structured_content
    assert described["connector_id"] == "Profit_Debtor"
    assert described["key"] == ["DebtorId"]
    assert described["fields"][2] == {
        "field_id": "CreditLimit",
        "label": "Kredietlimiet",
        "data_type": "decimal",
        "length": None,
        "decimals": 2,
    }


async def test_an_unknown_connector_says_where_to_find_the_ids(connect, mode) -> None:
    async with connect(make_server(ScriptedAfas([])), mode=mode) as client:
        result = await client.call_tool("describe_connector", {"connector_id": "profit_debtor"})
    assert result.is_error
    text = result.content[0].text
    assert "No GetConnector with id 'profit_debtor' exists in AFAS." in text
    assert "list_connectors" in text


async def test_a_page_leaves_shell_rows_out_passes_warnings_on_and_hands_a_cursor(
    connect, mode
) -> None:
    afas = ScriptedAfas(
        [
            Page(
                rows=(debtor("10001", "Jansen BV"), debtor("10002", None, tombstone=True)),
                next_cursor="client-cursor-1",
                warnings=(
                    ReadWarning(
                        code="overlap_deduplicated",
                        message="1 row appeared on two pages and was kept once",
                        connector="Profit_Debtor",
                        count=1,
                    ),
                ),
            ),
            Page(rows=(debtor("10003", "De Vries"),), next_cursor=None),
        ]
    )
    arguments = {
        "connector_id": "Profit_Debtor",
        "filters": [{"field": "DebtorName", "op": "not_empty"}],
        "order_by": ["-DebtorName"],
        "limit": 2,
    }
    async with connect(make_server(afas), mode=mode) as client:
        first = await client.call_tool("query_connector", arguments)
        cursor = first.structured_content["next_cursor"]
        second = await client.call_tool("query_connector", arguments | {"cursor": cursor})
    page = first.structured_content
    assert page["rows"] == [
        {
            "DebtorId": "10001",
            "DebtorName": "Jansen BV",
            "CreditLimit": "1500.00",
            "Created": "2026-03-01",
        }
    ]
    assert page["row_count"] == 1
    assert [w["code"] for w in page["warnings"]] == ["overlap_deduplicated", "shell_rows_left_out"]
    assert "10002" in page["warnings"][1]["message"]
    assert second.structured_content["next_cursor"] is None
    assert [c["after"] for c in afas.calls] == [None, "client-cursor-1"]
    assert afas.calls[0]["key"] == ("DebtorId",)
    assert afas.calls[0]["order_by"] == ("-DebtorName",)
    assert afas.calls[0]["take"] == 2


async def test_a_misspelt_filter_field_is_an_error_with_a_suggestion(connect, mode) -> None:
    afas = ScriptedAfas([])
    arguments = {
        "connector_id": "Profit_Debtor",
        "filters": [{"field": "DebtorNaam", "op": "equals", "value": "x"}],
    }
    async with connect(make_server(afas), mode=mode) as client:
        result = await client.call_tool("query_connector", arguments)
    assert result.is_error
    assert "Did you mean DebtorName?" in result.content[0].text


async def test_a_limit_over_500_is_refused_before_afas_is_asked(connect) -> None:
    afas = ScriptedAfas([])
    async with connect(make_server(afas)) as client:
        result = await client.call_tool(
            "query_connector", {"connector_id": "Profit_Debtor", "limit": 501}
        )
    assert result.is_error
    assert "`limit`: Input should be less than or equal to 500" in result.content[0].text
    assert afas.calls == []


async def test_a_connector_without_a_known_key_asks_for_one(connect) -> None:
    async with connect(make_server(ScriptedAfas([]))) as client:
        result = await client.call_tool("query_connector", {"connector_id": "Custom_Things"})
    assert result.is_error
    assert "Pass `key`" in result.content[0].text


async def test_the_connector_resources_show_the_same_as_the_tools(connect) -> None:
    async with connect(make_server(ScriptedAfas([]))) as client:
        catalogue = await client.read_resource("afas://connectors")
        details = await client.read_resource("afas://connectors/Profit_Debtor")
        templates = (await client.list_resource_templates()).resource_templates
    assert '"connector_id": "Profit_Debtor"' in catalogue.contents[0].text
    assert '"field_id": "CreditLimit"' in details.contents[0].text
    assert [t.uri_template for t in templates] == ["afas://connectors/{connector_id}"]
