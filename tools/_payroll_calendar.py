"""Employers and their payroll calendars, as the hr and payroll toolsets read them.

The employer (werkgever, `CmId` on a contract) comes from `Profit_Employers`. Which period tables
an employer uses, their codes (`MAAND`, `VIERWEKEN`, `WEEK`) and which payroll periods are open
come only from the custom calendar connector `AfasMcp_PayrollPeriods`: AFAS has no standard
connector for it (docs/connector-package.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from pydantic import BaseModel, Field

from server.afas.filters import Filter, FilterGroup, Operator
from server.afas.models import Row
from server.outcomes import InvalidToolInput
from tools._hr_reads import read_rows, shells_left_out, without_codes
from tools.base import DataWarning
from tools.deps import ToolDeps

EMPLOYER_KEY = ("EmployerId",)
EMPLOYER_FIELDS = ("EmployerId", "Name", "UnitId")
CALENDAR_KEY = ("EmployerId", "PeriodTableId", "Year", "Period")
CALENDAR_FIELDS = (*CALENDAR_KEY, "PeriodTableCode", "DateFrom", "DateTo", "Closed")


class PayrollPeriod(BaseModel):
    """One payroll period of an employer's period table."""

    period_table_id: int = Field(description="The period table (PtId in AFAS), e.g. 5.")
    period_table_code: str | None = Field(
        description="The period table's code: MAAND (monthly), VIERWEKEN (four-weekly) or WEEK. "
        "Always the full code; a three-letter form is not the same table to AFAS."
    )
    year: int = Field(description="Payroll year.")
    period: int = Field(description="Period number within the year (1-12, 1-13 or 1-52).")
    date_from: date | None = Field(description="First day of the period (YYYY-MM-DD).")
    date_to: date | None = Field(description="Last day of the period (YYYY-MM-DD).")
    closed: bool = Field(
        description="True when payroll has closed the period: new mutations in it are not "
        "processed, though AFAS still accepts them."
    )


@dataclass(frozen=True, slots=True)
class Employer:
    """One employer row."""

    employer_id: str
    name: str | None
    administration_id: int | None


def as_date(value: object) -> date | None:
    """The calendar day of a normalised AFAS date (already Amsterdam time, R7)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return None


def period_of(row: Row) -> PayrollPeriod:
    """A calendar row as the agent sees it."""
    values = row.values
    closed = values["Closed"]
    return PayrollPeriod(
        period_table_id=int(str(values["PeriodTableId"])),
        period_table_code=_text(values["PeriodTableCode"]),
        year=int(str(values["Year"])),
        period=int(str(values["Period"])),
        date_from=as_date(values["DateFrom"]),
        date_to=as_date(values["DateTo"]),
        # An empty flag is not "open": only an explicit False counts as open (see is_open).
        closed=closed is not False,
    )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


async def read_employers(deps: ToolDeps) -> tuple[dict[str, Employer], list[DataWarning]]:
    """Every employer the token may read, by id; blocked or deleted ones left out (R5)."""
    afas = await deps.afas()
    fetched = await read_rows(
        afas, deps.connector("employers"), key=EMPLOYER_KEY, fields=EMPLOYER_FIELDS
    )
    found: dict[str, Employer] = {}
    shells: list[str] = []
    for row in fetched.rows:
        employer_id = str(row.values["EmployerId"])
        if row.shell:
            shells.append(employer_id)
            continue
        unit = row.values["UnitId"]
        found[employer_id] = Employer(
            employer_id=employer_id,
            name=_text(row.values["Name"]),
            administration_id=unit if isinstance(unit, int) else None,
        )
    warnings = fetched.warnings
    if shells:
        notice = shells_left_out(shells, what="employer(s)")
        warnings = [*without_codes(warnings, "shell_rows"), notice]
    return found, warnings


def valid_employers_text(employers: dict[str, Employer]) -> str:
    """`01 (Name), 02 (Name)` for a hint."""
    return ", ".join(f"{e.employer_id} ({e.name or 'no name'})" for e in employers.values())


async def require_employer(
    deps: ToolDeps, employer_id: str
) -> tuple[Employer, dict[str, Employer], list[DataWarning]]:
    """The employer with this id, or an error that lists the valid ones.

    Raises:
        InvalidToolInput: no such employer.
    """
    employers, warnings = await read_employers(deps)
    employer = employers.get(employer_id)
    if employer is None:
        raise InvalidToolInput(
            f"there is no employer {employer_id!r} in AFAS",
            hint=f"Use one of the employer ids: {valid_employers_text(employers) or '(none)'}; "
            "list_employers shows them with their period tables",
        )
    return employer, employers, warnings


async def read_calendar(
    deps: ToolDeps,
    employer_ids: Sequence[str],
    *,
    period_table_id: int | None = None,
    year: int | None = None,
    from_year: int | None = None,
) -> tuple[list[Row], list[DataWarning]]:
    """The calendar rows of these employers, optionally one period table and one year or later.

    Several employers are ORed; the client splits a query that would grow too long (R16).
    """
    if not employer_ids:
        return [], []
    extra: list[Filter] = []
    if period_table_id is not None:
        extra.append(Filter("PeriodTableId", Operator.EQUALS, period_table_id))
    if year is not None:
        extra.append(Filter("Year", Operator.EQUALS, year))
    elif from_year is not None:
        extra.append(Filter("Year", Operator.GREATER_OR_EQUAL, from_year))
    groups = [
        FilterGroup(Filter("EmployerId", Operator.EQUALS, employer_id), *extra)
        for employer_id in employer_ids
    ]
    afas = await deps.afas()
    fetched = await read_rows(
        afas, deps.connector("payroll_periods"), key=CALENDAR_KEY, fields=CALENDAR_FIELDS,
        filters=groups,
    )  # fmt: skip
    return [row for row in fetched.rows if not row.shell], fetched.warnings


def is_open(period: PayrollPeriod) -> bool:
    """Open for payroll: not closed."""
    return not period.closed


def table_codes(periods: Iterable[PayrollPeriod]) -> tuple[dict[int, str | None], list[str]]:
    """Period table id -> code, and a note per table whose rows disagree about the code."""
    codes: dict[int, set[str | None]] = {}
    for period in periods:
        codes.setdefault(period.period_table_id, set()).add(period.period_table_code)
    chosen: dict[int, str | None] = {}
    problems: list[str] = []
    for table, seen in sorted(codes.items()):
        named = sorted(code for code in seen if code)
        chosen[table] = named[0] if len(named) == 1 else None
        if len(named) != 1 or None in seen:
            problems.append(
                f"period table {table} has {'codes ' + ', '.join(named) if named else 'no code'}"
                f"{' and rows without one' if named and None in seen else ''} in the calendar"
            )
    return chosen, problems


def period_on(periods: Iterable[PayrollPeriod], day: date) -> PayrollPeriod | None:
    """The period whose dates contain `day`."""
    return next(
        (
            p
            for p in periods
            if p.date_from is not None and p.date_to is not None and p.date_from <= day <= p.date_to
        ),
        None,
    )


def first_open(periods: Iterable[PayrollPeriod]) -> PayrollPeriod | None:
    """The earliest period that is not closed: the one payroll is working on."""
    open_periods = sorted((p for p in periods if is_open(p)), key=lambda p: (p.year, p.period))
    return open_periods[0] if open_periods else None


def note(code: str, message: str, count: int | None = None) -> DataWarning:
    """A warning of our own."""
    return DataWarning(code=code, message=message, count=count)
