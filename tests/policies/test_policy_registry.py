from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from policies import POLICIES, Lookup, Outcome, check_all, required_lookups
from policies.base import Finding, Policy, allow, deny, policy, review
from policies.context import Ambiguity, PolicyContext
from policies.facts import RelationRole, WriteTool
from policies.model import WriteIntent
from policies.registry import ensure_unique_names
from policies.testing import (
    activity_intent,
    current_values_for,
    hire_facts,
    hire_intent,
    hours_intent,
    journal_facts,
    journal_intent,
    leave_intent,
    relation_facts,
    relation_intent,
    tenant_context,
    update_facts,
    update_intent,
)

REFERENCE_INTENTS = {
    "onboard_employee": hire_intent(),
    "update_employee": update_intent(),
    "post_journal_entry": journal_intent(),
    "create_debtor": relation_intent(),
    "create_creditor": relation_intent(relation_facts(role=RelationRole.CREDITOR)),
    "register_hours": hours_intent(),
    "submit_leave_request": leave_intent(),
    "log_activity": activity_intent(),
}


def reference_context(**fields: Any) -> PolicyContext:
    return tenant_context(**{"current_values": current_values_for(update_facts()), **fields})


def fixed(name: str, found: Finding, *, tools: Any = None) -> Policy:
    return policy(name, quirk="W99", tools=tools)(lambda intent, ctx: found)


def test_the_registry_order_is_stable() -> None:
    assert [p.name for p in POLICIES] == [
        "intent_matches_tool",
        "employer_exists",
        "period_table_code_valid",
        "period_table_used_by_employer",
        "payroll_period_open",
        "function_in_employer_table",
        "person_matching",
        "bsn_valid",
        "calculate_balance_on",
        "hire_payload_complete",
        "update_sends_only_changes",
        "legacy_value_formats",
        "house_number_split",
        "no_empty_values",
        "journal_balanced",
        "journal_line_amounts",
        "journal_line_count",
        "journal_lines_match_payload",
        "journal_line_allocations",
        "journal_exists",
        "booking_period_open",
        "ledger_accounts_valid",
        "vat_codes_valid",
        "journal_total_review",
        "relation_identifiers_valid",
        "relation_name_complete",
        "relation_not_duplicate",
        "employee_active",
        "hours_valid",
        "hours_project_open",
        "leave_dates_valid",
        "auto_apply_allowed",
        "write_budget",
    ]


def test_a_registry_with_a_repeated_name_is_refused() -> None:
    ensure_unique_names(POLICIES)
    twice = (fixed("same", allow("a")), fixed("other", allow("b")), fixed("same", allow("c")))
    with pytest.raises(ValueError, match="repeated: same"):
        ensure_unique_names(twice)


def test_every_write_quirk_the_policies_own_is_guarded() -> None:
    guarded = {p.quirk for p in POLICIES}
    wanted = {"W1", "W2", "W3", "W4", "W5", "W7", "W8", "W10", "W12", "W13", "W18", "W19", "W20"}
    assert wanted <= guarded


@pytest.mark.parametrize(
    "tool", sorted(REFERENCE_INTENTS), ids=lambda tool: f"{tool} reference write"
)
def test_every_applicable_policy_runs_in_registry_order(tool: str) -> None:
    report = check_all(REFERENCE_INTENTS[tool], reference_context())
    ran = [v.policy for v in report.verdicts]
    assert ran == [p.name for p in POLICIES if p.applies_to(tool)]
    assert list(report.skipped) == [p.name for p in POLICIES if not p.applies_to(tool)]
    assert set(ran) | set(report.skipped) == {p.name for p in POLICIES}


@pytest.mark.parametrize(
    ("tool", "decision"),
    [
        ("onboard_employee", Outcome.REVIEW),
        ("update_employee", Outcome.REVIEW),
        ("create_creditor", Outcome.REVIEW),
        ("post_journal_entry", Outcome.ALLOW),
        ("create_debtor", Outcome.ALLOW),
        ("register_hours", Outcome.ALLOW),
        ("submit_leave_request", Outcome.ALLOW),
        ("log_activity", Outcome.ALLOW),
    ],
    ids=[
        "a clean hire waits for a person only because hires always do",
        "a clean update waits for a person only because updates always do",
        "a clean new creditor waits for a person only because creditors always do",
        "a clean journal entry is allowed",
        "a clean new debtor is allowed",
        "clean hours are allowed",
        "a clean leave request is allowed",
        "a clean activity is allowed",
    ],
)
def test_reference_writes_pass_every_check(tool: str, decision: Outcome) -> None:
    report = check_all(REFERENCE_INTENTS[tool], reference_context())
    assert report.decision is decision
    assert report.denials == ()
    assert [v.policy for v in report.reviews] == (["auto_apply_allowed"] if decision else [])
    assert report.confidence.score == 1.0


@pytest.mark.parametrize(
    ("outcomes", "strictest"),
    [
        ((Outcome.ALLOW, Outcome.ALLOW), Outcome.ALLOW),
        ((Outcome.ALLOW, Outcome.REVIEW, Outcome.ALLOW), Outcome.REVIEW),
        ((Outcome.REVIEW, Outcome.DENY, Outcome.ALLOW), Outcome.DENY),
        ((Outcome.DENY, Outcome.REVIEW), Outcome.DENY),
    ],
    ids=[
        "all allow gives allow",
        "one review among allows gives review",
        "one deny among others gives deny",
        "deny before review still gives deny",
    ],
)
def test_the_strictest_outcome_wins(outcomes: tuple[Outcome, ...], strictest: Outcome) -> None:
    policies = tuple(
        fixed(f"p{i}", Finding(outcome, f"said {outcome.name}", "h"))
        for i, outcome in enumerate(outcomes)
    )
    report = check_all(hours_intent(), tenant_context(), policies=policies)
    assert report.outcome is strictest
    assert [v.outcome for v in report.verdicts] == list(outcomes)


def test_a_raising_policy_denies_naming_itself_and_the_exception_and_the_rest_still_run() -> None:
    def broken(intent: WriteIntent, ctx: PolicyContext) -> Finding:
        raise KeyError("AcNr")

    policies = (
        fixed("before", allow("fine")),
        policy("broken", quirk="W18", tools=None)(broken),
        fixed("after", allow("fine")),
    )
    report = check_all(journal_intent(), tenant_context(), policies=policies)
    assert [v.policy for v in report.verdicts] == ["before", "broken", "after"]
    failed = report.verdicts[1]
    assert failed.outcome is Outcome.DENY and failed.quirk == "W18"
    assert "policy broken failed with KeyError: 'AcNr'" in failed.reason
    assert failed.hint is not None and "Report this to the operator" in failed.hint
    assert report.outcome is Outcome.DENY
    assert report.confidence.score == 0.0


def test_facts_of_the_wrong_type_deny_through_the_registry() -> None:
    intent = dataclasses.replace(hire_intent(), facts=journal_facts())
    report = check_all(intent, reference_context())
    reasons = {v.policy: v.reason for v in report.denials}
    assert "onboard_employee carries JournalEntryFacts facts" in reasons["intent_matches_tool"]
    assert "failed with FactsMismatch" in reasons["person_matching"]


def test_a_malformed_body_denies_through_the_registry() -> None:
    intent = dataclasses.replace(hours_intent(), body={"PtRealization": {"Element": "8 hours"}})
    report = check_all(intent, reference_context())
    assert report.outcome is Outcome.DENY
    assert any("failed with MalformedEnvelope" in v.reason for v in report.denials)


def test_an_unknown_tool_is_denied_and_the_tool_specific_policies_are_skipped() -> None:
    intent = dataclasses.replace(hours_intent(), tool="delete_employee")
    report = check_all(intent, reference_context())
    assert report.decision is Outcome.DENY
    assert [v.policy for v in report.verdicts] == [p.name for p in POLICIES if p.tools is None]
    assert report.verdicts[0].outcome is Outcome.DENY


def test_a_write_no_policy_judges_is_denied() -> None:
    only_hires = (fixed("hire_only", allow("fine"), tools={WriteTool.ONBOARD_EMPLOYEE}),)
    report = check_all(hours_intent(), tenant_context(), policies=only_hires)
    assert report.outcome is Outcome.DENY
    assert report.verdicts[0].policy == "check_all"
    assert "no policy judges 'register_hours'" in report.verdicts[0].reason
    assert report.skipped == ("hire_only",)


def test_a_missing_lookup_denies_the_policies_that_need_it_only() -> None:
    ctx = reference_context(
        missing={Lookup.PAYROLL_PERIODS: "AfasMcp_PayrollPeriods is not linked"}
    )
    report = check_all(hire_intent(), ctx)
    denied = {v.policy for v in report.denials}
    assert denied == {
        "period_table_code_valid",
        "period_table_used_by_employer",
        "payroll_period_open",
    }
    assert all("AfasMcp_PayrollPeriods is not linked" in v.reason for v in report.denials)
    assert all(v.hint and "retry in a few minutes" in v.hint for v in report.denials)


@pytest.mark.parametrize(
    ("tool", "lookups"),
    [
        (
            "onboard_employee",
            {
                Lookup.EMPLOYERS,
                Lookup.PAYROLL_PERIODS,
                Lookup.PERIOD_TABLES,
                Lookup.FUNCTIONS,
                Lookup.PERSON_MATCHES,
                Lookup.RECENT_WRITES,
            },
        ),
        (
            "update_employee",
            {
                Lookup.EMPLOYERS,
                Lookup.PAYROLL_PERIODS,
                Lookup.PERIOD_TABLES,
                Lookup.FUNCTIONS,
                Lookup.CURRENT_VALUES,
                Lookup.RECENT_WRITES,
            },
        ),
        (
            "post_journal_entry",
            {
                Lookup.ADMINISTRATIONS,
                Lookup.JOURNALS,
                Lookup.BOOKING_PERIODS,
                Lookup.LEDGER_ACCOUNTS,
                Lookup.VAT_CODES,
                Lookup.RECENT_WRITES,
            },
        ),
        ("create_debtor", {Lookup.SIMILAR_RELATIONS, Lookup.RECENT_WRITES}),
        ("create_creditor", {Lookup.SIMILAR_RELATIONS, Lookup.RECENT_WRITES}),
        ("register_hours", {Lookup.EMPLOYEES, Lookup.PROJECTS, Lookup.RECENT_WRITES}),
        ("submit_leave_request", {Lookup.EMPLOYEES, Lookup.RECENT_WRITES}),
        ("log_activity", {Lookup.RECENT_WRITES}),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_required_lookups_are_what_the_tools_policies_read(tool: str, lookups: set[Lookup]) -> None:
    assert required_lookups(REFERENCE_INTENTS[tool]) == lookups


@pytest.mark.parametrize(
    "tool", sorted(REFERENCE_INTENTS), ids=lambda tool: f"{tool} reference write"
)
def test_a_context_with_only_the_required_lookups_is_enough(tool: str) -> None:
    intent = REFERENCE_INTENTS[tool]
    needed = required_lookups(intent)
    unloaded = {lookup.value: None for lookup in Lookup if lookup not in needed}
    report = check_all(intent, reference_context(**unloaded))
    assert report.denials == (), [v.reason for v in report.denials]


def test_every_lookup_is_needed_by_some_tool() -> None:
    needed = set().union(*(required_lookups(intent) for intent in REFERENCE_INTENTS.values()))
    assert needed == set(Lookup)


@pytest.mark.parametrize(
    ("source_confidence", "ambiguities", "decision"),
    [
        (None, (), Outcome.ALLOW),
        (0.8, (), Outcome.ALLOW),
        (0.79, (), Outcome.REVIEW),
        (None, (Ambiguity(Lookup.PROJECTS, "two projects named Renovatie"),), Outcome.REVIEW),
    ],
    ids=[
        "an allowed write without doubts is applied",
        "an allowed write at the threshold is applied",
        "an allowed write below the threshold goes to review instead of AFAS",
        "an ambiguous lookup sends an allowed write to review",
    ],
)
def test_low_confidence_turns_an_allowed_write_into_a_review(
    source_confidence: float | None, ambiguities: tuple[Ambiguity, ...], decision: Outcome
) -> None:
    intent = dataclasses.replace(hours_intent(), source_confidence=source_confidence)
    report = check_all(intent, reference_context(ambiguities=ambiguities))
    assert report.outcome is Outcome.ALLOW
    assert report.decision is decision


def test_a_denied_write_stays_denied_whatever_the_confidence() -> None:
    policies = (fixed("no", deny("no", hint="h")),)
    report = check_all(hours_intent(), tenant_context(), policies=policies)
    assert report.decision is Outcome.DENY


def test_a_routine_review_does_not_lower_the_confidence_but_a_doubt_does() -> None:
    intent = hire_intent(hire_facts(employer_id="01"))
    ctx = reference_context(recent_writes={"onboard_employee": 10})
    report = check_all(intent, ctx)
    assert {v.policy for v in report.reviews} == {"auto_apply_allowed", "write_budget"}
    assert report.confidence.score == 1.0
    doubt = check_all(intent, ctx, policies=(*POLICIES, fixed("doubt", review("maybe", hint="h"))))
    assert doubt.confidence.score == 0.5
