"""What a write tool reads from AFAS before it can build a body: codes, keys and current values.

The agent speaks in plain terms; AFAS wants ids. A period table code ("MAAND") becomes the
numeric `PtId` of the payroll calendar (`AfasMcp_PayrollPeriods`); an entry date becomes the
booking year and period that contain it (`Profit_periods_per_administration`); an update reads
the employee as AFAS holds it now (`AfasMcp_Employees`), so it can send only what changes (W20).

These reads resolve; they do not judge. A code no calendar knows, a date in no period or a closed
one is left for the policies to refuse with their reasons and hints.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from server.afas.filters import Filter, FilterGroup, Operator
from server.afas.models import Row
from server.config import GET_CONNECTORS
from tools.deps import ToolDeps

_KEYS = {spec.logical: spec.key for spec in GET_CONNECTORS}


async def read(
    deps: ToolDeps,
    logical: str,
    fields: Sequence[str],
    *,
    where: str | None = None,
    equals: Iterable[object] = (),
) -> list[Row]:
    """Rows of a product connector (shells left out, R5); with `where`, those equal to a value."""
    values = list(dict.fromkeys(equals))
    if where is not None and not values:
        return []
    afas = await deps.afas()
    groups = [FilterGroup(Filter(where, Operator.EQUALS, v)) for v in values] if where else None
    stream = afas.rows(
        deps.connector(logical), key=_KEYS[logical], filters=groups, required_fields=fields
    )
    return [row async for row in stream if not row.shell]


def day(value: object) -> date | None:
    """The calendar day of a normalised AFAS date (already Amsterdam time, R7)."""
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def text(value: object) -> str | None:
    """A value as stripped text; None for nothing or empty text."""
    if value is None:
        return None
    shown = str(value).strip()
    return shown or None


# --- payroll calendar ------------------------------------------------------------------------

_CALENDAR = ("EmployerId", "PeriodTableId", "PeriodTableCode")


@dataclass(frozen=True)
class PeriodTable:
    """A period table as the payroll calendar names it."""

    table_id: int
    code: str


@dataclass(frozen=True)
class PeriodTableChoice:
    """What the agent's period table resolves to, for one employer."""

    table_id: int | None
    """The numeric `PtId`; None when no calendar knows the code (W12 refuses it then)."""
    code: str | None
    """The code the agent gave, upper-cased; None when it gave the numeric id."""
    employer_tables: tuple[PeriodTable, ...]
    """The tables the employer's own calendar uses, for hints."""


def _tables(rows: Iterable[Row]) -> tuple[PeriodTable, ...]:
    found = {
        int(str(row["PeriodTableId"])): text(row["PeriodTableCode"]) or ""
        for row in rows
        if row["PeriodTableId"] is not None
    }
    return tuple(PeriodTable(table_id, code) for table_id, code in sorted(found.items()))


async def resolve_period_table(deps: ToolDeps, employer_id: str, given: str) -> PeriodTableChoice:
    """Turn "MAAND" (or "5") into the period table id, via the payroll calendar.

    A code the employer does not use still resolves when another employer's calendar has it, so
    the W3 policy can say "not used by this employer" instead of "unknown code".
    """
    own = _tables(
        await read(deps, "payroll_periods", _CALENDAR, where="EmployerId", equals=[employer_id])
    )
    wanted = given.strip()
    if wanted.isdigit():
        return PeriodTableChoice(int(wanted), None, own)
    code = wanted.upper()
    match = next((t.table_id for t in own if t.code.upper() == code), None)
    if match is None:
        elsewhere = _tables(await read(deps, "payroll_periods", _CALENDAR))
        match = next((t.table_id for t in elsewhere if t.code.upper() == code), None)
    return PeriodTableChoice(match, code, own)


# --- booking periods -------------------------------------------------------------------------


async def booking_period(
    deps: ToolDeps, administration_id: int, entry_date: date
) -> tuple[int, int]:
    """The booking year and period that contain the entry date.

    The date's own year and month when no period of the administration contains it: the W18
    policy refuses that entry with the open periods named.
    """
    rows = await read(
        deps,
        "booking_periods",
        ("Unit", "Year", "Period", "DateFrom", "DateTo"),
        where="Unit",
        equals=[administration_id],
    )
    for row in rows:
        start, end = day(row["DateFrom"]), day(row["DateTo"])
        if start is not None and end is not None and start <= entry_date <= end:
            return int(str(row["Year"])), int(str(row["Period"]))
    return entry_date.year, entry_date.month


# --- the employee an update changes ------------------------------------------------------------

EMPLOYEE_COLUMNS = (
    "EmployeeId",
    "PersonId",
    "EmployerId",
    "Mail",
    "Street",
    "HouseNumber",
    "AddNumber",
    "ZIPCode",
    "City",
    "Country",
    "EmploymentStart",
    "EmploymentEnd",
    "FunctionId",
    "OrgUnit",
    "PeriodTableId",
    "Salary",
    "HoursPerWeek",
)


async def employee_row(deps: ToolDeps, employee_id: str) -> Row | None:
    """The employee as `AfasMcp_Employees` shows it now; None when there is no such employee."""
    rows = await read(deps, "employees", EMPLOYEE_COLUMNS, where="EmployeeId", equals=[employee_id])
    return rows[0] if len(rows) == 1 else None


async def salary_kind(deps: ToolDeps, employee_id: str, on: date) -> str | None:
    """`SaPe` of the salary in force on a day (else the latest), to keep it on a new salary row."""
    rows = await read(
        deps,
        "salaries",
        ("EmployeeId", "DateStart", "SalaryKind"),
        where="EmployeeId",
        equals=[employee_id],
    )
    dated = sorted(
        ((d, row) for row in rows if (d := day(row["DateStart"])) is not None),
        key=lambda pair: pair[0],
    )
    in_force = [row for start, row in dated if start <= on] or [row for _, row in dated]
    return text(in_force[-1]["SalaryKind"]) if in_force else None


def decimal(value: object) -> Decimal | None:
    """A normalised number as a Decimal (the client already turned Dutch text into one, R4)."""
    if value is None or isinstance(value, bool):
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))
