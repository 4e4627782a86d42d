"""The projects toolset through the in-memory MCP client against the simulator (realistic)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import tool_helpers
from tool_helpers import UNPACED, call, refused

from server.afas.values import AMSTERDAM
from simulator.testing import SimulatorHandle, start_simulator

pytestmark = pytest.mark.anyio

product_server = partial(tool_helpers.product_server, **UNPACED)


@pytest.fixture(scope="module")
def sim() -> Iterator[SimulatorHandle]:
    # 500 employees give 20 projects: enough for pages and for each filter to narrow.
    with start_simulator(profile="realistic", seed=1, size=500) as handle:
        yield handle


async def every_page(client: Any, arguments: dict[str, Any]) -> list[str]:
    """The project numbers of every page of one search."""
    found = await tool_helpers.every_page(client, "search_projects", arguments, "projects")
    return [p["project_id"] for p in found]


def projects(sim: SimulatorHandle) -> dict[str, dict[str, Any]]:
    return {r["ProjectId"]: r for r in sim.tenant.table("projects")}


def local(stamp: datetime) -> datetime:
    return stamp.replace(tzinfo=AMSTERDAM)


# --- get_project --------------------------------------------------------------------------------


async def test_R7_a_project_shows_its_customer_state_and_amsterdam_dates(
    connect, mode, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    truth = next(r for r in projects(fresh_sim).values() if r["DateReady"] is not None)
    async with connect(product_server(fresh_sim, tmp_path), mode=mode) as client:
        result = await call(client, "get_project", {"project_id": truth["ProjectId"]})
    project = result["project"]
    assert result["status"] == ("completed" if truth["CheckedOut"] else "active")
    assert result["warnings"] == []
    assert project | {"created": None, "modified": None} == {
        "project_id": truth["ProjectId"],
        "description": truth["Description"],
        "administration_id": truth["UnitId"],
        "project_group": truth["ProjectGroup"],
        "completed": truth["CheckedOut"],
        "debtor_id": truth["DebtorId"],
        "relation_id": truth["BcCo"],
        "start_date": truth["DateStart"].isoformat(),
        "ready_date": truth["DateReady"].isoformat(),
        "chargeable": truth["Chargeable"],
        "created": None,
        "modified": None,
    }
    assert datetime.fromisoformat(project["created"]) == local(truth["_created"])
    assert datetime.fromisoformat(project["modified"]) == local(truth["_modified"])


async def test_a_completed_project_says_completed(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    done = next(k for k, r in projects(fresh_sim).items() if r["CheckedOut"])
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        result = await call(client, "get_project", {"project_id": done})
    assert result["status"] == "completed" and result["project"]["completed"] is True


async def test_an_unknown_project_is_an_error_that_points_to_search_projects(
    connect, mode, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    async with connect(product_server(fresh_sim, tmp_path), mode=mode) as client:
        text = await refused(client, "get_project", {"project_id": "123"})
    assert "No project with id '123' exists in AFAS" in text and "search_projects" in text


@pytest.mark.parametrize("arguments", [{"project_id": ""}, {"project_id": "9" * 17}, {}])
async def test_invalid_project_numbers_are_refused_before_afas_is_asked(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path, arguments: dict[str, Any]
) -> None:
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        text = await refused(client, "get_project", arguments)
    assert "Invalid arguments" in text and "project_id" in text
    assert fresh_sim.request_log.find(path_contains="/connectors/") == []


async def test_R6_a_projects_connector_without_its_closed_flag_fails_loudly_naming_it(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        await call(client, "get_project", {"project_id": "910001"})  # metainfo cached
        fresh_sim.trigger_drift("Profit_Projects", remove=["CheckedOut"])
        text = await refused(client, "get_project", {"project_id": "910001"})
    assert "Profit_Projects" in text and "CheckedOut" in text and "changed shape" in text


# --- search_projects ----------------------------------------------------------------------------


async def test_search_lists_only_active_projects_unless_asked(
    connect, mode, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    truth = projects(fresh_sim)
    async with connect(product_server(fresh_sim, tmp_path), mode=mode) as client:
        active = await every_page(client, {"limit": 4})
        completed = await every_page(client, {"state": "completed", "limit": 4})
        every = await every_page(client, {"state": "any", "limit": 4})
    assert active == [k for k, r in truth.items() if not r["CheckedOut"]]
    assert completed == [k for k, r in truth.items() if r["CheckedOut"]]
    assert every == list(truth)
    assert completed and active


async def test_search_by_customer_and_administration_narrows_the_projects(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    truth = projects(fresh_sim)
    debtor = next(iter(truth.values()))["DebtorId"]
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        by_debtor = await every_page(client, {"debtor_id": debtor, "state": "any"})
        by_unit = await every_page(client, {"administration_id": 2, "state": "any"})
    assert by_debtor == [k for k, r in truth.items() if r["DebtorId"] == debtor]
    assert by_unit == [k for k, r in truth.items() if r["UnitId"] == 2]


async def test_search_by_text_matches_the_name_or_the_start_of_the_number(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    truth = projects(fresh_sim)
    word = next(iter(truth.values()))["Description"].split()[-1]
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        by_word = await every_page(client, {"text": word.upper(), "state": "any"})
        by_number = await every_page(client, {"text": "91001", "state": "any"})
    assert by_word == [k for k, r in truth.items() if word.lower() in r["Description"].lower()]
    assert by_number == [k for k in truth if k.startswith("91001")]


async def test_projects_of_an_unknown_customer_are_an_error_not_an_empty_list(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        text = await refused(client, "search_projects", {"debtor_id": "55555"})
    assert "No debtor with id '55555'" in text and "search_debtors" in text


async def test_projects_of_an_unknown_administration_are_an_error_listing_the_valid_ones(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        text = await refused(client, "search_projects", {"administration_id": 9})
    assert "No administration with id '9'" in text and "Valid administrations: 1 (" in text


async def test_a_customer_without_projects_gets_an_empty_list(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    used = {r["DebtorId"] for r in projects(fresh_sim).values()}
    idle = next(
        r["DbId"]
        for r in fresh_sim.tenant.table("debtors")
        if r["DbId"] not in used and not r["Bl"] and not r["_deleted"]
    )
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        result = await call(client, "search_projects", {"debtor_id": idle, "state": "any"})
    assert result == {"projects": [], "next_cursor": None, "warnings": []}


@pytest.mark.parametrize(
    "arguments",
    [{"state": "open"}, {"text": "%magazijn%"}, {"limit": 201}, {"administration_id": 0}],
)
async def test_invalid_project_search_arguments_say_what_to_change(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path, arguments: dict[str, Any]
) -> None:
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        text = await refused(client, "search_projects", arguments)
    assert "Invalid arguments" in text and next(iter(arguments)) in text


async def test_R2_a_text_search_after_the_name_field_was_renamed_is_an_error_not_empty(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    fresh_sim.quirks.enable("R2_bad_filter_empty_200")
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        await call(client, "search_projects", {"text": "magazijn"})
        fresh_sim.trigger_drift("Profit_Projects", rename={"Description": "Omschrijving"})
        text = await refused(client, "search_projects", {"text": "magazijn"})
    assert "Profit_Projects" in text and "Description" in text
