"""Plain-terms summaries of each write tool's facts, and the fallback for facts of odd shape."""

from __future__ import annotations

import pytest
from review_helpers import held_journal

from policies.model import WriteIntent
from policies.testing.intents import (
    activity_intent,
    hours_intent,
    leave_intent,
    relation_intent,
    update_intent,
)
from server.review.summary import summarise
from server.store import WriteStore


@pytest.mark.parametrize(
    ("intent", "headline"),
    [
        (
            update_intent(),
            "Change employee 1000123 (employer 01) from Wed 1 April 2026: email, salary",
        ),
        (relation_intent(), "New debtor: Jansen Personeel B.V. (organisation, NL)"),
        (hours_intent(), "Register 8 hours for employee 1000123 on project P100, Mon 9 March 2026"),
        (
            leave_intent(),
            "Leave of type V for employee 1000123 from Mon 6 April 2026 to Fri 10 April 2026 "
            "(5 calendar days)",
        ),
        (
            activity_intent(),
            "Dossier item \u201cTelefoongesprek\u201d on relation 1000348, dated Tue 10 March 2026",
        ),
    ],
)
def test_each_tool_is_summarised_in_a_sentence(
    store: WriteStore, intent: WriteIntent, headline: str
) -> None:
    record = store.record(intent, verdicts=[], confidence=0.9)

    assert summarise(record).headline == headline


def test_an_update_shows_each_field_before_and_after(store: WriteStore) -> None:
    record = store.record(update_intent(), verdicts=[], confidence=0.9)

    table = summarise(record).table

    assert table is not None
    assert table.rows == (
        ("Email", "jan@example.com", "j.jansen@example.com"),
        ("Salary", "3500", "3600"),
    )


def test_a_journal_entry_lists_its_lines_and_totals(store: WriteStore) -> None:
    summary = summarise(held_journal(store))

    assert ("Total debit", "EUR 48,400.00") in summary.rows
    assert summary.table is not None and summary.table.rows[0][:3] == (
        "1100",
        "ledger",
        "EUR 48,400.00",
    )
    assert summary.notes == ()


def test_facts_of_an_unexpected_shape_are_listed_as_they_are(store: WriteStore) -> None:
    intent = hours_intent(facts=None)
    odd = WriteIntent(
        tool="register_hours",
        connector=intent.connector,
        action="insert",
        body=intent.body,
        facts={"hours": "8", "nested": {"who": "1000123"}},
        requester="agent@test",
    )
    record = store.record(odd, verdicts=[], confidence=0.9)

    summary = summarise(record)

    assert summary.headline == "Insert through PtRealization (register_hours)"
    assert summary.rows == (("hours", "8"), ("nested.who", "1000123"))
