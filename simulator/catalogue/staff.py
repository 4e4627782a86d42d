"""The employee join both employee connectors read: person, contract, salary, function, schedule."""

from __future__ import annotations

from typing import NamedTuple

from simulator.catalogue.rows import Link, RowContext, matching, same_key
from simulator.tenant import Record

# The employee's dated tables: (table, date field). A change to one of an employee's records
# changes that employee's row only.
DATED = (
    ("contracts", "DaBe"),
    ("salaries", "DaBe"),
    ("org_functions", "DaBe"),
    ("timetables", "DaBg"),
    ("fiscal", "DaBe"),
)
# The other tables the join reads, and whose rows a change to them affects.
EMPLOYEE_LINKS = (
    Link("persons", matching("BcCo", "BcCo", table="employees")),
    *(Link(table, same_key("EmId")) for table, _date in DATED),
    Link("functions"),  # a code table: a change redoes every row
    Link("org_units"),
)


class EmployeeFacts(NamedTuple):
    """One employee with the child records in force on the day the rows are built."""

    employee: Record
    person: Record
    contract: Record | None
    salary: Record | None
    org_function: Record | None
    timetable: Record | None
    fiscal: Record | None
    function_desc: str | None
    org_unit_desc: str | None
    terminated: bool  # the current (last) employment ended before today


def employee_facts(ctx: RowContext, employee: Record) -> EmployeeFacts:
    """Join an employee with the records in force on `today` (or the last ones, if ended)."""
    em_id = employee["EmId"]
    person = ctx.record("persons", employee["BcCo"]) or {"BcCo": employee["BcCo"]}
    contract = ctx.in_force("contracts", "EmId", em_id, "DaBe")
    ended = contract is not None and contract["DaEn"] is not None and contract["DaEn"] < ctx.today
    org = ctx.in_force("org_functions", "EmId", em_id, "DaBe")
    employer = contract["CmId"] if contract else None
    functions = ctx.memo("functions", _function_descriptions)
    org_units = ctx.memo("org_units", _org_unit_descriptions)
    return EmployeeFacts(
        employee=employee,
        person=person,
        contract=contract,
        salary=ctx.in_force("salaries", "EmId", em_id, "DaBe"),
        org_function=org,
        timetable=ctx.in_force("timetables", "EmId", em_id, "DaBg"),
        fiscal=ctx.in_force("fiscal", "EmId", em_id, "DaBe"),
        # An unknown function code reads back as no function at all (quirk W10's symptom).
        function_desc=functions.get((employer, org["FuId"])) if org else None,
        org_unit_desc=org_units.get(org["DpId"]) if org else None,
        terminated=ended,
    )


def _function_descriptions(ctx: RowContext) -> dict[tuple[str, str], str]:
    return {(f["Employer"], f["FunctionId"]): f["FunctionDesc"] for f in ctx.table("functions")}


def _org_unit_descriptions(ctx: RowContext) -> dict[str, str]:
    return {u["OrgUnit"]: u["Description"] for u in ctx.table("org_units")}


def employee_deleted(ctx: RowContext, em_id: str) -> bool:
    """Whether an employee is soft-deleted: the child connectors leave its rows out."""
    employee = ctx.record("employees", em_id)
    return employee is not None and bool(employee.get("_deleted"))


def rows_of_employee(table: str) -> Link:
    """The child rows (of `table`) an employee's change affects (its deletion hides them)."""
    return Link("employees", matching("EmId", "EmId", table=table))
