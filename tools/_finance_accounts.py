"""`list_ledger_accounts`: the chart of accounts with what an entry line on each account needs.

Before an agent posts a journal entry it must know, per account, whether a line needs allocation
lines (a cost centre or another dimension axis), a project, or must go through a debtor or
creditor line (a collective account). A setting AFAS words in a way not understood, or a field
an administrator removed, makes the answer null with a warning, never a confident false.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from server.afas.filters import Filter, FilterGroup, Operator
from server.afas.models import Row
from tools._reads import (
    Source,
    cursor_field,
    limit_field,
    not_blocked,
    open_cursor,
    read_page,
    seal_cursor,
    shells_left_out,
)
from tools._values import FieldReader, MissingValues, flag, text
from tools.base import DataWarning, ToolInput
from tools.deps import ToolDeps

DEFAULT_LIMIT, MAX_LIMIT = 50, 500
ACCOUNTS = Source("ledger_accounts", frozenset({"Account", "Description", "Blocked"}), "account")
_AXES = tuple(f"DimAx{axis}" for axis in range(1, 6))
# ToProject holds AFAS's text, in the token's language; these are the words known to mean
# "an entry line on this account must name a project" and "it need not".
_PROJECT_REQUIRED = frozenset({"verplicht", "mandatory", "required", "obligatory", "compulsory"})
_PROJECT_OPTIONAL = frozenset(
    {"niet", "nee", "no", "not", "none", "geen", "toegestaan", "allowed", "optional", "optioneel"}
)


class ListLedgerAccountsInput(ToolInput):
    """Which ledger accounts to list."""

    search: str | None = Field(
        None,
        min_length=1,
        max_length=60,
        pattern=r"^[^%*]*$",
        description="Text to look for: anywhere in the account's name, or at the start of its "
        "number ('48' finds 4800); case does not matter. No wildcards (% or *). Omit for all.",
    )
    include_blocked: bool = Field(
        False,
        description="Also list blocked accounts (they take no new entries). Default false.",
    )
    limit: int = limit_field(DEFAULT_LIMIT, MAX_LIMIT)
    cursor: str | None = cursor_field()


class LedgerAccount(BaseModel):
    """One ledger account and what an entry line on it needs."""

    account_number: str = Field(description="The account number journal entry lines use.")
    description: str | None = Field(description="The account's name in AFAS.")
    account_type: str | None = Field(
        description="AFAS's kind of account, in AFAS's words (e.g. 'Balans' for the balance "
        "sheet, 'Resultaat' for profit and loss)."
    )
    blocked: bool | None = Field(description="True: the account takes no new entries.")
    collective_account: bool | None = Field(
        description="True for a collective account (debtors, creditors): post to it through a "
        "debtor or creditor line, never directly."
    )
    collective_for: str | None = Field(description="What the collective account collects.")
    vat_allowed: bool | None = Field(description="Whether lines on it may carry a VAT code.")
    default_vat_code: str | None = Field(description="The VAT code AFAS proposes for it.")
    requires_allocation: bool | None = Field(
        description="True: every entry line on this account needs allocation lines for the "
        "axes in allocation_axes (e.g. a cost centre). Null: unknown (see warnings)."
    )
    allocation_axes: list[str] = Field(
        description="The dimension axes (e.g. 'KPL', cost centres) an entry must allocate to."
    )
    requires_project: bool | None = Field(
        description="True: every entry line on this account must name a project. Null: AFAS's "
        "setting was not recognised or is missing (see warnings and project_posting)."
    )
    project_posting: str | None = Field(description="AFAS's project setting as AFAS words it.")


class LedgerAccountList(BaseModel):
    """One page of ledger accounts."""

    accounts: list[LedgerAccount] = Field(description="Accounts in account-number order.")
    next_cursor: str | None = Field(description="Pass as cursor for the next page; null at end.")
    warnings: list[DataWarning] = Field(
        description="Anything suspect: records AFAS returned as empty shells and left out, "
        "connector fields gone, settings not understood. Report these."
    )


def _project_setting(value: str | None) -> bool | None:
    if value is None:
        return False
    word = value.strip().casefold()
    if word in _PROJECT_REQUIRED:
        return True
    return False if word in _PROJECT_OPTIONAL else None


def _account(row: Row, read: FieldReader) -> LedgerAccount:
    axes = [text(read(row, axis)) for axis in _AXES]
    filled = [axis for axis in axes if axis]
    axes_known = not any(axis not in row.values for axis in _AXES)
    project = text(read(row, "ToProject"))
    return LedgerAccount(
        account_number=str(row.values["Account"]),
        description=text(row.values["Description"]),
        account_type=text(read(row, "Type")),
        blocked=flag(row.values["Blocked"]),
        collective_account=flag(read(row, "CollectAccount")),
        collective_for=text(read(row, "CollectAccountType")),
        vat_allowed=flag(read(row, "VatAllowed")),
        default_vat_code=text(read(row, "VatCode")),
        requires_allocation=True if filled else (False if axes_known else None),
        allocation_axes=filled,
        requires_project=_project_setting(project) if "ToProject" in row.values else None,
        project_posting=project,
    )


async def list_ledger_accounts(deps: ToolDeps, args: ListLedgerAccountsInput) -> LedgerAccountList:
    """Handler of `list_ledger_accounts`."""
    after = open_cursor("list_ledger_accounts", args, args.cursor)
    groups: list[FilterGroup] = []
    if args.search:
        groups = [
            FilterGroup(Filter("Description", Operator.CONTAINS, args.search)),
            FilterGroup(Filter("Account", Operator.STARTS_WITH, args.search)),
        ]
    keep = None if args.include_blocked else not_blocked
    found = await read_page(
        deps, ACCOUNTS, filters=groups, limit=args.limit, after=after, keep=keep
    )
    read = FieldReader(
        found.connector_id,
        {
            **dict.fromkeys(_AXES, "requires_allocation/allocation_axes"),
            "ToProject": "requires_project",
            "Type": "account_type",
            "CollectAccount": "collective_account",
            "CollectAccountType": "collective_for",
            "VatAllowed": "vat_allowed",
            "VatCode": "default_vat_code",
        },
    )
    accounts = [_account(row, read) for row in found.rows]
    missing = MissingValues("ledger account")
    puzzling = [a for a in accounts if a.requires_project is None and a.project_posting]
    for account in accounts:
        missing.check(account.account_number, description=account.description)
    warnings = [*found.warnings, *shells_left_out("ledger account", found), *read.warnings()]
    warnings += missing.warnings()
    if puzzling:
        warnings.append(
            DataWarning(
                code="unrecognised_value",
                message="the project setting of account(s) "
                + ", ".join(f"{a.account_number} ({a.project_posting!r})" for a in puzzling)
                + " was not recognised, so requires_project is null; ask the user whether "
                "entries on them need a project",
                count=len(puzzling),
            )
        )
    return LedgerAccountList(
        accounts=accounts,
        next_cursor=seal_cursor("list_ledger_accounts", args, found.next_cursor),
        warnings=warnings,
    )
