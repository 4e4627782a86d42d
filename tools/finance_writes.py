"""The finance toolset's write tool: post_journal_entry (FiEntries).

The agent gives the administration, journal, entry date and lines in plain terms; the server
finds the booking year and period that contain the date, stamps every line with a voucher number
it can find the entry by again (W16), and hands the complete body to the write pipeline. The
policies check what AFAS would refuse with a 500 or accept wrongly (W18): balance, line count,
open period, journal, accounts, VAT codes, allocations.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from pydantic import Field

from policies.facts import AccountKind, JournalEntryFacts, JournalLine, WriteTool
from server.outcomes import InvalidToolInput
from server.writes.kinds import WriteKind
from server.writes.result import WriteResult
from tools.base import ToolSpec
from tools.deps import ToolDeps
from tools.payloads import readback_work as rb
from tools.payloads._elements import reference
from tools.payloads.journal import journal_body
from tools.payloads.lookups import booking_period, text
from tools.payloads.writing import GUARD, DryRun, InputPart, SourceConfidence, WriteInput, submit

# Far above AFAS's advice of 1,000 lines: the W18 policy refuses more than 1,000 with a hint to
# split; this only keeps an absurd request from being built at all.
MAX_INPUT_LINES = 5000


class JournalLineInput(InputPart):
    """One line: an account and an amount on one side."""

    account_kind: Literal["ledger", "debtor", "creditor"] = Field(
        description="ledger: a ledger account number; debtor: a debtor number; creditor: a "
        "creditor number."
    )
    account: str = Field(
        min_length=1,
        max_length=16,
        description="The ledger account (list_ledger_accounts), debtor or creditor number.",
    )
    debit: Decimal | None = Field(
        None, decimal_places=2, description="Debit amount in euros; leave out on a credit line."
    )
    credit: Decimal | None = Field(
        None, decimal_places=2, description="Credit amount in euros; leave out on a debit line."
    )
    vat_code: str | None = Field(
        None, max_length=3, description="VAT code (list_vat_codes), e.g. '1'."
    )
    description: str | None = Field(
        None, max_length=255, description="Line text; defaults to the entry's description."
    )
    cost_centre: str | None = Field(
        None,
        max_length=16,
        description="Cost centre for accounts that demand an allocation (list_ledger_accounts "
        "says which; list_cost_centres lists them).",
    )
    project_id: str | None = Field(
        None, max_length=15, description="Project, for accounts that demand a project line."
    )
    project_item: str | None = Field(
        None,
        max_length=30,
        description="The cost item code of the project line (AFAS needs one with project_id).",
    )


class PostJournalEntryInput(WriteInput):
    """One balanced journal entry."""

    administration_id: int = Field(
        ge=1, description="The administration (UnId), e.g. 1; list_open_booking_periods names it."
    )
    journal_id: str = Field(
        min_length=1, max_length=6, description="The journal code, e.g. '90' (memorial)."
    )
    entry_date: dt.date = Field(
        description="Booking date; it must fall in an open booking period "
        "(list_open_booking_periods). The year and period follow from it."
    )
    lines: list[JournalLineInput] = Field(
        min_length=1,
        max_length=MAX_INPUT_LINES,
        description="The lines; debits and credits must balance. At most 1,000 lines per entry.",
    )
    description: str | None = Field(
        None, max_length=255, description="What the entry is for; shown on every line."
    )
    dry_run: DryRun = False
    source_confidence: SourceConfidence = None


def _lines(args: PostJournalEntryInput) -> tuple[JournalLine, ...]:
    for index, line in enumerate(args.lines):
        if line.project_id and not line.project_item:
            raise InvalidToolInput(
                f"`lines.{index}.project_item`: a project line needs the cost item code",
                hint="Pass project_item with project_id (the item the cost is booked on)",
            )
    return tuple(
        JournalLine(
            account_kind=AccountKind(line.account_kind),
            account=line.account.strip(),
            debit=line.debit or Decimal(0),
            credit=line.credit or Decimal(0),
            vat_code=text(line.vat_code),
            description=text(line.description),
            cost_centre=text(line.cost_centre),
            project_id=text(line.project_id),
            project_item=text(line.project_item),
        )
        for line in args.lines
    )


async def post_journal_entry(deps: ToolDeps, args: PostJournalEntryInput) -> WriteResult:
    """Handler of `post_journal_entry`."""
    lines = _lines(args)
    facts = JournalEntryFacts(
        administration_id=args.administration_id,
        journal_id=args.journal_id.strip(),
        entry_date=args.entry_date,
        lines=lines,
        description=text(args.description),
    )
    year, period = await booking_period(deps, args.administration_id, args.entry_date)
    body = journal_body(facts, year=year, period=period, voucher=reference(facts))
    return await submit(
        deps,
        tool=WriteTool.POST_JOURNAL_ENTRY,
        connector="FiEntries",
        action="insert",
        body=body,
        facts=facts,
        dry_run=args.dry_run,
        source_confidence=args.source_confidence,
    )


TOOLS: tuple[ToolSpec, ...] = (
    ToolSpec(
        name="post_journal_entry",
        toolset="finance",
        title="Post journal entry",
        description=(
            "Post one balanced journal entry (memorial, bank, sales or purchase journal) in an "
            "AFAS administration. Call list_open_booking_periods for the date, and "
            "list_ledger_accounts and list_vat_codes for the accounts and codes. Every line has "
            "one amount, debit or credit; the entry must balance; at most 1,000 lines. The "
            "server finds the booking year and period from the date and stamps a voucher "
            "number (AMCP-...) on every line. It will not post into a blocked period, on an "
            "unknown or blocked account or VAT code, or without the allocation an account "
            "demands. An entry cannot be changed afterwards, only reversed by another entry. "
            "Large entries go to a controller first. " + GUARD
        ),
        input_model=PostJournalEntryInput,
        output_model=WriteResult,
        handler=post_journal_entry,
        read_only=False,
        destructive=False,
        idempotent=False,
    ),
)

WRITE_KINDS: tuple[WriteKind, ...] = (
    WriteKind(
        tool=WriteTool.POST_JOURNAL_ENTRY,
        facts_type=JournalEntryFacts,
        expectations=rb.journal_expectations,
        locate=rb.journal_locate,
        describe=rb.describe_journal,
    ),
)
