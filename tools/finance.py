"""The `finance` toolset: what an agent checks before it posts a journal entry.

Booking periods (open or blocked), ledger accounts with what each demands of an entry line
(allocation to a cost centre or other dimension, a project), VAT codes with their percentages,
and cost centres per employer. Reads only; journal entries themselves are a write tool.

Every list pages with an opaque cursor and leaves blocked or deleted records that AFAS returned
as empty shells out, counting them in `warnings` (R5); amounts and percentages are exact decimal
strings (R4) and days ISO dates in Europe/Amsterdam (R7).
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from server.afas.filters import Filter, FilterGroup, Operator
from server.outcomes import UnknownRecord
from tools._finance_accounts import (
    LedgerAccountList,
    ListLedgerAccountsInput,
    list_ledger_accounts,
)
from tools._finance_periods import (
    ListOpenBookingPeriodsInput,
    OpenBookingPeriods,
    list_open_booking_periods,
)
from tools._reads import (
    Source,
    cursor_field,
    limit_field,
    not_blocked,
    open_cursor,
    read_all,
    read_page,
    seal_cursor,
    shells_left_out,
)
from tools._values import (
    FieldReader,
    MissingValues,
    flag,
    moment,
    percentage,
    text,
)
from tools.base import DataWarning, ToolInput, ToolSpec
from tools.deps import ToolDeps

__all__ = ["TOOLS"]

DEFAULT_LIMIT, MAX_LIMIT = 50, 500


# --- list_vat_codes ---------------------------------------------------------------------------

VAT_CODES = Source("vat_codes", frozenset({"VatCode", "VatPerc", "Blocked"}), "VAT code")


class ListVatCodesInput(ToolInput):
    """Which VAT codes to list."""

    include_blocked: bool = Field(
        False, description="Also list blocked VAT codes (no longer to be used). Default false."
    )
    limit: int = limit_field(DEFAULT_LIMIT, MAX_LIMIT)
    cursor: str | None = cursor_field()


class VatCode(BaseModel):
    """One VAT code."""

    vat_code: str = Field(description="The code journal entry lines use, e.g. '1'.")
    description: str | None = Field(description="AFAS's name for it, e.g. 'Btw hoog verkoop'.")
    percentage: str | None = Field(
        description="The VAT rate in percent as an exact decimal string ('21', '9', '0'). Null "
        "when AFAS holds none (see warnings)."
    )
    vat_type: str | None = Field(
        description="AFAS's kind of VAT code in AFAS's words (e.g. 'Verkoop' sales, 'Inkoop' "
        "purchases)."
    )
    vat_account: str | None = Field(description="The ledger account the VAT amount goes to.")
    vat_duty: str | None = Field(description="AFAS's VAT liability setting, in AFAS's words.")
    blocked: bool | None = Field(description="True: the code is not to be used any more.")


class VatCodeList(BaseModel):
    """One page of VAT codes."""

    vat_codes: list[VatCode] = Field(description="VAT codes in code order.")
    next_cursor: str | None = Field(description="Pass as cursor for the next page; null at end.")
    warnings: list[DataWarning] = Field(
        description="Anything suspect: codes without a percentage, records AFAS returned as "
        "empty shells and left out, connector fields gone. Report these."
    )


async def list_vat_codes(deps: ToolDeps, args: ListVatCodesInput) -> VatCodeList:
    """Handler of `list_vat_codes`."""
    after = open_cursor("list_vat_codes", args, args.cursor)
    keep = None if args.include_blocked else not_blocked
    found = await read_page(deps, VAT_CODES, limit=args.limit, after=after, keep=keep)
    read = FieldReader(
        found.connector_id,
        {
            "Description": "description",
            "VatType": "vat_type",
            "AccountNr": "vat_account",
            "VatDuty": "vat_duty",
        },
    )
    codes = [
        VatCode(
            vat_code=str(row.values["VatCode"]),
            description=text(read(row, "Description")),
            percentage=percentage(row.values["VatPerc"]),
            vat_type=text(read(row, "VatType")),
            vat_account=text(read(row, "AccountNr")),
            vat_duty=text(read(row, "VatDuty")),
            blocked=flag(row.values["Blocked"]),
        )
        for row in found.rows
    ]
    missing = MissingValues("VAT code")
    for code in codes:
        missing.check(code.vat_code, percentage=code.percentage)
    return VatCodeList(
        vat_codes=codes,
        next_cursor=seal_cursor("list_vat_codes", args, found.next_cursor),
        warnings=[
            *found.warnings,
            *shells_left_out("VAT code", found),
            *read.warnings(),
            *missing.warnings(),
        ],
    )


# --- list_cost_centres ------------------------------------------------------------------------

COST_CENTRES = Source(
    "cost_centres", frozenset({"EmployerId", "CostCentre", "Blocked"}), "cost centre"
)
EMPLOYERS = Source("employers", frozenset({"EmployerId"}), "employer")


class ListCostCentresInput(ToolInput):
    """Whose cost centres to list."""

    employer_id: str | None = Field(
        None,
        min_length=1,
        max_length=15,
        description="Only this employer's cost centres (the employer code, e.g. '01'). An "
        "unknown code is answered with the list of valid ones. Omit for every employer.",
    )
    include_blocked: bool = Field(
        False, description="Also list blocked cost centres. Default false."
    )
    limit: int = limit_field(DEFAULT_LIMIT, MAX_LIMIT)
    cursor: str | None = cursor_field()


class CostCentre(BaseModel):
    """One cost centre of one employer."""

    employer_id: str = Field(description="The employer the cost centre belongs to.")
    cost_centre: str = Field(
        description="The cost centre code, as allocation lines and employee records use it."
    )
    description: str | None = Field(description="Its name in AFAS.")
    blocked: bool | None = Field(description="True: not to be used for new bookings.")
    modified: str | None = Field(description="Last change, ISO 8601 with the Amsterdam offset.")


class CostCentreList(BaseModel):
    """One page of cost centres."""

    cost_centres: list[CostCentre] = Field(description="By employer, then cost centre code.")
    next_cursor: str | None = Field(description="Pass as cursor for the next page; null at end.")
    warnings: list[DataWarning] = Field(
        description="Anything suspect: an employer without cost centres, records AFAS returned "
        "as empty shells and left out, connector fields gone. Report these."
    )


async def _check_employer(deps: ToolDeps, employer_id: str) -> None:
    found = await read_all(deps, EMPLOYERS)
    known = sorted(str(row.values["EmployerId"]) for row in found.rows)
    if employer_id not in known:
        raise UnknownRecord(
            "employer", employer_id, hint=f"Valid employer codes: {', '.join(known) or 'none'}"
        )


async def list_cost_centres(deps: ToolDeps, args: ListCostCentresInput) -> CostCentreList:
    """Handler of `list_cost_centres`."""
    after = open_cursor("list_cost_centres", args, args.cursor)
    groups = []
    if args.employer_id:
        groups = [FilterGroup(Filter("EmployerId", Operator.EQUALS, args.employer_id))]
    keep = None if args.include_blocked else not_blocked
    found = await read_page(
        deps, COST_CENTRES, filters=groups, limit=args.limit, after=after, keep=keep
    )
    warnings = [*found.warnings, *shells_left_out("cost centre", found)]
    empty = not (found.rows or found.shells or found.left_out)
    if args.employer_id and after is None and empty:
        await _check_employer(deps, args.employer_id)
        warnings.append(
            DataWarning(
                code="no_cost_centres",
                message=f"employer {args.employer_id} has no cost centres in AFAS",
            )
        )
    read = FieldReader(
        found.connector_id, {"Description": "description", "ModifiedDate": "modified"}
    )
    centres = [
        CostCentre(
            employer_id=str(row.values["EmployerId"]),
            cost_centre=str(row.values["CostCentre"]),
            description=text(read(row, "Description")),
            blocked=flag(row.values["Blocked"]),
            modified=moment(read(row, "ModifiedDate")),
        )
        for row in found.rows
    ]
    missing = MissingValues("cost centre")
    for centre in centres:
        missing.check(f"{centre.employer_id}/{centre.cost_centre}", description=centre.description)
    return CostCentreList(
        cost_centres=centres,
        next_cursor=seal_cursor("list_cost_centres", args, found.next_cursor),
        warnings=[*warnings, *read.warnings(), *missing.warnings()],
    )


_READS = "Reads only; changes nothing."
TOOLS: tuple[ToolSpec, ...] = (
    ToolSpec(
        name="list_open_booking_periods",
        toolset="finance",
        title="List open booking periods",
        description=(
            "List the booking periods of one administration and year that accept journal "
            "entries, with their first and last day, and the numbers of the blocked ones. Call "
            "it before post_journal_entry: AFAS refuses an entry dated in a blocked period. An "
            "unknown administration is answered with the valid ones; a year AFAS has no periods "
            "for is an error naming the years it has. Financial booking periods only; payroll "
            f"periods are list_open_payroll_periods. {_READS}"
        ),
        input_model=ListOpenBookingPeriodsInput,
        output_model=OpenBookingPeriods,
        handler=list_open_booking_periods,
        read_only=True,
        idempotent=True,
    ),
    ToolSpec(
        name="list_ledger_accounts",
        toolset="finance",
        title="List ledger accounts",
        description=(
            "List ledger accounts (the general ledger's chart of accounts) with what an entry "
            "line on each needs: requires_allocation with the allocation_axes (e.g. a cost "
            "centre), requires_project, whether it is a collective account (debtors, creditors: "
            "post through a debtor or creditor line instead), and its default VAT code. Call it "
            "before post_journal_entry to pick accounts and build complete lines. The list is "
            "the environment's chart of accounts: AFAS does not split it by administration. "
            "Filter with `search` (name or number); blocked accounts are left out unless "
            "include_blocked. "
            f"Pages of at most {MAX_LIMIT}; pass next_cursor back as cursor. {_READS}"
        ),
        input_model=ListLedgerAccountsInput,
        output_model=LedgerAccountList,
        handler=list_ledger_accounts,
        read_only=True,
        idempotent=True,
    ),
    ToolSpec(
        name="list_vat_codes",
        toolset="finance",
        title="List VAT codes",
        description=(
            "List VAT codes with their rate as an exact percentage string ('21'), kind (sales "
            "or purchases) and the ledger account the VAT goes to. Use it to pick the VAT code "
            "of a journal entry line and to compute VAT amounts; blocked codes are left out "
            f"unless include_blocked. Pages of at most {MAX_LIMIT}; pass next_cursor back as "
            f"cursor. {_READS}"
        ),
        input_model=ListVatCodesInput,
        output_model=VatCodeList,
        handler=list_vat_codes,
        read_only=True,
        idempotent=True,
    ),
    ToolSpec(
        name="list_cost_centres",
        toolset="finance",
        title="List cost centres",
        description=(
            "List cost centres per employer (code and name), e.g. to fill the allocation lines "
            "an account demands (see list_ledger_accounts) or an employee's cost centre. Filter "
            "by employer_id; an unknown employer is answered with the valid codes. Blocked cost "
            f"centres are left out unless include_blocked. Pages of at most {MAX_LIMIT}; pass "
            f"next_cursor back as cursor. {_READS}"
        ),
        input_model=ListCostCentresInput,
        output_model=CostCentreList,
        handler=list_cost_centres,
        read_only=True,
        idempotent=True,
    ),
)
