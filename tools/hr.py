"""The `hr` toolset: employees and their leave, read from AFAS without silent gaps.

Read tools only, for now: `get_employee`, `search_employees`, `get_leave_balance`. The write tools
(`onboard_employee`, `update_employee`, `submit_leave_request`) join this module's `TOOLS` when
they are built. The joins and checks live in the private `_employees`, `_hr_*` modules; this
module holds what the model sees: input models, descriptions and the tool table.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from server.afas.values import AMSTERDAM
from tools._hr_employee import EmployeeRecord, employee_record
from tools._hr_leave import LeaveBalances, leave_balances
from tools._hr_reads import open_cursor, query_digest, seal_cursor
from tools._hr_search import (
    Criteria,
    EmployeeSearchResult,
    collect_page,
    page_of,
    resolve_children,
)
from tools._payroll_calendar import require_employer
from tools.base import DataWarning, ToolInput, ToolSpec
from tools.deps import ToolDeps

SEARCH_DEFAULT_LIMIT = 25
SEARCH_MAX_LIMIT = 200

EmployeeId = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=15),
    Field(description="The employee code (EmId in AFAS), e.g. '100001'. Exact, not a name."),
]
Year = Annotated[int, Field(ge=1900, le=2100)]
NamePart = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=15)]


# --- get_employee ---------------------------------------------------------------------------


class GetEmployeeInput(ToolInput):
    """Which employee to read."""

    employee_id: EmployeeId


async def get_employee(deps: ToolDeps, args: GetEmployeeInput) -> EmployeeRecord:
    """Handler of `get_employee`."""
    return await employee_record(deps, args.employee_id)


# --- search_employees -------------------------------------------------------------------------


class SearchEmployeesInput(ToolInput):
    """Filters and paging for an employee search; every filter is optional."""

    name: NamePart | None = Field(
        None,
        description="Part of the first name or of the birth name (surname without prefix), "
        "case-insensitive, e.g. 'Jansen' or 'Jan'. One name part, not a full name: "
        "'Jan de Boer' matches nobody; search 'Boer'.",
    )
    employer_id: Code | None = Field(
        None,
        description="Only employees whose current contract is with this employer, e.g. '02' "
        "(list_employers shows the ids).",
    )
    active: bool | None = Field(
        None,
        description="true: only employees whose contract has not ended (no end date, or one "
        "today or later; includes hires that start later); false: only those whose contract "
        "ended before today. Omit for both.",
    )
    changed_since: datetime | None = Field(
        None,
        description="Only employees changed at or after this moment, 'YYYY-MM-DD' or "
        "'YYYY-MM-DDTHH:MM:SS' (Amsterdam time unless an offset is given). Counts changes to "
        "the employee record and to its contracts and salaries (AFAS does not move the "
        "employee's own change date for those); each result says which changed.",
    )
    limit: int = Field(
        SEARCH_DEFAULT_LIMIT,
        ge=1,
        le=SEARCH_MAX_LIMIT,
        description=f"Employees per page, 1 to {SEARCH_MAX_LIMIT} (default "
        f"{SEARCH_DEFAULT_LIMIT}).",
    )
    cursor: str | None = Field(
        None,
        description="next_cursor from the previous page, with the same other arguments; omit "
        "for the first page.",
    )


def _amsterdam(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=AMSTERDAM)  # AFAS's own clock
    return moment.astimezone(AMSTERDAM)


async def search_employees(deps: ToolDeps, args: SearchEmployeesInput) -> EmployeeSearchResult:
    """Handler of `search_employees`."""
    today = deps.today()
    warnings: list[DataWarning] = []
    employer_id = args.employer_id
    if employer_id is not None:
        employer, _, warnings = await require_employer(deps, employer_id)
        employer_id = employer.employer_id
    since = _amsterdam(args.changed_since)
    criteria = Criteria(args.name, employer_id, args.active, since, today)
    digest = query_digest(
        "search_employees",
        name=args.name,
        employer_id=employer_id,
        active=args.active,
        changed_since=since.isoformat() if since else None,
        today=today.isoformat() if args.active is not None else None,
    )
    after = open_cursor(args.cursor, digest) if args.cursor else None
    found = await collect_page(
        deps, criteria, after=str(after) if after is not None else None, limit=args.limit
    )
    await resolve_children(deps, criteria, found, limit=args.limit)
    employees, last, page_warnings = page_of(found, criteria, limit=args.limit)
    warnings += page_warnings
    if not employees and last is None and args.name and " " in args.name:
        warnings.append(
            DataWarning(
                code="name_has_several_parts",
                message=f"nobody matched {args.name!r}: the name filter matches one part of the "
                "first name or birth name; search a single part, e.g. the surname without prefix",
            )
        )
    return EmployeeSearchResult(
        employees=employees,
        count=len(employees),
        next_cursor=seal_cursor(digest, last) if last is not None else None,
        warnings=warnings,
    )


# --- get_leave_balance --------------------------------------------------------------------------


class GetLeaveBalanceInput(ToolInput):
    """Whose leave, and for which year."""

    employee_id: EmployeeId
    year: Year | None = Field(
        None, description="The year, e.g. 2026; default the current year (Amsterdam)."
    )


async def get_leave_balance(deps: ToolDeps, args: GetLeaveBalanceInput) -> LeaveBalances:
    """Handler of `get_leave_balance`."""
    return await leave_balances(deps, args.employee_id, args.year)


TOOLS: tuple[ToolSpec, ...] = (
    ToolSpec(
        name="get_employee",
        toolset="hr",
        title="Get employee",
        description=(
            "Read one employee by employee code: status (active, not_started, terminated, or "
            "blocked_or_deleted), names, birth date, home address, the current contract "
            "(employer_id, start and end date, employment sequence), function, org unit, hours, "
            "and payroll: the period table (id and code such as MAAND), today's payroll period, "
            "salary and the wage-tax number (loonheffingennummer). AFAS leaves the wage-tax "
            "number empty for terminated employees on its main connector; this tool then reads "
            "it from the fiscal records and says so in wage_tax_number_source. A blocked or "
            "deleted employee comes back with status blocked_or_deleted and no other data. Use "
            "search_employees first when you have a name, not a code. The BSN is not returned. "
            "Reads only; changes nothing. Always pass the warnings on."
        ),
        input_model=GetEmployeeInput,
        output_model=EmployeeRecord,
        handler=get_employee,
        read_only=True,
        idempotent=True,
    ),
    ToolSpec(
        name="search_employees",
        toolset="hr",
        title="Search employees",
        description=(
            "Find employees by part of a name, employer, active or not, and changes since a "
            "moment; one page at a time, ordered by employee code. Each result has the "
            "employee code for get_employee, name, employer_id, contract dates, status and "
            "function. changed_since also finds employees whose contract or salary changed, "
            "which AFAS's own change date of the employee misses, and says which record "
            "changed. Blocked or deleted employees are left out and counted in warnings. An "
            "unknown employer_id is an error listing the valid ones. Pass next_cursor back as "
            "cursor for the next page. Reads only; changes nothing."
        ),
        input_model=SearchEmployeesInput,
        output_model=EmployeeSearchResult,
        handler=search_employees,
        read_only=True,
        idempotent=True,
    ),
    ToolSpec(
        name="get_leave_balance",
        toolset="hr",
        title="Get leave balance",
        description=(
            "Read one employee's leave balances for a year (default this year), per leave type "
            "(V statutory, BV extra-statutory): hours carried over, granted, extra, taken and "
            "left. Does not list individual leave bookings and does not request leave. A "
            "balance that does not add up, or balances of a blocked or deleted employee, come "
            "with a warning. Reads only; changes nothing."
        ),
        input_model=GetLeaveBalanceInput,
        output_model=LeaveBalances,
        handler=get_leave_balance,
        read_only=True,
        idempotent=True,
    ),
)
