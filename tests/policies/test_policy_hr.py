from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from policies.context import PersonCandidate
from policies.facts import PersonMatch
from policies.hr import bsn_valid, calculate_balance_on, hire_payload_complete, person_matching
from policies.model import Outcome, WriteIntent
from policies.testing import (
    hire_body,
    hire_facts,
    hire_intent,
    tenant_context,
    with_field,
    without_field,
    without_object,
)

HIRE = hire_intent()
EXISTING = dict(person_match=PersonMatch.EXISTING_PERSON, person_id="1000348", bsn=None)
ALWAYS_NEW = dict(person_match=PersonMatch.ALWAYS_NEW, bsn=None)

SAME_BSN = PersonCandidate("1000348", "Jan Jansen", "bsn", date(1985, 12, 15), "111222333")
SAME_BSN_TWICE = PersonCandidate("1000999", "J. Jansen", "bsn", None, "111222333")
LOOKALIKE = PersonCandidate(
    "1000777", "Jan Jansen", "name_birth_date", date(1985, 12, 15), "123456782"
)
BY_KEY = PersonCandidate("1000348", "Jan Jansen", "person_id", date(1985, 12, 15))


def hire_with(body_edit: Any = None, **facts: Any) -> WriteIntent:
    built = hire_facts(**facts)
    body = hire_body(built)
    return hire_intent(built, body=body_edit(body) if body_edit else body)


# --- W4: person matching -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("intent", "ctx_fields", "outcome", "reason", "hint"),
    [
        (HIRE, {}, Outcome.ALLOW, "matched by bsn with no duplicate", None),
        (HIRE, {"person_matches": (SAME_BSN,)}, Outcome.ALLOW, "no duplicate", None),
        (
            hire_with(**EXISTING),
            {"person_matches": (BY_KEY,)},
            Outcome.ALLOW,
            "matched by existing_person",
            None,
        ),
        (
            hire_with(**ALWAYS_NEW),
            {"environment": "test"},
            Outcome.ALLOW,
            "matched by always_new",
            None,
        ),
        (
            hire_with(**ALWAYS_NEW),
            {},
            Outcome.DENY,
            "MatchPer 7 inserts a new person on every run",
            "pass the existing person's person_id, or the BSN",
        ),
        (
            hire_with(**ALWAYS_NEW),
            {"environment": "accept"},
            Outcome.DENY,
            "only allowed in a test environment, this is accept",
            None,
        ),
        (
            hire_with(lambda b: with_field(b, "KnPerson", "MatchPer", 7)),
            {},
            Outcome.DENY,
            "MatchPer 7 inserts a new person",
            None,
        ),
        (
            hire_with(lambda b: with_field(b, "KnPerson", "MatchPer", "0")),
            {},
            Outcome.DENY,
            "KnPerson sends MatchPer='0' but the match mode bsn needs 1",
            "Report it to the operator",
        ),
        (
            hire_with(lambda b: without_field(b, "KnPerson", "MatchPer")),
            {},
            Outcome.DENY,
            "sends MatchPer=None",
            None,
        ),
        (
            hire_with(lambda b: with_field(b, "KnPerson", "SoSe", "123456782")),
            {},
            Outcome.DENY,
            "matching by BSN needs KnPerson.SoSe = the BSN",
            None,
        ),
        (
            hire_with(person_match=PersonMatch.BSN, bsn=None),
            {},
            Outcome.DENY,
            "matching by BSN needs",
            None,
        ),
        (
            hire_with(lambda b: with_field(b, "KnPerson", "BcCo", "1000349"), **EXISTING),
            {"person_matches": (BY_KEY,)},
            Outcome.DENY,
            "matching by person number needs KnPerson.BcCo = person_id",
            None,
        ),
        (
            hire_with(**EXISTING),
            {},
            Outcome.DENY,
            "person '1000348' does not exist",
            "Check the person number",
        ),
        (
            HIRE,
            {"person_matches": (LOOKALIKE,)},
            Outcome.REVIEW,
            "possible duplicate: person 1000777 'Jan Jansen', born 1985-12-15 (matched on name "
            "birth date)",
            "pass that person_id",
        ),
        (
            hire_with(**EXISTING),
            {"person_matches": (BY_KEY, LOOKALIKE)},
            Outcome.REVIEW,
            "possible duplicate: person 1000777",
            None,
        ),
        (
            hire_with(**ALWAYS_NEW),
            {"environment": "test", "person_matches": (SAME_BSN,)},
            Outcome.REVIEW,
            "possible duplicate: person 1000348 'Jan Jansen', born 1985-12-15 (matched on bsn)",
            None,
        ),
        (
            HIRE,
            {"person_matches": (SAME_BSN, SAME_BSN_TWICE)},
            Outcome.REVIEW,
            "2 persons share BSN 111222333: 1000348, 1000999",
            "merge or correct",
        ),
        (
            hire_with(lambda b: without_object(b, "KnPerson")),
            {},
            Outcome.DENY,
            "the hire has no KnPerson",
            None,
        ),
    ],
    ids=[
        "W4 matching by BSN with no other person is allowed",
        "W4 matching by BSN to the person with that BSN is allowed (AFAS reuses it)",
        "W4 matching by key to an existing person is allowed",
        "W4 always-new in a test environment is allowed",
        "W4 MatchPer 7 in production is denied",
        "W4 MatchPer 7 in an acceptance environment is denied",
        "W4 MatchPer 7 sent as a number is denied too",
        "W4 a payload match code other than the chosen mode is denied",
        "W4 a person without MatchPer is denied",
        "W4 a payload BSN other than the given BSN is denied",
        "W4 matching by BSN without a BSN is denied",
        "W4 a payload person number other than the given one is denied",
        "W4 matching by key to a person that does not exist is denied",
        "W4 a person with the same name and birth date goes to review as a possible duplicate",
        "W4 another lookalike next to the named person goes to review",
        "W4 always-new in test next to an existing person goes to review",
        "W4 two persons sharing the BSN go to review",
        "W4 a hire without a person is denied",
    ],
)
def test_W4_person_matched_by_key_or_bsn_never_always_new(
    intent: WriteIntent,
    ctx_fields: dict[str, Any],
    outcome: Outcome,
    reason: str,
    hint: str | None,
) -> None:
    verdict = person_matching(intent, tenant_context(**ctx_fields))
    assert (verdict.outcome, verdict.quirk) == (outcome, "W4")
    assert reason in verdict.reason
    if hint:
        assert verdict.hint is not None and hint in verdict.hint


def test_W4_a_person_who_is_already_an_employee_goes_to_review() -> None:
    employed = PersonCandidate(
        "1000348", "Jan Jansen", "bsn", None, "111222333", employee_id="1000123"
    )
    verdict = person_matching(HIRE, tenant_context(person_matches=(employed,)))
    assert verdict.outcome is Outcome.REVIEW
    assert "the person is already an employee: 1000348 as 1000123" in verdict.reason
    assert verdict.hint is not None and "rehire" in verdict.hint


def test_W4_a_match_mode_the_policy_does_not_know_fails_loudly_instead_of_defaulting() -> None:
    intent = hire_intent(hire_facts(person_match="sometimes"), body=hire_body(hire_facts()))
    with pytest.raises(AssertionError):
        person_matching(intent, tenant_context())


def test_W4_without_the_person_lookup_a_hire_is_denied() -> None:
    verdict = person_matching(HIRE, tenant_context(person_matches=None))
    assert verdict.outcome is Outcome.DENY
    assert "person_matches lookup is unavailable" in verdict.reason


# --- BSN 11-check --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("intent", "outcome", "reason"),
    [
        (HIRE, Outcome.ALLOW, "passes the 11-check"),
        (hire_with(**EXISTING), Outcome.ALLOW, "no BSN given"),
        (hire_with(bsn="123456789"), Outcome.DENY, "BSN 123456789 fails the 11-check"),
        (
            hire_with(lambda b: with_field(b, "KnPerson", "SoSe", "111222334")),
            Outcome.DENY,
            "BSN 111222334 fails the 11-check",
        ),
    ],
    ids=[
        "a valid BSN is allowed",
        "a hire without a BSN is not judged",
        "a BSN failing the 11-check is denied",
        "a payload BSN failing the 11-check is denied",
    ],
)
def test_bsn_passes_the_11_check(intent: WriteIntent, outcome: Outcome, reason: str) -> None:
    verdict = bsn_valid(intent, tenant_context())
    assert verdict.outcome is outcome
    assert reason in verdict.reason


# --- W5: calculate balance -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "outcome"),
    [
        (True, Outcome.ALLOW),
        ("true", Outcome.ALLOW),
        ("1", Outcome.ALLOW),
        (False, Outcome.DENY),
        ("0", Outcome.DENY),
    ],
    ids=[
        "W5 true is allowed",
        "W5 the string true is allowed",
        "W5 the string 1 is allowed",
        "W5 false is denied",
        "W5 the string 0 is denied",
    ],
)
def test_W5_calculate_balance_must_be_on(value: object, outcome: Outcome) -> None:
    intent = hire_with(lambda b: with_field(b, "AfasEmployee", "@CalculateBalance", value))
    verdict = calculate_balance_on(intent, tenant_context())
    assert (verdict.outcome, verdict.quirk) == (outcome, "W5")


def test_W5_employee_insert_without_calculate_balance_is_denied() -> None:
    intent = hire_with(lambda b: without_field(b, "AfasEmployee", "@CalculateBalance"))
    verdict = calculate_balance_on(intent, tenant_context())
    assert verdict.outcome is Outcome.DENY
    assert "AfasEmployee.@CalculateBalance is None, not true" in verdict.reason
    assert "payroll preview" in verdict.reason


# --- W19: complete hire --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("intent", "outcome", "reason"),
    [
        (HIRE, Outcome.ALLOW, "carries contract, function, timetable, salary and fiscal rows"),
        (
            hire_with(lambda b: without_object(b, "AfasAgencyFiscus")),
            Outcome.DENY,
            "the hire is not a complete start of employment: missing rows AfasAgencyFiscus",
        ),
        (
            hire_with(lambda b: without_object(without_object(b, "AfasTimeTable"), "AfasSalary")),
            Outcome.DENY,
            "missing rows AfasTimeTable, AfasSalary",
        ),
        (
            hire_with(lambda b: without_field(b, "AfasSalary", "PtId")),
            Outcome.DENY,
            "missing fields AfasSalary.PtId",
        ),
        (
            hire_with(lambda b: with_field(b, "AfasContract", "ClId", " ")),
            Outcome.DENY,
            "missing fields AfasContract.ClId",
        ),
        (
            hire_with(lambda b: without_field(b, "AfasAgencyFiscus", "@AyId")),
            Outcome.DENY,
            "missing fields AfasAgencyFiscus.@AyId",
        ),
        (
            hire_with(lambda b: with_field(b, "AfasSalary", "@DaBe", "2026-05-01")),
            Outcome.DENY,
            "AfasSalary starts '2026-05-01', not on the hire's start date 2026-04-01",
        ),
        (
            hire_with(
                lambda b: {"KnPerson": b["AfasEmployee"]["Element"]["Objects"][0]["KnPerson"]}
            ),
            Outcome.DENY,
            "the body has no AfasEmployee",
        ),
    ],
    ids=[
        "W19 a hire with all five sub-objects is allowed",
        "W19 a hire without the fiscal row is denied naming it",
        "W19 every missing row is named",
        "W19 a missing required field is named",
        "W19 a blank required field counts as missing",
        "W19 a missing required key counts as missing",
        "W19 a sub-object starting on another day is denied",
        "W19 a body that is not an employee is denied",
    ],
)
def test_W19_hire_payload_complete(intent: WriteIntent, outcome: Outcome, reason: str) -> None:
    verdict = hire_payload_complete(intent, tenant_context())
    assert (verdict.outcome, verdict.quirk) == (outcome, "W19")
    assert reason in verdict.reason


def test_W19_a_sub_object_sent_twice_is_denied() -> None:
    body = hire_body(hire_facts())
    objects = body["AfasEmployee"]["Element"]["Objects"]
    objects.append(dict(objects[-1]))
    verdict = hire_payload_complete(hire_intent(body=body), tenant_context())
    assert verdict.outcome is Outcome.DENY
    assert "AfasAgencyFiscus occurs 2 times in one hire" in verdict.reason


def test_W19_the_hint_tells_the_agent_what_it_can_do() -> None:
    verdict = hire_payload_complete(
        hire_with(lambda b: without_object(b, "AfasTimeTable")), tenant_context()
    )
    assert verdict.hint is not None and "hours_per_week" in verdict.hint
