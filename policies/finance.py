"""Journal entries (W18): balanced, bounded, in an open period, on accounts that exist.

AFAS refuses most of these with a 500 (unbalanced, blocked period, missing allocation); checking
first turns a cryptic rejection into a hint the agent can act on, and proves the payload carries
the lines the agent asked for. Entries can only be inserted and deleted, never corrected.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from policies.afas_fields import (
    ACCOUNT_KIND_CODE,
    JOURNAL_LINES,
    LINE_ACCOUNT,
    LINE_ACCOUNT_KIND,
    LINE_COST_CENTRE,
    LINE_CREDIT,
    LINE_DEBIT,
    LINE_PROJECT,
    LINE_PROJECT_ITEM,
    LINE_VAT_CODE,
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
    review,
)
from policies.context import PolicyContext
from policies.envelope import ElementView, children_of, find_elements
from policies.facts import JournalEntryFacts, WriteTool
from policies.model import WriteIntent
from policies.values import same_value

_JOURNAL = (WriteTool.POST_JOURNAL_ENTRY,)


def _amount(value: object) -> Decimal:
    """A payload amount; absent is zero. Raises ValueError for anything not a plain number."""
    if value is None:
        return Decimal(0)
    if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
        raise ValueError(f"amount {value!r} is not a number")
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation as error:
        raise ValueError(f"amount {value!r} is not a number") from error
    if not amount.is_finite():
        raise ValueError(f"amount {value!r} is not a number")
    return amount


def _payload_lines(intent: WriteIntent) -> tuple[ElementView, ...]:
    return find_elements(intent.body, JOURNAL_LINES)


@policy("journal_balanced", quirk="W18", tools=_JOURNAL)
def journal_balanced(intent: WriteIntent, ctx: PolicyContext) -> Finding:
    """W18: debit equals credit, in the facts and in the payload the server built."""
    facts = facts_of(intent, JournalEntryFacts)
    debit, credit = facts.total_debit, facts.total_credit
    problems = Problems()
    if debit != credit:
        difference = abs(debit - credit)
        side = "credit" if debit > credit else "debit"
        problems.deny(
            f"the entry does not balance: debit {debit}, credit {credit}",
            hint=f"Add a {side} line of {difference} or correct an amount so both sides match.",
        )
    sent_debit = sum(
        (_amount(e.get(LINE_DEBIT.field_id)) for e in _payload_lines(intent)), Decimal(0)
    )
    sent_credit = sum(
        (_amount(e.get(LINE_CREDIT.field_id)) for e in _payload_lines(intent)), Decimal(0)
    )
    if (sent_debit, sent_credit) != (debit, credit):
        problems.deny(
            f"the payload sends debit {sent_debit} and credit {sent_credit}, the entry says "
            f"debit {debit} and credit {credit}",
            hint=SERVER_BUG_HINT,
        )
    return problems.finding(f"the entry balances at {debit}")


@policy("journal_line_amounts", quirk="W18", tools=_JOURNAL)
def journal_line_amounts(intent: WriteIntent, ctx: PolicyContext) -> Finding:
    """Each line is debit or credit: one positive amount, the other zero, never negative."""
    facts = facts_of(intent, JournalEntryFacts)
    negative, both, none = [], [], []
    for number, line in enumerate(facts.lines, start=1):
        if line.debit < 0 or line.credit < 0:
            negative.append(number)
        elif line.debit > 0 and line.credit > 0:
            both.append(number)
        elif line.debit == 0 and line.credit == 0:
            none.append(number)
    problems = Problems()
    if negative:
        problems.deny(
            f"line(s) {listing(negative)} have a negative amount",
            hint="Book a negative debit as a positive credit (and the other way round).",
        )
    if both:
        problems.deny(
            f"line(s) {listing(both)} have both a debit and a credit amount",
            hint="Split each into a debit line and a credit line, or net them into one side.",
        )
    if none:
        problems.deny(
            f"line(s) {listing(none)} have no amount",
            hint="Leave empty lines out, or give each a debit or a credit amount.",
        )
    return problems.finding("every line has one positive amount on one side")


@policy("journal_line_count", quirk="W18", tools=_JOURNAL)
def journal_line_count(intent: WriteIntent, ctx: PolicyContext) -> Finding:
    """W18: at least one line and at most `journal.max_lines`; the payload sends them all."""
    facts = facts_of(intent, JournalEntryFacts)
    limit = ctx.rules.journal.max_lines
    count = len(facts.lines)
    problems = Problems()
    if count == 0:
        problems.deny("the entry has no lines", hint="Pass at least a debit and a credit line.")
    elif count > limit:
        problems.deny(
            f"the entry has {count} lines; at most {limit} are allowed in one entry",
            hint="Condense lines (per day, account or VAT code) or split the entry into "
            f"several balanced entries of at most {limit} lines.",
        )
    sent = len(_payload_lines(intent))
    if sent != count:
        problems.deny(
            f"the payload sends {sent} lines, the entry has {count}", hint=SERVER_BUG_HINT
        )
    return problems.finding(f"{count} lines, within the limit of {limit}")


@policy("journal_lines_match_payload", quirk="W18", tools=_JOURNAL)
def journal_lines_match_payload(intent: WriteIntent, ctx: PolicyContext) -> Finding:
    """Each payload line carries its line's account kind, account, amounts and VAT code."""
    facts = facts_of(intent, JournalEntryFacts)
    wrong: list[str] = []
    for line, element in zip(facts.lines, _payload_lines(intent), strict=False):
        expected = {
            LINE_ACCOUNT_KIND.field_id: ACCOUNT_KIND_CODE[line.account_kind],
            LINE_ACCOUNT.field_id: line.account,
            LINE_DEBIT.field_id: line.debit,
            LINE_CREDIT.field_id: line.credit,
            LINE_VAT_CODE.field_id: line.vat_code,
        }
        for field_id, value in expected.items():
            sent = element.get(field_id)
            if value is None and sent is None:
                continue
            if field_id in (LINE_DEBIT.field_id, LINE_CREDIT.field_id):
                matches = _amount(sent) == value
            else:
                matches = sent is not None and same_value(sent, value)
            if not matches:
                wrong.append(f"{element.location}.{field_id}={sent!r} (expected {value!r})")
    if wrong:
        return deny(
            f"the payload lines differ from the entry: {listing(wrong)}", hint=SERVER_BUG_HINT
        )
    return allow("every payload line carries its line's account, amounts and VAT code")


@policy("journal_line_allocations", quirk="W18", tools=_JOURNAL)
def journal_line_allocations(intent: WriteIntent, ctx: PolicyContext) -> Finding:
    """W18: a project line names its cost item; each line's cost centre and project are sent.

    AFAS refuses a project allocation without an item code with a 500, and stores a line whose
    FiDimEntries or FiPrjEntries sub-object is missing without the allocation the account wants.
    """
    facts = facts_of(intent, JournalEntryFacts)
    problems = Problems()
    no_item = [
        f"line {n} ({line.project_id})"
        for n, line in enumerate(facts.lines, start=1)
        if line.project_id and not line.project_item
    ]
    stray_item = [
        f"line {n}"
        for n, line in enumerate(facts.lines, start=1)
        if line.project_item and not line.project_id
    ]
    if no_item:
        problems.deny(
            f"project line(s) without a cost item: {listing(no_item)}; AFAS refuses a project "
            "line without one",
            hint="Pass project_item (the item the cost is booked on) with project_id.",
        )
    if stray_item:
        problems.deny(
            f"{listing(stray_item)} name a project item but no project",
            hint="Pass project_id with project_item, or leave project_item out.",
        )
    wrong: list[str] = []
    for line, element in zip(facts.lines, _payload_lines(intent), strict=False):
        expected = {
            LINE_COST_CENTRE: line.cost_centre,
            LINE_PROJECT: line.project_id,
            LINE_PROJECT_ITEM: line.project_item if line.project_id else None,
        }
        children = children_of(intent.body, element)
        for ref, value in expected.items():
            rows = [c for c in children if c.object_name == ref.object_name]
            sent = [row.get(ref.field_id) for row in rows if row.get(ref.field_id) is not None]
            if sent != ([] if value is None else [value]):
                wrong.append(f"{element.location}/{ref.path}={listing(sent)} (expected {value!r})")
    if wrong:
        problems.deny(
            f"the payload lines' allocations differ from the entry: {listing(wrong)}",
            hint=SERVER_BUG_HINT,
        )
    return problems.finding("every line's cost centre and project (with its item) are sent")


@policy("journal_total_review", quirk=None, tools=_JOURNAL, routine=True)
def journal_total_review(intent: WriteIntent, ctx: PolicyContext) -> Finding:
    """Entries above the rules' amount go to a controller before they reach the ledger."""
    facts = facts_of(intent, JournalEntryFacts)
    limit = ctx.rules.journal.review_total_above
    total = max(facts.total_debit, facts.total_credit)
    if total > limit:
        return review(
            f"the entry moves {total}, more than the {limit} a controller reviews",
            hint="Nothing to change; a controller approves large entries before they are booked.",
        )
    return allow(f"the entry moves {total}, within {limit}")
