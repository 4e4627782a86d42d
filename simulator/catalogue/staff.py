"""The employee join both employee connectors read: person, contract, salary, function, schedule."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from simulator.catalogue.fields import current, group_by
from simulator.tenant import Record, Tenant

# The tables the join reads: a change to any of them invalidates the employee connectors.
EMPLOYEE_SOURCES = (
    "employees",
    "persons",
    "contracts",
    "salaries",
    "org_functions",
    "timetables",
    "fiscal",
    "functions",
    "org_units",
)


@dataclass(frozen=True)
class EmployeeFacts:
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


def employee_facts(tenant: Tenant, today: date) -> Iterator[EmployeeFacts]:
    """Join every employee with the records in force on `today` (or the last ones, if ended)."""
    persons = tenant.table("persons")
    contracts = group_by(tenant.table("contracts"), "EmId", "DaBe")
    salaries = group_by(tenant.table("salaries"), "EmId", "DaBe")
    org_functions = group_by(tenant.table("org_functions"), "EmId", "DaBe")
    timetables = group_by(tenant.table("timetables"), "EmId", "DaBg")
    fiscal = group_by(tenant.table("fiscal"), "EmId", "DaBe")
    functions = {
        (f["Employer"], f["FunctionId"]): f["FunctionDesc"] for f in tenant.table("functions")
    }
    org_units = {u["OrgUnit"]: u["Description"] for u in tenant.table("org_units")}
    for employee in tenant.table("employees"):
        em_id = employee["EmId"]
        person = persons.get((employee["BcCo"],)) or {"BcCo": employee["BcCo"]}
        contract = current(contracts.get(em_id, []), "DaBe", today)
        ended = contract is not None and contract["DaEn"] is not None and contract["DaEn"] < today
        org = current(org_functions.get(em_id, []), "DaBe", today)
        employer = contract["CmId"] if contract else None
        yield EmployeeFacts(
            employee=employee,
            person=person,
            contract=contract,
            salary=current(salaries.get(em_id, []), "DaBe", today),
            org_function=org,
            timetable=current(timetables.get(em_id, []), "DaBg", today),
            fiscal=current(fiscal.get(em_id, []), "DaBe", today),
            # An unknown function code reads back as no function at all (quirk W10's symptom).
            function_desc=functions.get((employer, org["FuId"])) if org else None,
            org_unit_desc=org_units.get(org["DpId"]) if org else None,
            terminated=ended,
        )


def deleted_employees(tenant: Tenant) -> set[str]:
    """Codes of soft-deleted employees, whose child rows the child connectors leave out."""
    return {e["EmId"] for e in tenant.table("employees") if e.get("_deleted")}
