from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from policies.facts import AccountKind, JournalLine
from policies.finance import (
    journal_balanced,
    journal_line_allocations,
    journal_line_amounts,
    journal_line_count,
    journal_lines_match_payload,
    journal_total_review,
)
from policies.model import Outcome, WriteIntent
from policies.testing import (
    journal_body,
    journal_facts,
    journal_intent,
    tenant_context,
    with_field,
    without_field,
    without_object,
)

ENTRY = journal_intent()


def line(account: str, *, debit: str = "0", credit: str = "0", **fields: Any) -> JournalLine:
    kind = fields.pop("kind", AccountKind.LEDGER)
    return JournalLine(kind, account, debit=Decimal(debit), credit=Decimal(credit), **fields)


def entry(*lines: JournalLine, **facts: Any) -> WriteIntent:
    return journal_intent(journal_facts(lines=lines, **facts))


def entry_with(body_edit: Any, **facts: Any) -> WriteIntent:
    built = journal_facts(**facts)
    return journal_intent(built, body=body_edit(journal_body(built)))


# --- balance -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("intent", "outcome", "reason", "hint"),
    [
        (ENTRY, Outcome.ALLOW, "the entry balances at 1210.00", None),
        (
            entry(
                line("1100", debit="0.10"), line("1100", debit="0.20"), line("8000", credit="0.30")
            ),
            Outcome.ALLOW,
            "balances at 0.30",
            None,
        ),
        (
            entry(line("1100", debit="12100"), line("8000", credit="12000")),
            Outcome.DENY,
            "the entry does not balance: debit 12100, credit 12000",
            "Add a credit line of 100",
        ),
        (
            entry(line("1100", debit="100"), line("8000", credit="100.01")),
            Outcome.DENY,
            "does not balance",
            "Add a debit line of 0.01",
        ),
        (
            entry_with(lambda b: without_field(b, "FiEntries", "AmCr")),
            Outcome.DENY,
            "the payload sends debit 1210.00 and credit 0, the entry says debit 1210.00 and credit "
            "1210.00",
            None,
        ),
        (
            entry_with(lambda b: with_field(b, "FiEntries", "AmDe", "1210.01")),
            Outcome.DENY,
            "the payload sends debit 1210.01 and credit 1210.00",
            "Report it to the operator",
        ),
    ],
    ids=[
        "W18 a balanced entry is allowed",
        "W18 cents add up exactly as decimals",
        "W18 an unbalanced entry is denied with the difference",
        "W18 a one-cent difference is denied",
        "W18 a payload without credit amounts sends zero credit and is denied",
        "W18 a payload whose amounts differ from the entry is denied",
    ],
)
def test_W18_journal_entry_balances(
    intent: WriteIntent, outcome: Outcome, reason: str, hint: str | None
) -> None:
    verdict = journal_balanced(intent, tenant_context())
    assert (verdict.outcome, verdict.quirk) == (outcome, "W18")
    assert reason in verdict.reason
    if hint:
        assert verdict.hint is not None and hint in verdict.hint


@pytest.mark.parametrize(
    "amount",
    ["1.210,00", "NaN", True, 12.5, "abc"],
    ids=["a Dutch-formatted amount", "NaN", "a boolean", "a float", "text"],
)
def test_W18_a_payload_amount_that_is_not_a_plain_number_cannot_be_checked(amount: object) -> None:
    # The registry turns this into a DENY naming the policy (fail closed).
    intent = entry_with(lambda b: with_field(b, "FiEntries", "AmDe", amount))
    with pytest.raises(ValueError, match="is not a number"):
        journal_balanced(intent, tenant_context())


# --- line amounts --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("intent", "outcome", "reason", "hint"),
    [
        (ENTRY, Outcome.ALLOW, "every line has one positive amount on one side", None),
        (
            entry(line("1100", debit="-100"), line("8000", credit="-100")),
            Outcome.DENY,
            "line(s) 1, 2 have a negative amount",
            "Book a negative debit as a positive credit",
        ),
        (
            entry(line("1100", debit="100", credit="100")),
            Outcome.DENY,
            "line(s) 1 have both a debit and a credit amount",
            "Split each",
        ),
        (
            entry(line("1100", debit="100"), line("1500"), line("8000", credit="100")),
            Outcome.DENY,
            "line(s) 2 have no amount",
            "Leave empty lines out",
        ),
    ],
    ids=[
        "W18 lines with one positive side are allowed",
        "W18 negative amounts are denied",
        "W18 a line with debit and credit is denied",
        "W18 a line without an amount is denied",
    ],
)
def test_W18_each_line_is_debit_or_credit(
    intent: WriteIntent, outcome: Outcome, reason: str, hint: str | None
) -> None:
    verdict = journal_line_amounts(intent, tenant_context())
    assert (verdict.outcome, verdict.quirk) == (outcome, "W18")
    assert reason in verdict.reason
    if hint:
        assert verdict.hint is not None and hint in verdict.hint


# --- line count ----------------------------------------------------------------------------------

MANY = (*(line("1100", debit="1") for _ in range(1000)), line("8000", credit="1000"))


@pytest.mark.parametrize(
    ("intent", "outcome", "reason"),
    [
        (ENTRY, Outcome.ALLOW, "3 lines, within the limit of 1000"),
        (entry(*MANY[:999], line("8000", credit="999")), Outcome.ALLOW, "1000 lines"),
        (entry(*MANY), Outcome.DENY, "the entry has 1001 lines; at most 1000 are allowed"),
        (entry(), Outcome.DENY, "the entry has no lines"),
        (
            journal_intent(
                journal_facts(), body=journal_body(journal_facts(lines=journal_facts().lines[:2]))
            ),
            Outcome.DENY,
            "the payload sends 2 lines, the entry has 3",
        ),
    ],
    ids=[
        "W18 a three-line entry is allowed",
        "W18 exactly 1000 lines is allowed",
        "W18 1001 lines is denied",
        "W18 an entry without lines is denied",
        "W18 a payload with fewer lines than the entry is denied",
    ],
)
def test_W18_line_count_within_limits(intent: WriteIntent, outcome: Outcome, reason: str) -> None:
    verdict = journal_line_count(intent, tenant_context())
    assert (verdict.outcome, verdict.quirk) == (outcome, "W18")
    assert reason in verdict.reason


def test_W18_the_line_limit_comes_from_the_rules() -> None:
    rules = tenant_context().rules.model_copy(
        update={"journal": tenant_context().rules.journal.model_copy(update={"max_lines": 2})}
    )
    verdict = journal_line_count(ENTRY, tenant_context(rules=rules))
    assert verdict.outcome is Outcome.DENY
    assert "at most 2 are allowed" in verdict.reason
    assert "at most 2 lines" in (verdict.hint or "")


# --- payload lines -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("intent", "outcome", "reason"),
    [
        (ENTRY, Outcome.ALLOW, "every payload line carries"),
        (
            entry(
                line("1300", debit="121", kind=AccountKind.DEBTOR),
                line("8000", credit="121"),
            ),
            Outcome.ALLOW,
            "every payload line carries",
        ),
        (
            entry_with(lambda b: with_field(b, "FiEntries", "AcNr", "1101")),
            Outcome.DENY,
            "FiEntryPar[0]/FiEntries[0].AcNr='1101' (expected '1100')",
        ),
        (
            entry_with(lambda b: with_field(b, "FiEntries", "VaAs", "2")),
            Outcome.DENY,
            "FiEntries[0].VaAs='2' (expected '1')",
        ),
        (
            entry_with(lambda b: without_field(b, "FiEntries", "VaId")),
            Outcome.DENY,
            "FiEntries[1].VaId=None (expected '1')",
        ),
        (
            entry_with(lambda b: with_field(b, "FiEntries", "AmCr", "1", index=1)),
            Outcome.DENY,
            "FiEntries[1].AmCr='1' (expected Decimal('1000.00'))",
        ),
    ],
    ids=[
        "W18 payload lines equal to the entry are allowed",
        "W18 a debtor line is sent with account kind 2",
        "W18 a payload account other than the entry's is denied",
        "W18 a payload account kind other than the entry's is denied",
        "W18 a dropped VAT code is denied",
        "W18 a payload amount other than the line's is denied",
    ],
)
def test_W18_payload_lines_match_the_entry(
    intent: WriteIntent, outcome: Outcome, reason: str
) -> None:
    verdict = journal_lines_match_payload(intent, tenant_context())
    assert (verdict.outcome, verdict.quirk) == (outcome, "W18")
    assert reason in verdict.reason


PROJECT_LINES = (
    line("4000", debit="50", cost_centre="200"),
    line("4500", debit="25", project_id="P100", project_item="K01"),
    line("1100", credit="75"),
)


def project_entry_with(body_edit: Any) -> WriteIntent:
    return entry_with(body_edit, lines=PROJECT_LINES)


@pytest.mark.parametrize(
    ("intent", "outcome", "reason", "hint"),
    [
        (ENTRY, Outcome.ALLOW, "every line's cost centre and project", None),
        (entry(*PROJECT_LINES), Outcome.ALLOW, "with its item", None),
        (
            entry(line("4500", debit="25", project_id="P100"), line("1100", credit="25")),
            Outcome.DENY,
            "project line(s) without a cost item: line 1 (P100); AFAS refuses a project line "
            "without one",
            "Pass project_item (the item the cost is booked on) with project_id.",
        ),
        (
            entry(line("8000", debit="25", project_item="K01"), line("1100", credit="25")),
            Outcome.DENY,
            "line 1 name a project item but no project",
            "Pass project_id with project_item",
        ),
        (
            project_entry_with(lambda b: without_field(b, "FiPrjEntries", "ItCd")),
            Outcome.DENY,
            "FiEntryPar[0]/FiEntries[1]/FiPrjEntries.ItCd=(none) (expected 'K01')",
            "Report it to the operator",
        ),
        (
            project_entry_with(lambda b: with_field(b, "FiPrjEntries", "PrId", "P200")),
            Outcome.DENY,
            "FiPrjEntries.PrId=P200 (expected 'P100')",
            None,
        ),
        (
            project_entry_with(lambda b: without_object(b, "FiDimEntries")),
            Outcome.DENY,
            "FiEntryPar[0]/FiEntries[0]/FiDimEntries.DiC1=(none) (expected '200')",
            None,
        ),
    ],
    ids=[
        "W18 an entry without allocations is allowed",
        "W18 a project line with its item and a cost centre line are allowed",
        "W18 a project line without its cost item is denied, naming the line",
        "W18 a project item without a project is denied",
        "W18 a project line sent without its item code is denied",
        "W18 a project line sent on another project is denied",
        "W18 a cost centre the payload does not carry is denied",
    ],
)
def test_W18_project_lines_name_their_item_and_every_allocation_is_sent(
    intent: WriteIntent, outcome: Outcome, reason: str, hint: str | None
) -> None:
    verdict = journal_line_allocations(intent, tenant_context())
    assert (verdict.outcome, verdict.quirk) == (outcome, "W18")
    assert reason in verdict.reason
    if hint:
        assert verdict.hint is not None and hint in verdict.hint


# --- amount review -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "outcome"),
    [("25000.00", Outcome.ALLOW), ("25000.01", Outcome.REVIEW)],
    ids=["an entry at the review amount is allowed", "an entry above it goes to review"],
)
def test_large_entries_go_to_a_controller(amount: str, outcome: Outcome) -> None:
    verdict = journal_total_review(
        entry(line("1100", debit=amount), line("8000", credit=amount)), tenant_context()
    )
    assert verdict.outcome is outcome
    assert amount in verdict.reason
