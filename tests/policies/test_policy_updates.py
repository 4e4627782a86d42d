from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from policies.facts import EmployeeField
from policies.model import Outcome, WriteIntent
from policies.testing import (
    current_values_for,
    tenant_context,
    update_body,
    update_facts,
    update_intent,
    with_field,
)
from policies.updates import update_sends_only_changes

FACTS = update_facts()
CURRENT = current_values_for(FACTS)  # e-mail and salary as AFAS holds them


def judge(intent: WriteIntent, current: dict[str, Any]) -> Any:
    return update_sends_only_changes(intent, tenant_context(current_values=current))


@pytest.mark.parametrize(
    ("intent", "current", "outcome", "reason", "hint"),
    [
        (
            update_intent(FACTS),
            CURRENT,
            Outcome.ALLOW,
            "the update changes 2 field(s) and re-sends none",
            None,
        ),
        (
            update_intent(FACTS),
            {**CURRENT, "KnPerson.EmAd": "j.jansen@example.com"},
            Outcome.DENY,
            "the update re-sends values AFAS already holds: KnPerson.EmAd='j.jansen@example.com'",
            "Drop these fields from the update",
        ),
        (
            update_intent(
                FACTS,
                body=with_field(update_body(FACTS), "KnPerson", "TeNr", "0612345678"),
            ),
            {**CURRENT, "KnPerson.TeNr": "0612345678"},
            Outcome.DENY,
            "KnPerson.TeNr='0612345678'",
            None,
        ),
        (
            update_intent(
                update_facts(changes={EmployeeField.EMAIL: "jan@example.com"}),
            ),
            CURRENT,
            Outcome.DENY,
            "nothing to change: every field already has the requested value",
            "already has these values",
        ),
        (
            update_intent(update_facts(changes={}, cleared=frozenset())),
            CURRENT,
            Outcome.DENY,
            "nothing to change: the update names no fields",
            "Pass the fields to change",
        ),
        (
            update_intent(FACTS),
            {"AfasSalary.EmSa": Decimal("3500")},
            Outcome.REVIEW,
            "cannot tell whether KnPerson.EmAd change: their current values were not read",
            "A person will compare",
        ),
        (
            update_intent(
                update_facts(
                    changes={EmployeeField.EMAIL: "j.jansen@example.com"},
                    cleared=frozenset({EmployeeField.MOBILE}),
                )
            ),
            {**CURRENT, "KnPerson.MbNr": "0687654321"},
            Outcome.ALLOW,
            "changes 2 field(s)",
            None,
        ),
        (
            update_intent(update_facts(changes={}, cleared=frozenset({EmployeeField.MOBILE}))),
            {"KnPerson.MbNr": ""},
            Outcome.DENY,
            "re-sends values AFAS already holds: KnPerson.MbNr=''",
            None,
        ),
        (
            update_intent(
                update_facts(changes={EmployeeField.SALARY: Decimal("3500.00")}),
            ),
            CURRENT,
            Outcome.ALLOW,
            "changes 1 field(s)",
            None,
        ),
    ],
    ids=[
        "W20 an update of changed fields only is allowed",
        "W20 a field equal to its current value is denied with the list to drop",
        "W20 a phone number equal to the current one is denied",
        "W20 an update whose only field already has the value is denied as nothing to change",
        "W20 an update naming no fields is denied",
        "W20 a field whose current value was not read goes to review",
        "W20 clearing a filled field is a change",
        "W20 clearing an already empty field is denied",
        "W20 a new salary row is an insert and is not compared with the current salary",
    ],
)
def test_W20_updates_send_only_changed_fields(
    intent: WriteIntent,
    current: dict[str, Any],
    outcome: Outcome,
    reason: str,
    hint: str | None,
) -> None:
    verdict = judge(intent, current)
    assert (verdict.outcome, verdict.quirk) == (outcome, "W20")
    assert reason in verdict.reason
    if hint:
        assert verdict.hint is not None and hint in verdict.hint


def test_W20_the_person_match_fields_are_never_counted_as_unchanged() -> None:
    # MatchPer 0 and BcCo equal what AFAS holds by definition: they say which person is updated.
    current = {**CURRENT, "KnPerson.MatchPer": "0", "KnPerson.BcCo": "1000551"}
    assert judge(update_intent(FACTS), current).outcome is Outcome.ALLOW


def test_W20_an_updated_root_field_is_compared_too() -> None:
    body = with_field(update_body(FACTS), "AfasEmployee", "Bl", False)
    verdict = judge(update_intent(FACTS, body=body), {**CURRENT, "AfasEmployee.Bl": "0"})
    assert verdict.outcome is Outcome.DENY
    assert "AfasEmployee.Bl=False" in verdict.reason


def test_W20_without_current_values_the_update_is_denied() -> None:
    verdict = update_sends_only_changes(update_intent(FACTS), tenant_context(current_values=None))
    assert verdict.outcome is Outcome.DENY
    assert "current_values lookup is unavailable" in verdict.reason
