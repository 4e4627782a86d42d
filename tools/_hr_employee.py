"""`get_employee`: one employee, joined from the employee, fiscal and calendar connectors.

The wage-tax number is taken from `AfasMcp_Employees` when it is there, and otherwise from the
fiscal connector, because AFAS blanks it on the main connector for terminated employees although
it still holds it (R1). The period table's code and its payroll periods (today's and the first
open one) come from the employer's payroll calendar. Anything doubtful on the way becomes a
warning.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from server.afas.filters import Filter, Operator
from server.afas.models import Row
from server.outcomes import UnknownRecord
from tools._employees import (
    DETAIL_FIELDS,
    EMPLOYEE_KEY,
    FISCAL_FIELDS,
    FISCAL_KEY,
    STATUS_TEXT,
    Address,
    Employment,
    Person,
    Status,
    address_of,
    decimal_text,
    employment_of,
    latest_fiscal,
    moment,
    person_of,
    status_of,
    text,
)
from tools._hr_reads import read_rows, without_codes
from tools._payroll_calendar import (
    PayrollPeriod,
    as_date,
    first_open,
    period_of,
    period_on,
    read_calendar,
    table_codes,
)
from tools.base import DataWarning
from tools.deps import ToolDeps

WageTaxSource = Literal["employee_connector", "fiscal_connector"]


class PeriodTableRef(BaseModel):
    """A payroll period table: the id AFAS stores and the code people use."""

    id: int = Field(description="The period table id (PtId in AFAS), e.g. 5.")
    code: str | None = Field(
        description="Its code from the employer's payroll calendar: MAAND (monthly), VIERWEKEN "
        "(four-weekly) or WEEK; null when the calendar does not list this table (see warnings)."
    )


class Payroll(BaseModel):
    """How the employee is paid."""

    period_table: PeriodTableRef | None = Field(
        description="The payroll period table of the current salary (PtId in AFAS)."
    )
    period_today: PayrollPeriod | None = Field(
        description="The period of that table that contains today, open or closed; null when "
        "the employer's calendar has none."
    )
    open_period: PayrollPeriod | None = Field(
        description="The earliest period of that table not yet closed: where a payroll "
        "mutation for this employee goes now. It differs from period_today when the employer "
        "already closed today's period."
    )
    salary: str | None = Field(
        description="Salary amount of the current salary record (per period, or per hour for "
        "hourly pay), as exact decimal text with a dot, e.g. '4233.98'."
    )
    wage_tax_number: str | None = Field(
        description="The wage-tax number (loonheffingennummer), e.g. '308900704L01'. Null only "
        "when AFAS holds none anywhere (a warning then says so)."
    )
    wage_tax_number_source: WageTaxSource | None = Field(
        description="Where the wage-tax number was read: employee_connector (the main employee "
        "connector), or fiscal_connector (the fiscal records, because AFAS blanks it on the main "
        "connector for terminated employees)."
    )


class EmployeeRecord(BaseModel):
    """One employee, with everything suspect about the data in warnings."""

    employee_id: str = Field(description="The employee code (EmId in AFAS).")
    status: Status = Field(description=STATUS_TEXT)
    active: bool | None = Field(
        description="True unless the contract ended before today (Europe/Amsterdam); null when "
        "the record is blocked or deleted and AFAS did not say."
    )
    blocked: bool | None = Field(description="AFAS marks the employee as blocked.")
    person: Person | None = Field(description="Names, birth date, gender, work e-mail.")
    address: Address | None = Field(description="Home address.")
    employment: Employment | None = Field(
        description="Employer, contract dates, function, org unit, hours."
    )
    payroll: Payroll | None = Field(
        description="Period table, today's and the open payroll period, salary, wage-tax number."
    )
    modified_date: datetime | None = Field(
        description="Last change of the employee record itself, Amsterdam time. A change to a "
        "contract or salary does NOT move it; use search_employees with changed_since for those."
    )
    warnings: list[DataWarning] = Field(
        description="Anything suspect: a blocked or deleted record, a value read from another "
        "connector, a missing wage-tax number, a period table the calendar does not know. Pass "
        "these on to the user."
    )


async def read_employee(deps: ToolDeps, employee_id: str) -> tuple[Row, list[DataWarning]]:
    """The employee's row from the main employee connector.

    Raises:
        UnknownRecord: AFAS has no employee with this code (not even a blocked or deleted shell).
    """
    afas = await deps.afas()
    fetched = await read_rows(
        afas,
        deps.connector("employees"),
        key=EMPLOYEE_KEY,
        fields=DETAIL_FIELDS,
        filters=Filter("EmployeeId", Operator.EQUALS, employee_id),
    )
    if not fetched.rows:
        raise UnknownRecord(
            "employee",
            employee_id,
            hint="Employee codes are exact (e.g. '100001'); call search_employees with a name "
            "to find the code",
        )
    # A shell is said once, by the tool, in words about this employee.
    return fetched.rows[0], without_codes(fetched.warnings, "shell_rows")


def shell_record(row: Row, warnings: list[DataWarning]) -> EmployeeRecord:
    """A blocked or deleted employee: a status and a warning, never nulls posing as data (R5)."""
    employee_id = str(row.values["EmployeeId"])
    notice = DataWarning(
        code="blocked_or_deleted",
        message=f"AFAS returned employee {employee_id} as a shell: the code and nothing else. "
        "The employee is blocked or deleted; no name, contract or payroll data can be read, and "
        "the empty fields are not the employee's data",
    )
    return EmployeeRecord(
        employee_id=employee_id,
        status="blocked_or_deleted",
        active=None,
        blocked=None,
        person=None,
        address=None,
        employment=None,
        payroll=None,
        modified_date=None,
        warnings=[*warnings, notice],
    )


async def wage_tax_number(
    deps: ToolDeps, row: Row, today: date
) -> tuple[str | None, WageTaxSource | None, list[DataWarning]]:
    """The wage-tax number and where it came from; the fiscal connector when the main one is blank.

    AFAS blanks the number on the main employee connector for terminated employees although the
    fiscal records still hold it (R1), so a blank there is never taken as "none".
    """
    main = text(row.values["WageTaxNumber"])
    if main:
        return main, "employee_connector", []
    employee_id = str(row.values["EmployeeId"])
    afas = await deps.afas()
    connector = deps.connector("employee_fiscal")
    fetched = await read_rows(
        afas,
        connector,
        key=FISCAL_KEY,
        fields=FISCAL_FIELDS,
        filters=Filter("EmployeeId", Operator.EQUALS, employee_id),
    )
    record = latest_fiscal(fetched.rows, today)
    number = text(record.values["WageTaxNumber"]) if record else None
    warnings = list(fetched.warnings)
    if number is None or record is None:
        warnings.append(
            DataWarning(
                code="wage_tax_number_missing",
                message=f"employee {employee_id} has no wage-tax number in the employee "
                f"connector nor in {connector}; payroll cannot run for this employee until one "
                "is entered in AFAS",
            )
        )
        return None, None, warnings
    start = as_date(record.values["DateStart"])
    warnings.append(
        DataWarning(
            code="wage_tax_number_from_fiscal_connector",
            message=f"the employee connector left the wage-tax number empty (AFAS does so for "
            f"terminated employees); it was read from {connector}, record starting {start}",
        )
    )
    fiscal_employer = text(record.values["EmployerId"])
    employer = text(row.values["EmployerId"])
    if fiscal_employer and employer and fiscal_employer.casefold() != employer.casefold():
        warnings.append(
            DataWarning(
                code="wage_tax_number_other_employer",
                message=f"the fiscal record holding the wage-tax number belongs to employer "
                f"{fiscal_employer}, but the employee's contract is with employer {employer}",
            )
        )
    return number, "fiscal_connector", warnings


@dataclass(frozen=True, slots=True)
class TableFacts:
    """The salary's period table as the employer's calendar knows it."""

    table: PeriodTableRef | None = None
    period_today: PayrollPeriod | None = None
    open_period: PayrollPeriod | None = None
    warnings: tuple[DataWarning, ...] = ()


async def period_table(deps: ToolDeps, row: Row, today: date) -> TableFacts:
    """The salary's period table with its code and periods, from the employer's calendar."""
    table_id = row.values["PeriodTableId"]
    employer = text(row.values["EmployerId"])
    if not isinstance(table_id, int):
        return TableFacts(warnings=(_note("no_period_table", "the salary has no period table"),))
    if employer is None:
        return TableFacts(table=PeriodTableRef(id=table_id, code=None))
    rows, warnings = await read_calendar(deps, [employer], period_table_id=table_id)
    periods = [period_of(r) for r in rows]
    if not periods:
        warnings.append(
            _note(
                "period_table_not_in_calendar",
                f"period table {table_id} does not appear in employer {employer}'s payroll "
                "calendar: the employer may not use it (payroll would then ignore this salary), "
                "or the calendar connector lacks it",
            )
        )
        return TableFacts(table=PeriodTableRef(id=table_id, code=None), warnings=tuple(warnings))
    codes, problems = table_codes(periods)
    warnings += [_note("period_table_code_unclear", problem) for problem in problems]
    return TableFacts(
        table=PeriodTableRef(id=table_id, code=codes.get(table_id)),
        period_today=period_on(periods, today),
        open_period=first_open(periods),
        warnings=tuple(warnings),
    )


def _note(code: str, message: str) -> DataWarning:
    return DataWarning(code=code, message=message)


async def employee_record(deps: ToolDeps, employee_id: str) -> EmployeeRecord:
    """What `get_employee` answers."""
    row, warnings = await read_employee(deps, employee_id)
    if row.shell:
        return shell_record(row, warnings)
    today = deps.today()
    values = row.values
    blocked = values["Blocked"] if isinstance(values["Blocked"], bool) else None
    if blocked:
        warnings.append(_note("employee_blocked", "AFAS marks this employee as blocked"))
    employment = employment_of(row)
    if employment.function_id and not employment.function_description:
        warnings.append(
            _note(
                "function_not_in_table",
                f"function {employment.function_id} has no description: it is not in employer "
                f"{employment.employer_id}'s function table",
            )
        )
    number, source, tax_warnings = await wage_tax_number(deps, row, today)
    facts = await period_table(deps, row, today)
    status = status_of(row, today)
    return EmployeeRecord(
        employee_id=str(values["EmployeeId"]),
        status=status,
        active=status != "terminated",
        blocked=blocked,
        person=person_of(row),
        address=address_of(row),
        employment=employment,
        payroll=Payroll(
            period_table=facts.table,
            period_today=facts.period_today,
            open_period=facts.open_period,
            salary=decimal_text(values["Salary"]),
            wage_tax_number=number,
            wage_tax_number_source=source,
        ),
        modified_date=moment(values["ModifiedDate"]),
        warnings=[*warnings, *tax_warnings, *facts.warnings],
    )
