"""update_employee end to end: only real changes are sent (W20), and what AFAS stores is checked.

The tool reads the employee as AFAS holds it, drops what already holds, and builds the update
from the rest; an update is always approved by a person before it is sent, then read back.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from test_writes_support import (
    active_employee,
    approve,
    closed_period,
    objects,
    open_start,
    product,
    settings_for,
    today,
    update_calls,
    writes,
)
from tool_helpers import call, refused

from server.store import WriteStatus
from simulator.testing import SimulatorHandle

pytestmark = pytest.mark.anyio


@pytest.fixture
def sim(fresh_profile_sim: SimulatorHandle) -> SimulatorHandle:
    """Each test in the realistic and the hostile profile, on a tenant reset before and after."""
    return fresh_profile_sim


async def test_W20_an_update_sends_only_the_fields_that_change(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    found = active_employee(sim)
    person, employee_id = found["person"], found["employee"]["EmId"]
    changes = {
        "email": "nieuw.adres@example.nl",
        "city": person["Rs"].upper(),  # the same city, typed differently
        "street": person["Ad"],
    }
    async with connect(product(settings_for(sim, tmp_path))) as client:
        preview = await call(
            client,
            "update_employee",
            {"employee_id": employee_id, "changes": changes, "dry_run": True},
        )
    (sent,) = objects(preview["payload"], "KnPerson")
    assert sent["Fields"] == {
        "MatchPer": "0",
        "BcCo": person["BcCo"],
        "EmAd": "nieuw.adres@example.nl",
    }
    assert objects(preview["payload"], "KnBasicAddressAdr") == []
    verdicts = {v["policy"]: v for v in preview["verdicts"]}
    assert verdicts["update_sends_only_changes"]["outcome"] == "allow"
    assert update_calls(sim) == []


async def test_W20_an_update_that_changes_nothing_is_refused_before_anything_is_sent(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    found = active_employee(sim)
    person, employee_id = found["person"], found["employee"]["EmId"]
    changes = {"email": person["EmAd"], "city": person["Rs"]}
    async with connect(product(settings_for(sim, tmp_path))) as client:
        text = await refused(
            client, "update_employee", {"employee_id": employee_id, "changes": changes}
        )
    assert f"nothing to change for employee {employee_id}" in text
    assert f"email={person['EmAd']}" in text and "(W20)" in text
    assert writes(sim) == []


async def test_update_employee_salary_change_is_applied_from_its_date_and_read_back(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    found = active_employee(sim, employer="02")
    employee_id = found["employee"]["EmId"]
    effective = open_start(sim, "02", 5)
    settings = settings_for(sim, tmp_path)
    arguments = {
        "employee_id": employee_id,
        "changes": {"salary": "4999.50"},
        "effective_date": effective.isoformat(),
    }
    async with connect(product(settings)) as client:
        held = await call(client, "update_employee", arguments)
    assert held["status"] == "pending_review" and held["review_url"]
    assert update_calls(sim) == []
    decided = await approve(settings, held["write_id"])
    assert decided.status is WriteStatus.VERIFIED and decided.read_back == "match"
    (record,) = writes(sim, "KnEmployee")
    assert record.method == "PUT"
    (row,) = record.rows("salaries")
    assert (row["DaBe"], row["EmSa"], row["PtId"]) == (effective, Decimal("4999.50"), 5)


def fixed_term_employee(sim: SimulatorHandle) -> tuple[dict[str, Any], dict[str, Any], int]:
    """A live employee whose contract in force has an end date, and its salary's period table."""
    for contract in sim.tenant.table("contracts"):
        if contract["DaEn"] is None or not contract["DaBe"] <= today(sim) < contract["DaEn"]:
            continue
        employee = sim.tenant.get("employees", contract["EmId"])
        salaries = sim.tenant.find("salaries", EmId=contract["EmId"])
        if employee and not employee.get("_deleted") and not employee["Bl"] and salaries:
            table = max(salaries, key=lambda row: row["DaBe"])["PtId"]
            return employee, contract, table
    raise LookupError("no fixed-term employee in the tenant")


async def test_W7_W13_clearing_the_contract_end_makes_it_open_ended_and_reads_back_without_one(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    """ "" in the legacy date field DaEn, sent only because the agent named it in clear."""
    employee, contract, table = fixed_term_employee(sim)
    settings = settings_for(sim, tmp_path)
    arguments = {
        "employee_id": employee["EmId"],
        "clear": ["contract_end"],
        "effective_date": open_start(sim, contract["CmId"], table).isoformat(),
    }
    async with connect(product(settings)) as client:
        held = await call(client, "update_employee", arguments)
    assert held["status"] == "pending_review", held
    verdicts = {v["policy"]: v["outcome"] for v in held["verdicts"]}
    assert verdicts["legacy_value_formats"] == verdicts["no_empty_values"] == "allow"
    assert update_calls(sim) == []
    decided = await approve(settings, held["write_id"])
    assert decided.status is WriteStatus.VERIFIED and decided.read_back == "match"
    (record,) = writes(sim, "KnEmployee")
    (sent,) = objects(record.request, "AfasContract")
    assert sent["@DaBe"] == contract["DaBe"].isoformat()  # the contract in force, by its key
    assert sent["Fields"] == {"CmId": contract["CmId"], "DaEn": ""}
    (stored,) = sim.tenant.find("contracts", EmId=employee["EmId"], DaBe=contract["DaBe"])
    assert stored["DaEn"] is None


async def test_W14_an_emptied_addition_afas_keeps_as_an_empty_string_is_caught_as_drift(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    """ "14" after "12A" empties the addition; under W13 AFAS stores "" instead of nothing.

    AFAS answers 201 either way and its own log shows the request (W14); only reading the
    employee back shows the empty string, and the write waits for a person as drift.
    """
    found = active_employee(sim, with_addition=True)
    person, employee_id = found["person"], found["employee"]["EmId"]
    settings = settings_for(sim, tmp_path)
    new_number = str(person["HmNr"] + 2)
    async with connect(product(settings)) as client:
        held = await call(
            client,
            "update_employee",
            {"employee_id": employee_id, "changes": {"house_number": new_number}},
        )
    decided = await approve(settings, held["write_id"])
    (record,) = writes(sim, "KnEmployee")
    (sent,) = objects(record.request, "KnBasicAddressAdr")
    assert (sent["Fields"]["HmNr"], sent["Fields"]["HmAd"]) == (int(new_number), "")
    (logged,) = [e for e in sim.profit_log.entries if e.method == "PUT"]
    assert logged.status == 201  # AFAS's own log: a success
    if sim.quirks.is_on("W14_log_shows_request_not_stored"):
        assert logged.stored is None  # ... and nothing about what was stored
    if sim.quirks.is_on("W13_empty_string_stored"):
        assert decided.status is WriteStatus.DRIFT and decided.read_back == "drift"
        async with connect(product(settings)) as client:
            status = await call(client, "get_write_status", {"write_id": held["write_id"]})
        assert {"field": "employee.AddNumber", "expected": None, "actual": ""} in status[
            "read_back"
        ]["diffs"]
    else:
        assert decided.status is WriteStatus.VERIFIED and decided.read_back == "match"


async def test_update_employee_of_an_unknown_employee_names_the_tool_to_call(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    async with connect(product(settings_for(sim, tmp_path))) as client:
        text = await refused(
            client,
            "update_employee",
            {"employee_id": "999999", "changes": {"email": "x@example.nl"}},
        )
    assert "No employee with id '999999' exists in AFAS" in text
    assert "search_employees" in text
    assert writes(sim) == []


async def test_W12_an_update_to_a_short_period_code_is_refused_with_the_valid_codes(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    found = active_employee(sim, employer="02")
    arguments = {
        "employee_id": found["employee"]["EmId"],
        "changes": {"period_table": "MND"},
        "effective_date": open_start(sim, "02", 5).isoformat(),
    }
    async with connect(product(settings_for(sim, tmp_path))) as client:
        text = await refused(client, "update_employee", arguments)
    assert "'MND' is not a period table code the payroll calendar knows" in text
    assert "MAAND, VIERWEKEN" in text
    assert writes(sim) == []


async def test_a_payroll_change_without_its_effective_date_is_refused(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    found = active_employee(sim, employer="02")
    arguments = {"employee_id": found["employee"]["EmId"], "changes": {"hours_per_week": "20"}}
    async with connect(product(settings_for(sim, tmp_path))) as client:
        text = await refused(client, "update_employee", arguments)
    assert "`effective_date`" in text and "list_open_payroll_periods" in text
    assert writes(sim) == []


async def test_W2_a_payroll_change_in_a_closed_period_is_refused_naming_it(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    found = active_employee(sim, employer="03")
    period = closed_period(sim, "03")
    arguments = {
        "employee_id": found["employee"]["EmId"],
        "changes": {"salary": "3999.00"},
        "effective_date": period["DateFrom"].isoformat(),
    }
    async with connect(product(settings_for(sim, tmp_path))) as client:
        text = await refused(client, "update_employee", arguments)
    assert f"payroll period {period['Year']}/{period['Period']}" in text and "is closed" in text
    assert writes(sim) == []


async def test_W8_a_new_house_number_with_its_addition_is_split_and_reads_back(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    found = active_employee(sim)
    person, employee_id = found["person"], found["employee"]["EmId"]
    settings = settings_for(sim, tmp_path)
    typed = f"{person['HmNr'] + 1}B"
    async with connect(product(settings)) as client:
        held = await call(
            client,
            "update_employee",
            {"employee_id": employee_id, "changes": {"house_number": typed}},
        )
        bad = await refused(
            client,
            "update_employee",
            {"employee_id": employee_id, "changes": {"house_number": "B"}},
        )
    assert "`changes.house_number`" in bad
    decided = await approve(settings, held["write_id"])
    assert decided.status is WriteStatus.VERIFIED and decided.read_back == "match"
    (record,) = writes(sim, "KnEmployee")
    (sent,) = objects(record.request, "KnBasicAddressAdr")
    assert (sent["Fields"]["HmNr"], sent["Fields"]["HmAd"]) == (person["HmNr"] + 1, "B")
    assert sent["Fields"]["Ad"] == person["Ad"]  # the rest of the address as AFAS holds it
    stored = sim.tenant.get("persons", person["BcCo"])
    assert stored is not None and (stored["HmNr"], stored["HmAd"]) == (person["HmNr"] + 1, "B")


async def test_W16_an_update_whose_answer_was_lost_is_found_by_its_new_values(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    found = active_employee(sim, employer="02")
    settings = settings_for(sim, tmp_path)
    arguments = {
        "employee_id": found["employee"]["EmId"],
        "changes": {"salary": "4999.50", "email": "nieuw.adres@example.nl"},
        "effective_date": open_start(sim, "02", 5).isoformat(),
    }
    async with connect(product(settings)) as client:
        held = await call(client, "update_employee", arguments)
    sim.faults.add("PUT", "/connectors/KnEmployee*", "drop_after_apply", times=1)
    decided = await approve(settings, held["write_id"])
    assert decided.status is WriteStatus.VERIFIED and decided.read_back == "match"
    (record,) = writes(sim, "KnEmployee")
    assert record.status is None
    assert [c for c in update_calls(sim) if c.startswith("PUT")] == [
        "PUT /ProfitRestServices/connectors/KnEmployee"
    ]
