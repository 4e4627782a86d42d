"""register_hours and submit_leave_request end to end against the simulator.

Both are applied and read back at once when the policies allow them; hours for a future day and
long leave wait for a person; a closed project, an unknown employee or leave that ends before it
starts are refused before anything is sent.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from test_writes_support import (
    active_employee,
    open_project,
    product,
    recorded_facts,
    settings_for,
    today,
    update_calls,
    writes,
)
from tool_helpers import call, refused

from policies.facts import LeaveFacts
from simulator.testing import SimulatorHandle

pytestmark = pytest.mark.anyio


@pytest.fixture
def sim(fresh_profile_sim: SimulatorHandle) -> SimulatorHandle:
    """Each test in the realistic and the hostile profile, on a tenant reset before and after."""
    return fresh_profile_sim


def hours(sim: SimulatorHandle, **overrides: Any) -> dict[str, Any]:
    return {
        "employee_id": active_employee(sim)["employee"]["EmId"],
        "project_id": open_project(sim)["ProjectId"],
        "date": (today(sim) - timedelta(days=1)).isoformat(),
        "hours": "7.5",
        "description": "Montage installatie",
    } | overrides


def leave(sim: SimulatorHandle, **overrides: Any) -> dict[str, Any]:
    start = today(sim) + timedelta(days=14)
    return {
        "employee_id": active_employee(sim)["employee"]["EmId"],
        "leave_type": "v",
        "start": start.isoformat(),
        "end": (start + timedelta(days=4)).isoformat(),
        "reason": "Vakantie",
    } | overrides


# --- register_hours ------------------------------------------------------------------------------


async def test_register_hours_is_applied_and_reads_back(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    arguments = hours(sim)
    async with connect(product(settings_for(sim, tmp_path))) as client:
        result = await call(client, "register_hours", arguments)
    assert result["status"] == "applied", result["message"]
    assert result["read_back"]["result"] == "match"
    row = sim.tenant.get("realizations", int(result["afas_key"]["Id"]))
    assert row is not None
    assert (row["EmId"], row["PrId"], row["ItCd"], row["Qu"]) == (
        arguments["employee_id"],
        arguments["project_id"],
        "300",
        Decimal("7.5"),
    )
    (record,) = writes(sim, "PtRealization")
    assert record.request["PtRealization"]["Element"]["Fields"]["XpRe"].startswith("AMCP-")


async def test_register_hours_dry_run_returns_the_payload_and_sends_nothing(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    async with connect(product(settings_for(sim, tmp_path))) as client:
        preview = await call(client, "register_hours", hours(sim) | {"dry_run": True})
    assert preview["status"] == "dry_run" and preview["decision"] == "allow"
    assert preview["payload"]["PtRealization"]["Element"]["Fields"]["Qu"] == "7.5"
    assert update_calls(sim) == [] and writes(sim) == []


async def test_hours_on_a_closed_project_are_refused(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    closed = next(p for p in sim.tenant.table("projects") if p["CheckedOut"])
    async with connect(product(settings_for(sim, tmp_path))) as client:
        text = await refused(client, "register_hours", hours(sim, project_id=closed["ProjectId"]))
    assert f"project {closed['ProjectId']!r} is closed" in text
    assert writes(sim) == []


async def test_hours_for_a_future_day_wait_for_a_person(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    future = (today(sim) + timedelta(days=3)).isoformat()
    async with connect(product(settings_for(sim, tmp_path))) as client:
        held = await call(client, "register_hours", hours(sim, date=future))
    assert held["status"] == "pending_review" and held["review_url"]
    assert writes(sim) == []


async def test_more_hours_than_a_day_has_are_refused_naming_the_field(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    async with connect(product(settings_for(sim, tmp_path))) as client:
        text = await refused(client, "register_hours", hours(sim, hours="30"))
    assert "`hours`" in text
    assert update_calls(sim) == []


# --- submit_leave_request -------------------------------------------------------------------------


async def test_submit_leave_request_is_applied_and_reads_back(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    arguments = leave(sim)
    async with connect(product(settings_for(sim, tmp_path))) as client:
        result = await call(client, "submit_leave_request", arguments)
    assert result["status"] == "applied", result["message"]
    assert result["read_back"]["result"] == "match"
    booking = sim.tenant.get("absences", int(result["afas_key"]["Id"]))
    assert booking is not None
    assert (booking["EmId"], booking["ViAt"], booking["LeDt"]) == (
        arguments["employee_id"],
        "V",
        False,
    )


async def test_partial_leave_books_the_hours_of_one_day(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    day = today(sim) + timedelta(days=14)
    arguments = leave(
        sim,
        start=day.isoformat(),
        end=day.isoformat(),
        partial={"from_time": "13:00", "until_time": "17:00"},
    )
    settings = settings_for(sim, tmp_path)
    async with connect(product(settings)) as client:
        result = await call(client, "submit_leave_request", arguments)
    assert result["status"] == "applied" and result["read_back"]["result"] == "match"
    booking = sim.tenant.get("absences", int(result["afas_key"]["Id"]))
    assert booking is not None
    assert booking["LeDt"] is True
    assert booking["DaBe"] == datetime.combine(day, datetime.min.time()).replace(hour=13)
    assert booking["DuRa"] == Decimal("4.00")
    # The times are facts, not only body: an approval's re-check compares the body with them.
    facts = recorded_facts(settings, result["write_id"], LeaveFacts)
    assert (facts.start, facts.from_time, facts.until_time) == (day, time(13), time(17))


async def test_leave_that_ends_before_it_starts_is_refused(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    arguments = leave(sim)
    arguments["end"] = (datetime.fromisoformat(arguments["start"]) - timedelta(days=2)).date()
    async with connect(product(settings_for(sim, tmp_path))) as client:
        text = await refused(
            client, "submit_leave_request", arguments | {"end": str(arguments["end"])}
        )
    assert "ends" in text and "before it starts" in text
    assert writes(sim) == []


async def test_long_leave_waits_for_a_person(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    arguments = leave(sim)
    start = datetime.fromisoformat(arguments["start"]).date()
    arguments["end"] = (start + timedelta(days=40)).isoformat()
    async with connect(product(settings_for(sim, tmp_path))) as client:
        held = await call(client, "submit_leave_request", arguments)
    assert held["status"] == "pending_review" and held["review_url"]
    assert writes(sim) == []


async def test_leave_for_an_unknown_employee_is_refused_naming_the_tool_to_call(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    async with connect(product(settings_for(sim, tmp_path))) as client:
        text = await refused(client, "submit_leave_request", leave(sim, employee_id="999999"))
    assert "employee '999999' does not exist" in text and "search_employees" in text
    assert writes(sim) == []
