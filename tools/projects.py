"""The `projects` toolset: projects, by number or found by text, customer or state.

What an agent needs before it registers hours or invoices work: the project's customer (debtor
and organisation/person number), administration, whether it is still open for hours (a
completed project, AFAS "afgesloten", takes none), whether its costs are charged on, and its
dates as ISO days in Europe/Amsterdam (R7). Projects AFAS returns as empty shells (blocked or
deleted, R5) are never shown as records with empty fields. Registered hours join this toolset
as tools later.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from server.afas.filters import Filter, FilterGroup, Operator
from server.afas.models import Row
from server.outcomes import UnknownRecord
from tools._crm_relations import DEBTORS
from tools._finance_periods import administration_name
from tools._reads import (
    RecordNumber,
    SearchText,
    Source,
    cursor_field,
    find_one,
    limit_field,
    open_cursor,
    read_page,
    seal_cursor,
)
from tools._values import (
    FieldReader,
    MissingValues,
    day,
    flag,
    moment,
    shell_warning,
    text,
    whole_number,
)
from tools.base import DataWarning, ToolInput, ToolSpec
from tools.deps import ToolDeps

__all__ = ["TOOLS"]

DEFAULT_LIMIT, MAX_LIMIT = 25, 200
PROJECTS = Source(
    "projects",
    frozenset({"ProjectId", "Description", "UnitId", "CheckedOut", "DebtorId"}),
    "project",
)
_MEANING = {
    "ProjectGroup": "project_group",
    "BcCo": "relation_id",
    "DateStart": "start_date",
    "DateReady": "ready_date",
    "Chargeable": "chargeable",
    "CreateDate": "created",
    "ModifiedDate": "modified",
}
ProjectStatus = Literal["active", "completed", "blocked_or_deleted", "unknown"]
STATUS_DESCRIPTION = (
    "active: open for hours and costs. completed: closed in AFAS (afgesloten); takes no new "
    "hours. blocked_or_deleted: AFAS returned only its number with every other field empty; its "
    "details are unknown and it must not be used. unknown: AFAS gave no state (see warnings)."
)


class Project(BaseModel):
    """One project."""

    project_id: str = Field(description="The project number; hours and entry lines use it.")
    description: str | None = Field(description="The project's name.")
    administration_id: int | None = Field(description="The administration it belongs to.")
    project_group: str | None = Field(description="AFAS's project group code.")
    completed: bool | None = Field(
        description="True: closed in AFAS (afgesloten); no new hours or costs."
    )
    debtor_id: str | None = Field(description="The customer's debtor number (see get_debtor).")
    relation_id: str | None = Field(
        description="The customer's organisation/person number (AFAS BcCo)."
    )
    start_date: str | None = Field(description="Start date, YYYY-MM-DD.")
    ready_date: str | None = Field(description="Date the project was or is to be finished.")
    chargeable: bool | None = Field(description="True: hours and costs are charged on.")
    created: str | None = Field(description="When it was created, ISO 8601, Amsterdam offset.")
    modified: str | None = Field(description="Last change, ISO 8601, Amsterdam offset.")


def _project(row: Row, read: FieldReader) -> Project:
    return Project(
        project_id=str(row.values["ProjectId"]),
        description=text(row.values["Description"]),
        administration_id=whole_number(row.values["UnitId"]),
        project_group=text(read(row, "ProjectGroup")),
        completed=flag(row.values["CheckedOut"]),
        debtor_id=text(row.values["DebtorId"]),
        relation_id=text(read(row, "BcCo")),
        start_date=day(read(row, "DateStart")),
        ready_date=day(read(row, "DateReady")),
        chargeable=flag(read(row, "Chargeable")),
        created=moment(read(row, "CreateDate")),
        modified=moment(read(row, "ModifiedDate")),
    )


def _check(missing: MissingValues, project: Project) -> None:
    missing.check(project.project_id, description=project.description)
    if project.completed is None:
        missing.check(project.project_id, completed_state=None)


# --- get_project -------------------------------------------------------------------------------


class GetProjectInput(ToolInput):
    """Which project."""

    project_id: RecordNumber = Field(
        description="The project number, e.g. '910001'. Unknown? Find it with search_projects."
    )


class ProjectResult(BaseModel):
    """One project, or why its details are not available."""

    project_id: str = Field(description="The project number asked for.")
    status: ProjectStatus = Field(description=STATUS_DESCRIPTION)
    project: Project | None = Field(
        description="The project's details; null when status is blocked_or_deleted."
    )
    warnings: list[DataWarning] = Field(description="Anything suspect. Report these.")


async def get_project(deps: ToolDeps, args: GetProjectInput) -> ProjectResult:
    """Handler of `get_project`."""
    row, found = await find_one(deps, PROJECTS, args.project_id)
    if row is None:
        raise UnknownRecord(
            "project",
            args.project_id,
            hint="Check the number, or find it by name or customer with search_projects",
        )
    read = FieldReader(found.connector_id, _MEANING)
    warnings = list(found.warnings)
    if row.shell:
        warnings.append(
            DataWarning(
                code="record_is_shell",
                message=f"AFAS returned project {args.project_id} from {found.connector_id} as "
                "a shell: its number with every other field empty. It is blocked or deleted; "
                "its details are not available and no hours may be booked on it (R5)",
            )
        )
        return ProjectResult(
            project_id=args.project_id, status="blocked_or_deleted", project=None, warnings=warnings
        )
    project = _project(row, read)
    missing = MissingValues("project")
    _check(missing, project)
    status: ProjectStatus = (
        "unknown" if project.completed is None else "completed" if project.completed else "active"
    )
    return ProjectResult(
        project_id=args.project_id,
        status=status,
        project=project,
        warnings=[*warnings, *read.warnings(), *missing.warnings()],
    )


# --- search_projects ---------------------------------------------------------------------------


class SearchProjectsInput(ToolInput):
    """Which projects to find; every condition given must hold."""

    text: SearchText | None = Field(
        None,
        description="Part of the project's name, or the start of its number; case does not "
        "matter, no wildcards.",
    )
    debtor_id: RecordNumber | None = Field(
        None, description="Only projects of this customer (debtor number)."
    )
    administration_id: int | None = Field(
        None, ge=1, le=999, description="Only projects of this administration."
    )
    state: Literal["active", "completed", "any"] = Field(
        "active",
        description="active (default): open for hours; completed: closed in AFAS; any: both.",
    )
    limit: int = limit_field(DEFAULT_LIMIT, MAX_LIMIT)
    cursor: str | None = cursor_field()


class ProjectList(BaseModel):
    """One page of projects."""

    projects: list[Project] = Field(description="Matching projects in project-number order.")
    next_cursor: str | None = Field(description="Pass as cursor for the next page; null at end.")
    warnings: list[DataWarning] = Field(
        description="Anything suspect: projects AFAS returned as empty shells and left out, "
        "missing names, connector fields gone. Report these."
    )


def _filters(args: SearchProjectsInput) -> list[FilterGroup]:
    common: list[Filter] = []
    if args.debtor_id:
        common.append(Filter("DebtorId", Operator.EQUALS, args.debtor_id))
    if args.administration_id is not None:
        common.append(Filter("UnitId", Operator.EQUALS, args.administration_id))
    if args.text:
        return [
            FilterGroup(Filter("Description", Operator.CONTAINS, args.text), *common),
            FilterGroup(Filter("ProjectId", Operator.STARTS_WITH, args.text), *common),
        ]
    return [FilterGroup(*common)] if common else []


async def _check_references(deps: ToolDeps, args: SearchProjectsInput) -> None:
    """An empty answer for an unknown customer or administration is an error, not 'none'."""
    if args.debtor_id:
        debtor, _ = await find_one(deps, DEBTORS.source, args.debtor_id)
        if debtor is None:
            raise UnknownRecord(
                "debtor", args.debtor_id, hint="Find the customer's number with search_debtors"
            )
    if args.administration_id is not None:
        await administration_name(deps, args.administration_id)


async def search_projects(deps: ToolDeps, args: SearchProjectsInput) -> ProjectList:
    """Handler of `search_projects`."""
    after = open_cursor("search_projects", args, args.cursor)
    wanted: dict[str, set[bool | None]] = {
        "active": {False},
        "completed": {True},
        "any": {True, False, None},
    }
    states = wanted[args.state]

    def keep(row: Row) -> bool:
        return flag(row.values["CheckedOut"]) in states

    found = await read_page(
        deps, PROJECTS, filters=_filters(args), limit=args.limit, after=after, keep=keep
    )
    if after is None and not (found.rows or found.shells or found.left_out):
        await _check_references(deps, args)
    read = FieldReader(found.connector_id, _MEANING)
    projects = [_project(row, read) for row in found.rows]
    missing = MissingValues("project")
    for project in projects:
        _check(missing, project)
    warnings = list(found.warnings)
    if found.shells:
        warnings.append(shell_warning("project", found.shells, connector_id=found.connector_id))
    return ProjectList(
        projects=projects,
        next_cursor=seal_cursor("search_projects", args, found.next_cursor),
        warnings=[*warnings, *read.warnings(), *missing.warnings()],
    )


_READS = "Reads only; changes nothing."
TOOLS: tuple[ToolSpec, ...] = (
    ToolSpec(
        name="get_project",
        toolset="projects",
        title="Get project",
        description=(
            "Look up one project by number: name, customer (debtor number and organisation/"
            "person number), administration, dates, whether costs are charged on, and status "
            "(active, completed, or blocked_or_deleted when AFAS returns only an empty record). "
            "Use it before register_hours: hours go only on active projects. An unknown number "
            f"is an error; find numbers with search_projects. {_READS}"
        ),
        input_model=GetProjectInput,
        output_model=ProjectResult,
        handler=get_project,
        read_only=True,
        idempotent=True,
    ),
    ToolSpec(
        name="search_projects",
        toolset="projects",
        title="Search projects",
        description=(
            "Find projects by part of the name or the start of the number, by customer "
            "(debtor_id) and by administration, in project-number order. Only active projects "
            "unless state is 'completed' or 'any'. An unknown debtor or administration is an "
            "error, not an empty list; projects AFAS returns as empty shells are left out and "
            f"counted in warnings. Pages of at most {MAX_LIMIT}; pass next_cursor back as "
            f"cursor. {_READS}"
        ),
        input_model=SearchProjectsInput,
        output_model=ProjectList,
        handler=search_projects,
        read_only=True,
        idempotent=True,
    ),
)
