from __future__ import annotations

import pytest

from policies.facts import RelationRole
from policies.limits import auto_apply_allowed, write_budget
from policies.model import Outcome, WriteIntent
from policies.testing import (
    hire_intent,
    hours_intent,
    journal_intent,
    relation_facts,
    relation_intent,
    tenant_context,
)


@pytest.mark.parametrize(
    ("intent", "outcome"),
    [
        (hire_intent(), Outcome.REVIEW),
        (relation_intent(relation_facts(role=RelationRole.CREDITOR)), Outcome.REVIEW),
        (relation_intent(), Outcome.ALLOW),
        (journal_intent(), Outcome.ALLOW),
        (hours_intent(), Outcome.ALLOW),
    ],
    ids=[
        "a hire always goes to a person",
        "a new creditor always goes to a person",
        "a new debtor may be applied",
        "a journal entry may be applied",
        "hours may be applied",
    ],
)
def test_tools_the_rules_do_not_let_auto_apply_go_to_review(
    intent: WriteIntent, outcome: Outcome
) -> None:
    verdict = auto_apply_allowed(intent, tenant_context())
    assert verdict.outcome is outcome
    if outcome is Outcome.REVIEW:
        assert "before it reaches AFAS" in verdict.reason
        assert verdict.hint is not None and "Nothing to change" in verdict.hint


@pytest.mark.parametrize(
    ("recent", "outcome", "reason"),
    [
        ({}, Outcome.ALLOW, "register_hours write 1 of 200 this hour"),
        ({"register_hours": 199}, Outcome.ALLOW, "write 200 of 200"),
        (
            {"register_hours": 200},
            Outcome.REVIEW,
            "write 201 in the last hour, above the budget of 200",
        ),
        ({"register_hours": 599}, Outcome.REVIEW, "write 600"),
        ({"register_hours": 600}, Outcome.DENY, "write 601 in the last hour; the hard cap is 600"),
        ({"post_journal_entry": 5000}, Outcome.ALLOW, "write 1 of 200"),
    ],
    ids=[
        "the first write of the hour is allowed",
        "the last write within the budget is allowed",
        "the first write over the budget goes to review",
        "the last write within the hard cap goes to review",
        "a write over the hard cap is denied",
        "other tools' writes do not count",
    ],
)
def test_write_budget_per_tool_per_hour(
    recent: dict[str, int], outcome: Outcome, reason: str
) -> None:
    verdict = write_budget(hours_intent(), tenant_context(recent_writes=recent))
    assert verdict.outcome is outcome
    assert reason in verdict.reason


def test_a_denied_burst_tells_the_agent_to_stop_repeating() -> None:
    verdict = write_budget(hire_intent(), tenant_context(recent_writes={"onboard_employee": 30}))
    assert verdict.outcome is Outcome.DENY
    assert verdict.hint is not None and "repeating the same write" in verdict.hint
