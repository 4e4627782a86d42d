"""Helpers the hr and payroll tool tests share (this module holds no tests).

Ground truth comes from the simulator's tenant through the connectors' own row builders, with
no wire quirk applied: what AFAS holds, not what it sends. The tools' answers are compared to it.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from simulator.catalogue import RowOptions
from simulator.catalogue.custom import EMPLOYEES, PAYROLL_PERIODS
from simulator.catalogue.fields import STATE
from simulator.catalogue.hr import EMPLOYERS, LEAVE_BALANCES
from simulator.tenant.payroll import PERIOD_TABLES
from simulator.testing import SimulatorHandle


def connector_calls(sim: SimulatorHandle) -> list[str]:
    """Paths of the GetConnector calls the simulator answered."""
    return [e.path for e in sim.request_log.find(path_contains="/connectors/")]


# --- ground truth --------------------------------------------------------------------------------


def today(sim: SimulatorHandle) -> date:
    return sim.tenant.today()


def employees(sim: SimulatorHandle) -> dict[str, dict[str, Any]]:
    """Every employee as AFAS holds it (R1 not applied), with `_state` blocked/deleted/None."""
    options = RowOptions(today=today(sim), wage_tax_blank_for_terminated=False)
    return {row["EmployeeId"]: row for row in EMPLOYEES.build(sim.tenant, options)}


def day(value: date | datetime | None) -> str | None:
    """A tenant date as the tools print it."""
    if value is None:
        return None
    return (value.date() if isinstance(value, datetime) else value).isoformat()


def usable(row: dict[str, Any]) -> bool:
    """Neither blocked nor deleted: AFAS returns it in full under every profile."""
    return row[STATE] is None


def terminated(row: dict[str, Any], on: date) -> bool:
    end = row["EmploymentEnd"]
    return end is not None and day(end) < on.isoformat()  # type: ignore[operator]


def pick(sim: SimulatorHandle, kind: str) -> str:
    """The first employee code of a kind: active, terminated, not_started, blocked, deleted, ..."""
    on = today(sim)
    for employee_id, row in employees(sim).items():
        start = day(row["EmploymentStart"])
        if kind == "blocked" and row[STATE] == "blocked":
            return employee_id
        if kind == "deleted" and row[STATE] == "deleted":
            return employee_id
        if not usable(row):
            continue
        if kind == "terminated" and terminated(row, on):
            return employee_id
        if kind == "not_started" and start is not None and start > on.isoformat():
            return employee_id
        started = start is not None and start <= on.isoformat()
        if kind == "active" and started and not terminated(row, on) and row["Salary"] >= 1000:
            return employee_id
        if kind == "addition" and row["AddNumber"]:
            return employee_id
        if kind == "rehired" and row["EmploymentSeq"] and row["EmploymentSeq"] > 1:
            return employee_id
    raise LookupError(f"the tenant has no {kind} employee")


def calendar(sim: SimulatorHandle, employer_id: str) -> list[dict[str, Any]]:
    """One employer's payroll calendar rows, in key order."""
    options = RowOptions(today=today(sim))
    rows = [r for r in PAYROLL_PERIODS.build(sim.tenant, options) if r["EmployerId"] == employer_id]
    return sorted(rows, key=lambda r: (r["PeriodTableId"], r["Year"], r["Period"]))


def open_periods(sim: SimulatorHandle, employer_id: str) -> list[tuple[int, int, int]]:
    return [
        (r["PeriodTableId"], r["Year"], r["Period"])
        for r in calendar(sim, employer_id)
        if not r["Closed"]
    ]


def employer_truth(sim: SimulatorHandle) -> dict[str, dict[str, Any]]:
    """Employer id -> name, administration and the period tables its calendar uses."""
    options = RowOptions(today=today(sim))
    found = {}
    for row in EMPLOYERS.build(sim.tenant, options):
        tables = sorted({r["PeriodTableId"] for r in calendar(sim, row["EmployerId"])})
        found[row["EmployerId"]] = {
            "name": row["Name"],
            "administration_id": row["UnitId"],
            "tables": {t: PERIOD_TABLES[t][0] for t in tables},
        }
    return found


def leave_truth(sim: SimulatorHandle, employee_id: str, year: int) -> dict[str, dict[str, str]]:
    """Leave type -> the amounts as the tool prints them."""
    options = RowOptions(today=today(sim))
    found = {}
    for row in LEAVE_BALANCES.build(sim.tenant, options):
        if row["EmployeeId"] == employee_id and row["Year"] == year:
            found[row["Leavetype"]] = {
                "start_balance": str(row["StartBalance"]),
                "entitlement": str(row["Entitlement"]),
                "extra_entitlement": str(row["ExtraEntitlement"]),
                "taken": str(row["Taken"]),
                "balance": str(row["Balance"]),
            }
    return found


def search_truth(
    sim: SimulatorHandle,
    *,
    name: str | None = None,
    employer_id: str | None = None,
    active: bool | None = None,
) -> list[str]:
    """The codes search_employees must return, in order (blocked and deleted left out)."""
    on = today(sim)
    found = []
    for employee_id, row in sorted(employees(sim).items()):
        if not usable(row):
            continue
        if employer_id is not None and row["EmployerId"] != employer_id:
            continue
        names = [(row["FirstName"] or "").casefold(), (row["BirthName"] or "").casefold()]
        if name is not None and not any(name.casefold() in n for n in names):
            continue
        if active is not None and terminated(row, on) is active:
            continue
        found.append(employee_id)
    return found


def money(value: Decimal) -> str:
    return format(value, "f")
