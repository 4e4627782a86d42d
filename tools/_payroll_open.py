"""`list_open_payroll_periods`: one employer's payroll periods that are not closed yet.

AFAS accepts a payroll mutation in a closed period, and payroll then drops it (W2), so an agent
needs the open periods before it writes. They come from the payroll calendar connector; an
employer it has no rows for is an error, never "no open periods".
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from server.outcomes import InvalidToolInput, ToolConfigurationError
from tools._hr_reads import open_cursor, query_digest, seal_cursor
from tools._payroll_calendar import (
    PayrollPeriod,
    note,
    period_of,
    read_calendar,
    require_employer,
    table_codes,
)
from tools.base import DataWarning
from tools.deps import ToolDeps


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


async def open_payroll_periods(
    deps: ToolDeps, employer_id: str, *, year: int | None, limit: int, cursor: str | None
) -> OpenPayrollPeriods:
    """What `list_open_payroll_periods` answers."""
    employer, _, warnings = await require_employer(deps, employer_id)
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
            note(
                "closed_flag_missing",
                f"{len(unknown)} calendar row(s) do not say whether the period is closed; they "
                "are not listed as open",
                len(unknown),
            )
        )
    if year is not None:
        years = sorted({p.year for p in periods})
        periods = [p for p in periods if p.year == year]
        if not periods:
            raise InvalidToolInput(
                f"the payroll calendar of employer {employer.employer_id} has no periods in {year}",
                hint=f"Ask for one of the years it has: {', '.join(map(str, years)) or 'none'}",
            )
    codes, problems = table_codes(periods)
    warnings += [note("period_table_code_unclear", problem) for problem in problems]
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
                note(
                    "no_open_period",
                    f"period table {table.period_table_id} ({table.code}) has no open period "
                    f"{'in ' + str(year) if year else 'at all'}: payroll mutations "
                    "under it would land in a closed period",
                )
            )
    digest = query_digest("list_open_payroll_periods", employer_id=employer.employer_id, year=year)
    if cursor:
        after = _period_position(open_cursor(cursor, digest))
        open_periods = [p for p in open_periods if _position(p) > after]
    page, more = open_periods[:limit], len(open_periods) > limit
    return OpenPayrollPeriods(
        employer_id=employer.employer_id,
        employer_name=employer.name,
        period_tables=tables,
        periods=page,
        count=len(page),
        next_cursor=seal_cursor(digest, list(_position(page[-1]))) if more and page else None,
        warnings=warnings,
    )
