"""get_employee and get_leave_balance through the in-memory MCP client against the simulator.

search_employees has its own module (test_hr_search.py). The realistic profile is on, so the
quirks AFAS really has (R1, R3, R4, R5, R6, R7, ...) are in every answer these tests read.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from pathlib import Path

import pytest
import tool_helpers
from test_hr_support import connector_calls, day, employees, leave_truth, money, pick, today
from tool_helpers import INTEGRATION_ID, call, codes, refused

from server.afas.values import AMSTERDAM
from simulator.testing import SimulatorHandle
from tools._hr_leave import LeaveBalance, _adds_up

pytestmark = pytest.mark.anyio

# The hostile profile demands an IntegrationId (W21); the hr and payroll tests always send one.
product_server = partial(tool_helpers.product_server, **INTEGRATION_ID)


def wire_rows(sim: SimulatorHandle, connector: str) -> list[dict[str, object]]:
    """The rows AFAS sent for a connector, exactly as they were on the wire."""
    found: list[dict[str, object]] = []
    for entry in sim.request_log.find(path_contains=f"/connectors/{connector}"):
        if entry.status == 200:
            found += entry.response_json["rows"]
    return found


# --- get_employee ----------------------------------------------------------------------------


async def test_get_employee_shows_person_address_contract_and_payroll(
    connect, mode, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    employee_id = pick(fresh_sim, "addition")
    truth = employees(fresh_sim)[employee_id]
    async with connect(product_server(fresh_sim, tmp_path), mode=mode) as client:
        got = await call(client, "get_employee", {"employee_id": employee_id})
    assert got["employee_id"] == employee_id
    assert got["person"]["first_name"] == truth["FirstName"]
    assert got["person"]["birth_name"] == truth["BirthName"]
    assert got["person"]["date_of_birth"] == day(truth["DateOfBirth"])
    assert got["address"]["house_number"] == truth["HouseNumber"]
    assert got["address"]["house_number_addition"] == truth["AddNumber"]
    assert got["address"]["postal_code"] == truth["ZIPCode"]
    employment = got["employment"]
    assert employment["employer_id"] == truth["EmployerId"]
    assert employment["start_date"] == day(truth["EmploymentStart"])
    assert employment["end_date"] == day(truth["EmploymentEnd"])
    assert employment["employment_sequence"] == truth["EmploymentSeq"]
    assert employment["function_id"] == truth["FunctionId"]
    assert employment["org_unit"] == truth["OrgUnit"]
    assert got["payroll"]["period_table"]["id"] == truth["PeriodTableId"]
    assert got["payroll"]["period_table"]["code"] in {"MAAND", "VIERWEKEN", "WEEK"}


async def test_get_employee_names_todays_payroll_period_and_the_first_open_one(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    employee_id = pick(fresh_sim, "active")
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        got = await call(client, "get_employee", {"employee_id": employee_id})
    current, first_open = got["payroll"]["period_today"], got["payroll"]["open_period"]
    on = today(fresh_sim).isoformat()
    assert current["date_from"] <= on <= current["date_to"]
    assert current["period_table_id"] == got["payroll"]["period_table"]["id"]
    assert first_open["closed"] is False
    assert first_open["date_to"] >= current["date_from"]


async def test_get_employee_of_an_active_employee_reads_the_wage_tax_number_from_the_main_connector(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    employee_id = pick(fresh_sim, "active")
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        got = await call(client, "get_employee", {"employee_id": employee_id})
    assert got["status"] == "active"
    assert got["active"] is True
    assert got["payroll"]["wage_tax_number"] == employees(fresh_sim)[employee_id]["WageTaxNumber"]
    assert got["payroll"]["wage_tax_number_source"] == "employee_connector"
    assert not any("AfasMcp_EmployeeFiscal" in path for path in connector_calls(fresh_sim))


async def test_R1_terminated_employee_gets_wage_tax_number_from_fiscal_connector(
    connect, mode, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    assert fresh_sim.quirks.is_on("R1_wage_tax_blank_for_terminated")
    employee_id = pick(fresh_sim, "terminated")
    truth = employees(fresh_sim)[employee_id]["WageTaxNumber"]
    assert truth, "AFAS holds a wage-tax number for this employee"
    async with connect(product_server(fresh_sim, tmp_path), mode=mode) as client:
        got = await call(client, "get_employee", {"employee_id": employee_id})
    # The main connector really blanked it on the wire ...
    (sent,) = [
        r for r in wire_rows(fresh_sim, "AfasMcp_Employees") if r["EmployeeId"] == employee_id
    ]
    assert sent["WageTaxNumber"] is None
    # ... and the tool still reports the number AFAS holds, saying where it came from.
    assert got["status"] == "terminated"
    assert got["active"] is False
    assert got["payroll"]["wage_tax_number"] == truth
    assert got["payroll"]["wage_tax_number_source"] == "fiscal_connector"
    assert "wage_tax_number_from_fiscal_connector" in codes(got)


async def test_R1_an_employee_without_any_wage_tax_number_gets_a_warning_not_a_silent_null(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    employee_id = pick(fresh_sim, "terminated")
    for record in fresh_sim.tenant.find("fiscal", EmId=employee_id):
        fresh_sim.tenant.delete("fiscal", (employee_id, record["DaBe"]))
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        got = await call(client, "get_employee", {"employee_id": employee_id})
    assert got["payroll"]["wage_tax_number"] is None
    assert got["payroll"]["wage_tax_number_source"] is None
    (warning,) = [w for w in got["warnings"] if w["code"] == "wage_tax_number_missing"]
    assert "AfasMcp_EmployeeFiscal" in warning["message"]


@pytest.mark.parametrize("kind", ["blocked", "deleted"])
async def test_R5_a_blocked_or_deleted_employee_is_a_status_and_a_warning_never_empty_data(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path, kind: str
) -> None:
    employee_id = pick(fresh_sim, kind)
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        got = await call(client, "get_employee", {"employee_id": employee_id})
    assert got["status"] == "blocked_or_deleted"
    assert got["person"] is None
    assert got["employment"] is None
    assert got["payroll"] is None
    assert codes(got) == ["blocked_or_deleted"]


async def test_without_shell_rows_a_blocked_employee_comes_back_in_full_and_flagged(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    fresh_sim.quirks.disable("R5_shell_rows")
    employee_id = pick(fresh_sim, "blocked")
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        got = await call(client, "get_employee", {"employee_id": employee_id})
        gone = await refused(client, "get_employee", {"employee_id": pick(fresh_sim, "deleted")})
    assert got["blocked"] is True
    assert got["person"]["birth_name"]
    assert "employee_blocked" in codes(got)
    assert "No employee" in gone


async def test_an_unknown_employee_code_says_how_to_find_the_right_one(
    connect, mode, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    async with connect(product_server(fresh_sim, tmp_path), mode=mode) as client:
        text = await refused(client, "get_employee", {"employee_id": "999999"})
    assert "No employee with id '999999'" in text
    assert "search_employees" in text
    assert "Change the arguments" in text


async def test_an_empty_employee_code_is_refused_before_afas_is_asked(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        text = await refused(client, "get_employee", {"employee_id": "  "})
        extra = await refused(client, "get_employee", {"employee_id": "1", "employe_id": "1"})
    assert "employee_id" in text
    assert "employe_id" in extra
    assert connector_calls(fresh_sim) == []


async def test_R4_salary_and_hours_are_exact_decimal_text_though_afas_sent_dutch_strings(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    employee_id = pick(fresh_sim, "active")
    truth = employees(fresh_sim)[employee_id]
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        got = await call(client, "get_employee", {"employee_id": employee_id})
    (sent,) = wire_rows(fresh_sim, "AfasMcp_Employees")
    assert isinstance(sent["Salary"], str) and "," in sent["Salary"]  # e.g. "4.233,98"
    assert got["payroll"]["salary"] == money(truth["Salary"])
    assert got["employment"]["hours_per_week"] == money(truth["HoursPerWeek"])


async def test_R7_dates_are_amsterdam_days_and_times_though_afas_writes_a_z(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    employee_id = pick(fresh_sim, "terminated")
    truth = employees(fresh_sim)[employee_id]
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        got = await call(client, "get_employee", {"employee_id": employee_id})
    (sent,) = wire_rows(fresh_sim, "AfasMcp_Employees")
    assert str(sent["ModifiedDate"]).endswith("Z")
    modified = datetime.fromisoformat(got["modified_date"])
    assert modified.replace(tzinfo=None) == truth["ModifiedDate"]  # the wall clock in Amsterdam
    assert modified.utcoffset() == AMSTERDAM.utcoffset(truth["ModifiedDate"])
    assert got["employment"]["end_date"] == day(truth["EmploymentEnd"])


async def test_R6_a_field_removed_from_the_employee_connector_fails_naming_connector_and_field(
    connect, mode, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    employee_id = pick(fresh_sim, "active")
    async with connect(product_server(fresh_sim, tmp_path), mode=mode) as client:
        await call(client, "get_employee", {"employee_id": employee_id})  # metainfo now cached
        fresh_sim.trigger_drift("AfasMcp_Employees", remove=["WageTaxNumber"])
        text = await refused(client, "get_employee", {"employee_id": employee_id})
    assert "AfasMcp_Employees" in text
    assert "WageTaxNumber" in text
    assert "changed shape" in text


async def test_R6_a_renamed_fiscal_field_fails_before_any_wage_tax_number_is_reported(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    fresh_sim.trigger_drift("AfasMcp_EmployeeFiscal", rename={"WageTaxNumber": "LhNummer"})
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        text = await refused(client, "get_employee", {"employee_id": pick(fresh_sim, "terminated")})
    assert "AfasMcp_EmployeeFiscal" in text
    assert "WageTaxNumber" in text


async def test_a_period_table_the_employer_does_not_use_is_flagged(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    employee_id = pick(fresh_sim, "active")
    employer = employees(fresh_sim)[employee_id]["EmployerId"]
    used = {
        r["PeriodTableId"] for r in fresh_sim.tenant.find("payroll_periods", EmployerId=employer)
    }
    foreign = min({5, 6, 7} - used)
    for record in fresh_sim.tenant.find("salaries", EmId=employee_id):
        fresh_sim.tenant.update("salaries", (employee_id, record["DaBe"]), {"PtId": foreign})
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        got = await call(client, "get_employee", {"employee_id": employee_id})
    assert got["payroll"]["period_table"] == {"id": foreign, "code": None}
    assert "period_table_not_in_calendar" in codes(got)


async def test_a_function_code_missing_from_the_employers_table_is_flagged(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    employee_id = pick(fresh_sim, "active")
    for record in fresh_sim.tenant.find("org_functions", EmId=employee_id):
        fresh_sim.tenant.update("org_functions", (employee_id, record["DaBe"]), {"FuId": "XYZ"})
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        got = await call(client, "get_employee", {"employee_id": employee_id})
    assert got["employment"]["function_id"] == "XYZ"
    assert got["employment"]["function_description"] is None
    assert "function_not_in_table" in codes(got)


# --- get_leave_balance ---------------------------------------------------------------------


async def test_get_leave_balance_shows_each_leave_type_of_this_year(
    connect, mode, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    employee_id = pick(fresh_sim, "active")
    year = today(fresh_sim).year
    async with connect(product_server(fresh_sim, tmp_path), mode=mode) as client:
        got = await call(client, "get_leave_balance", {"employee_id": employee_id})
    assert got["year"] == year
    assert got["unit"] == "hours"
    shown = {
        b["leave_type"]: {
            k: b[k]
            for k in ("start_balance", "entitlement", "extra_entitlement", "taken", "balance")
        }
        for b in got["balances"]
    }
    assert shown == leave_truth(fresh_sim, employee_id, year)
    assert got["warnings"] == []


async def test_a_year_without_balances_says_so_instead_of_an_empty_list(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    employee_id = pick(fresh_sim, "active")
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        got = await call(client, "get_leave_balance", {"employee_id": employee_id, "year": 2001})
    assert got["balances"] == []
    assert codes(got) == ["no_leave_balances"]


async def test_leave_balance_of_an_unknown_employee_is_an_unknown_record(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        text = await refused(client, "get_leave_balance", {"employee_id": "999999"})
        bad_year = await refused(client, "get_leave_balance", {"employee_id": "1", "year": 26})
    assert "No employee with id '999999'" in text
    assert "year" in bad_year


async def test_R5_leave_balance_of_a_blocked_employee_carries_a_warning(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    employee_id = pick(fresh_sim, "blocked")
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        got = await call(client, "get_leave_balance", {"employee_id": employee_id})
    assert "blocked_or_deleted" in codes(got)


async def test_R6_a_renamed_leave_balance_field_fails_naming_connector_and_field(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    fresh_sim.trigger_drift("Profit_LeaveBalance", rename={"Balance": "Saldo"})
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        text = await refused(
            client, "get_leave_balance", {"employee_id": pick(fresh_sim, "active")}
        )
    assert "Profit_LeaveBalance" in text
    assert "Balance" in text


def test_a_balance_that_does_not_add_up_is_told_apart_from_one_that_does() -> None:
    amounts = {"employer_id": "01", "employment_sequence": 1, "year": 2026, "period": 1}
    right = LeaveBalance(leave_type="V", start_balance="8", entitlement="160",
                         extra_entitlement="0", taken="40", balance="128", **amounts)  # fmt: skip
    wrong = right.model_copy(update={"balance": "120"})
    unknown = right.model_copy(update={"taken": None})
    assert _adds_up(right)
    assert not _adds_up(wrong)
    assert _adds_up(unknown)  # a missing amount is not a contradiction


async def test_an_afas_error_reaches_the_agent_with_its_message_and_log_reference(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    fresh_sim.block_connector("AfasMcp_EmployeeFiscal")
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        text = await refused(client, "get_employee", {"employee_id": pick(fresh_sim, "terminated")})
    (answer,) = fresh_sim.request_log.find(path_contains="/connectors/AfasMcp_EmployeeFiscal")
    assert answer.status == 500
    assert answer.response_json["externalMessage"] in text  # AFAS's own words
    assert answer.response_json["profitLogReference"] in text  # for the administrator
    assert "unblock" in text
