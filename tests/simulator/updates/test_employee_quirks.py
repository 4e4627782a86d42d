"""The silent employee-write quirks, each with its switch on and off."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from write_helpers import ACTIVE_EMPLOYEE, element, error_of, hire, read, send

from simulator.testing import SimulatorHandle
from simulator.updates import WriteSide


def _hired(sim: SimulatorHandle, body: dict[str, Any]) -> str:
    response = send(sim, "POST", "/connectors/KnEmployee", body)
    assert response.status_code == 201, response.text
    return str(response.json()["results"]["KnEmployee"]["EmId"])


def _employee(sim: SimulatorHandle, em_id: str) -> dict[str, Any]:
    (row,) = read(sim, "AfasMcp_Employees", EmployeeId=em_id)
    return row


def test_W1_hire_without_employer_lands_under_first_employer_when_switch_on(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    sim.quirks.enable("W1_missing_employer_defaults_to_first")
    em_id = _hired(sim, hire(employer=None, function="ADM"))
    assert _employee(sim, em_id)["EmployerId"] == "01"
    assert writes.journal.last().quirk("W1")


def test_W1_hire_without_employer_is_refused_when_switch_off(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    sim.quirks.disable("W1_missing_employer_defaults_to_first")
    response = send(sim, "POST", "/connectors/KnEmployee", hire(employer=None))
    assert error_of(response) == "Enter a value for 'Employer'."


def test_W14_profit_log_shows_no_stored_values_when_switch_on(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    sim.quirks.enable("W14_log_shows_request_not_stored", "W1_missing_employer_defaults_to_first")
    _hired(sim, hire(employer=None, function="ADM"))
    entry = sim.profit_log.entries[-1]
    assert (entry.status, entry.stored) == (201, None)


def test_W14_profit_log_shows_the_defaulted_employer_when_switch_off(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    sim.quirks.disable("W14_log_shows_request_not_stored")
    sim.quirks.enable("W1_missing_employer_defaults_to_first")
    _hired(sim, hire(employer=None, function="ADM"))
    stored = sim.profit_log.entries[-1].stored
    assert stored is not None and stored["contracts"][0]["CmId"] == "01"
    assert stored["contracts"][0]["DaBe"] == "2026-04-01"  # plain JSON values


# Employer 03 closed its current four-weekly period (2026-02-26 .. 2026-03-25).
CLOSED_START = dict(employer="03", start="2026-03-18", period_table=6, function="SRV")


def test_W2_hire_into_a_closed_payroll_period_is_stored_outside_payroll_when_switch_on(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    sim.quirks.enable("W2_closed_period_accepted")
    em_id = _hired(sim, hire(**CLOSED_START))
    assert _employee(sim, em_id)["EmploymentStart"] == "2026-03-18T00:00:00Z"
    issues = writes.payroll_state(em_id).issues
    assert any(issue.startswith("period closed: 2026/3 of employer 03") for issue in issues)


def test_W2_hire_into_a_closed_payroll_period_is_refused_when_switch_off(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    sim.quirks.disable("W2_closed_period_accepted")
    message = error_of(send(sim, "POST", "/connectors/KnEmployee", hire(**CLOSED_START)))
    assert "Payroll period 3 of 2026" in message and "is closed" in message


def test_W2_a_new_salary_row_in_a_closed_period_is_refused_when_switch_off(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    sim.quirks.disable("W2_closed_period_accepted")
    salary = element("AfasSalary", {"SaPe": "V", "EmSa": "1", "PtId": 5}, DaBe="2026-02-01")
    body = {"AfasEmployee": {"Element": {"@EmId": ACTIVE_EMPLOYEE, "Objects": [salary]}}}
    assert "is closed" in error_of(send(sim, "PUT", "/connectors/KnEmployee", body))


def test_W3_period_table_the_employer_does_not_use_is_stored_and_dropped_when_switch_on(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    sim.quirks.enable("W3_foreign_period_table_accepted")
    em_id = _hired(sim, hire(period_table=7))  # employer 02 runs tables 5 and 6, not 7
    assert _employee(sim, em_id)["PeriodTableId"] == 7
    assert any("dropped by payroll" in i for i in writes.payroll_state(em_id).issues)


def test_W3_period_table_the_employer_does_not_use_is_refused_when_switch_off(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    sim.quirks.disable("W3_foreign_period_table_accepted")
    message = error_of(send(sim, "POST", "/connectors/KnEmployee", hire(period_table=7)))
    assert message == "Period table 7 is not used by employer '02'."


BSN = "111222333"  # passes the 11-test, not in the seeded tenant


def test_W4_matchper_7_inserts_a_duplicate_person_on_a_rerun_when_switch_on(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    sim.quirks.enable("W4_matchper_7_always_inserts")
    first = _hired(sim, hire(person={"SoSe": BSN}))
    second = _hired(sim, hire(person={"SoSe": BSN}))
    people = {_employee(sim, first)["PersonId"], _employee(sim, second)["PersonId"]}
    assert len(people) == 2
    assert len([p for p in read(sim, "Profit_OrgPer") if p["BSN"] == BSN]) == 2
    assert writes.journal.last().quirk("W4")


def test_W4_matchper_7_refuses_a_person_that_exists_when_switch_off(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    sim.quirks.disable("W4_matchper_7_always_inserts")
    _hired(sim, hire(person={"SoSe": BSN}))
    response = send(sim, "POST", "/connectors/KnEmployee", hire(person={"SoSe": BSN}))
    assert "The person already exists" in error_of(response)


def test_W5_hire_without_calculate_balance_is_hidden_from_payroll_preview_when_switch_on(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    sim.quirks.enable("W5_balance_not_recalculated_by_default")
    em_id = _hired(sim, hire(calculate_balance=None))
    state = writes.payroll_state(em_id)
    assert state.in_preview is False
    assert _employee(sim, em_id)["EmployerId"] == "02"  # stored all the same


@pytest.mark.parametrize("value", [True, "true", "1", 1, "True"])
def test_W5_calculate_balance_true_in_any_form_keeps_the_hire_in_the_preview(
    sim: SimulatorHandle, writes: WriteSide, value: Any
) -> None:
    sim.quirks.enable("W5_balance_not_recalculated_by_default")
    assert writes.payroll_state(_hired(sim, hire(calculate_balance=value))).in_preview


@pytest.mark.parametrize("name", ["@CalculateBalance", "CalculateBalance", "@calculatebalance"])
def test_W5_calculate_balance_inside_fields_counts_too(
    sim: SimulatorHandle, writes: WriteSide, name: str
) -> None:
    sim.quirks.enable("W5_balance_not_recalculated_by_default")
    body = hire(calculate_balance=None)
    body["AfasEmployee"]["Element"]["Fields"][name] = "true"
    assert writes.payroll_state(_hired(sim, body)).in_preview


def test_W5_balance_is_always_calculated_when_switch_off(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    sim.quirks.disable("W5_balance_not_recalculated_by_default")
    assert writes.payroll_state(_hired(sim, hire(calculate_balance=None))).in_preview


def test_W7_true_in_a_legacy_flag_field_is_stored_as_text_when_switch_on(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    sim.quirks.enable("W7_legacy_field_formats")
    _hired(sim, hire(contract={"WrCt": True}, salary={"TtPy": "true"}, person={"SpNm": True}))
    record = writes.journal.last()
    assert record.rows("contracts")[0]["WrCt"] == "true"
    assert record.rows("salaries")[0]["TtPy"] == "true"
    assert record.rows("persons")[0]["SpNm"] == "true"
    assert len(record.quirk("W7")) == 3


def test_W7_legacy_flags_as_1_and_0_are_stored_right_when_switch_on(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    sim.quirks.enable("W7_legacy_field_formats")
    _hired(sim, hire(contract={"WrCt": "1"}, salary={"TtPy": "0"}))
    record = writes.journal.last()
    assert (record.rows("contracts")[0]["WrCt"], record.rows("salaries")[0]["TtPy"]) == (
        True,
        False,
    )
    assert record.quirk("W7") == []


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("2026-05-04", "2026-04-05T00:00:00Z"),  # day and month swapped
        ("2026-05-20", None),  # no 20th month: dropped
        ("04-05-2026", "2026-05-04T00:00:00Z"),  # the dd-MM-yyyy the field wants
    ],
)
def test_W7_contract_end_date_wants_day_month_year_when_switch_on(
    sim: SimulatorHandle, writes: WriteSide, sent: str, stored: str | None
) -> None:
    sim.quirks.enable("W7_legacy_field_formats")
    em_id = _hired(sim, hire(contract={"DaEn": sent}))
    (contract,) = read(sim, "AfasMcp_Contracts", EmployeeId=em_id)
    assert contract["DateEnd"] == stored


@pytest.mark.parametrize("sent", ["2026-05-04", "04-05-2026"])
def test_W7_both_date_forms_and_booleans_are_stored_right_when_switch_off(
    sim: SimulatorHandle, writes: WriteSide, sent: str
) -> None:
    sim.quirks.disable("W7_legacy_field_formats")
    em_id = _hired(sim, hire(contract={"DaEn": sent, "WrCt": True}))
    (contract,) = read(sim, "AfasMcp_Contracts", EmployeeId=em_id)
    assert contract["DateEnd"] == "2026-05-04T00:00:00Z"
    assert writes.journal.last().rows("contracts")[0]["WrCt"] is True


def test_W8_house_number_with_addition_loses_the_addition_when_switch_on(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    sim.quirks.enable("W8_house_number_addition_dropped")
    em_id = _hired(sim, hire(address={"HmNr": "12A"}))
    employee = _employee(sim, em_id)
    assert (employee["HouseNumber"], employee["AddNumber"]) == (12, None)


def test_W8_house_number_with_addition_is_refused_when_switch_off(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    sim.quirks.disable("W8_house_number_addition_dropped")
    response = send(sim, "POST", "/connectors/KnEmployee", hire(address={"HmNr": "12A"}))
    assert "not numeric" in error_of(response)


@pytest.mark.parametrize("on", [True, False])
def test_W8_number_and_addition_in_their_own_fields_are_stored_right(
    sim: SimulatorHandle, writes: WriteSide, on: bool
) -> None:
    sim.quirks.set("W8_house_number_addition_dropped", on)
    em_id = _hired(sim, hire(address={"HmNr": "12", "HmAd": "A"}))
    employee = _employee(sim, em_id)
    assert (employee["HouseNumber"], employee["AddNumber"]) == (12, "A")


def _parallel_hires(sim: SimulatorHandle) -> list[httpx.Response]:
    barrier = threading.Barrier(2, timeout=10)

    def post(name: str) -> httpx.Response:
        body = hire(person={"LaNm": name, "EmAd": f"{name.lower()}@example.com"})
        barrier.wait()
        return send(sim, "POST", "/connectors/KnEmployee", body)

    with ThreadPoolExecutor(2) as pool:
        return list(pool.map(post, ["Parallel", "Gelijktijdig"]))


def test_W9_parallel_inserts_share_the_generated_employee_code_when_switch_on(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    sim.quirks.enable("W9_parallel_inserts_share_employee_id")
    writes.settings.w9_overlap_seconds = 0.5
    responses = _parallel_hires(sim)
    assert [r.status_code for r in responses] == [201, 201]
    codes = {r.json()["results"]["KnEmployee"]["EmId"] for r in responses}
    assert len(codes) == 1
    (code,) = codes
    (survivor,) = read(sim, "AfasMcp_Employees", EmployeeId=code)
    assert survivor["BirthName"] in {"Parallel", "Gelijktijdig"}  # the other hire is lost
    assert writes.journal.with_quirk("W9")


def test_W9_parallel_inserts_get_their_own_codes_when_switch_off(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    sim.quirks.disable("W9_parallel_inserts_share_employee_id")
    responses = _parallel_hires(sim)
    codes = {r.json()["results"]["KnEmployee"]["EmId"] for r in responses}
    assert len(codes) == 2
    names = {_employee(sim, code)["BirthName"] for code in codes}
    assert names == {"Parallel", "Gelijktijdig"}


@pytest.mark.parametrize("function", ["NOPE", "OUD"])  # unknown; blocked in the table
def test_W10_function_not_in_the_employers_table_lands_null_when_switch_on(
    sim: SimulatorHandle, writes: WriteSide, function: str
) -> None:
    sim.quirks.enable("W10_unknown_function_lands_null")
    em_id = _hired(sim, hire(function=function))
    employee = _employee(sim, em_id)
    assert (employee["FunctionId"], employee["FunctionDesc"]) == (None, None)
    assert writes.journal.last().quirk("W10")


def test_W10_function_not_in_the_employers_table_is_refused_when_switch_off(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    sim.quirks.disable("W10_unknown_function_lands_null")
    message = error_of(send(sim, "POST", "/connectors/KnEmployee", hire(function="CHF")))
    assert message == "The entered value for 'Function' does not exist."
    assert writes.journal.last().unknown == (("Function", "CHF"),)  # 04's, not 02's


def test_W12_short_period_code_is_ignored_and_stored_empty_when_switch_on(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    sim.quirks.enable("W12_short_period_code_ignored")
    em_id = _hired(sim, hire(period_table="MND"))
    assert _employee(sim, em_id)["PeriodTableId"] is None
    assert "no period table" in writes.payroll_state(em_id).issues


def test_W12_short_period_code_is_refused_when_switch_off(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    sim.quirks.disable("W12_short_period_code_ignored")
    message = error_of(send(sim, "POST", "/connectors/KnEmployee", hire(period_table="MND")))
    assert message == "The entered value for 'Period table' does not exist."
    assert writes.journal.last().unknown == (("Period table", "MND"),)


@pytest.mark.parametrize("on", [True, False])
def test_W12_the_five_letter_code_maps_to_its_period_table(
    sim: SimulatorHandle, writes: WriteSide, on: bool
) -> None:
    sim.quirks.set("W12_short_period_code_ignored", on)
    assert _employee(sim, _hired(sim, hire(period_table="MAAND")))["PeriodTableId"] == 5


def _clear_mail() -> dict[str, Any]:
    person = {"KnPerson": {"Element": {"Fields": {"MatchPer": "0", "EmAd": ""}}}}
    return {"AfasEmployee": {"Element": {"@EmId": ACTIVE_EMPLOYEE, "Objects": [person]}}}


def test_W13_empty_string_is_stored_and_read_back_as_empty_when_switch_on(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    sim.quirks.enable("W13_empty_string_stored")
    assert send(sim, "PUT", "/connectors/KnEmployee", _clear_mail()).status_code == 201
    assert _employee(sim, ACTIVE_EMPLOYEE)["Mail"] == ""


def test_W13_empty_string_clears_the_field_when_switch_off(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    sim.quirks.disable("W13_empty_string_stored")
    assert send(sim, "PUT", "/connectors/KnEmployee", _clear_mail()).status_code == 201
    assert _employee(sim, ACTIVE_EMPLOYEE)["Mail"] is None


def test_W19_hire_without_salary_is_refused_naming_it_when_switch_on(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    sim.quirks.enable("W19_incomplete_hire_rejected")
    body = hire(leave_out=("AfasSalary", "AfasTimeTable"))
    message = error_of(send(sim, "POST", "/connectors/KnEmployee", body))
    assert message == "The employment is incomplete: AfasTimeTable, AfasSalary missing."


def test_W19_hire_without_salary_is_accepted_without_payroll_data_when_switch_off(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    sim.quirks.disable("W19_incomplete_hire_rejected")
    em_id = _hired(sim, hire(leave_out=("AfasSalary",)))
    assert _employee(sim, em_id)["PeriodTableId"] is None
    state = writes.payroll_state(em_id)
    assert state.in_preview is False
    assert "incomplete hire: missing AfasSalary" in state.issues


def test_W20_resending_an_unchanged_email_fails_when_switch_on(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    sim.quirks.enable("W20_unchanged_value_update_fails")
    mail = _employee(sim, ACTIVE_EMPLOYEE)["Mail"]
    person = {"KnPerson": {"Element": {"Fields": {"EmAd": mail, "TeNr": "030-1234567"}}}}
    body = {"AfasEmployee": {"Element": {"@EmId": ACTIVE_EMPLOYEE, "Objects": [person]}}}
    message = error_of(send(sim, "PUT", "/connectors/KnEmployee", body))
    assert message == f"The value '{mail}' for 'E-mail work' is already in use."


def test_W20_resending_an_unchanged_email_is_fine_when_switch_off(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    sim.quirks.disable("W20_unchanged_value_update_fails")
    mail = _employee(sim, ACTIVE_EMPLOYEE)["Mail"]
    person = {"KnPerson": {"Element": {"Fields": {"EmAd": mail}}}}
    body = {"AfasEmployee": {"Element": {"@EmId": ACTIVE_EMPLOYEE, "Objects": [person]}}}
    assert send(sim, "PUT", "/connectors/KnEmployee", body).status_code == 201


def _known_non_employee(sim: SimulatorHandle) -> dict[str, Any]:
    """A seeded person with a BSN and an e-mail who is no employee (a debtor or creditor)."""
    employees = {e["BcCo"] for e in sim.tenant.table("employees")}
    return next(
        dict(p)
        for p in sim.tenant.table("persons")
        if p["BcCo"] not in employees and p.get("SoSe") and p.get("EmAd")
    )


def test_W20_a_hire_matched_by_bsn_to_a_known_person_is_not_a_resent_bsn(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    sim.quirks.enable("W20_unchanged_value_update_fails")
    known = _known_non_employee(sim)
    body = hire(person={"MatchPer": "1", "SoSe": known["SoSe"]})
    em_id = _hired(sim, body)
    assert _employee(sim, em_id)["PersonId"] == known["BcCo"]  # the person AFAS already had


def test_W20_matched_by_bsn_a_resent_unchanged_email_still_fails(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    sim.quirks.enable("W20_unchanged_value_update_fails")
    known = _known_non_employee(sim)
    fields = {"MatchPer": "1", "SoSe": known["SoSe"], "EmAd": known["EmAd"], "TeNr": "030-1"}
    body = {"KnPerson": {"Element": {"Fields": fields}}}
    message = error_of(send(sim, "POST", "/connectors/KnPerson", body))
    assert message == f"The value '{known['EmAd']}' for 'E-mail work' is already in use."


def test_W20_matched_by_number_the_number_is_no_resent_value_but_an_unchanged_bsn_is(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    sim.quirks.enable("W20_unchanged_value_update_fails")
    known = _known_non_employee(sim)
    by_number = {"MatchPer": "0", "BcCo": known["BcCo"], "TeNr": "030-7654321"}
    changed = send(
        sim, "PUT", "/connectors/KnPerson", {"KnPerson": {"Element": {"Fields": by_number}}}
    )
    assert changed.status_code == 201, changed.text
    resent = {**by_number, "TeNr": "030-1111111", "SoSe": known["SoSe"]}
    body = {"KnPerson": {"Element": {"Fields": resent}}}
    message = error_of(send(sim, "PUT", "/connectors/KnPerson", body))
    assert message == f"The value '{known['SoSe']}' for 'BSN' is already in use."
