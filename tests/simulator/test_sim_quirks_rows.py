"""Read quirks that change row content: each switch on and off."""

from __future__ import annotations

from datetime import UTC
from zoneinfo import ZoneInfo

import anyio
import httpx
import pytest
from sim_helpers import by_key, get, rows

from simulator.environment import DriftRefused
from simulator.testing import SimulatorHandle

REFERENCE = "2026-03-18"


def _terminated_employee(sim: SimulatorHandle) -> dict[str, object]:
    employees = rows(sim, "AfasMcp_Employees", orderbyfieldids="EmployeeId")
    return next(
        e
        for e in employees
        if e["EmploymentEnd"] and e["EmploymentEnd"] < REFERENCE and e["PersonId"]
    )


@pytest.mark.parametrize("on", [True, False])
def test_R1_wage_tax_number_is_blank_for_terminated_employees_only_with_the_switch_on(
    sim: SimulatorHandle, on: bool
) -> None:
    sim.quirks.set("R5_shell_rows", False)
    sim.quirks.set("R1_wage_tax_blank_for_terminated", on)
    employee = _terminated_employee(sim)
    fiscal = rows(
        sim,
        "AfasMcp_EmployeeFiscal",
        filterfieldids="EmployeeId",
        filtervalues=employee["EmployeeId"],
        operatortypes=1,
    )
    assert fiscal[0]["WageTaxNumber"]
    assert (employee["WageTaxNumber"] is None) == on
    active = [
        e for e in rows(sim, "AfasMcp_Employees") if e["EmploymentEnd"] is None and e["PersonId"]
    ]
    assert all(e["WageTaxNumber"] for e in active)


@pytest.mark.parametrize("on", [True, False])
def test_R3_a_child_change_moves_the_employee_date_only_with_the_switch_off(
    sim: SimulatorHandle, on: bool
) -> None:
    sim.quirks.set("R3_child_changes_keep_parent_date", on)
    employee_id = sim.tenant.table("employees").records()[0]["EmId"]
    before = sim.tenant.get("employees", employee_id)["_modified"]  # type: ignore[index]
    salary = sim.tenant.find("salaries", EmId=employee_id)[-1]
    sim.tenant.update("salaries", (employee_id, salary["DaBe"]), {"EmSa": salary["EmSa"] + 100})
    sim.sim.environment.note_child_change("employees", employee_id)
    after = sim.tenant.get("employees", employee_id)["_modified"]  # type: ignore[index]
    assert (after == before) == on
    changed = rows(
        sim,
        "AfasMcp_Salaries",
        filterfieldids="EmployeeId",
        filtervalues=employee_id,
        operatortypes=1,
        orderbyfieldids="-DateStart",
    )[0]
    assert changed["ModifiedDate"] >= REFERENCE


@pytest.mark.parametrize("on", [True, False])
def test_R4_salaries_credit_limits_and_credit_amounts_arrive_as_dutch_strings_with_the_switch_on(
    sim: SimulatorHandle, on: bool
) -> None:
    sim.quirks.set("R4_dutch_decimal_strings", on)
    salary = rows(sim, "AfasMcp_Salaries", orderbyfieldids="-Salary")[0]["Salary"]
    debtor = next(d for d in rows(sim, "Profit_Debtor") if d["CreditLimit"])
    entry = next(t for t in rows(sim, "Profit_Transactions") if t["AmtCredit"])
    if on:
        assert isinstance(salary, str) and "," in salary and "." in salary
        assert isinstance(debtor["CreditLimit"], str) and debtor["CreditLimit"].endswith(",00")
        assert isinstance(entry["AmtCredit"], str)
        assert isinstance(entry["AmtDebit"], int | float)  # only some fields are affected
    else:
        assert isinstance(salary, int | float)
        assert isinstance(debtor["CreditLimit"], int | float)
        assert isinstance(entry["AmtCredit"], int | float)


@pytest.mark.parametrize("on", [True, False])
def test_R5_blocked_and_deleted_employees_come_back_as_shells_with_the_switch_on(
    sim: SimulatorHandle, on: bool
) -> None:
    sim.quirks.set("R5_shell_rows", on)
    employees = sim.tenant.table("employees").records()
    blocked = next(e["EmId"] for e in employees if e["Bl"] and not e["_deleted"])
    deleted = next(e["EmId"] for e in employees if e["_deleted"])
    served = by_key(rows(sim, "AfasMcp_Employees"), "EmployeeId")
    if on:
        for employee_id in (blocked, deleted):
            shell = served[employee_id]
            assert [v for k, v in shell.items() if k != "EmployeeId"] == [None] * (len(shell) - 1)
    else:
        assert served[blocked]["Blocked"] is True and served[blocked]["BirthName"]
        assert deleted not in served


def test_R6_drift_changes_metainfo_and_rows_at_run_time(sim: SimulatorHandle) -> None:
    sim.quirks.enable("R6_connector_drift")
    sim.trigger_drift(
        "AfasMcp_Employees",
        remove=["Mail"],
        add=["Nationality"],
        rename={"BSN": "SocialSecurityNo"},
    )
    fields = [f["id"] for f in get(sim, "/metainfo/get/AfasMcp_Employees").json()["fields"]]
    assert "Mail" not in fields and "BSN" not in fields
    assert "SocialSecurityNo" in fields and fields[-1] == "Nationality"
    row = rows(sim, "AfasMcp_Employees", orderbyfieldids="EmployeeId")[0]
    assert list(row) == fields and row["Nationality"] is None and row["SocialSecurityNo"]
    response = get(
        sim,
        "/connectors/AfasMcp_Employees",
        filterfieldids="Mail",
        filtervalues="x",
        operatortypes=6,
    )
    assert response.status_code == 500
    assert response.json()["externalMessage"] == "Connector field 'Mail' not found"


def test_R6_off_connector_shapes_never_change(sim: SimulatorHandle) -> None:
    sim.quirks.disable("R6_connector_drift")
    with pytest.raises(DriftRefused):
        sim.trigger_drift("AfasMcp_Employees", remove=["Mail"])
    fields = [f["id"] for f in get(sim, "/metainfo/get/AfasMcp_Employees").json()["fields"]]
    assert "Mail" in fields


def test_R6_reset_restores_the_shipped_shape(sim: SimulatorHandle) -> None:
    sim.quirks.enable("R6_connector_drift")
    sim.trigger_drift("Profit_Debtor", remove=["IBAN"])
    sim.reset()
    fields = [f["id"] for f in get(sim, "/metainfo/get/Profit_Debtor").json()["fields"]]
    assert "IBAN" in fields


@pytest.mark.parametrize("on", [True, False])
def test_R7_dates_are_local_time_with_a_z_with_the_switch_on_and_real_utc_off(
    sim: SimulatorHandle, on: bool
) -> None:
    sim.quirks.set("R7_local_time_with_z", on)
    stamp = sim.tenant.table("employees").records()[0]["_modified"]
    employee = rows(sim, "AfasMcp_Employees", orderbyfieldids="EmployeeId")[0]
    local = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    utc = stamp.replace(tzinfo=ZoneInfo("Europe/Amsterdam")).astimezone(UTC)
    assert employee["ModifiedDate"] == (local if on else utc.strftime("%Y-%m-%dT%H:%M:%SZ"))


@pytest.mark.parametrize("on", [True, False])
def test_R8_responses_carry_no_total_count_with_the_switch_on(
    sim: SimulatorHandle, on: bool
) -> None:
    sim.quirks.set("R8_no_total_count", on)
    body = get(
        sim,
        "/connectors/Profit_Functions",
        take=5,
        filterfieldids="Employer",
        filtervalues="02",
        operatortypes=1,
    ).json()
    expected = len(sim.tenant.find("functions", Employer="02"))
    assert ("total" not in body) if on else (body["total"] == expected)


async def _two_overlapping_reads(sim: SimulatorHandle) -> list[str]:
    results: list[str] = []
    async with httpx.AsyncClient(
        base_url=sim.base_url, headers={"Authorization": sim.auth_header()}, timeout=10
    ) as http:

        async def read() -> None:
            response = await http.get(
                "/connectors/Profit_Functions",
                params={"orderbyfieldids": "FunctionId,Employer", "take": 1},
            )
            results.append(response.json()["rows"][0]["FunctionDesc"])

        async with anyio.create_task_group() as group:
            group.start_soon(read)
            group.start_soon(read)
    return results


@pytest.mark.anyio
@pytest.mark.parametrize("on", [True, False])
async def test_R9_an_overlapping_read_gets_the_earlier_cached_payload_with_the_switch_on(
    sim: SimulatorHandle, on: bool
) -> None:
    sim.quirks.set("R9_stale_cache_under_concurrency", on)
    sim.settings.r9_delay_seconds = 0.3
    first = get(sim, "/connectors/Profit_Functions", orderbyfieldids="FunctionId,Employer", take=1)
    original = first.json()["rows"][0]
    sim.tenant.update(
        "functions", (original["Employer"], original["FunctionId"]), {"FunctionDesc": "Nieuw"}
    )
    results = await _two_overlapping_reads(sim)
    assert sorted(results) == (
        sorted(["Nieuw", original["FunctionDesc"]]) if on else ["Nieuw", "Nieuw"]
    )
    if on:
        assert any("R9 stale payload" in entry.notes for entry in sim.request_log.entries)
