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


class _Join:
    """The look-ups of the employee join, made once per batch of rows."""

    def __init__(self, ctx: RowContext) -> None:
        self.today = ctx.today
        self.persons = ctx.table("persons").by_key()
        self.contract = ctx.in_force("contracts", "EmId", "DaBe")
        self.salary = ctx.in_force("salaries", "EmId", "DaBe")
        self.org_function = ctx.in_force("org_functions", "EmId", "DaBe")
        self.timetable = ctx.in_force("timetables", "EmId", "DaBg")
        self.fiscal = ctx.in_force("fiscal", "EmId", "DaBe")
        self.functions = {
            (f["Employer"], f["FunctionId"]): f["FunctionDesc"] for f in ctx.table("functions")
        }
        self.org_units = {u["OrgUnit"]: u["Description"] for u in ctx.table("org_units")}


def employee_facts(ctx: RowContext, employee: Record) -> EmployeeFacts:
    """Join an employee with the records in force on `today` (or the last ones, if ended)."""
    join: _Join = ctx.memo("employee join", _Join)
    em_id, bcco = employee["EmId"], employee["BcCo"]
    person = join.persons.get((bcco,)) or {"BcCo": bcco}
    contract = join.contract(em_id)
    ended = contract is not None and contract["DaEn"] is not None and contract["DaEn"] < join.today
    org = join.org_function(em_id)
    employer = contract["CmId"] if contract else None
    return EmployeeFacts(
        employee=employee,
        person=person,
        contract=contract,
        salary=join.salary(em_id),
        org_function=org,
        timetable=join.timetable(em_id),
        fiscal=join.fiscal(em_id),
        # An unknown function code reads back as no function at all (quirk W10's symptom).
        function_desc=join.functions.get((employer, org["FuId"])) if org else None,
        org_unit_desc=join.org_units.get(org["DpId"]) if org else None,
        terminated=ended,
    )


def employee_deleted(ctx: RowContext, em_id: str) -> bool:
    """Whether an employee is soft-deleted: the child connectors leave its rows out."""
    employee = ctx.record("employees", em_id)
    return employee is not None and bool(employee.get("_deleted"))


def rows_of_employee(table: str) -> Link:
    """The child rows (of `table`) an employee's change affects (its deletion hides them)."""
    return Link("employees", matching("EmId", "EmId", table=table))
