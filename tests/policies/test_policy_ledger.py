from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from policies.context import BookingPeriod
from policies.facts import AccountKind, JournalLine
from policies.ledger import (
    booking_period_open,
    journal_exists,
    ledger_accounts_valid,
    vat_codes_valid,
)
from policies.lookups import Lookup
from policies.model import Outcome, WriteIntent
from policies.testing import journal_body, journal_facts, journal_intent, tenant_context, with_field
from policies.testing.tenant import BOOKING_PERIODS

ENTRY = journal_intent()


def line(account: str, *, debit: str = "0", credit: str = "0", **fields: Any) -> JournalLine:
    kind = fields.pop("kind", AccountKind.LEDGER)
    return JournalLine(kind, account, debit=Decimal(debit), credit=Decimal(credit), **fields)


def entry(*lines: JournalLine, **facts: Any) -> WriteIntent:
    return journal_intent(journal_facts(lines=lines, **facts))


def with_facts(**facts: Any) -> WriteIntent:
    return journal_intent(journal_facts(**facts))


def entry_with(body_edit: Any, **facts: Any) -> WriteIntent:
    built = journal_facts(**facts)
    return journal_intent(built, body=body_edit(journal_body(built)))


def check(
    policy: Any,
    intent: WriteIntent,
    ctx_fields: dict[str, Any],
    outcome: Outcome,
    reason: str,
    hint: str | None,
) -> None:
    verdict = policy(intent, tenant_context(**ctx_fields))
    assert (verdict.outcome, verdict.quirk) == (outcome, "W18")
    assert reason in verdict.reason
    if hint:
        assert verdict.hint is not None and hint in verdict.hint


# --- journal and administration ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("intent", "outcome", "reason", "hint"),
    [
        (ENTRY, Outcome.ALLOW, "journal '20' of administration 1 is open", None),
        (
            with_facts(administration_id=7),
            Outcome.DENY,
            "administration 7 does not exist",
            "Pass one of the administrations: 1, 2, 3, 4.",
        ),
        (
            with_facts(journal_id="30"),
            Outcome.DENY,
            "journal '30' does not exist in administration 1",
            "Pass one of its journals: 10, 20.",
        ),
        (
            with_facts(administration_id=2),
            Outcome.DENY,
            "journal '20' does not exist in administration 2",
            "Pass one of its journals: 10.",
        ),
        (
            with_facts(journal_id="90"),
            Outcome.DENY,
            "journal '90' is blocked",
            "open journal: 10, 20",
        ),
        (
            entry_with(lambda b: with_field(b, "FiEntryPar", "UnId", "2")),
            Outcome.DENY,
            "FiEntryPar.UnId is '2', expected 1",
            None,
        ),
        (
            entry_with(lambda b: {"FiEntryPar": {"Element": {"Fields": {}}}}),
            Outcome.DENY,
            "FiEntryPar.UnId is None",
            None,
        ),
        (
            entry_with(lambda b: with_field(b, "FiEntryPar", "JoCo", "10")),
            Outcome.DENY,
            "FiEntryPar.JoCo is '10', expected '20'",
            None,
        ),
    ],
    ids=[
        "W18 an open journal of an existing administration is allowed",
        "W18 an administration that does not exist is denied",
        "W18 a journal that does not exist is denied with the valid ones",
        "W18 a journal of another administration is denied",
        "W18 a blocked journal is denied",
        "W18 a payload administration other than the entry's is denied",
        "W18 a payload without an administration is denied (AFAS would pick one)",
        "W18 a payload journal other than the entry's is denied",
    ],
)
def test_W18_journal_exists_for_the_administration(
    intent: WriteIntent, outcome: Outcome, reason: str, hint: str | None
) -> None:
    check(journal_exists, intent, {}, outcome, reason, hint)


# --- booking period ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("intent", "ctx_fields", "outcome", "reason", "hint"),
    [
        (ENTRY, {}, Outcome.ALLOW, "2026-03-05 falls in open booking period 2026/3", None),
        (
            entry_with(lambda b: b, entry_date=date(2026, 1, 20)),
            {},
            Outcome.DENY,
            "booking period 2026/1 of administration 1 is blocked",
            "open: 2026/2, 2026/3, 2026/4, 2026/5 and 7 more",
        ),
        (
            with_facts(entry_date=date(2027, 1, 5)),
            {},
            Outcome.DENY,
            "no booking period of administration 1 contains 2027-01-05",
            "list_open_booking_periods(administration_id=1)",
        ),
        (
            with_facts(administration_id=2),
            {},
            Outcome.DENY,
            "no booking period of administration 2 contains",
            "open: (none)",
        ),
        (
            entry_with(lambda b: with_field(b, "FiEntryPar", "Peri", "4")),
            {},
            Outcome.DENY,
            "FiEntryPar.Peri is '4', expected 3",
            None,
        ),
        (
            entry_with(lambda b: with_field(b, "FiEntryPar", "Year", "2025")),
            {},
            Outcome.DENY,
            "FiEntryPar.Year is '2025', expected 2026",
            None,
        ),
        (
            entry_with(lambda b: {"FiEntryPar": {"Element": {"Fields": {}}}}),
            {},
            Outcome.DENY,
            "FiEntryPar.Year is None",
            None,
        ),
        (
            entry_with(lambda b: with_field(b, "FiEntries", "EnDa", "2026-03-06", index=2)),
            {},
            Outcome.DENY,
            "FiEntryPar[0]/FiEntries[2] do not carry entry date 2026-03-05",
            None,
        ),
        (
            ENTRY,
            {
                "booking_periods": tuple(
                    BookingPeriod(1, 2026, p.period, p.date_from, p.date_to, blocked=True)
                    for p in BOOKING_PERIODS
                )
            },
            Outcome.DENY,
            "is blocked",
            "open: (none)",
        ),
    ],
    ids=[
        "W18 an entry date in an open booking period is allowed",
        "W18 an entry date in a blocked period is denied with the open periods",
        "W18 an entry date outside every booking period is denied",
        "W18 an administration without booking periods is denied",
        "W18 a payload period other than the entry date's is denied",
        "W18 a payload year other than the entry date's is denied",
        "W18 a payload without year and period is denied",
        "W18 a line with another entry date is denied",
        "W18 a year with every period blocked says so",
    ],
)
def test_W18_booking_period_of_the_entry_date_is_open(
    intent: WriteIntent,
    ctx_fields: dict[str, Any],
    outcome: Outcome,
    reason: str,
    hint: str | None,
) -> None:
    check(booking_period_open, intent, ctx_fields, outcome, reason, hint)


def test_W18_without_booking_periods_the_entry_is_denied_not_allowed() -> None:
    verdict = booking_period_open(ENTRY, tenant_context(missing={Lookup.BOOKING_PERIODS: "503"}))
    assert verdict.outcome is Outcome.DENY
    assert "booking_periods lookup is unavailable (503)" in verdict.reason


# --- ledger accounts -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("intent", "outcome", "reason", "hint"),
    [
        (ENTRY, Outcome.ALLOW, "every ledger account exists, is open", None),
        (
            entry(line("1100", debit="10"), line("7777", credit="10")),
            Outcome.DENY,
            "ledger account(s) do not exist: line 2 (7777)",
            "list_ledger_accounts",
        ),
        (
            entry(line("1100", debit="10"), line("9999", credit="10")),
            Outcome.DENY,
            "ledger account(s) are blocked: line 2 (9999)",
            None,
        ),
        (
            entry(line("4000", debit="10"), line("1100", credit="10")),
            Outcome.DENY,
            "account(s) demand an allocation (cost centre): line 1 (4000)",
            "Pass cost_centre on these lines",
        ),
        (
            entry(line("4000", debit="10", cost_centre="KP100"), line("1100", credit="10")),
            Outcome.ALLOW,
            "has what it demands",
            None,
        ),
        (
            entry(line("4500", debit="10"), line("1100", credit="10")),
            Outcome.DENY,
            "account(s) demand a project: line 1 (4500)",
            "Pass project_id",
        ),
        (
            entry(line("4500", debit="10", project_id="P100"), line("1100", credit="10")),
            Outcome.ALLOW,
            "has what it demands",
            None,
        ),
        (
            entry(line("D20021", debit="10", kind=AccountKind.DEBTOR), line("1100", credit="10")),
            Outcome.ALLOW,
            "every ledger account exists",
            None,
        ),
    ],
    ids=[
        "W18 existing open accounts are allowed",
        "W18 an account that does not exist is denied",
        "W18 a blocked account is denied",
        "W18 an account needing allocation without a cost centre is denied",
        "W18 an account needing allocation with a cost centre is allowed",
        "W18 an account needing a project without one is denied",
        "W18 an account needing a project with one is allowed",
        "W18 a debtor line is not looked up among ledger accounts",
    ],
)
def test_W18_ledger_accounts_exist_and_get_what_they_demand(
    intent: WriteIntent, outcome: Outcome, reason: str, hint: str | None
) -> None:
    check(ledger_accounts_valid, intent, {}, outcome, reason, hint)


# --- VAT codes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("intent", "ctx_fields", "outcome", "reason", "hint"),
    [
        (ENTRY, {}, Outcome.ALLOW, "VAT code(s) 1 exist and are open", None),
        (
            entry(line("1100", debit="10"), line("8000", credit="10")),
            {"vat_codes": None},
            Outcome.ALLOW,
            "no line carries a VAT code",
            None,
        ),
        (
            entry(line("1100", debit="10"), line("8000", credit="10", vat_code="7")),
            {},
            Outcome.DENY,
            "VAT code(s) do not exist: 7",
            "Pass one of the VAT codes: 0, 1, 2",
        ),
        (
            entry(line("1100", debit="10"), line("8000", credit="10", vat_code="9")),
            {},
            Outcome.DENY,
            "VAT code(s) are blocked: 9",
            "open VAT code: 0, 1, 2",
        ),
    ],
    ids=[
        "W18 an existing VAT code is allowed",
        "W18 an entry without VAT codes needs no VAT lookup",
        "W18 a VAT code that does not exist is denied",
        "W18 a blocked VAT code is denied",
    ],
)
def test_W18_vat_codes_exist_and_are_open(
    intent: WriteIntent,
    ctx_fields: dict[str, Any],
    outcome: Outcome,
    reason: str,
    hint: str | None,
) -> None:
    check(vat_codes_valid, intent, ctx_fields, outcome, reason, hint)
