from __future__ import annotations

from datetime import datetime

import pytest
from write_helpers import (
    ACTIVE_EMPLOYEE,
    EMPLOYEE_WITHOUT_BOOKINGS,
    HIRE_DATE,
    element,
    error_of,
    hire,
    read,
    send,
)

from simulator.testing import SimulatorHandle
from simulator.updates import WriteSide


def test_hire_answers_201_with_the_employee_code_under_the_connector_name(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    response = send(sim, "POST", "/connectors/KnEmployee", hire())
    assert response.status_code == 201
    body = response.json()
    assert list(body["results"]) == ["KnEmployee"]
    em_id = body["results"]["KnEmployee"]["EmId"]
    assert isinstance(em_id, str) and em_id not in {"100001", "100060"}


def test_a_hire_reads_back_through_every_employee_connector(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    em_id = send(sim, "POST", "/connectors/KnEmployee", hire()).json()["results"]["KnEmployee"][
        "EmId"
    ]
    (employee,) = read(sim, "AfasMcp_Employees", EmployeeId=em_id)
    assert employee["EmployerId"] == "02"
    assert (employee["FirstName"], employee["BirthName"]) == ("Mike", "Johnson")
    assert employee["EmploymentStart"] == f"{HIRE_DATE}T00:00:00Z"
    assert (employee["FunctionId"], employee["OrgUnit"], employee["PeriodTableId"]) == (
        "ICT",
        "ICT",
        5,
    )
    assert employee["HoursPerWeek"] == 36
    assert employee["Mail"] == "mike.johnson@example.com"
    (contract,) = read(sim, "AfasMcp_Contracts", EmployeeId=em_id)
    assert (contract["EmployerId"], contract["ContractType"], contract["DateEnd"]) == (
        "02",
        "O",
        None,
    )
    (salary,) = read(sim, "AfasMcp_Salaries", EmployeeId=em_id)
    assert (salary["PeriodTableId"], salary["SalaryKind"]) == (5, "V")
    (fiscal,) = read(sim, "AfasMcp_EmployeeFiscal", EmployeeId=em_id)
    assert fiscal["EmployerId"] == "02" and fiscal["WageTaxNumber"].endswith("L01")
    (standard,) = read(sim, "Profit_Employees", EmployeeId=em_id)
    assert standard["PersonId"] == employee["PersonId"]
    (person,) = read(sim, "Profit_OrgPer", BcCo=employee["PersonId"])
    assert person["Type"] == "Persoon" and person["Name"] == "Mike Johnson"


def test_a_hire_with_a_chosen_employee_code_keeps_it(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    response = send(sim, "POST", "/connectors/KnEmployee", hire(employee_id="Docu3"))
    assert response.json() == {"results": {"KnEmployee": {"EmId": "Docu3"}}}
    assert read(sim, "AfasMcp_Employees", EmployeeId="Docu3")


def test_a_hire_with_an_employee_code_in_use_is_refused(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    response = send(sim, "POST", "/connectors/KnEmployee", hire(employee_id=ACTIVE_EMPLOYEE))
    assert "already exists" in error_of(response)


def _non_employee_person(sim: SimulatorHandle) -> dict[str, object]:
    employees = {e["PersonId"] for e in read(sim, "Profit_Employees")}
    return next(
        p
        for p in read(sim, "Profit_OrgPer", Type="Persoon")
        if p["BSN"] and p["BcCo"] not in employees
    )


def test_matchper_0_attaches_the_hire_to_an_existing_person(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    relation = _non_employee_person(sim)
    body = hire(person={"MatchPer": "0", "BcCo": relation["BcCo"], "AutoNum": False})
    response = send(sim, "POST", "/connectors/KnEmployee", body)
    em_id = response.json()["results"]["KnEmployee"]["EmId"]
    (employee,) = read(sim, "AfasMcp_Employees", EmployeeId=em_id)
    assert employee["PersonId"] == relation["BcCo"]


def test_a_person_who_is_an_employee_already_cannot_be_hired_again(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    (leaver,) = read(sim, "AfasMcp_Employees", EmployeeId=EMPLOYEE_WITHOUT_BOOKINGS)
    body = hire(person={"MatchPer": "0", "BcCo": leaver["PersonId"], "AutoNum": False})
    assert "is already employee" in error_of(send(sim, "POST", "/connectors/KnEmployee", body))


def test_matchper_1_matches_the_person_by_bsn(sim: SimulatorHandle, writes: WriteSide) -> None:
    relation = _non_employee_person(sim)
    body = hire(person={"MatchPer": "1", "SoSe": relation["BSN"], "LaNm": "Ignored"})
    em_id = send(sim, "POST", "/connectors/KnEmployee", body).json()["results"]["KnEmployee"][
        "EmId"
    ]
    (employee,) = read(sim, "AfasMcp_Employees", EmployeeId=em_id)
    assert employee["PersonId"] == relation["BcCo"]


def test_a_bsn_that_fails_the_11_test_is_refused(sim: SimulatorHandle, writes: WriteSide) -> None:
    response = send(sim, "POST", "/connectors/KnEmployee", hire(person={"SoSe": "123456789"}))
    assert "11-test" in error_of(response)


def test_an_address_without_country_is_refused(sim: SimulatorHandle, writes: WriteSide) -> None:
    response = send(sim, "POST", "/connectors/KnEmployee", hire(address={"CoId": ""}))
    assert "Enter a value for 'Country'." in error_of(response)


def test_several_problems_come_back_in_one_message_joined_by_bars(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    body = hire(person={"SoSe": "123456789"}, address={"CoId": ""})
    message = error_of(send(sim, "POST", "/connectors/KnEmployee", body))
    assert " | " in message and "11-test" in message and "Country" in message


def test_a_refused_hire_changes_nothing(sim: SimulatorHandle, writes: WriteSide) -> None:
    before = len(read(sim, "AfasMcp_Employees"))
    persons = len(read(sim, "Profit_OrgPer"))
    send(sim, "POST", "/connectors/KnEmployee", hire(function="NOPE", address={"CoId": ""}))
    assert (len(read(sim, "AfasMcp_Employees")), len(read(sim, "Profit_OrgPer"))) == (
        before,
        persons,
    )
    assert writes.journal.last().stored == ()


def _update(em_id: str, *objects: dict[str, object], **attributes: object) -> dict[str, object]:
    root: dict[str, object] = {"@Action": "update", "@EmId": em_id, **attributes}
    root["Objects"] = list(objects)
    return {"AfasEmployee": {"Element": root}}


def test_put_changes_the_persons_email_through_the_employee(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    person = {"KnPerson": {"Element": {"@Action": "update", "Fields": {"EmAd": "new@example.nl"}}}}
    response = send(sim, "PUT", "/connectors/KnEmployee", _update(ACTIVE_EMPLOYEE, person))
    assert response.json() == {"results": {"KnEmployee": {"EmId": ACTIVE_EMPLOYEE}}}
    (employee,) = read(sim, "AfasMcp_Employees", EmployeeId=ACTIVE_EMPLOYEE)
    assert employee["Mail"] == "new@example.nl"


def test_put_inserts_a_new_salary_row_keyed_by_its_start_date(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    salary = element(
        "AfasSalary", {"SaPe": "V", "EmSa": "4100", "PtId": 5}, Action="insert", DaBe="2026-04-01"
    )
    response = send(sim, "PUT", "/connectors/KnEmployee", _update(ACTIVE_EMPLOYEE, salary))
    assert response.status_code == 201, response.text
    starts = [r["DateStart"] for r in read(sim, "AfasMcp_Salaries", EmployeeId=ACTIVE_EMPLOYEE)]
    assert "2026-04-01T00:00:00Z" in starts


def test_put_updates_a_row_whose_key_exists_without_an_action(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    (contract,) = read(sim, "AfasMcp_Contracts", EmployeeId=ACTIVE_EMPLOYEE)
    start = contract["DateStart"][:10]
    change = element("AfasContract", {"DaEn": "31-12-2026"}, DaBe=start)
    assert (
        send(sim, "PUT", "/connectors/KnEmployee", _update(ACTIVE_EMPLOYEE, change)).status_code
        == 201
    )
    (contract,) = read(sim, "AfasMcp_Contracts", EmployeeId=ACTIVE_EMPLOYEE)
    assert contract["DateEnd"] == "2026-12-31T00:00:00Z"


def test_put_insert_of_a_row_whose_key_exists_is_refused(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    (contract,) = read(sim, "AfasMcp_Contracts", EmployeeId=ACTIVE_EMPLOYEE)
    again = element(
        "AfasContract", {"CmId": "02"}, Action="insert", DaBe=contract["DateStart"][:10]
    )
    response = send(sim, "PUT", "/connectors/KnEmployee", _update(ACTIVE_EMPLOYEE, again))
    assert "already exists" in error_of(response)


def test_put_on_an_unknown_employee_is_afas_does_not_exist_message(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    response = send(sim, "PUT", "/connectors/KnEmployee", _update("NOBODY"))
    # AFAS's exact text names the field, not the value; the write journal keeps the value.
    assert error_of(response) == "The entered value for 'Employee' does not exist."
    assert response.json()["errorNumber"] == -2147220469
    assert writes.journal.last().unknown == (("Employee", "NOBODY"),)


def test_post_on_a_sub_object_url_inserts_that_row(sim: SimulatorHandle, writes: WriteSide) -> None:
    table = element("AfasTimeTable", {"HrWk": 24}, DaBg="2026-05-01")
    response = send(
        sim, "POST", "/connectors/KnEmployee/AfasTimeTable", _update(ACTIVE_EMPLOYEE, table)
    )
    assert response.status_code == 201, response.text
    assert writes.journal.last().rows("timetables")[0]["HrWk"] == 24


def test_post_on_an_unknown_sub_object_url_is_404(sim: SimulatorHandle, writes: WriteSide) -> None:
    response = send(sim, "POST", "/connectors/KnEmployee/AfasNothing", _update(ACTIVE_EMPLOYEE))
    assert (response.status_code, response.content) == (404, b"")


@pytest.mark.parametrize("key", ["@EmId", "EmId"])
def test_delete_removes_the_employee_and_its_rows(
    sim: SimulatorHandle, writes: WriteSide, key: str
) -> None:
    em_id = send(sim, "POST", "/connectors/KnEmployee", hire()).json()["results"]["KnEmployee"][
        "EmId"
    ]
    response = send(sim, "DELETE", f"/connectors/KnEmployee/AfasEmployee/{key}/{em_id}")
    assert (response.status_code, response.content) == (200, b"")
    assert read(sim, "AfasMcp_Employees", EmployeeId=em_id) == []
    assert read(sim, "AfasMcp_Contracts", EmployeeId=em_id) == []


def test_delete_of_an_employee_with_booked_leave_is_refused(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    response = send(sim, "DELETE", f"/connectors/KnEmployee/AfasEmployee/@EmId/{ACTIVE_EMPLOYEE}")
    assert "cannot be deleted" in error_of(response)


def test_R3_salary_change_leaves_the_employee_modified_date_when_switch_on(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    sim.quirks.enable("R3_child_changes_keep_parent_date")
    (before,) = read(sim, "AfasMcp_Employees", EmployeeId=ACTIVE_EMPLOYEE)
    salary = element("AfasSalary", {"SaPe": "V", "EmSa": "4100", "PtId": 5}, DaBe="2026-04-01")
    send(sim, "PUT", "/connectors/KnEmployee", _update(ACTIVE_EMPLOYEE, salary))
    (after,) = read(sim, "AfasMcp_Employees", EmployeeId=ACTIVE_EMPLOYEE)
    assert after["ModifiedDate"] == before["ModifiedDate"]
    new = [
        s
        for s in read(sim, "AfasMcp_Salaries", EmployeeId=ACTIVE_EMPLOYEE)
        if s["DateStart"].startswith("2026-04-01")
    ]
    assert new[0]["ModifiedDate"] > before["ModifiedDate"]


def test_R3_salary_change_moves_the_employee_modified_date_when_switch_off(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    sim.quirks.disable("R3_child_changes_keep_parent_date")
    (before,) = read(sim, "AfasMcp_Employees", EmployeeId=ACTIVE_EMPLOYEE)
    salary = element("AfasSalary", {"SaPe": "V", "EmSa": "4100", "PtId": 5}, DaBe="2026-04-01")
    send(sim, "PUT", "/connectors/KnEmployee", _update(ACTIVE_EMPLOYEE, salary))
    (after,) = read(sim, "AfasMcp_Employees", EmployeeId=ACTIVE_EMPLOYEE)
    assert datetime.fromisoformat(after["ModifiedDate"][:19]) > datetime.fromisoformat(
        before["ModifiedDate"][:19]
    )


def test_put_may_not_switch_the_employee_to_another_person(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    other = sim.tenant.get("persons", "1000006")
    assert other is not None
    person = {"KnPerson": {"Element": {"Fields": {"MatchPer": "1", "SoSe": other["SoSe"]}}}}
    response = send(sim, "PUT", "/connectors/KnEmployee", _update(ACTIVE_EMPLOYEE, person))
    assert (
        error_of(response) == f"Person '1000006' is not the person of employee '{ACTIVE_EMPLOYEE}'."
    )


@pytest.mark.parametrize("on", [True, False])
def test_R3_a_knperson_change_moves_the_employee_date_only_when_switch_off(
    sim: SimulatorHandle, writes: WriteSide, on: bool
) -> None:
    sim.quirks.set("R3_child_changes_keep_parent_date", on)
    (before,) = read(sim, "AfasMcp_Employees", EmployeeId=ACTIVE_EMPLOYEE)
    fields = {"MatchPer": "0", "BcCo": before["PersonId"], "TeNr": "030-7654321"}
    send(sim, "PUT", "/connectors/KnPerson", {"KnPerson": {"Element": {"Fields": fields}}})
    (after,) = read(sim, "AfasMcp_Employees", EmployeeId=ACTIVE_EMPLOYEE)
    assert (after["ModifiedDate"] == before["ModifiedDate"]) is on


def test_problems_in_the_person_and_in_the_payroll_rows_come_back_together(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    sim.quirks.disable("W10_unknown_function_lands_null")
    body = hire(person={"SoSe": "123456789"}, function="NOPE")
    message = error_of(send(sim, "POST", "/connectors/KnEmployee", body))
    assert "11-test" in message and "'Function' does not exist" in message
