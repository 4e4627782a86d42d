"""The projects toolset's write tool: register_hours (PtRealization).

One row of hours worked by an employee on a project on one day. The policies check the hours (more
than 0, at most a day's worth, not in the future without a person), that the employee is employed
and that the project exists and is open; AFAS checks the work type.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import Field

from policies.facts import HoursFacts, WriteTool
from server.writes.kinds import WriteKind
from server.writes.result import WriteResult
from tools.base import ToolSpec
from tools.deps import ToolDeps
from tools.payloads import readback_work as rb
from tools.payloads._elements import reference
from tools.payloads.hours import hours_body
from tools.payloads.lookups import text
from tools.payloads.writing import GUARD, DryRun, SourceConfidence, WriteInput, submit

# AFAS's standard work type for hours worked ("Werken"), as in its own examples.
DEFAULT_WORK_TYPE = "300"


class RegisterHoursInput(WriteInput):
    """Hours worked by one employee on one project on one day."""

    employee_id: str = Field(min_length=1, description="The employee code, e.g. '1000123'.")
    project_id: str = Field(
        min_length=1, description="The project code as get_project or search_projects shows it."
    )
    date: dt.date = Field(description="The day the hours were worked, YYYY-MM-DD.")
    hours: Decimal = Field(
        gt=0, le=24, decimal_places=2, description="Hours worked that day, e.g. 7.5."
    )
    work_type: str | None = Field(
        None,
        min_length=1,
        max_length=30,
        description="Work type code as configured in AFAS (e.g. '300' work, '310' travel, "
        "'320' meetings); default '300'.",
    )
    description: str | None = Field(
        None, max_length=255, description="What was done; may show on the customer's invoice."
    )
    dry_run: DryRun = False
    source_confidence: SourceConfidence = None


async def register_hours(deps: ToolDeps, args: RegisterHoursInput) -> WriteResult:
    """Handler of `register_hours`."""
    facts = HoursFacts(
        employee_id=args.employee_id.strip(),
        project_id=args.project_id.strip(),
        work_date=args.date,
        hours=args.hours,
        work_type=(args.work_type or DEFAULT_WORK_TYPE).strip(),
        description=text(args.description),
    )
    return await submit(
        deps,
        tool=WriteTool.REGISTER_HOURS,
        connector="PtRealization",
        action="insert",
        body=hours_body(facts, external_key=reference(facts)),
        facts=facts,
        dry_run=args.dry_run,
        source_confidence=args.source_confidence,
    )


TOOLS: tuple[ToolSpec, ...] = (
    ToolSpec(
        name="register_hours",
        toolset="projects",
        title="Register hours",
        description=(
            "Register hours an employee worked on a project on one day, one row per call. Find "
            "the project with search_projects. At most 24 hours on a day, on an open project, "
            "for an employed employee; hours for a future day go to a person first. It does not "
            "change, approve or delete registered hours. " + GUARD
        ),
        input_model=RegisterHoursInput,
        output_model=WriteResult,
        handler=register_hours,
        read_only=False,
        destructive=False,
        idempotent=False,
    ),
)

WRITE_KINDS: tuple[WriteKind, ...] = (
    WriteKind(
        tool=WriteTool.REGISTER_HOURS,
        facts_type=HoursFacts,
        expectations=rb.hours_expectations,
        locate=rb.hours_locate,
        describe=rb.describe_hours,
    ),
)
