"""Hours and leave: sane amounts and dates, an active employee, an open project.

These are cheap domain checks. AFAS takes 30 hours on one day or leave that ends before it
starts without complaint, and a leave booking for a terminated employee lands nowhere useful.
"""

from __future__ import annotations

from datetime import date, datetime, time

from policies.afas_fields import (
    HOURS_DATE,
    HOURS_EMPLOYEE,
    HOURS_ITEM_TYPE,
    HOURS_PROJECT,
    HOURS_QUANTITY,
    HOURS_ROOT,
    HOURS_WORK_TYPE,
    LEAVE_EMPLOYEE,
    LEAVE_END,
    LEAVE_PARTIAL,
    LEAVE_ROOT,
    LEAVE_START,
    LEAVE_TYPE,
    FieldRef,
)
from policies.base import (
    SERVER_BUG_HINT,
    FactsMismatch,
    Finding,
    Problems,
    allow,
    deny,
    facts_of,
    policy,
)
from policies.context import PolicyContext
from policies.envelope import ElementView, find_elements
from policies.facts import HoursFacts, LeaveFacts, WriteTool
from policies.lookups import Lookup
from policies.model import WriteIntent
from policies.values import same_value


def _single_row(intent: WriteIntent, root: str, problems: Problems) -> ElementView | None:
    rows = find_elements(intent.body, root)
    if len(rows) != 1:
        problems.deny(
            f"the payload sends {len(rows)} {root} rows, expected 1", hint=SERVER_BUG_HINT
        )
        return None
    return rows[0]


def _compare(row: ElementView, expected: dict[FieldRef, object], problems: Problems) -> None:
    for ref, value in expected.items():
        sent = row.get(ref.field_id)
        if sent is None or not same_value(sent, value):
            # Days and moments shown as AFAS reads them, not as Python reprs.
            shown = value.isoformat() if isinstance(value, date) else value
            problems.deny(f"{ref.path} is {sent!r}, expected {shown!r}", hint=SERVER_BUG_HINT)


@policy("hours_valid", quirk=None, tools=(WriteTool.REGISTER_HOURS,))
def hours_valid(intent: WriteIntent, ctx: PolicyContext) -> Finding:
    """More than 0 and at most `hours.max_per_day` hours, not in the future, sent as asked."""
    facts = facts_of(intent, HoursFacts)
    limit = ctx.rules.hours.max_per_day
    problems = Problems()
    if facts.hours <= 0:
        problems.deny(
            f"{facts.hours} hours: hours must be more than 0",
            hint="Pass the hours worked as a positive number; to undo hours, ask a person.",
        )
    elif facts.hours > limit:
        problems.deny(
            f"{facts.hours} hours on one day is more than {limit}",
            hint=f"Split the hours over the days they were worked (at most {limit} per day).",
        )
    if facts.work_date > ctx.today:
        problems.review(
            f"hours registered for {facts.work_date}, after today ({ctx.today})",
            hint="Register hours once they are worked; a person checks planned hours.",
        )
    row = _single_row(intent, HOURS_ROOT, problems)
    if row is not None:
        expected: dict[FieldRef, object] = {
            HOURS_EMPLOYEE: facts.employee_id,
            HOURS_PROJECT: facts.project_id,
            HOURS_DATE: facts.work_date,
            HOURS_QUANTITY: facts.hours,
            HOURS_ITEM_TYPE: "1",
            HOURS_WORK_TYPE: facts.work_type,
        }
        _compare(row, expected, problems)
    return problems.finding(f"{facts.hours} hours on {facts.work_date}")


@policy(
    "hours_project_open",
    quirk=None,
    tools=(WriteTool.REGISTER_HOURS,),
    needs={Lookup.PROJECTS},
)
def hours_project_open(intent: WriteIntent, ctx: PolicyContext) -> Finding:
    """The project exists and is not closed."""
    facts = facts_of(intent, HoursFacts)
    projects = {p.project_id: p for p in ctx.require(Lookup.PROJECTS, ctx.projects)}
    project = projects.get(facts.project_id)
    if project is None:
        return deny(
            f"project {facts.project_id!r} does not exist",
            hint="Call search_projects and pass an existing project id.",
        )
    if project.closed:
        return deny(
            f"project {facts.project_id!r} is closed",
            hint="Register the hours on an open project, or ask the project manager to reopen it.",
        )
    return allow(f"project {facts.project_id!r} is open")


def _employee_id(intent: WriteIntent) -> str:
    facts = intent.facts
    if isinstance(facts, HoursFacts | LeaveFacts):
        return facts.employee_id
    raise FactsMismatch(f"{intent.tool} carries {type(facts).__name__}, not hours or leave")


@policy(
    "employee_active",
    quirk=None,
    tools=(WriteTool.REGISTER_HOURS, WriteTool.SUBMIT_LEAVE_REQUEST),
    needs={Lookup.EMPLOYEES},
)
def employee_active(intent: WriteIntent, ctx: PolicyContext) -> Finding:
    """The employee exists and is employed."""
    employee_id = _employee_id(intent)
    employees = {e.employee_id: e for e in ctx.require(Lookup.EMPLOYEES, ctx.employees)}
    employee = employees.get(employee_id)
    if employee is None:
        return deny(
            f"employee {employee_id!r} does not exist",
            hint="Call search_employees and pass an existing employee id.",
        )
    if not employee.active:
        return deny(
            f"employee {employee_id!r} is no longer employed",
            hint="Check the employee id; hours and leave go on active employees only.",
        )
    return allow(f"employee {employee_id!r} is active")


def _partial_day(facts: LeaveFacts, problems: Problems) -> None:
    """Partial leave is one day, with both times, the end after the start."""
    if facts.from_time is None or facts.until_time is None:
        problems.deny(
            f"partial leave has from_time {facts.from_time} and until_time {facts.until_time}; "
            "it needs both",
            hint=SERVER_BUG_HINT,
        )
        return
    if facts.start != facts.end:
        problems.deny(
            f"partial leave is part of one day, but it runs from {facts.start} to {facts.end}",
            hint="Book whole days without partial, or one day with start equal to end.",
        )
    if facts.until_time <= facts.from_time:
        problems.deny(
            f"partial leave ends at {facts.until_time}, not after it starts at {facts.from_time}",
            hint="Pass the hours off as from_time before until_time, e.g. 13:00 to 17:30.",
        )


@policy("leave_dates_valid", quirk=None, tools=(WriteTool.SUBMIT_LEAVE_REQUEST,))
def leave_dates_valid(intent: WriteIntent, ctx: PolicyContext) -> Finding:
    """Leave ends on or after its start; long bookings go to a person; sent as asked.

    Whole days go from midnight to midnight with `LeDt` off; partial leave carries its times and
    `LeDt` on, and AFAS counts the hours between them.
    """
    facts = facts_of(intent, LeaveFacts)
    problems = Problems()
    days = (facts.end - facts.start).days + 1
    if days < 1:
        problems.deny(
            f"the leave ends ({facts.end}) before it starts ({facts.start})",
            hint="Pass start and end so that end is on or after start.",
        )
    elif days > ctx.rules.leave.review_days_above:
        problems.review(
            f"the leave spans {days} days, more than {ctx.rules.leave.review_days_above}",
            hint="Nothing to change; a person approves long leave before it is booked.",
        )
    if facts.partial:
        _partial_day(facts, problems)
    row = _single_row(intent, LEAVE_ROOT, problems)
    if row is not None:
        expected: dict[FieldRef, object] = {
            LEAVE_EMPLOYEE: facts.employee_id,
            LEAVE_TYPE: facts.leave_type,
            LEAVE_START: datetime.combine(facts.start, facts.from_time or time(0)),
            LEAVE_END: datetime.combine(facts.end, facts.until_time or time(0)),
            LEAVE_PARTIAL: facts.partial,
        }
        _compare(row, expected, problems)
    if facts.partial:
        return problems.finding(
            f"leave on {facts.start} from {facts.from_time} until {facts.until_time}"
        )
    return problems.finding(f"{days} day(s) of leave from {facts.start} to {facts.end}")
