"""Journal entries against the ledger's data (W18): journal, booking period, accounts, VAT codes.

AFAS advises reading `Profit_Administrations`, `Profit_Journals`, `Profit_Accounts`,
`Profit_VAT_code` and `Profit_periods_per_administration` before posting `FiEntries`; these checks
are that advice, with hints that name what to pass instead.
"""

from __future__ import annotations

from policies.afas_fields import (
    JOURNAL_ADMINISTRATION,
    JOURNAL_CODE,
    JOURNAL_LINES,
    JOURNAL_PERIOD,
    JOURNAL_ROOT,
    JOURNAL_YEAR,
    LINE_ENTRY_DATE,
)
from policies.base import (
    SERVER_BUG_HINT,
    Finding,
    Problems,
    allow,
    deny,
    facts_of,
    listing,
    policy,
)
from policies.context import PolicyContext
from policies.envelope import find_element, find_elements
from policies.facts import AccountKind, JournalEntryFacts, WriteTool
from policies.lookups import Lookup
from policies.model import WriteIntent
from policies.values import same_value

_JOURNAL = (WriteTool.POST_JOURNAL_ENTRY,)


@policy(
    "journal_exists",
    quirk="W18",
    tools=_JOURNAL,
    needs={Lookup.ADMINISTRATIONS, Lookup.JOURNALS},
)
def journal_exists(intent: WriteIntent, ctx: PolicyContext) -> Finding:
    """The administration and its journal exist, the journal is open, and the header says so."""
    facts = facts_of(intent, JournalEntryFacts)
    administrations = ctx.require(Lookup.ADMINISTRATIONS, ctx.administrations)
    journals = ctx.require(Lookup.JOURNALS, ctx.journals)
    problems = Problems()
    known = sorted(a.administration_id for a in administrations)
    if facts.administration_id not in known:
        problems.deny(
            f"administration {facts.administration_id} does not exist",
            hint=f"Pass one of the administrations: {listing(known)}.",
        )
    own = [j for j in journals if j.administration_id == facts.administration_id]
    usable = listing(sorted(j.journal_id for j in own if not j.blocked))
    found = [j for j in own if j.journal_id == facts.journal_id]
    if not found:
        problems.deny(
            f"journal {facts.journal_id!r} does not exist in administration "
            f"{facts.administration_id}",
            hint=f"Pass one of its journals: {usable}.",
        )
    elif found[0].blocked:
        problems.deny(
            f"journal {facts.journal_id!r} is blocked", hint=f"Pass an open journal: {usable}."
        )
    header = find_element(intent.body, JOURNAL_ROOT)
    for ref, expected in (
        (JOURNAL_ADMINISTRATION, facts.administration_id),
        (JOURNAL_CODE, facts.journal_id),
    ):
        sent = None if header is None else header.get(ref.field_id)
        if sent is None or not same_value(sent, expected):
            # Without UnId AFAS books into the administration the token user last logged into.
            problems.deny(f"{ref.path} is {sent!r}, expected {expected!r}", hint=SERVER_BUG_HINT)
    return problems.finding(
        f"journal {facts.journal_id!r} of administration {facts.administration_id} is open"
    )


@policy("booking_period_open", quirk="W18", tools=_JOURNAL, needs={Lookup.BOOKING_PERIODS})
def booking_period_open(intent: WriteIntent, ctx: PolicyContext) -> Finding:
    """W18: the booking period containing the entry date is open, and the header names it."""
    facts = facts_of(intent, JournalEntryFacts)
    periods = ctx.require(Lookup.BOOKING_PERIODS, ctx.booking_periods)
    own = sorted(
        (p for p in periods if p.administration_id == facts.administration_id),
        key=lambda p: p.date_from,
    )
    open_labels = listing((f"{p.year}/{p.period}" for p in own if not p.blocked), limit=4)
    look_up = f"list_open_booking_periods(administration_id={facts.administration_id})"
    containing = [p for p in own if p.contains(facts.entry_date)]
    if not containing:
        return deny(
            f"no booking period of administration {facts.administration_id} contains "
            f"{facts.entry_date}",
            hint=f"Choose an entry date in an open period ({look_up}); open: {open_labels}.",
        )
    period = containing[0]
    problems = Problems()
    if period.blocked:
        problems.deny(
            f"booking period {period.year}/{period.period} of administration "
            f"{facts.administration_id} is blocked",
            hint=f"Choose an entry date in an open period ({look_up}); open: {open_labels}. "
            "Or ask the controller to unblock the period.",
        )
    header = find_element(intent.body, JOURNAL_ROOT)
    for ref, expected in ((JOURNAL_YEAR, period.year), (JOURNAL_PERIOD, period.period)):
        sent = None if header is None else header.get(ref.field_id)
        if sent is None or not same_value(sent, expected):
            problems.deny(f"{ref.path} is {sent!r}, expected {expected}", hint=SERVER_BUG_HINT)
    wrong_dates = [
        line.location
        for line in find_elements(intent.body, JOURNAL_LINES)
        if not same_value(line.get(LINE_ENTRY_DATE.field_id), facts.entry_date)
    ]
    if wrong_dates:
        problems.deny(
            f"{listing(wrong_dates)} do not carry entry date {facts.entry_date}",
            hint=SERVER_BUG_HINT,
        )
    return problems.finding(
        f"{facts.entry_date} falls in open booking period {period.year}/{period.period}"
    )


@policy("ledger_accounts_valid", quirk="W18", tools=_JOURNAL, needs={Lookup.LEDGER_ACCOUNTS})
def ledger_accounts_valid(intent: WriteIntent, ctx: PolicyContext) -> Finding:
    """W18: every ledger account exists, is open, and gets the allocation or project it demands."""
    facts = facts_of(intent, JournalEntryFacts)
    accounts = {a.account_id: a for a in ctx.require(Lookup.LEDGER_ACCOUNTS, ctx.ledger_accounts)}
    problems = Problems()
    unknown: list[str] = []
    blocked: list[str] = []
    no_allocation: list[str] = []
    no_project: list[str] = []
    for number, line in enumerate(facts.lines, start=1):
        if line.account_kind is not AccountKind.LEDGER:
            continue  # debtor and creditor numbers are checked by AFAS itself (a 500, not silent)
        account = accounts.get(line.account)
        label = f"line {number} ({line.account})"
        if account is None:
            unknown.append(label)
        elif account.blocked:
            blocked.append(label)
        else:
            if account.needs_allocation and not line.cost_centre:
                no_allocation.append(label)
            if account.needs_project and not line.project_id:
                no_project.append(label)
    if unknown:
        problems.deny(
            f"ledger account(s) do not exist: {listing(unknown)}",
            hint="Call list_ledger_accounts and pass existing account numbers.",
        )
    if blocked:
        problems.deny(
            f"ledger account(s) are blocked: {listing(blocked)}",
            hint="Book on an open account (list_ledger_accounts), or ask the controller.",
        )
    if no_allocation:
        problems.deny(
            f"account(s) demand an allocation (cost centre): {listing(no_allocation)}",
            hint="Pass cost_centre on these lines (list_cost_centres).",
        )
    if no_project:
        problems.deny(
            f"account(s) demand a project: {listing(no_project)}",
            hint="Pass project_id on these lines (search_projects).",
        )
    return problems.finding("every ledger account exists, is open, and has what it demands")


@policy("vat_codes_valid", quirk="W18", tools=_JOURNAL, needs={Lookup.VAT_CODES})
def vat_codes_valid(intent: WriteIntent, ctx: PolicyContext) -> Finding:
    """W18: every VAT code on a line exists and is not blocked."""
    facts = facts_of(intent, JournalEntryFacts)
    used = sorted({line.vat_code for line in facts.lines if line.vat_code is not None})
    if not used:
        return allow("no line carries a VAT code")
    codes = {c.vat_code: c for c in ctx.require(Lookup.VAT_CODES, ctx.vat_codes)}
    usable = listing(sorted(code for code, c in codes.items() if not c.blocked))
    problems = Problems()
    unknown = [code for code in used if code not in codes]
    blocked = [code for code in used if code in codes and codes[code].blocked]
    if unknown:
        problems.deny(
            f"VAT code(s) do not exist: {listing(unknown)}",
            hint=f"Pass one of the VAT codes: {usable} (list_vat_codes).",
        )
    if blocked:
        problems.deny(
            f"VAT code(s) are blocked: {listing(blocked)}",
            hint=f"Pass an open VAT code: {usable}.",
        )
    return problems.finding(f"VAT code(s) {listing(used)} exist and are open")
