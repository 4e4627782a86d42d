"""The `payroll` toolset: employers, the period tables they use, and their open payroll periods.

AFAS accepts a mutation into a closed period or under a period table the employer does not use,
and payroll drops it later (W2, W3); these tools give the agent the facts to avoid that, from the
payroll calendar connector. A calendar that has nothing for an employer is an error, never "no
open periods".

Read tools only, for now: `list_employers` and `list_open_payroll_periods`. The logic lives in
`_payroll_employers`, `_payroll_open` and `_payroll_calendar`; this module holds what the model
sees: input models, descriptions and the tool table. Payroll write tools join `TOOLS` here.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from tools._payroll_employers import EmployerList, employer_list
from tools._payroll_open import OpenPayrollPeriods, open_payroll_periods
from tools.base import ToolInput, ToolSpec
from tools.deps import ToolDeps

EMPLOYERS_DEFAULT_LIMIT, EMPLOYERS_MAX_LIMIT = 50, 200
PERIODS_DEFAULT_LIMIT, PERIODS_MAX_LIMIT = 100, 500

Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=15)]


# --- list_employers ----------------------------------------------------------------------------


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


async def list_employers(deps: ToolDeps, args: ListEmployersInput) -> EmployerList:
    """Handler of `list_employers`."""
    return await employer_list(deps, limit=args.limit, cursor=args.cursor)


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


async def list_open_payroll_periods(
    deps: ToolDeps, args: ListOpenPayrollPeriodsInput
) -> OpenPayrollPeriods:
    """Handler of `list_open_payroll_periods`."""
    return await open_payroll_periods(
        deps, args.employer_id, year=args.year, limit=args.limit, cursor=args.cursor
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
