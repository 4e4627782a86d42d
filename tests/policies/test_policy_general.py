from __future__ import annotations

import dataclasses
import math

import pytest

from policies.facts import RelationKind, RelationRole
from policies.general import intent_matches_tool
from policies.model import Outcome, WriteIntent
from policies.testing import (
    activity_intent,
    hire_intent,
    hours_facts,
    hours_intent,
    journal_intent,
    leave_intent,
    relation_facts,
    relation_intent,
    tenant_context,
    update_intent,
)

HIRE = hire_intent()


@pytest.mark.parametrize(
    "intent",
    [
        HIRE,
        update_intent(),
        journal_intent(),
        relation_intent(),
        relation_intent(relation_facts(kind=RelationKind.PERSON, kvk_number=None)),
        relation_intent(relation_facts(role=RelationRole.CREDITOR)),
        hours_intent(),
        leave_intent(),
        activity_intent(),
    ],
    ids=[
        "a hire",
        "an update",
        "a journal entry",
        "an organisation debtor",
        "a person debtor",
        "an organisation creditor",
        "hours",
        "leave",
        "an activity",
    ],
)
def test_every_reference_intent_is_well_formed(intent: WriteIntent) -> None:
    verdict = intent_matches_tool(intent, tenant_context())
    assert verdict.outcome is Outcome.ALLOW, verdict.reason
    assert "well-formed" in verdict.reason


@pytest.mark.parametrize(
    ("intent", "reason", "hint"),
    [
        (
            dataclasses.replace(HIRE, tool="delete_employee"),
            "'delete_employee' is not a write tool the policies know, so nothing checks it",
            "Write tools are: create_creditor, create_debtor, log_activity",
        ),
        (
            dataclasses.replace(HIRE, facts=hours_facts()),
            "onboard_employee carries HoursFacts facts, expected HireFacts",
            "Report it to the operator",
        ),
        (
            dataclasses.replace(HIRE, connector="KnPerson"),
            "onboard_employee writes through KnEmployee, not 'KnPerson'",
            None,
        ),
        (
            dataclasses.replace(HIRE, action="update"),
            "onboard_employee performs insert, not update",
            None,
        ),
        (
            dataclasses.replace(update_intent(), target={}),
            "an update must name the record it hits (target)",
            None,
        ),
        (
            dataclasses.replace(HIRE, body={"KnPerson": {"Element": {"Fields": {}}}}),
            "the body's root is 'KnPerson', KnEmployee wants 'AfasEmployee'",
            None,
        ),
        (
            dataclasses.replace(relation_intent(), connector="KnSalesRelationPer"),
            "create_debtor writes through KnSalesRelationOrg, not 'KnSalesRelationPer'",
            None,
        ),
        (
            dataclasses.replace(relation_intent(), tool="create_creditor"),
            "create_creditor cannot create a debtor",
            None,
        ),
        (
            dataclasses.replace(HIRE, source_confidence=1.5),
            "source_confidence 1.5 is not between 0 and 1",
            "Pass source_confidence as a number from 0",
        ),
        (
            dataclasses.replace(HIRE, source_confidence=-0.1),
            "source_confidence -0.1 is not between 0 and 1",
            None,
        ),
        (
            dataclasses.replace(HIRE, source_confidence=math.nan),
            "source_confidence nan is not between 0 and 1",
            None,
        ),
    ],
    ids=[
        "an unknown tool is denied because nothing would check it",
        "facts of another tool are denied",
        "another connector than the tool's is denied",
        "another action than the tool's is denied",
        "an update without a target is denied",
        "a body with another root than the connector's is denied",
        "a debtor organisation through the person connector is denied",
        "a creditor tool creating a debtor is denied",
        "a source confidence above 1 is denied",
        "a negative source confidence is denied",
        "a source confidence that is not a number is denied",
    ],
)
def test_a_malformed_intent_is_denied(intent: WriteIntent, reason: str, hint: str | None) -> None:
    verdict = intent_matches_tool(intent, tenant_context())
    assert verdict.outcome is Outcome.DENY
    assert reason in verdict.reason
    if hint:
        assert verdict.hint is not None and hint in verdict.hint


def test_a_source_confidence_at_the_bounds_is_allowed() -> None:
    for confidence in (0.0, 1.0):
        intent = dataclasses.replace(HIRE, source_confidence=confidence)
        assert intent_matches_tool(intent, tenant_context()).outcome is Outcome.ALLOW
