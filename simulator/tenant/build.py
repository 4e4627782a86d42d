"""Generate a whole tenant, deterministic from (seed, size, reference date)."""

from __future__ import annotations

from datetime import date

from simulator.clock import TenantClock, today_in_amsterdam
from simulator.tenant import employees, finance, payroll, work
from simulator.tenant.people import Generation
from simulator.tenant.store import Tenant

DEFAULT_SIZE = 60

# name -> key fields. Everything the connectors read lives in one of these tables.
TABLES: dict[str, tuple[str, ...]] = {
    "period_tables": ("PtId",),
    "org_units": ("OrgUnit",),
    "employers": ("EmployerId",),
    "payroll_periods": ("EmployerId", "PeriodTableId", "Year", "Period"),
    "functions": ("Employer", "FunctionId"),
    "cost_centres": ("EmployerId", "CostCentre"),
    "persons": ("BcCo",),
    "organisations": ("BcCo",),
    "employees": ("EmId",),
    "contracts": ("EmId", "DaBe"),
    "salaries": ("EmId", "DaBe"),
    "org_functions": ("EmId", "DaBe"),
    "timetables": ("EmId", "DaBg"),
    "fiscal": ("EmId", "DaBe"),
    "leave_entitlements": ("EmployeeId", "Leavetype", "Year", "Period"),
    "absences": ("Id",),
    "administrations": ("AdminId",),
    "ledger_accounts": ("Account",),
    "vat_codes": ("VatCode",),
    "journals": ("UnitId", "JournalId"),
    "booking_periods": ("Unit", "Year", "Period"),
    "debtors": ("DbId",),
    "creditors": ("CrId",),
    "entries": ("UnId", "EnNo", "SeqNo"),
    "projects": ("ProjectId",),
    "realizations": ("Id",),
    "subjects": ("SbId",),
}
# Fields indexed while the tenant is generated (and kept up to date after): the employee join
# reads an employee's dated rows through them, a change to a person, employee, absence, debtor
# or creditor finds the connector rows it shows in through them, and a hire matches its person
# by BSN or birth date (MatchPer, W4). Built later, on first use, an index would hold the tenant
# lock for a tenth of a second or more at 100,000 employees, in the middle of someone's request.
INDEXED: dict[str, tuple[str, ...]] = {
    "persons": ("SoSe", "DaBi"),
    "organisations": ("CcNr",),
    "employees": ("BcCo",),
    "contracts": ("EmId",),
    "salaries": ("EmId",),
    "org_functions": ("EmId",),
    "timetables": ("EmId",),
    "fiscal": ("EmId",),
    "absences": ("EmId",),
    "realizations": ("EmId",),
    "leave_entitlements": ("EmployeeId",),
    "debtors": ("BcCo",),
    "creditors": ("BcCo",),
    "entries": ("AcNr",),
}


def build_tenant(
    *, seed: int = 1, size: int = DEFAULT_SIZE, reference_date: date | None = None
) -> Tenant:
    """Generate a tenant. Same arguments, same data; `reference_date` defaults to today.

    Every generated date is an offset from the reference date, so "the open payroll period" and
    "a terminated employee" keep their meaning as time passes.
    """
    if size < 1:
        raise ValueError("a tenant needs at least one employee")
    clock = TenantClock(reference_date or today_in_amsterdam(), pinned=reference_date is not None)
    tenant = Tenant(seed=seed, size=size, clock=clock)
    for name, key in TABLES.items():
        tenant.create_table(name, key, indexed=INDEXED.get(name, ()))
    gen = Generation(tenant, seed=seed)
    payroll.generate_employers(gen)
    employees.generate_employees(gen)
    finance.generate_ledger(gen)
    finance.generate_relations(gen)
    finance.generate_entries(gen)
    work.generate_projects(gen)
    work.generate_realizations(gen)
    work.generate_subjects(gen)
    gen.finish()
    tenant.build_indexes()
    return tenant
