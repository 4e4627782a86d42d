"""`list_open_booking_periods`: which booking periods of an administration take entries.

AFAS refuses a journal entry dated in a blocked period with a 500 (W18), so agents check here
first. The answer is never an unexplained empty list: an unknown administration is an error
listing the valid ones, a year without periods is an error naming the years that have them, and
a year whose periods are all blocked says so in `warnings`.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from server.afas.filters import Filter, Operator, to_groups
from server.outcomes import InvalidToolInput, UnknownRecord
from tools._reads import Source, read_all
from tools._values import (
    FieldReader,
    MissingValues,
    day,
    flag,
    shell_warning,
    text,
    whole_number,
)
from tools.base import DataWarning, ToolInput
from tools.deps import ToolDeps

ADMINISTRATIONS = Source("administrations", frozenset({"AdminId", "AdminNm"}), "administration")
PERIODS = Source(
    "booking_periods",
    frozenset({"Unit", "Year", "Period", "DateFrom", "DateTo", "Blocked"}),
    "booking period",
)


class ListOpenBookingPeriodsInput(ToolInput):
    """Which administration and year."""

    administration_id: int = Field(
        ge=1,
        le=999,
        description="The administration (financial company, AFAS UnitId) number, e.g. 1. An "
        "unknown number is answered with the list of valid ones.",
    )
    year: int = Field(ge=1900, le=2200, description="The financial year, e.g. 2026.")


class BookingPeriod(BaseModel):
    """One open booking period."""

    period: int = Field(description="Period number within the year, as AFAS numbers it.")
    description: str | None = Field(description="AFAS's name for the period, e.g. 'maart 2026'.")
    first_day: str | None = Field(description="First day of the period, YYYY-MM-DD.")
    last_day: str | None = Field(description="Last day of the period, YYYY-MM-DD (inclusive).")


class OpenBookingPeriods(BaseModel):
    """The open booking periods of one administration and year."""

    administration_id: int = Field(description="The administration asked for.")
    administration_name: str | None = Field(description="Its name in AFAS.")
    year: int = Field(description="The financial year asked for.")
    open_periods: list[BookingPeriod] = Field(
        description="Periods that accept journal entries, by period number. An entry's date "
        "must fall between first_day and last_day of one of them."
    )
    blocked_periods: list[int] = Field(
        description="Period numbers of this year that are blocked: AFAS refuses entries dated "
        "in them."
    )
    warnings: list[DataWarning] = Field(
        description="Anything suspect (all periods blocked, periods without dates, records AFAS "
        "returned empty). Report these."
    )


async def administration_name(deps: ToolDeps, administration_id: int) -> str | None:
    """The administration's name; an error listing the valid ones when it does not exist."""
    found = await read_all(deps, ADMINISTRATIONS)
    names = {whole_number(row.values["AdminId"]): row for row in found.rows}
    if administration_id in names:
        return text(names[administration_id].values["AdminNm"])
    listing = ", ".join(
        f"{number} ({text(row.values['AdminNm']) or 'no name'})"
        for number, row in sorted(names.items(), key=lambda item: item[0] or 0)
    )
    if any(whole_number(shell.key[0]) == administration_id for shell in found.shells):
        raise InvalidToolInput(
            f"administration {administration_id} came back from AFAS blocked or deleted (a "
            "shell without data)",
            hint=f"Use one of the administrations in use: {listing or 'none found'}",
        )
    raise UnknownRecord(
        "administration",
        str(administration_id),
        hint=f"Valid administrations: {listing or 'none; the token may not read any'}",
    )


async def _years_with_periods(deps: ToolDeps, administration_id: int) -> list[int]:
    found = await read_all(
        deps, PERIODS, filters=to_groups(Filter("Unit", Operator.EQUALS, administration_id))
    )
    years = {whole_number(row.values["Year"]) for row in found.rows}
    return sorted(year for year in years if year is not None)


async def list_open_booking_periods(
    deps: ToolDeps, args: ListOpenBookingPeriodsInput
) -> OpenBookingPeriods:
    """Handler of `list_open_booking_periods`."""
    name = await administration_name(deps, args.administration_id)
    found = await read_all(
        deps,
        PERIODS,
        filters=to_groups(
            [
                Filter("Unit", Operator.EQUALS, args.administration_id),
                Filter("Year", Operator.EQUALS, args.year),
            ]
        ),
    )
    if not found.rows and not found.shells:
        years = await _years_with_periods(deps, args.administration_id)
        raise InvalidToolInput(
            f"administration {args.administration_id} has no booking periods for {args.year} "
            "in AFAS, so no entry can be posted in that year",
            hint=f"Years with booking periods: {', '.join(map(str, years))}"
            if years
            else "This administration has no booking periods at all; an AFAS administrator "
            "must set them up",
        )
    read = FieldReader(found.connector_id, {"PeriodDesc": "description"})
    missing = MissingValues("booking period")
    open_periods: list[BookingPeriod] = []
    blocked: list[int] = []
    unknown: list[int] = []
    for row in found.rows:
        number = whole_number(read(row, "Period")) or 0
        state = flag(read(row, "Blocked"))
        if state is True:
            blocked.append(number)
            continue
        if state is None:
            unknown.append(number)  # neither open nor blocked: never offered as open
            continue
        period = BookingPeriod(
            period=number,
            description=text(read(row, "PeriodDesc")),
            first_day=day(read(row, "DateFrom")),
            last_day=day(read(row, "DateTo")),
        )
        missing.check(str(number), first_day=period.first_day, last_day=period.last_day)
        open_periods.append(period)
    warnings = [*found.warnings, *read.warnings(), *missing.warnings()]
    if found.shells:
        warnings.append(
            shell_warning("booking period", found.shells, connector_id=found.connector_id)
        )
    if unknown:
        warnings.append(
            DataWarning(
                code="blocked_status_unknown",
                message=f"AFAS gave no blocked status for period(s) "
                f"{', '.join(map(str, sorted(unknown)))}; they are not listed as open",
                count=len(unknown),
            )
        )
    if not open_periods:
        warnings.append(
            DataWarning(
                code="no_open_periods",
                message=f"no booking period of {args.year} in administration "
                f"{args.administration_id} is open; AFAS refuses journal entries dated in "
                f"{args.year}",
            )
        )
    return OpenBookingPeriods(
        administration_id=args.administration_id,
        administration_name=name,
        year=args.year,
        open_periods=sorted(open_periods, key=lambda p: p.period),
        blocked_periods=sorted(blocked),
        warnings=warnings,
    )
