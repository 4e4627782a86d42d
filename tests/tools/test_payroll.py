"""list_employers and list_open_payroll_periods through the in-memory MCP client (realistic)."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest
import tool_helpers
from test_hr_support import connector_calls, employer_truth, open_periods, today
from tool_helpers import INTEGRATION_ID, call, codes, refused

from simulator.tenant.payroll import EMPLOYER_WITH_CURRENT_PERIOD_CLOSED
from simulator.testing import SimulatorHandle

pytestmark = pytest.mark.anyio

# The hostile profile demands an IntegrationId (W21); the hr and payroll tests always send one.
product_server = partial(tool_helpers.product_server, **INTEGRATION_ID)


def drop_calendar(sim: SimulatorHandle, employer_id: str) -> None:
    for row in sim.tenant.find("payroll_periods", EmployerId=employer_id):
        key = (employer_id, row["PeriodTableId"], row["Year"], row["Period"])
        sim.tenant.delete("payroll_periods", key)


def positions(periods: list[dict]) -> list[tuple[int, int, int]]:
    return [(p["period_table_id"], p["year"], p["period"]) for p in periods]


# --- list_employers ----------------------------------------------------------------------------


async def test_list_employers_shows_each_employer_with_its_period_tables(
    connect, mode, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    async with connect(product_server(fresh_sim, tmp_path), mode=mode) as client:
        listed = await call(client, "list_employers", {})
    truth = employer_truth(fresh_sim)
    assert [e["employer_id"] for e in listed["employers"]] == sorted(truth)
    for employer in listed["employers"]:
        expected = truth[employer["employer_id"]]
        assert employer["name"] == expected["name"]
        assert employer["administration_id"] == expected["administration_id"]
        tables = {t["period_table_id"]: t["code"] for t in employer["period_tables"]}
        assert tables == expected["tables"]
    assert listed["next_cursor"] is None
    assert listed["warnings"] == []


async def test_list_employers_gives_todays_period_and_the_first_open_one(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        listed = await call(client, "list_employers", {})
    on = today(fresh_sim).isoformat()
    for employer in listed["employers"]:
        for table in employer["period_tables"]:
            current, first_open = table["period_today"], table["open_period"]
            assert current["date_from"] <= on <= current["date_to"]
            assert first_open["closed"] is False
            if employer["employer_id"] == EMPLOYER_WITH_CURRENT_PERIOD_CLOSED:
                assert current["closed"] is True  # W2's trap: today's period is already closed
                assert first_open["date_from"] > current["date_to"]
            else:
                assert first_open == current


async def test_list_employers_pages_with_a_cursor(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        first = await call(client, "list_employers", {"limit": 3})
        second = await call(client, "list_employers", {"limit": 3, "cursor": first["next_cursor"]})
        junk = await refused(client, "list_employers", {"cursor": "eyJxIjoieCIsInAiOjF9"})
    ids = [e["employer_id"] for e in first["employers"] + second["employers"]]
    assert ids == sorted(employer_truth(fresh_sim))
    assert second["next_cursor"] is None
    assert "other arguments" in junk


async def test_an_employer_without_calendar_rows_is_flagged_not_shown_without_tables(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    drop_calendar(fresh_sim, "04")
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        listed = await call(client, "list_employers", {})
    (missing,) = [e for e in listed["employers"] if e["employer_id"] == "04"]
    assert missing["period_tables"] == []
    (warning,) = listed["warnings"]
    assert warning["code"] == "calendar_missing"
    assert "04" in warning["message"] and "AfasMcp_PayrollPeriods" in warning["message"]


# --- list_open_payroll_periods ---------------------------------------------------------------


@pytest.mark.parametrize("employer_id", ["01", "02", "03", "04"])
async def test_open_periods_are_every_period_not_closed_per_table(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path, employer_id: str
) -> None:
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        got = await call(
            client, "list_open_payroll_periods", {"employer_id": employer_id, "limit": 500}
        )
    assert positions(got["periods"]) == open_periods(fresh_sim, employer_id)
    assert all(p["closed"] is False for p in got["periods"])
    tables = {t["period_table_id"]: t["code"] for t in got["period_tables"]}
    assert tables == employer_truth(fresh_sim)[employer_id]["tables"]
    assert got["next_cursor"] is None


async def test_open_periods_of_a_year_and_page_by_page(
    connect, mode, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    year = today(fresh_sim).year
    arguments = {"employer_id": "04", "year": year, "limit": 1}
    async with connect(product_server(fresh_sim, tmp_path), mode=mode) as client:
        pages = [await call(client, "list_open_payroll_periods", arguments)]
        while pages[-1]["next_cursor"]:
            cursor = pages[-1]["next_cursor"]
            pages.append(
                await call(client, "list_open_payroll_periods", arguments | {"cursor": cursor})
            )
    found = [p for page in pages for p in positions(page["periods"])]
    assert found == [p for p in open_periods(fresh_sim, "04") if p[1] == year]
    assert len(pages) > 1


async def test_an_unknown_employer_lists_the_valid_ones(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        text = await refused(client, "list_open_payroll_periods", {"employer_id": "99"})
    assert "no employer '99'" in text
    assert "01 (" in text and "list_employers" in text
    assert not any("AfasMcp_PayrollPeriods" in path for path in connector_calls(fresh_sim))


async def test_an_employer_without_calendar_rows_is_an_error_never_no_open_periods(
    connect, mode, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    drop_calendar(fresh_sim, "02")
    async with connect(product_server(fresh_sim, tmp_path), mode=mode) as client:
        text = await refused(client, "list_open_payroll_periods", {"employer_id": "02"})
    assert "AfasMcp_PayrollPeriods has no payroll calendar rows for employer 02" in text
    assert "administrator" in text


async def test_a_year_the_calendar_does_not_have_lists_the_years_it_has(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    year = today(fresh_sim).year
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        text = await refused(
            client, "list_open_payroll_periods", {"employer_id": "01", "year": year + 5}
        )
    assert f"no periods in {year + 5}" in text
    assert str(year) in text


async def test_a_period_table_with_every_period_closed_is_named(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    for row in fresh_sim.tenant.find("payroll_periods", EmployerId="02", PeriodTableId=6):
        key = ("02", 6, row["Year"], row["Period"])
        fresh_sim.tenant.update("payroll_periods", key, {"Closed": True})
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        got = await call(client, "list_open_payroll_periods", {"employer_id": "02", "limit": 500})
    assert {p["period_table_id"] for p in got["periods"]} == {5}
    assert {t["period_table_id"]: t["open_periods"] for t in got["period_tables"]}[6] == 0
    (warning,) = [w for w in got["warnings"] if w["code"] == "no_open_period"]
    assert "period table 6 (VIERWEKEN)" in warning["message"]


async def test_R6_a_calendar_without_its_closed_flag_fails_naming_connector_and_field(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        await call(client, "list_employers", {})  # metainfo cached before the change
        fresh_sim.trigger_drift("AfasMcp_PayrollPeriods", remove=["Closed"])
        periods = await refused(client, "list_open_payroll_periods", {"employer_id": "01"})
        employers = await refused(client, "list_employers", {})
    for text in (periods, employers):
        assert "AfasMcp_PayrollPeriods" in text
        assert "Closed" in text


async def test_R6_an_employer_connector_without_names_fails_naming_it(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    fresh_sim.trigger_drift("Profit_Employers", rename={"UnitId": "Administratie"})
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        text = await refused(client, "list_employers", {})
    assert "Profit_Employers" in text and "UnitId" in text


async def test_warnings_from_the_client_reach_the_agent(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    fresh_sim.settings.cell_budget = 1500  # rows x columns above this: "Out of memory" (R13)
    fresh_sim.quirks.enable("R13_out_of_memory_over_cell_budget")
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        got = await call(client, "list_open_payroll_periods", {"employer_id": "04", "limit": 500})
    assert positions(got["periods"]) == open_periods(fresh_sim, "04")
    assert "page_shrunk" in codes(got)


async def test_an_afas_error_on_the_calendar_carries_the_afas_message_and_log_reference(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    fresh_sim.block_connector("AfasMcp_PayrollPeriods")
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        text = await refused(client, "list_open_payroll_periods", {"employer_id": "01"})
    (answer,) = fresh_sim.request_log.find(path_contains="/connectors/AfasMcp_PayrollPeriods")
    assert answer.response_json["externalMessage"] in text
    assert answer.response_json["profitLogReference"] in text
