"""The `payroll` toolset: employers, the period tables they use, and their open payroll periods.

Read tools only, for now: `list_employers` and `list_open_payroll_periods`. AFAS accepts a
mutation into a closed period or under a period table the employer does not use, and payroll
drops it later (W2, W3); these tools give the agent the facts to avoid that, from the payroll
calendar connector. A calendar that has nothing for an employer is an error, never "no open
periods".
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from server.outcomes import InvalidToolInput, ToolConfigurationError
from tools._hr_reads import open_cursor, query_digest, seal_cursor
from tools._payroll_calendar import (
    PayrollPeriod,
    first_open,
    period_of,
    period_on,
    read_calendar,
    read_employers,
    require_employer,
    table_codes,
)
from tools.base import DataWarning, ToolInput, ToolSpec
from tools.deps import ToolDeps

EMPLOYERS_DEFAULT_LIMIT, EMPLOYERS_MAX_LIMIT = 50, 200
PERIODS_DEFAULT_LIMIT, PERIODS_MAX_LIMIT = 100, 500

Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=15)]


class PeriodTableUse(BaseModel):
    """One period table an employer uses, with where payroll stands in it."""

    period_table_id: int = Field(description="The period table (PtId in AFAS), e.g. 5.")
    code: str | None = Field(
        description="Its code: MAAND (monthly), VIERWEKEN (four-weekly) or WEEK."
    )
    period_today: PayrollPeriod | None = Field(
        description="The period that contains today, open or closed; null if the calendar has none."
    )
    open_period: PayrollPeriod | None = Field(
        description="The earliest period not closed: where payroll mutations go now. It differs "
        "from period_today when the employer already closed today's period."
    )


class EmployerInfo(BaseModel):
    """One employer (werkgever)."""

    employer_id: str = Field(description="The employer id (CmId on contracts), e.g. '02'.")
    name: str | None = Field(description="The employer's name.")
    administration_id: int | None = Field(
        description="The financial administration it books into (UnitId in AFAS)."
    )
    period_tables: list[PeriodTableUse] = Field(
        description="The period tables the employer uses (from this and last year's payroll "
        "calendar), each with today's and the first open period. Empty means the calendar "
        "connector has no rows for it (a warning says so)."
    )


class EmployerList(BaseModel):
    """One page of employers, ordered by employer id."""

    employers: list[EmployerInfo] = Field(description="The employers on this page.")
    count: int = Field(description="Number of employers on this page.")
    next_cursor: str | None = Field(
        description="Pass as cursor for the next page; null at the end."
    )
    warnings: list[DataWarning] = Field(description="Anything suspect; pass these on.")


class ListEmployersInput(ToolInput):
    """Paging only."""

    limit: int = Field(
        EMPLOYERS_DEFAULT_LIMIT,
        ge=1,
        le=EMPLOYERS_MAX_LIMIT,
        description=f"Employers per page, 1 to {EMPLOYERS_MAX_LIMIT} (default "
        f"{EMPLOYERS_DEFAULT_LIMIT}).",
    )
    cursor: str | None = Field(None, description="next_cursor from the previous page.")


def _uses(periods: list[PayrollPeriod], today: date) -> tuple[list[PeriodTableUse], list[str]]:
    """Per period table: its code, today's period and the first open one."""
    codes, problems = table_codes(periods)
    uses = []
    for table_id, code in codes.items():
        mine = [p for p in periods if p.period_table_id == table_id]
        uses.append(
            PeriodTableUse(
                period_table_id=table_id,
                code=code,
                period_today=period_on(mine, today),
                open_period=first_open(mine),
            )
        )
    return uses, problems


def _note(code: str, message: str, count: int | None = None) -> DataWarning:
    return DataWarning(code=code, message=message, count=count)


async def list_employers(deps: ToolDeps, args: ListEmployersInput) -> EmployerList:
    """Handler of `list_employers`."""
    today = deps.today()
    digest = query_digest("list_employers", today=today.isoformat())
    after = open_cursor(args.cursor, digest) if args.cursor else None
    employers, warnings = await read_employers(deps)
    ordered = sorted(employers, key=lambda e: (e.casefold(), e))
    if after is not None:
        ordered = [e for e in ordered if (e.casefold(), e) > (str(after).casefold(), str(after))]
    page, more = ordered[: args.limit], len(ordered) > args.limit
    # This and last year's rows show the tables in use without reading years of history.
    rows, calendar_warnings = await read_calendar(deps, page, from_year=today.year - 1)
    warnings += calendar_warnings
    by_employer: dict[str, list[PayrollPeriod]] = {}
    for row in rows:
        owner = str(row.values["EmployerId"]).casefold()
        by_employer.setdefault(owner, []).append(period_of(row))
    listed = []
    connector = deps.connector("payroll_periods")
    for employer_id in page:
        employer = employers[employer_id]
        uses, problems = _uses(by_employer.get(employer_id.casefold(), []), today)
        warnings += [
            _note("period_table_code_unclear", f"employer {employer_id}: {problem}")
            for problem in problems
        ]
        if not uses:
            warnings.append(
                _note(
                    "calendar_missing",
                    f"{connector} has no payroll calendar rows for employer {employer_id} "
                    f"({employer.name}) since {today.year - 1}: its period tables and open "
                    "periods are unknown, not absent",
                )
            )
        listed.append(
            EmployerInfo(
                employer_id=employer_id,
                name=employer.name,
                administration_id=employer.administration_id,
                period_tables=uses,
            )
        )
    return EmployerList(
        employers=listed,
        count=len(listed),
        next_cursor=seal_cursor(digest, page[-1]) if more and page else None,
        warnings=warnings,
    )


# --- list_open_payroll_periods ---------------------------------------------------------------


class ListOpenPayrollPeriodsInput(ToolInput):
    """Which employer (and year) to list open payroll periods for."""

    employer_id: Code = Field(description="The employer id, e.g. '02' (see list_employers).")
    year: int | None = Field(
        None, ge=1900, le=2100, description="Only this payroll year; omit for every year."
    )
    limit: int = Field(
        PERIODS_DEFAULT_LIMIT,
        ge=1,
        le=PERIODS_MAX_LIMIT,
        description=f"Periods per page, 1 to {PERIODS_MAX_LIMIT} (default "
        f"{PERIODS_DEFAULT_LIMIT}).",
    )
    cursor: str | None = Field(
        None, description="next_cursor from the previous page, with the same other arguments."
    )


class PeriodTableSummary(BaseModel):
    """A period table the employer uses."""

    period_table_id: int = Field(description="The period table (PtId in AFAS).")
    code: str | None = Field(description="MAAND (monthly), VIERWEKEN (four-weekly) or WEEK.")
    open_periods: int = Field(description="How many open periods it has (in the year asked).")


class OpenPayrollPeriods(BaseModel):
    """The open (not closed) payroll periods of one employer."""

    employer_id: str = Field(description="The employer id.")
    employer_name: str | None = Field(description="The employer's name.")
    period_tables: list[PeriodTableSummary] = Field(
        description="Every period table in the employer's calendar, with its count of open "
        "periods; a table with 0 has no open period and takes no mutations."
    )
    periods: list[PayrollPeriod] = Field(
        description="Open periods on this page, ordered by period table, year and period."
    )
    count: int = Field(description="Number of periods on this page.")
    next_cursor: str | None = Field(
        description="Pass as cursor for the next page; null at the end."
    )
    warnings: list[DataWarning] = Field(description="Anything suspect; pass these on.")


def _position(period: PayrollPeriod) -> tuple[int, int, int]:
    return (period.period_table_id, period.year, period.period)


def _period_position(position: object) -> tuple[int, int, int]:
    """The (table, year, period) a cursor of ours holds."""
    if (
        isinstance(position, list)
        and len(position) == 3
        and all(isinstance(part, int) for part in position)
    ):
        return (position[0], position[1], position[2])
    raise InvalidToolInput(
        "the cursor is not one this tool handed out",
        hint="Pass next_cursor exactly as it was returned, or omit cursor for the first page",
    )


async def list_open_payroll_periods(
    deps: ToolDeps, args: ListOpenPayrollPeriodsInput
) -> OpenPayrollPeriods:
    """Handler of `list_open_payroll_periods`."""
    employer, _, warnings = await require_employer(deps, args.employer_id)
    connector = deps.connector("payroll_periods")
    rows, calendar_warnings = await read_calendar(deps, [employer.employer_id])
    warnings += calendar_warnings
    if not rows:
        raise ToolConfigurationError(
            f"{connector} has no payroll calendar rows for employer {employer.employer_id} "
            f"({employer.name}), so its open periods are unknown (not absent)",
            hint="An AFAS administrator must check the payroll calendar and the calendar "
            "connector (docs/connector-package.md)",
        )
    unknown = [row for row in rows if not isinstance(row.values["Closed"], bool)]
    periods = [period_of(row) for row in rows if isinstance(row.values["Closed"], bool)]
    if unknown:
        warnings.append(
            _note(
                "closed_flag_missing",
                f"{len(unknown)} calendar row(s) do not say whether the period is closed; they "
                "are not listed as open",
                len(unknown),
            )
        )
    if args.year is not None:
        years = sorted({p.year for p in periods})
        periods = [p for p in periods if p.year == args.year]
        if not periods:
            raise InvalidToolInput(
                f"the payroll calendar of employer {employer.employer_id} has no periods in "
                f"{args.year}",
                hint=f"Ask for one of the years it has: {', '.join(map(str, years)) or 'none'}",
            )
    codes, problems = table_codes(periods)
    warnings += [_note("period_table_code_unclear", problem) for problem in problems]
    open_periods = sorted((p for p in periods if not p.closed), key=_position)
    tables = [
        PeriodTableSummary(
            period_table_id=table_id,
            code=code,
            open_periods=sum(p.period_table_id == table_id for p in open_periods),
        )
        for table_id, code in codes.items()
    ]
    for table in tables:
        if not table.open_periods:
            warnings.append(
                _note(
                    "no_open_period",
                    f"period table {table.period_table_id} ({table.code}) has no open period "
                    f"{'in ' + str(args.year) if args.year else 'at all'}: payroll mutations "
                    "under it would land in a closed period",
                )
            )
    digest = query_digest(
        "list_open_payroll_periods", employer_id=employer.employer_id, year=args.year
    )
    if args.cursor:
        after = _period_position(open_cursor(args.cursor, digest))
        open_periods = [p for p in open_periods if _position(p) > after]
    page, more = open_periods[: args.limit], len(open_periods) > args.limit
    return OpenPayrollPeriods(
        employer_id=employer.employer_id,
        employer_name=employer.name,
        period_tables=tables,
        periods=page,
        count=len(page),
        next_cursor=seal_cursor(digest, list(_position(page[-1]))) if more and page else None,
        warnings=warnings,
    )


TOOLS: tuple[ToolSpec, ...] = (
    ToolSpec(
        name="list_employers",
        toolset="payroll",
        title="List employers",
        description=(
            "List the employers (werkgevers) in this AFAS environment: employer_id, name, the "
            "financial administration, and the payroll period tables each one uses (id and "
            "code: MAAND monthly, VIERWEKEN four-weekly, WEEK weekly), each with the period "
            "that contains today and the first period still open. Use it before anything that "
            "needs an employer or a period table: use only a period table listed for that "
            "employer. An employer whose payroll calendar is missing is flagged in warnings. "
            "Reads only; changes nothing."
        ),
        input_model=ListEmployersInput,
        output_model=EmployerList,
        handler=list_employers,
        read_only=True,
        idempotent=True,
    ),
    ToolSpec(
        name="list_open_payroll_periods",
        toolset="payroll",
        title="List open payroll periods",
        description=(
            "List one employer's payroll periods that are not closed yet, per period table "
            "(period_table_id is PtId in AFAS; code MAAND, VIERWEKEN or WEEK), with first and "
            "last day, optionally for one year. A payroll mutation (a hire, a salary change) "
            "must fall in an open period: AFAS accepts one in a closed period and payroll then "
            "ignores it. An unknown employer_id is an error listing the valid ones; an employer "
            "without any calendar rows is an error, never an empty list. Reads only; changes "
            "nothing."
        ),
        input_model=ListOpenPayrollPeriodsInput,
        output_model=OpenPayrollPeriods,
        handler=list_open_payroll_periods,
        read_only=True,
        idempotent=True,
    ),
)
