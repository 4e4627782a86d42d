"""The hr toolset's write tools: onboard_employee, update_employee, submit_leave_request.

Each resolves what the agent cannot know (the period table id behind "MAAND", how AFAS must
find the person, what the employee holds now), records the request as facts, builds the
complete KnEmployee or HrAbsence body (`tools.payloads`), and hands it to the write pipeline,
which checks, records, sends, reads back and settles it. The agent never chooses AFAS codes such
as `MatchPer`, and never sees a write go out unchecked.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from pydantic import Field

from policies.facts import (
    PAYROLL_FIELDS,
    EmployeeField,
    EmployeeUpdateFacts,
    FieldValue,
    HireFacts,
    LeaveFacts,
    PersonMatch,
    WriteTool,
)
from policies.values import bsn_is_valid
from server.outcomes import InvalidToolInput, UnknownRecord
from server.writes.kinds import WriteKind
from server.writes.result import WriteResult
from tools.base import ToolSpec
from tools.deps import ToolDeps
from tools.payloads import readback_hr as rb
from tools.payloads.employee import CurrentRows, hire_body, update_body
from tools.payloads.employee_changes import INPUT_FIELDS, compare, current_values
from tools.payloads.leave import leave_body
from tools.payloads.lookups import day, employee_row, resolve_period_table, salary_kind, text
from tools.payloads.writing import (
    GUARD,
    AddressInput,
    DryRun,
    InputPart,
    SourceConfidence,
    WriteInput,
    checked_house_number,
    submit,
)

GENDER_CODE = {"male": "M", "female": "V", "non_binary": "X", "unknown": "O"}
_EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"

# --- onboard_employee ----------------------------------------------------------------------------


class OnboardEmployeeInput(WriteInput):
    """A new employee in plain terms."""

    employer_id: str = Field(
        min_length=1,
        description="The employer (werkgever) code exactly as list_employers shows it, e.g. "
        "'02'. Never guess it: AFAS files an employee without one under employer 1.",
    )
    first_name: str = Field(min_length=1, max_length=50, description="First name(s).")
    last_name: str = Field(
        min_length=1, max_length=80, description="Last name (birth name), without the prefix."
    )
    initials: str | None = Field(None, max_length=15, description="Initials, e.g. 'J.A.'.")
    name_prefix: str | None = Field(
        None, max_length=15, description="Prefix of the last name, e.g. 'van', 'de', 'van der'."
    )
    birth_date: dt.date = Field(description="Date of birth, YYYY-MM-DD.")
    gender: Literal["male", "female", "non_binary", "unknown"] = Field(description="Gender.")
    bsn: str | None = Field(
        None,
        pattern=r"^\d{9}$",
        description="Citizen service number (BSN), 9 digits. AFAS finds an existing person by "
        "it, so a second call never creates a second person. Required unless "
        "existing_person_id is given (a test environment may hire without either).",
    )
    existing_person_id: str | None = Field(
        None,
        min_length=1,
        description="The person number (BcCo) when the new employee already exists in AFAS as "
        "a person (a former employee or a contact); their name and details stay as AFAS holds "
        "them.",
    )
    email: str | None = Field(None, pattern=_EMAIL, description="Work e-mail address.")
    address: AddressInput | None = Field(
        None, description="Home address; required for a new person (without existing_person_id)."
    )
    start_date: dt.date = Field(
        description="First working day. It must fall in an open payroll period of the employer "
        "(list_open_payroll_periods)."
    )
    contract_end: dt.date | None = Field(
        None, description="Last day of a fixed-term contract; leave out for an open-ended one."
    )
    function_id: str = Field(
        min_length=1, description="Function (job) code from the employer's function table."
    )
    org_unit: str = Field(min_length=1, description="Organisational unit code, e.g. 'FIN'.")
    period_table: str = Field(
        min_length=1,
        description="The employer's payroll period table: its full code as list_employers shows "
        "it ('MAAND', 'VIERWEKEN', 'WEEK'; never a short form like 'MND') or its number.",
    )
    salary: Decimal = Field(
        gt=0,
        decimal_places=2,
        description="Gross salary per payroll period in euros, e.g. 3250.00 a month on MAAND.",
    )
    hours_per_week: Decimal = Field(
        gt=0, le=80, decimal_places=2, description="Contract hours per week, e.g. 38 or 24.5."
    )
    dry_run: DryRun = False
    source_confidence: SourceConfidence = None


def _person_match(deps: ToolDeps, args: OnboardEmployeeInput) -> PersonMatch:
    """How AFAS must find the person (W4): the agent never picks AFAS's match code."""
    if args.existing_person_id:
        return PersonMatch.EXISTING_PERSON
    if args.bsn:
        return PersonMatch.BSN
    if deps.settings.afas.environment_type == "test":
        return PersonMatch.ALWAYS_NEW
    raise InvalidToolInput(
        "`bsn`: a hire needs the employee's BSN (or existing_person_id), so AFAS can find a "
        "person it already has instead of creating a duplicate on every retry",
        hint="Pass the BSN from the ID document, or the person number as existing_person_id",
    )


def _check_hire(args: OnboardEmployeeInput) -> None:
    if args.bsn is not None and not bsn_is_valid(args.bsn):
        raise InvalidToolInput(
            f"`bsn`: {args.bsn} fails the Dutch 11-check",
            hint="Check the BSN against the ID document; a typo is likely",
        )
    if args.contract_end is not None and args.contract_end < args.start_date:
        raise InvalidToolInput(
            f"`contract_end`: {args.contract_end} lies before start_date {args.start_date}",
            hint="Pass the last day of the contract, or leave it out for an open-ended one",
        )
    if args.address is None and not args.existing_person_id:
        raise InvalidToolInput(
            "`address`: a new person needs a home address (payroll and the tax return use it)",
            hint="Pass address, or existing_person_id for a person AFAS already has",
        )


async def onboard_employee(deps: ToolDeps, args: OnboardEmployeeInput) -> WriteResult:
    """Handler of `onboard_employee`."""
    _check_hire(args)
    match = _person_match(deps, args)
    table = await resolve_period_table(deps, args.employer_id.strip(), args.period_table)
    facts = HireFacts(
        employer_id=args.employer_id.strip(),
        start_date=args.start_date,
        period_table_id=table.table_id,
        period_table_code=table.code,
        function_id=args.function_id.strip(),
        org_unit=args.org_unit.strip(),
        person_match=match,
        person_id=text(args.existing_person_id),
        first_name=args.first_name.strip(),
        last_name=args.last_name.strip(),
        initials=text(args.initials),
        name_prefix=text(args.name_prefix),
        birth_date=args.birth_date,
        gender=GENDER_CODE[args.gender],
        bsn=args.bsn,
        email=text(args.email),
        address=None if args.address is None else args.address.to_facts(field="address"),
        hours_per_week=args.hours_per_week,
        salary=args.salary,
        contract_end=args.contract_end,
    )
    return await submit(
        deps,
        tool=WriteTool.ONBOARD_EMPLOYEE,
        connector="KnEmployee",
        action="insert",
        body=hire_body(facts),
        facts=facts,
        dry_run=args.dry_run,
        source_confidence=args.source_confidence,
    )


# --- update_employee -----------------------------------------------------------------------------


class EmployeeChanges(InputPart):
    """The fields to change; leave out what stays as it is."""

    email: str | None = Field(None, pattern=_EMAIL, description="Work e-mail address.")
    phone: str | None = Field(None, max_length=30, description="Work phone number.")
    mobile: str | None = Field(None, max_length=30, description="Work mobile number.")
    street: str | None = Field(None, min_length=1, max_length=80, description="Street name.")
    house_number: str | None = Field(
        None,
        min_length=1,
        max_length=20,
        description="House number as written, with any addition ('14', '14B'); a number "
        "without addition removes the old addition.",
    )
    house_number_addition: str | None = Field(
        None, min_length=1, max_length=30, description="Only the addition, e.g. 'B'."
    )
    postal_code: str | None = Field(None, min_length=1, max_length=15, description="Postal code.")
    city: str | None = Field(None, min_length=1, max_length=50, description="City or town.")
    country: str | None = Field(
        None, pattern=r"^[A-Z]{2}$", description="ISO two-letter country code, e.g. 'NL'."
    )
    function_id: str | None = Field(
        None, min_length=1, description="New function code from the employer's function table."
    )
    org_unit: str | None = Field(None, min_length=1, description="New organisational unit code.")
    hours_per_week: Decimal | None = Field(
        None, gt=0, le=80, decimal_places=2, description="New contract hours per week."
    )
    salary: Decimal | None = Field(
        None, gt=0, decimal_places=2, description="New gross salary per payroll period, euros."
    )
    period_table: str | None = Field(
        None,
        min_length=1,
        description="New payroll period table: its full code ('MAAND', 'VIERWEKEN', 'WEEK') or "
        "its number.",
    )
    contract_end: dt.date | None = Field(
        None,
        description="New last day of the current contract. To make it open-ended, name "
        "contract_end in clear instead.",
    )


Clearable = Literal["email", "phone", "mobile", "house_number_addition", "contract_end"]


class UpdateEmployeeInput(WriteInput):
    """Which employee, what changes, and from when."""

    employee_id: str = Field(min_length=1, description="The employee code, e.g. '1000123'.")
    changes: EmployeeChanges = Field(
        default_factory=EmployeeChanges, description="The fields to change and their new values."
    )
    clear: list[Clearable] = Field(
        default_factory=list,
        description="Fields to empty on purpose (AFAS keeps an empty value, so only name what "
        "must become empty). contract_end removes the end date of the current contract, making "
        "it open-ended; like other contract changes it needs effective_date.",
    )
    effective_date: dt.date | None = Field(
        None,
        description="First day the change applies. Required when function, org unit, hours, "
        "salary, period table or contract end change; it must fall in an open payroll period "
        "(list_open_payroll_periods). Address changes default to today.",
    )
    dry_run: DryRun = False
    source_confidence: SourceConfidence = None


async def _asked(
    deps: ToolDeps, args: UpdateEmployeeInput, employer_id: str
) -> tuple[dict[EmployeeField, FieldValue], str | None]:
    """The agent's changes as field values; a period table code resolved to its number."""
    asked: dict[EmployeeField, FieldValue] = {}
    code = None
    if args.changes.house_number is not None:
        checked_house_number(args.changes.house_number, field="changes.house_number")
    for name, value in args.changes.model_dump(exclude_none=True).items():
        asked[INPUT_FIELDS[name]] = value.strip() if isinstance(value, str) else value
    given = args.changes.period_table
    if given is not None:
        table = await resolve_period_table(deps, employer_id, given)
        code = table.code
        if table.table_id is None:
            valid = ", ".join(t.code for t in table.employer_tables) or "(none)"
            raise InvalidToolInput(
                f"`changes.period_table`: {given!r} is not a period table code the payroll "
                "calendar knows; AFAS would accept it and the payroll run would ignore it (W12)",
                hint=f"Pass the full code as list_employers shows it, one of: {valid}",
            )
        asked[EmployeeField.PERIOD_TABLE] = table.table_id
    return asked, code


async def update_employee(deps: ToolDeps, args: UpdateEmployeeInput) -> WriteResult:
    """Handler of `update_employee`."""
    row = await employee_row(deps, args.employee_id.strip())
    if row is None:
        raise UnknownRecord(
            "employee",
            args.employee_id,
            hint="Call search_employees to find the employee code",
        )
    employer_id = text(row["EmployerId"]) or ""
    current = current_values(row)
    asked, code = await _asked(deps, args, employer_id)
    found = compare(asked, {INPUT_FIELDS[name] for name in args.clear}, current)
    if found.empty:
        already = "; ".join(found.unchanged) or "no fields were named"
        raise InvalidToolInput(
            f"nothing to change for employee {args.employee_id}: {already}",
            hint="AFAS already holds these values; sending them again can fail (W20). Pass only "
            "fields whose value really changes",
        )
    if (set(found.changes) | found.cleared) & PAYROLL_FIELDS and args.effective_date is None:
        raise InvalidToolInput(
            "`effective_date`: a change of function, org unit, hours, salary, period table or "
            "contract end needs the first day it applies",
            hint="Pass effective_date inside an open payroll period (list_open_payroll_periods)",
        )
    effective = args.effective_date or deps.today()
    kind = None
    if found.changes.keys() & {EmployeeField.SALARY, EmployeeField.PERIOD_TABLE}:
        kind = await salary_kind(deps, args.employee_id, effective)
    rows = CurrentRows(contract_start=day(row["EmploymentStart"]), salary_kind=kind)
    table_now = current.get(EmployeeField.PERIOD_TABLE)
    facts = EmployeeUpdateFacts(
        employee_id=args.employee_id.strip(),
        employer_id=employer_id,
        changes=found.changes,
        cleared=frozenset(found.cleared),
        person_id=text(row["PersonId"]),
        current=current,
        effective_date=effective,
        period_table_id=table_now if isinstance(table_now, int) else None,
        period_table_code=code,
    )
    try:
        body = update_body(facts, rows=rows)
    except ValueError as error:
        # AFAS holds too little to build the rows on: no address to change part of, or no
        # contract in force whose end could move.
        raise InvalidToolInput(
            f"cannot build the update of employee {facts.employee_id}: {error}",
            hint="Check the employee with get_employee; give the whole address (street, "
            "house_number, postal_code, city, country) when AFAS holds none yet",
        ) from None
    return await submit(
        deps,
        tool=WriteTool.UPDATE_EMPLOYEE,
        connector="KnEmployee",
        action="update",
        body=body,
        facts=facts,
        dry_run=args.dry_run,
        source_confidence=args.source_confidence,
        target={"EmId": facts.employee_id},
    )


# --- submit_leave_request ------------------------------------------------------------------------


class PartialDay(InputPart):
    """Leave for part of one day."""

    from_time: dt.time = Field(description="When the leave starts, HH:MM, e.g. '13:00'.")
    until_time: dt.time = Field(description="When the leave ends, HH:MM, e.g. '17:30'.")


class SubmitLeaveRequestInput(WriteInput):
    """Who takes leave, which kind, and when."""

    employee_id: str = Field(min_length=1, description="The employee code, e.g. '1000123'.")
    leave_type: str = Field(
        min_length=1,
        max_length=20,
        description="The leave type code as get_leave_balance shows it, e.g. 'V' (statutory "
        "leave) or 'BV' (extra-statutory leave).",
    )
    start: dt.date = Field(description="First day of leave, YYYY-MM-DD.")
    end: dt.date = Field(description="Last day of leave (the same as start for one day).")
    partial: PartialDay | None = Field(
        None,
        description="For part of one day only (start and end the same day): the hours off. "
        "Leave out for whole days; AFAS counts the hours from the employee's schedule.",
    )
    reason: str | None = Field(
        None, max_length=255, description="The employee's own words, kept as a remark."
    )
    dry_run: DryRun = False
    source_confidence: SourceConfidence = None


async def submit_leave_request(deps: ToolDeps, args: SubmitLeaveRequestInput) -> WriteResult:
    """Handler of `submit_leave_request`."""
    if args.partial is not None:
        if args.start != args.end:
            raise InvalidToolInput(
                "`partial`: partial leave is part of one day, but start and end differ",
                hint="Book whole days without partial, or one day with start equal to end",
            )
        if args.partial.until_time <= args.partial.from_time:
            raise InvalidToolInput(
                "`partial.until_time` is not after `partial.from_time`",
                hint="Pass the hours off as from_time before until_time, e.g. 13:00 to 17:30",
            )
    facts = LeaveFacts(
        employee_id=args.employee_id.strip(),
        # AFAS's leave type codes are capitals; AFAS reads them in any case and shows capitals.
        leave_type=args.leave_type.strip().upper(),
        start=args.start,
        end=args.end,
        reason=text(args.reason),
        from_time=None if args.partial is None else args.partial.from_time,
        until_time=None if args.partial is None else args.partial.until_time,
    )
    return await submit(
        deps,
        tool=WriteTool.SUBMIT_LEAVE_REQUEST,
        connector="HrAbsence",
        action="insert",
        body=leave_body(facts),
        facts=facts,
        dry_run=args.dry_run,
        source_confidence=args.source_confidence,
    )


# --- the toolset's specs and write kinds -------------------------------------------------------

TOOLS: tuple[ToolSpec, ...] = (
    ToolSpec(
        name="onboard_employee",
        toolset="hr",
        title="Onboard employee",
        description=(
            "Hire a new employee in AFAS: person, contract, function, schedule, salary and "
            "wage-tax settings in one complete start-of-employment message. Call "
            "list_employers first (employer id and its period table codes) and "
            "list_open_payroll_periods (the start date must fall in an open period). Give the "
            "BSN, or existing_person_id for someone AFAS already has: the server then finds "
            "that person instead of creating a duplicate. The server chooses every AFAS code "
            "itself; it will not hire under an unknown employer, a closed payroll period, a "
            "period table or function the employer does not use. Hires are reviewed by a "
            "person before they are sent. " + GUARD
        ),
        input_model=OnboardEmployeeInput,
        output_model=WriteResult,
        handler=onboard_employee,
        read_only=False,
        destructive=False,
        idempotent=False,
    ),
    ToolSpec(
        name="update_employee",
        toolset="hr",
        title="Update employee",
        description=(
            "Change an existing employee: e-mail, phone, address, function, org unit, hours, "
            "salary, period table or contract end (or remove the contract end with "
            "clear=['contract_end']). The server reads what AFAS holds now and "
            "sends only the fields that really change; a call that changes nothing is refused. "
            "Payroll changes (function, org unit, hours, salary, period table, contract end) "
            "need effective_date inside an open payroll period (list_open_payroll_periods) and "
            "start new rows from that day. It does not hire, rehire or end an employment "
            "otherwise. Updates are reviewed by a person before they are sent. " + GUARD
        ),
        input_model=UpdateEmployeeInput,
        output_model=WriteResult,
        handler=update_employee,
        read_only=False,
        destructive=True,
        idempotent=True,
    ),
    ToolSpec(
        name="submit_leave_request",
        toolset="hr",
        title="Submit leave request",
        description=(
            "Book leave for an employed employee: whole days from start to end, or part of one "
            "day. Check the balance with get_leave_balance first; the leave type code comes "
            "from there. AFAS counts the hours from the employee's schedule. Long bookings go "
            "to a person first. It does not change or cancel an existing booking. " + GUARD
        ),
        input_model=SubmitLeaveRequestInput,
        output_model=WriteResult,
        handler=submit_leave_request,
        read_only=False,
        destructive=False,
        idempotent=False,
    ),
)

WRITE_KINDS: tuple[WriteKind, ...] = (
    WriteKind(
        tool=WriteTool.ONBOARD_EMPLOYEE,
        facts_type=HireFacts,
        expectations=rb.hire_expectations,
        locate=rb.hire_locate,
        describe=rb.describe_hire,
    ),
    WriteKind(
        tool=WriteTool.UPDATE_EMPLOYEE,
        facts_type=EmployeeUpdateFacts,
        expectations=rb.update_expectations,
        locate=rb.update_locate,
        describe=rb.describe_update,
    ),
    WriteKind(
        tool=WriteTool.SUBMIT_LEAVE_REQUEST,
        facts_type=LeaveFacts,
        expectations=rb.leave_expectations,
        locate=rb.leave_locate,
        describe=rb.describe_leave,
    ),
)
