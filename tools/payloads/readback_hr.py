"""What must read back after a hire, an employee update or a leave booking, and how to find one.

A 201 proves nothing (W14): the hire is read back through `AfasMcp_Employees` (employer, start,
function, period table, name, house number and addition), `AfasMcp_Salaries` (period table and
salary) and `AfasMcp_Contracts` (employer and dates). When AFAS's answer was lost (W16) the hire
is found by what the product matched the person on (BSN, person number, or name and birth date)
and its start date; a leave booking by employee, type and start.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from policies import afas_fields as af
from policies.envelope import find_element
from policies.facts import (
    EmployeeField,
    EmployeeUpdateFacts,
    HireFacts,
    LeaveFacts,
    PersonMatch,
)
from policies.values import AMSTERDAM, split_house_number
from server.writes.kinds import Expectation
from tools.payloads.employee import FIXED_SALARY, new_address

_EMPLOYEE_KEY = {"EmId": "EmployeeId"}
ADDRESS_FIELDS = frozenset(
    {
        EmployeeField.STREET,
        EmployeeField.HOUSE_NUMBER,
        EmployeeField.HOUSE_NUMBER_ADDITION,
        EmployeeField.POSTAL_CODE,
        EmployeeField.CITY,
        EmployeeField.COUNTRY,
    }
)


def _person_fields(facts: HireFacts) -> dict[str, Any]:
    if facts.person_match is PersonMatch.EXISTING_PERSON:
        return {"PersonId": facts.person_id}
    sent = {
        "FirstName": facts.first_name,
        "Initials": facts.initials,
        "PrefixBirthName": facts.name_prefix,
        "BirthName": facts.last_name,
        "DateOfBirth": facts.birth_date,
        "Gender": facts.gender,
        "BSN": facts.bsn,
        "Mail": facts.email,
    }
    # Only what was sent: an existing person matched by BSN keeps the details AFAS holds.
    return {column: value for column, value in sent.items() if value is not None}


def _address_fields(facts: HireFacts) -> dict[str, Any]:
    if facts.address is None:
        return {}
    number = split_house_number(facts.address.house_number)
    return {
        "Street": facts.address.street,
        "HouseNumber": number.number,
        # The addition is expected even when there is none: "" or a lost "A" is drift (W8, W13).
        "AddNumber": number.addition or facts.address.house_number_addition,
        "ZIPCode": facts.address.postal_code,
        "City": facts.address.city,
        "Country": facts.address.country,
    }


def _hire_employee_fields(facts: HireFacts) -> dict[str, Any]:
    return {
        "EmployerId": facts.employer_id,
        "EmploymentStart": facts.start_date,
        "EmploymentEnd": facts.contract_end,
        "FunctionId": facts.function_id,
        "OrgUnit": facts.org_unit,
        "PeriodTableId": facts.period_table_id,
        "HoursPerWeek": facts.hours_per_week,
        **_person_fields(facts),
        **_address_fields(facts),
    }


def hire_expectations(
    facts: HireFacts, body: Mapping[str, Any], afas_keys: Mapping[str, str]
) -> Sequence[Expectation]:
    """The employee, its contract and its salary as they must read back."""
    employee_id = afas_keys.get("EmId") or facts.employee_id
    if not employee_id:
        return hire_locate(facts, body)
    start = facts.start_date
    return (
        Expectation(
            label="employee",
            connector="employees",
            match={"EmployeeId": employee_id},
            fields=_hire_employee_fields(facts),
        ),
        Expectation(
            label="contract",
            connector="contracts",
            match={"EmployeeId": employee_id, "DateStart": start},
            fields={"EmployerId": facts.employer_id, "DateEnd": facts.contract_end},
        ),
        Expectation(
            label="salary",
            connector="salaries",
            match={"EmployeeId": employee_id, "DateStart": start},
            fields={
                "PeriodTableId": facts.period_table_id,
                "Salary": facts.salary,
                "SalaryKind": FIXED_SALARY,
            },
        ),
    )


def hire_locate(facts: HireFacts, body: Mapping[str, Any]) -> Sequence[Expectation]:
    """The new employee by what its person was matched on, its employer and its start date."""
    match: dict[str, Any] = {"EmployerId": facts.employer_id, "EmploymentStart": facts.start_date}
    if facts.person_match is PersonMatch.EXISTING_PERSON and facts.person_id:
        match["PersonId"] = facts.person_id
    elif facts.bsn:
        match["BSN"] = facts.bsn
    else:
        match |= {"BirthName": facts.last_name, "DateOfBirth": facts.birth_date}
    fields = {k: v for k, v in _hire_employee_fields(facts).items() if k not in match}
    return (
        Expectation(
            label="employee",
            connector="employees",
            match=match,
            fields=fields,
            keys=_EMPLOYEE_KEY,
        ),
    )


def describe_hire(facts: HireFacts) -> str:
    """One sentence for the agent and the approver."""
    name = " ".join(p for p in (facts.first_name, facts.name_prefix, facts.last_name) if p)
    table = facts.period_table_code or facts.period_table_id
    return (
        f"Hire {name} at employer {facts.employer_id} from {facts.start_date} as "
        f"{facts.function_id} in {facts.org_unit}, {facts.hours_per_week} hours a week, salary "
        f"{facts.salary} per period (period table {table})."
    )


# --- update_employee -----------------------------------------------------------------------------


def _today() -> date:
    # Read-back runs when the write settles; rows dated later are not in force yet, so
    # AfasMcp_Employees (which shows what is in force today) cannot show them.
    return datetime.now(AMSTERDAM).date()


def _after_update(facts: EmployeeUpdateFacts, field: EmployeeField) -> object:
    if field in facts.cleared:
        return None
    return facts.changes.get(field, facts.current.get(field))


def _employee_row_fields(facts: EmployeeUpdateFacts) -> dict[str, Any]:
    touched = set(facts.changes) | set(facts.cleared)
    fields: dict[str, Any] = {}
    if touched & {EmployeeField.EMAIL}:
        fields["Mail"] = _after_update(facts, EmployeeField.EMAIL)
    if touched & ADDRESS_FIELDS:
        address = new_address(facts)
        fields |= {
            "Street": address.street,
            "HouseNumber": int(address.house_number),
            "AddNumber": address.house_number_addition,
            "ZIPCode": address.postal_code,
            "City": address.city,
            "Country": address.country,
        }
    in_force = facts.effective_date is None or facts.effective_date <= _today()
    for field in (EmployeeField.FUNCTION, EmployeeField.ORG_UNIT, EmployeeField.HOURS_PER_WEEK):
        if field in touched and in_force:
            fields[af.EMPLOYEE_ROW_COLUMNS[field]] = _after_update(facts, field)
    return fields


def update_expectations(
    facts: EmployeeUpdateFacts, body: Mapping[str, Any], afas_keys: Mapping[str, str]
) -> Sequence[Expectation]:
    """The changed fields as they must read back: the employee, its new salary row, its contract."""
    found: list[Expectation] = []
    employee_fields = _employee_row_fields(facts)
    if employee_fields:
        found.append(
            Expectation(
                label="employee",
                connector="employees",
                match={"EmployeeId": facts.employee_id},
                fields=employee_fields,
            )
        )
    touched = set(facts.changes)
    if touched & {EmployeeField.SALARY, EmployeeField.PERIOD_TABLE} and facts.effective_date:
        found.append(
            Expectation(
                label="salary",
                connector="salaries",
                match={"EmployeeId": facts.employee_id, "DateStart": facts.effective_date},
                fields={
                    "PeriodTableId": facts.target_period_table_id,
                    "Salary": _after_update(facts, EmployeeField.SALARY),
                },
            )
        )
    contract = find_element(body, af.CONTRACT_END.object_name)
    ends = touched | set(facts.cleared)
    if EmployeeField.CONTRACT_END in ends and contract is not None:
        found.append(
            Expectation(
                label="contract",
                connector="contracts",
                match={
                    "EmployeeId": facts.employee_id,
                    "DateStart": date.fromisoformat(str(contract.get("@DaBe"))),
                },
                fields={
                    "EmployerId": facts.employer_id,
                    # None after a clear: an open-ended contract reads back without an end.
                    "DateEnd": _after_update(facts, EmployeeField.CONTRACT_END),
                },
            )
        )
    return tuple(found)


def update_locate(facts: EmployeeUpdateFacts, body: Mapping[str, Any]) -> Sequence[Expectation]:
    """The employee is known; the update is found when its new values are there.

    Each expectation's fields join its match, so a lost update that AFAS never applied finds
    nothing (and is settled as failed after AFAS's own time limit) instead of a drift.
    """
    located = []
    for expectation in update_expectations(facts, body, {}):
        values = {k: v for k, v in expectation.fields.items() if v is not None}
        located.append(
            Expectation(
                label=expectation.label,
                connector=expectation.connector,
                match={**expectation.match, **values},
                fields={k: v for k, v in expectation.fields.items() if v is None},
            )
        )
    return tuple(located)


def describe_update(facts: EmployeeUpdateFacts) -> str:
    """One sentence for the agent and the approver."""
    parts = [
        f"{field} {facts.current.get(field, '(unknown)')} -> {value}"
        for field, value in sorted(facts.changes.items())
    ]
    parts += [f"{field} emptied" for field in sorted(facts.cleared)]
    when = f" from {facts.effective_date}" if facts.effective_date else ""
    return f"Change employee {facts.employee_id}: {'; '.join(parts)}{when}."


# --- submit_leave_request ----------------------------------------------------------------------


def _moments(body: Mapping[str, Any]) -> tuple[datetime, datetime]:
    row = find_element(body, af.LEAVE_ROOT)
    if row is None:
        raise ValueError("the body has no HrAbsence row")
    # The body carries Amsterdam wall time (R7), as AFAS reads and shows it.
    start = datetime.fromisoformat(str(row.get(af.LEAVE_START.field_id)))
    end = datetime.fromisoformat(str(row.get(af.LEAVE_END.field_id)))
    return start.replace(tzinfo=AMSTERDAM), end.replace(tzinfo=AMSTERDAM)


def leave_expectations(
    facts: LeaveFacts, body: Mapping[str, Any], afas_keys: Mapping[str, str]
) -> Sequence[Expectation]:
    """The booking as `Profit_Leaves` must show it."""
    leave_id = afas_keys.get("Id")
    if not leave_id:
        return leave_locate(facts, body)
    start, end = _moments(body)
    return (
        Expectation(
            label="leave",
            connector="leaves",
            match={"LeaveId": int(leave_id)},
            fields={
                "EmployeeId": facts.employee_id,
                "LeaveCode": facts.leave_type,
                "StartDate": start,
                "EndDate": end,
            },
        ),
    )


def leave_locate(facts: LeaveFacts, body: Mapping[str, Any]) -> Sequence[Expectation]:
    """The booking by employee, leave type and start."""
    start, end = _moments(body)
    return (
        Expectation(
            label="leave",
            connector="leaves",
            match={
                "EmployeeId": facts.employee_id,
                "LeaveCode": facts.leave_type,
                "StartDate": start,
            },
            fields={"EndDate": end},
            keys={"Id": "LeaveId"},
        ),
    )


def describe_leave(facts: LeaveFacts) -> str:
    """One sentence for the agent and the approver."""
    return (
        f"Book leave {facts.leave_type} for employee {facts.employee_id} from {facts.start} "
        f"to {facts.end}."
    )
