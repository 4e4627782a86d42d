"""`search_employees`: filtered, keyset-paged employee lists, with change detection (R3).

A page is one read of the criteria as an OR of AND-groups (name in the first or the birth name,
an end date that is empty or not past), past the cursor's employee code and `limit + 1` rows
long, in code order. Should the filter grow too long for one query string, the client splits it
and merges the parts by code (R16).

With `changed_since`, AFAS's own `ModifiedDate` of an employee does not move when a contract or
salary changes (R3), so the contract and salary connectors are read with their own dates as
well, and the employees they name join the page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from server.afas.filters import Filter, FilterGroup, Operator
from server.afas.models import Row
from tools._employees import (
    EMPLOYEE_KEY,
    STATUS_TEXT,
    SUMMARY_FIELDS,
    Status,
    display_name,
    moment,
    status_of,
    text,
)
from tools._hr_reads import read_first, read_rows, shells_left_out, without_codes
from tools._payroll_calendar import as_date
from tools.base import DataWarning
from tools.deps import ToolDeps

Change = Literal["employee", "contract", "salary"]
CHILD_KEY = ("EmployeeId", "DateStart")
CHILD_FIELDS = (*CHILD_KEY, "ModifiedDate")
# The child connectors whose own dates show a change the employee's date does not (R3).
CHILDREN: tuple[tuple[str, Change], ...] = (("contracts", "contract"), ("salaries", "salary"))


class EmployeeSummary(BaseModel):
    """One employee in a search result; get_employee has the details."""

    employee_id: str = Field(description="The employee code (EmId); pass it to get_employee.")
    display_name: str | None = Field(description="First name, prefix and birth name.")
    first_name: str | None = Field(description="First name.")
    birth_name: str | None = Field(description="Birth name (surname) without prefix.")
    employer_id: str | None = Field(description="Employer (werkgever) of the current contract.")
    start_date: date | None = Field(description="Start of the current contract (YYYY-MM-DD).")
    end_date: date | None = Field(description="End of the contract; null when open-ended.")
    status: Status = Field(description=STATUS_TEXT)
    active: bool = Field(description="True unless the contract ended before today.")
    blocked: bool | None = Field(description="AFAS marks the employee as blocked.")
    function_id: str | None = Field(description="Function code (FuId).")
    function_description: str | None = Field(description="The function's description.")
    org_unit: str | None = Field(description="Organisational unit code (DpId).")
    modified_date: datetime | None = Field(
        description="Last change of the employee record itself (Amsterdam time); contract and "
        "salary changes do not move it."
    )
    changed: list[Change] | None = Field(
        description="Only with changed_since: which records changed since then: employee (the "
        "employee record itself), contract, salary. Null without changed_since."
    )


class EmployeeSearchResult(BaseModel):
    """One page of employees, ordered by employee code."""

    employees: list[EmployeeSummary] = Field(
        description="Matching employees on this page; blocked or deleted ones are left out and "
        "counted in warnings."
    )
    count: int = Field(description="Number of employees on this page.")
    next_cursor: str | None = Field(
        description="Pass as cursor, with the same other arguments, for the next page; null when "
        "this was the last page. A page may hold fewer than limit employees while more follow."
    )
    warnings: list[DataWarning] = Field(description="Anything suspect; pass these on.")


@dataclass(frozen=True, slots=True)
class Criteria:
    """What the agent asked for, in AFAS terms."""

    name: str | None
    employer_id: str | None
    active: bool | None
    changed_since: datetime | None
    today: date

    def alternatives(self) -> list[list[Filter]]:
        """The AND-groups whose OR is the filter, without the cursor and change conditions."""
        base: list[Filter] = []
        if self.employer_id is not None:
            base.append(Filter("EmployerId", Operator.EQUALS, self.employer_id))
        if self.active is False:
            base.append(Filter("EmploymentEnd", Operator.LESS_THAN, self.today))
        options: list[list[Filter]] = [base]
        if self.name is not None:
            names = [Filter(f, Operator.CONTAINS, self.name) for f in ("FirstName", "BirthName")]
            options = [[*group, item] for group in options for item in names]
        if self.active is True:
            # Active is "not ended": no end date, or one today or later.
            ends = [
                Filter("EmploymentEnd", Operator.IS_EMPTY),
                Filter("EmploymentEnd", Operator.GREATER_OR_EQUAL, self.today),
            ]
            options = [[*group, item] for group in options for item in ends]
        return options

    def matches(self, row: Row) -> bool:
        """The same test on a row read by code (an employee found through a child change)."""
        values = row.values
        employer = text(values["EmployerId"]) or ""
        if self.employer_id is not None and employer.casefold() != self.employer_id.casefold():
            return False
        if self.name is not None:
            needle = self.name.casefold()
            names = (text(values["FirstName"]) or "", text(values["BirthName"]) or "")
            if not any(needle in candidate.casefold() for candidate in names):
                return False
        if self.active is not None:
            ended = status_of(row, self.today) == "terminated"
            return ended is not self.active
        return True


def order_key(employee_id: str) -> tuple[str, str]:
    """Employee codes in AFAS's order: its database compares text without case."""
    return (employee_id.casefold().rstrip(), employee_id)


@dataclass
class Collected:
    """Candidate rows by employee code, the changes seen, and the reads' warnings."""

    rows: dict[str, Row] = field(default_factory=dict)
    changes: dict[str, set[Change]] = field(default_factory=dict)
    warnings: list[DataWarning] = field(default_factory=list)


async def collect_page(
    deps: ToolDeps, criteria: Criteria, *, after: str | None, limit: int
) -> Collected:
    """The candidates of one page: the first `limit + 1` matches past the cursor."""
    found = Collected()
    past = [Filter("EmployeeId", Operator.GREATER_THAN, after)] if after is not None else []
    since = criteria.changed_since
    changed = [Filter("ModifiedDate", Operator.GREATER_OR_EQUAL, since)] if since else []
    groups = [[*group, *changed, *past] for group in criteria.alternatives()]
    afas = await deps.afas()
    fetched = await read_first(
        afas,
        deps.connector("employees"),
        key=EMPLOYEE_KEY,
        fields=SUMMARY_FIELDS,
        filters=[FilterGroup(*group) for group in groups if group] or None,
        take=limit + 1,
    )
    found.warnings += fetched.warnings
    for row in fetched.rows:
        found.rows[str(row.values["EmployeeId"])] = row
    if since is None:
        return found
    for employee_id in found.rows:
        found.changes[employee_id] = {"employee"}
    for logical, change in CHILDREN:
        for employee_id in await _child_changes(deps, logical, since, past, found.warnings):
            found.changes.setdefault(employee_id, set()).add(change)
    return found


async def _child_changes(
    deps: ToolDeps,
    logical: str,
    since: datetime,
    past: list[Filter],
    warnings: list[DataWarning],
) -> set[str]:
    """Codes of employees with a record in a child connector changed since `since` (R3)."""
    afas = await deps.afas()
    fetched = await read_rows(
        afas,
        deps.connector(logical),
        key=CHILD_KEY,
        fields=CHILD_FIELDS,
        filters=[Filter("ModifiedDate", Operator.GREATER_OR_EQUAL, since), *past],
    )
    warnings += fetched.warnings
    return {str(row.values["EmployeeId"]) for row in fetched.rows if not row.shell}


async def resolve_children(
    deps: ToolDeps, criteria: Criteria, found: Collected, *, limit: int
) -> None:
    """Read the employees named only by a child change, in code order, until the page is full.

    Their rows are tested on our side (`Criteria.matches`): asking AFAS for each code under every
    alternative would take a call per few codes.
    """
    since = criteria.changed_since
    if since is None:
        return
    pending = sorted((e for e in found.changes if e not in found.rows), key=order_key)
    afas = await deps.afas()
    while pending:
        accepted = [e for e in found.rows if e in found.changes]
        horizon = sorted(set(accepted) | set(pending), key=order_key)[: limit + 1]
        batch = [e for e in horizon if e in pending]
        if not batch:
            return
        fetched = await read_rows(
            afas,
            deps.connector("employees"),
            key=EMPLOYEE_KEY,
            fields=SUMMARY_FIELDS,
            filters=[FilterGroup(Filter("EmployeeId", Operator.EQUALS, e)) for e in batch],
        )
        found.warnings += fetched.warnings
        by_id = {str(row.values["EmployeeId"]).casefold(): row for row in fetched.rows}
        for employee_id in batch:
            pending.remove(employee_id)
            row = by_id.get(employee_id.casefold())
            if row is None:
                found.warnings.append(_orphan(employee_id, found.changes.pop(employee_id)))
            elif row.shell or criteria.matches(row):
                found.rows[employee_id] = row
                stamp = moment(row.values["ModifiedDate"])
                if stamp is not None and stamp >= since:
                    found.changes[employee_id].add("employee")
            else:
                del found.changes[employee_id]


def _orphan(employee_id: str, changes: Iterable[Change]) -> DataWarning:
    kinds = " and ".join(sorted(changes))
    return DataWarning(
        code="changed_child_without_employee",
        message=f"a {kinds} record of employee {employee_id} changed, but the employee "
        "connector does not return that employee; it is left out of this page",
    )


def summary(row: Row, today: date, changes: set[Change] | None) -> EmployeeSummary:
    """A search result row."""
    values = row.values
    blocked = values["Blocked"]
    status = status_of(row, today)
    return EmployeeSummary(
        employee_id=str(values["EmployeeId"]),
        display_name=display_name(row),
        first_name=text(values["FirstName"]),
        birth_name=text(values["BirthName"]),
        employer_id=text(values["EmployerId"]),
        start_date=as_date(values["EmploymentStart"]),
        end_date=as_date(values["EmploymentEnd"]),
        status=status,
        active=status != "terminated",
        blocked=blocked if isinstance(blocked, bool) else None,
        function_id=text(values["FunctionId"]),
        function_description=text(values["FunctionDesc"]),
        org_unit=text(values["OrgUnit"]),
        modified_date=moment(values["ModifiedDate"]),
        changed=sorted(changes, key=["employee", "contract", "salary"].index)
        if changes is not None
        else None,
    )


def page_of(
    found: Collected, criteria: Criteria, *, limit: int
) -> tuple[list[EmployeeSummary], str | None, list[DataWarning]]:
    """The first `limit` candidates: summaries, the code to continue after, and shell notes."""
    if criteria.changed_since is not None:
        codes = [e for e in found.rows if e in found.changes]
    else:
        codes = list(found.rows)
    ordered = sorted(codes, key=order_key)
    page = ordered[:limit]
    more = len(ordered) > limit
    shells = [e for e in page if found.rows[e].shell]
    warnings = _unique(without_codes(found.warnings, "shell_rows"))
    if shells:
        warnings.append(shells_left_out(shells, what="employee(s)"))
    employees = [
        summary(
            found.rows[e],
            criteria.today,
            found.changes.get(e) if criteria.changed_since is not None else None,
        )
        for e in page
        if not found.rows[e].shell
    ]
    return employees, (page[-1] if more and page else None), warnings


def _unique(warnings: list[DataWarning]) -> list[DataWarning]:
    seen: set[tuple[str, str]] = set()
    kept = []
    for warning in warnings:
        if (warning.code, warning.message) not in seen:
            seen.add((warning.code, warning.message))
            kept.append(warning)
    return kept
