"""Plain-terms summaries of each write tool's facts, and the fallback for facts of odd shape."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import pytest
from review_helpers import held_journal

from policies.facts import AccountKind, JournalLine
from policies.model import WriteIntent
from policies.testing.intents import (
    activity_intent,
    hours_intent,
    journal_facts,
    journal_intent,
    leave_facts,
    leave_intent,
    person_relation_facts,
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


def test_a_person_relation_shows_its_name_in_the_parts_afas_stores(store: WriteStore) -> None:
    record = store.record(relation_intent(person_relation_facts()), verdicts=[], confidence=0.9)

    rows = summarise(record).rows

    assert ("First name", "Anna") in rows
    assert ("Prefix", "van der") in rows
    assert ("Last name", "Berg") in rows


def test_part_of_a_day_of_leave_shows_its_hours(store: WriteStore) -> None:
    facts = leave_facts(end=date(2026, 4, 6), from_time=time(13, 0), until_time=time(17, 0))
    record = store.record(leave_intent(facts), verdicts=[], confidence=0.9)

    summary = summarise(record)

    assert summary.headline.endswith("(part of the day, 13:00 to 17:00)")
    assert ("Hours", "13:00 to 17:00") in summary.rows


def test_a_project_line_shows_the_item_afas_needs_with_it(store: WriteStore) -> None:
    line = JournalLine(
        AccountKind.LEDGER,
        "4000",
        debit=Decimal("100.00"),
        project_id="P100",
        project_item="300",
    )
    facts = journal_facts(
        lines=(line, JournalLine(AccountKind.LEDGER, "1100", credit=Decimal("100.00")))
    )
    record = store.record(journal_intent(facts), verdicts=[], confidence=0.9)

    table = summarise(record).table

    assert table is not None
    project, item = table.header.index("Project"), table.header.index("Item")
    assert (table.rows[0][project], table.rows[0][item]) == ("P100", "300")
