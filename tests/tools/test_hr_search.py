"""search_employees through the in-memory MCP client against the simulator (realistic profile)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import tool_helpers
from test_hr_support import connector_calls, employees, pick, search_truth
from tool_helpers import INTEGRATION_ID, call, codes, refused

from server.afas.values import AMSTERDAM
from simulator.testing import SimulatorHandle

pytestmark = pytest.mark.anyio

# The hostile profile demands an IntegrationId (W21); the hr and payroll tests always send one.
product_server = partial(tool_helpers.product_server, **INTEGRATION_ID)


async def every_page(client: Any, arguments: dict[str, Any]) -> tuple[list[str], list[dict]]:
    """Follow next_cursor to the end; the codes in order, and every page."""
    pages = [await call(client, "search_employees", arguments)]
    while pages[-1]["next_cursor"]:
        cursor = pages[-1]["next_cursor"]
        pages.append(await call(client, "search_employees", arguments | {"cursor": cursor}))
    return [e["employee_id"] for page in pages for e in page["employees"]], pages


def wall_clock(*parts: int) -> datetime:
    """A naive Amsterdam time, as the tenant stores stamps."""
    return datetime(*parts, tzinfo=AMSTERDAM).replace(tzinfo=None)  # type: ignore[misc]


def raise_salary(sim: SimulatorHandle, employee_id: str) -> None:
    """A salary change as HR makes it: the latest salary record gets a new amount."""
    latest = max(sim.tenant.find("salaries", EmId=employee_id), key=lambda r: r["DaBe"])
    amount = latest["EmSa"] + Decimal("100.00")
    sim.tenant.update("salaries", (employee_id, latest["DaBe"]), {"EmSa": amount})


def extend_contract(sim: SimulatorHandle, employee_id: str) -> None:
    latest = max(sim.tenant.find("contracts", EmId=employee_id), key=lambda r: r["DaBe"])
    end = (latest["DaEn"] or latest["DaBe"]) + timedelta(days=365)
    sim.tenant.update("contracts", (employee_id, latest["DaBe"]), {"DaEn": end})


async def test_pages_follow_each_other_without_gaps_or_repeats(
    connect, mode, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    async with connect(product_server(fresh_sim, tmp_path), mode=mode) as client:
        paged, pages = await every_page(client, {"limit": 7})
    assert paged == search_truth(fresh_sim)
    assert len(pages) > 3
    assert all(page["count"] == len(page["employees"]) for page in pages)


async def test_a_name_matches_part_of_the_first_or_the_birth_name_without_case(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        found, _ = await every_page(client, {"name": "JAN", "limit": 3})
    assert found == search_truth(fresh_sim, name="jan")
    people = employees(fresh_sim)
    assert any("jan" in people[e]["FirstName"].lower() for e in found)
    assert any("jan" in people[e]["BirthName"].lower() for e in found)


@pytest.mark.parametrize("active", [True, False])
async def test_active_is_decided_by_the_contract_end_date_against_today(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path, active: bool
) -> None:
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        found, pages = await every_page(client, {"active": active, "limit": 200})
    assert found == search_truth(fresh_sim, active=active)
    statuses = {e["status"] for page in pages for e in page["employees"]}
    assert statuses <= ({"active", "not_started"} if active else {"terminated"})


async def test_an_end_date_in_the_future_counts_as_active(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        found = await call(client, "search_employees", {"active": True, "limit": 200})
    on = fresh_sim.tenant.today().isoformat()
    later = [e for e in found["employees"] if e["end_date"] and e["end_date"] >= on]
    assert later, "the seeded tenant has fixed-term contracts that end after today"
    assert all(e["active"] and e["status"] == "active" for e in later)


async def test_filters_combine(connect, fresh_sim: SimulatorHandle, tmp_path: Path) -> None:
    arguments = {"name": "e", "employer_id": "02", "active": True, "limit": 4}
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        found, _ = await every_page(client, arguments)
    assert found == search_truth(fresh_sim, name="e", employer_id="02", active=True)
    assert found


async def test_an_unknown_employer_is_an_error_listing_the_valid_ones(
    connect, mode, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    async with connect(product_server(fresh_sim, tmp_path), mode=mode) as client:
        text = await refused(client, "search_employees", {"employer_id": "2"})
    assert "no employer '2'" in text
    assert "02 (" in text and "04 (" in text
    assert not any("AfasMcp_Employees" in path for path in connector_calls(fresh_sim))


async def test_a_cursor_only_works_with_the_arguments_it_came_from(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        first = await call(client, "search_employees", {"name": "e", "limit": 2})
        other = await refused(
            client, "search_employees", {"name": "a", "cursor": first["next_cursor"]}
        )
        junk = await refused(client, "search_employees", {"cursor": "not-a-cursor"})
        bigger = await call(
            client, "search_employees", {"name": "e", "limit": 5, "cursor": first["next_cursor"]}
        )
    assert "other arguments" in other
    assert "not one this tool handed out" in junk
    assert bigger["employees"][0]["employee_id"] > first["employees"][-1]["employee_id"]


async def test_limit_is_bounded_and_checked_before_afas_is_asked(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        text = await refused(client, "search_employees", {"limit": 201})
        zero = await refused(client, "search_employees", {"limit": 0})
    assert "limit" in text and "limit" in zero
    assert connector_calls(fresh_sim) == []


async def test_R5_blocked_and_deleted_employees_are_left_out_and_counted(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    shells = {pick(fresh_sim, "blocked"), pick(fresh_sim, "deleted")}
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        page = await call(client, "search_employees", {"limit": 200})
    assert not shells & {e["employee_id"] for e in page["employees"]}
    (warning,) = [w for w in page["warnings"] if w["code"] == "shell_rows_left_out"]
    assert warning["count"] == len(shells)
    assert all(code in warning["message"] for code in shells)
    assert "shell_rows" not in codes(page)  # said once, by the tool


async def test_a_full_name_that_matches_nobody_gets_a_hint(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        page = await call(client, "search_employees", {"name": "Jan de Boer"})
    assert page["employees"] == []
    assert codes(page) == ["name_has_several_parts"]


async def test_R3_salary_change_shows_in_changed_since_although_parent_date_did_not_move(
    connect, mode, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    assert fresh_sim.quirks.is_on("R3_child_changes_keep_parent_date")
    employee_id = pick(fresh_sim, "active")
    since = fresh_sim.tenant.now()
    parent_before = employees(fresh_sim)[employee_id]["ModifiedDate"]
    raise_salary(fresh_sim, employee_id)
    assert employees(fresh_sim)[employee_id]["ModifiedDate"] == parent_before < since
    async with connect(product_server(fresh_sim, tmp_path), mode=mode) as client:
        page = await call(
            client, "search_employees", {"changed_since": since.isoformat(timespec="seconds")}
        )
    (found,) = page["employees"]
    assert found["employee_id"] == employee_id
    assert found["changed"] == ["salary"]
    assert found["modified_date"] < since.isoformat()  # AFAS's own date did not move


async def test_R3_changed_since_says_which_record_changed_and_pages_through_them(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    since = fresh_sim.tenant.now()
    codes_ = sorted(search_truth(fresh_sim, active=True))[:5]
    raise_salary(fresh_sim, codes_[0])
    extend_contract(fresh_sim, codes_[1])
    raise_salary(fresh_sim, codes_[2])
    extend_contract(fresh_sim, codes_[2])
    fresh_sim.tenant.touch("employees", codes_[3])
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        found, pages = await every_page(
            client, {"changed_since": since.isoformat(timespec="seconds"), "limit": 1}
        )
    changed = {e["employee_id"]: e["changed"] for page in pages for e in page["employees"]}
    assert found == codes_[:4]
    assert changed == {
        codes_[0]: ["salary"],
        codes_[1]: ["contract"],
        codes_[2]: ["contract", "salary"],
        codes_[3]: ["employee"],
    }


async def test_R3_changed_since_keeps_the_other_filters(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    since = fresh_sim.tenant.now()
    people = employees(fresh_sim)
    in_02 = next(e for e in search_truth(fresh_sim, employer_id="02"))
    in_03 = next(e for e in search_truth(fresh_sim, employer_id="03"))
    raise_salary(fresh_sim, in_02)
    raise_salary(fresh_sim, in_03)
    arguments = {"changed_since": since.isoformat(timespec="seconds"), "employer_id": "03"}
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        page = await call(client, "search_employees", arguments)
        named = await call(
            client,
            "search_employees",
            {"changed_since": since.isoformat(), "name": people[in_02]["BirthName"]},
        )
    assert [e["employee_id"] for e in page["employees"]] == [in_03]
    assert [e["employee_id"] for e in named["employees"]] == [in_02]


async def test_changed_since_with_nothing_changed_is_an_empty_page(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    since = fresh_sim.tenant.now() + timedelta(days=1)
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        page = await call(client, "search_employees", {"changed_since": since.isoformat()})
    assert page == {"employees": [], "count": 0, "next_cursor": None, "warnings": []}


async def test_R6_a_child_connector_that_lost_its_date_fails_loudly(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    fresh_sim.trigger_drift("AfasMcp_Salaries", remove=["ModifiedDate"])
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        text = await refused(client, "search_employees", {"changed_since": "2026-01-01"})
    assert "AfasMcp_Salaries" in text
    assert "ModifiedDate" in text


async def test_R7_changed_since_with_an_offset_means_that_moment_in_amsterdam(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    employee_id = pick(fresh_sim, "active")
    latest = max(fresh_sim.tenant.find("salaries", EmId=employee_id), key=lambda r: r["DaBe"])
    stamp = wall_clock(2026, 6, 1, 12)  # Amsterdam summer time: 10:00 UTC
    for record in fresh_sim.tenant.table("salaries").records():  # nothing else since May
        if record["_modified"] >= wall_clock(2026, 5, 1):
            key = (record["EmId"], record["DaBe"])
            fresh_sim.tenant.update("salaries", key, {"_modified": wall_clock(2026, 4, 1)})
    fresh_sim.tenant.update("salaries", (employee_id, latest["DaBe"]), {"_modified": stamp})
    arguments = {"employer_id": employees(fresh_sim)[employee_id]["EmployerId"], "limit": 200}
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        before = await call(
            client, "search_employees", arguments | {"changed_since": "2026-06-01T09:30:00Z"}
        )
        after = await call(
            client, "search_employees", arguments | {"changed_since": "2026-06-01T10:30:00Z"}
        )
        local = await call(
            client, "search_employees", arguments | {"changed_since": "2026-06-01T11:59:59"}
        )

    def salary_changes(page: dict[str, Any]) -> list[str]:
        return [e["employee_id"] for e in page["employees"] if "salary" in e["changed"]]

    assert salary_changes(before) == [employee_id]  # 11:30 in Amsterdam, before the change
    assert salary_changes(after) == []  # 12:30 in Amsterdam, after it
    assert salary_changes(local) == [employee_id]  # no offset: Amsterdam time
