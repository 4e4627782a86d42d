"""The `crm` toolset: debtors (customers) and creditors (suppliers).

Looks a relation up by number or finds it by name or city, with what an agent needs to invoice,
pay or log an activity: name, address, the organisation/person number, payment condition,
credit limit (an exact decimal string, R4) and whether it is blocked. Blocked or deleted
relations that AFAS returns as empty shells are never shown as records with empty fields (R5).

Privacy: bank account numbers are masked to the country code and the last four characters; an
agent can tell accounts apart and check an invoice's IBAN with the user, but never reads or
repeats a full account number. Dossier items (activities) join this toolset as tools later.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from server.afas.models import Row
from tools._crm_relations import (
    CREDITORS,
    DEBTORS,
    STATUS_DESCRIPTION,
    Relation,
    RelationKind,
    Status,
    check_values,
    get_row,
    meaning,
    search_filters,
    search_page,
    shared_fields,
    shell_found,
    status_of,
)
from tools._reads import (
    Found,
    RecordNumber,
    SearchText,
    cursor_field,
    limit_field,
    open_cursor,
    seal_cursor,
)
from tools._values import FieldReader, MissingValues, flag, text
from tools.base import DataWarning, ToolInput, ToolSpec
from tools.deps import ToolDeps

__all__ = ["TOOLS"]

DEFAULT_LIMIT, MAX_LIMIT = 25, 200


# The numbers sit in their own bases so they come first in every debtor and creditor: pydantic
# orders fields by base class, and the number is what an agent scans a list for.
class _DebtorNumber(BaseModel):
    debtor_id: str = Field(description="The debtor number; invoices and entry lines use it.")


class _CreditorNumber(BaseModel):
    creditor_id: str = Field(description="The creditor number; purchase entry lines use it.")


class Debtor(Relation, _DebtorNumber):
    """One debtor (customer)."""

    collective_account: str | None = Field(
        description="The ledger account its open items are collected on (e.g. '1300')."
    )
    currency: str | None = Field(description="Currency code, e.g. 'EUR'.")
    direct_debit: bool | None = Field(description="True: AFAS collects by direct debit.")


class Creditor(Relation, _CreditorNumber):
    """One creditor (supplier)."""

    temporarily_blocked: bool | None = Field(
        description="True: payments to this creditor are on hold for now."
    )
    automatic_payment: bool | None = Field(description="True: AFAS pays it automatically.")


def _debtor(row: Row, read: FieldReader) -> Debtor:
    return Debtor.model_validate(
        {
            **shared_fields(DEBTORS, row, read),
            "debtor_id": str(row.values["DebtorId"]),
            "collective_account": text(read(row, "CollectAccount")),
            "currency": text(read(row, "CurrencyId")),
            "direct_debit": flag(read(row, "AutoPayment")),
        }
    )


def _creditor(row: Row, read: FieldReader) -> Creditor:
    return Creditor.model_validate(
        {
            **shared_fields(CREDITORS, row, read),
            "creditor_id": str(row.values["CreditorId"]),
            "temporarily_blocked": flag(read(row, "TempBlocked")),
            "automatic_payment": flag(read(row, "AutoPayment")),
        }
    )


# --- get_debtor / get_creditor ------------------------------------------------------------------


class GetDebtorInput(ToolInput):
    """Which debtor."""

    debtor_id: RecordNumber = Field(
        description="The debtor number, e.g. '10001'. Unknown? Find it with search_debtors."
    )


class GetCreditorInput(ToolInput):
    """Which creditor."""

    creditor_id: RecordNumber = Field(
        description="The creditor number, e.g. '70001'. Unknown? Find it with search_creditors."
    )


class DebtorResult(BaseModel):
    """One debtor, or why its details are not available."""

    debtor_id: str = Field(description="The debtor number asked for.")
    status: Status = Field(description=STATUS_DESCRIPTION)
    debtor: Debtor | None = Field(
        description="The debtor's details; null when status is blocked_or_deleted."
    )
    warnings: list[DataWarning] = Field(description="Anything suspect. Report these.")


class CreditorResult(BaseModel):
    """One creditor, or why its details are not available."""

    creditor_id: str = Field(description="The creditor number asked for.")
    status: Status = Field(description=STATUS_DESCRIPTION)
    creditor: Creditor | None = Field(
        description="The creditor's details; null when status is blocked_or_deleted."
    )
    warnings: list[DataWarning] = Field(description="Anything suspect. Report these.")


async def _get(
    deps: ToolDeps, kind: RelationKind, record_id: str
) -> tuple[Status, Row | None, FieldReader, list[DataWarning]]:
    row, found = await get_row(deps, kind, record_id)
    read = FieldReader(found.connector_id, meaning(kind))
    warnings = list(found.warnings)
    if row.shell:
        warnings.append(shell_found(kind, record_id, found.connector_id))
        return "blocked_or_deleted", None, read, warnings
    return status_of(row), row, read, warnings


async def get_debtor(deps: ToolDeps, args: GetDebtorInput) -> DebtorResult:
    """Handler of `get_debtor`."""
    status, row, read, warnings = await _get(deps, DEBTORS, args.debtor_id)
    debtor = _debtor(row, read) if row is not None else None
    missing = MissingValues("debtor")
    if debtor is not None:
        check_values(missing, debtor.debtor_id, debtor)
    return DebtorResult(
        debtor_id=args.debtor_id,
        status=status,
        debtor=debtor,
        warnings=[*warnings, *read.warnings(), *missing.warnings()],
    )


async def get_creditor(deps: ToolDeps, args: GetCreditorInput) -> CreditorResult:
    """Handler of `get_creditor`."""
    status, row, read, warnings = await _get(deps, CREDITORS, args.creditor_id)
    creditor = _creditor(row, read) if row is not None else None
    missing = MissingValues("creditor")
    if creditor is not None:
        check_values(missing, creditor.creditor_id, creditor)
    return CreditorResult(
        creditor_id=args.creditor_id,
        status=status,
        creditor=creditor,
        warnings=[*warnings, *read.warnings(), *missing.warnings()],
    )


# --- search_debtors / search_creditors ------------------------------------------------------------


class _SearchInput(ToolInput):
    name: SearchText | None = Field(
        None,
        description="Part of the name, e.g. 'Jansen'; case does not matter, no wildcards.",
    )
    city: SearchText | None = Field(
        None,
        description="Part of the city, matched in the postcode-and-city address line, e.g. "
        "'Utrecht'.",
    )
    include_blocked: bool = Field(
        False,
        description="Also list blocked ones (default false). Records AFAS returns as empty "
        "shells are never listed; warnings count them.",
    )
    limit: int = limit_field(DEFAULT_LIMIT, MAX_LIMIT)
    cursor: str | None = cursor_field()


class SearchDebtorsInput(_SearchInput):
    """Which debtors to find; every condition given must hold."""


class SearchCreditorsInput(_SearchInput):
    """Which creditors to find; every condition given must hold."""


class DebtorList(BaseModel):
    """One page of debtors."""

    debtors: list[Debtor] = Field(description="Matching debtors in debtor-number order.")
    next_cursor: str | None = Field(description="Pass as cursor for the next page; null at end.")
    warnings: list[DataWarning] = Field(
        description="Anything suspect: blocked or deleted records AFAS returned as empty shells "
        "and left out, missing names, connector fields gone. Report these."
    )


class CreditorList(BaseModel):
    """One page of creditors."""

    creditors: list[Creditor] = Field(description="Matching creditors in creditor-number order.")
    next_cursor: str | None = Field(description="Pass as cursor for the next page; null at end.")
    warnings: list[DataWarning] = Field(
        description="Anything suspect: blocked or deleted records AFAS returned as empty shells "
        "and left out, missing names, connector fields gone. Report these."
    )


async def _search(
    deps: ToolDeps, kind: RelationKind, tool: str, args: _SearchInput
) -> tuple[Found, FieldReader, list[DataWarning]]:
    found, warnings = await search_page(
        deps,
        kind,
        filters=search_filters(kind, name=args.name, city=args.city),
        include_blocked=args.include_blocked,
        limit=args.limit,
        after=open_cursor(tool, args, args.cursor),
    )
    return found, FieldReader(found.connector_id, meaning(kind)), warnings


async def search_debtors(deps: ToolDeps, args: SearchDebtorsInput) -> DebtorList:
    """Handler of `search_debtors`."""
    found, read, warnings = await _search(deps, DEBTORS, "search_debtors", args)
    debtors = [_debtor(row, read) for row in found.rows]
    missing = MissingValues("debtor")
    for debtor in debtors:
        check_values(missing, debtor.debtor_id, debtor)
    return DebtorList(
        debtors=debtors,
        next_cursor=seal_cursor("search_debtors", args, found.next_cursor),
        warnings=[*warnings, *read.warnings(), *missing.warnings()],
    )


async def search_creditors(deps: ToolDeps, args: SearchCreditorsInput) -> CreditorList:
    """Handler of `search_creditors`."""
    found, read, warnings = await _search(deps, CREDITORS, "search_creditors", args)
    creditors = [_creditor(row, read) for row in found.rows]
    missing = MissingValues("creditor")
    for creditor in creditors:
        check_values(missing, creditor.creditor_id, creditor)
    return CreditorList(
        creditors=creditors,
        next_cursor=seal_cursor("search_creditors", args, found.next_cursor),
        warnings=[*warnings, *read.warnings(), *missing.warnings()],
    )


_READS = "Reads only; changes nothing."
_IBAN = "Bank account numbers are masked (country code and last four characters only)."
TOOLS: tuple[ToolSpec, ...] = (
    ToolSpec(
        name="get_debtor",
        toolset="crm",
        title="Get debtor",
        description=(
            "Look up one debtor (customer) by number: name, address, organisation/person number, "
            "payment condition, credit limit (exact decimal string), currency, and status "
            "(active, blocked, or blocked_or_deleted when AFAS returns only an empty record). "
            "Use it before invoicing or posting on a debtor, to check it exists and is not "
            f"blocked. An unknown number is an error; find numbers with search_debtors. {_IBAN} "
            f"{_READS}"
        ),
        input_model=GetDebtorInput,
        output_model=DebtorResult,
        handler=get_debtor,
        read_only=True,
        idempotent=True,
    ),
    ToolSpec(
        name="search_debtors",
        toolset="crm",
        title="Search debtors",
        description=(
            "Find debtors (customers) by part of the name and/or city, in debtor-number order. "
            "Blocked debtors are left out unless include_blocked; records AFAS returns as empty "
            "shells (blocked or deleted) are always left out and counted in warnings. Use "
            f"get_debtor for one known number. Pages of at most {MAX_LIMIT}; pass next_cursor "
            f"back as cursor. {_IBAN} {_READS}"
        ),
        input_model=SearchDebtorsInput,
        output_model=DebtorList,
        handler=search_debtors,
        read_only=True,
        idempotent=True,
    ),
    ToolSpec(
        name="get_creditor",
        toolset="crm",
        title="Get creditor",
        description=(
            "Look up one creditor (supplier) by number: name, address, organisation/person "
            "number, payment condition, credit limit, whether payments are on hold, and status "
            "(active, blocked, or blocked_or_deleted when AFAS returns only an empty record). "
            "Use it before booking a purchase invoice or checking a supplier's bank details. An "
            f"unknown number is an error; find numbers with search_creditors. {_IBAN} {_READS}"
        ),
        input_model=GetCreditorInput,
        output_model=CreditorResult,
        handler=get_creditor,
        read_only=True,
        idempotent=True,
    ),
    ToolSpec(
        name="search_creditors",
        toolset="crm",
        title="Search creditors",
        description=(
            "Find creditors (suppliers) by part of the name and/or city, in creditor-number "
            "order. Blocked creditors are left out unless include_blocked; records AFAS returns "
            "as empty shells (blocked or deleted) are always left out and counted in warnings. "
            f"Use get_creditor for one known number. Pages of at most {MAX_LIMIT}; pass "
            f"next_cursor back as cursor. {_IBAN} {_READS}"
        ),
        input_model=SearchCreditorsInput,
        output_model=CreditorList,
        handler=search_creditors,
        read_only=True,
        idempotent=True,
    ),
)
