"""`list_employers`: employers with the period tables they use and where payroll stands in each.

Employers come from `Profit_Employers`; which period tables each one uses, and which periods are
open, only from the payroll calendar connector. An employer the calendar says nothing about is
shown with no period tables and a warning, never as an employer without payroll.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from tools._hr_reads import open_cursor, query_digest, seal_cursor
from tools._payroll_calendar import (
    PayrollPeriod,
    first_open,
    note,
    period_of,
    period_on,
    read_calendar,
    read_employers,
    table_codes,
)
from tools.base import DataWarning
from tools.deps import ToolDeps


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


async def employer_list(deps: ToolDeps, *, limit: int, cursor: str | None) -> EmployerList:
    """What `list_employers` answers: one page of employers with their period tables."""
    today = deps.today()
    digest = query_digest("list_employers", today=today.isoformat())
    after = open_cursor(cursor, digest) if cursor else None
    employers, warnings = await read_employers(deps)
    ordered = sorted(employers, key=lambda e: (e.casefold(), e))
    if after is not None:
        ordered = [e for e in ordered if (e.casefold(), e) > (str(after).casefold(), str(after))]
    page, more = ordered[:limit], len(ordered) > limit
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
            note("period_table_code_unclear", f"employer {employer_id}: {problem}")
            for problem in problems
        ]
        if not uses:
            warnings.append(
                note(
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
