"""The one ordered list of policies, and `check_all`, which runs them on a write.

Every policy that applies to the intent's tool runs, in registry order; the strictest outcome
wins; a policy that raises gives a DENY naming itself and the exception (fail closed). A policy
whose `tools` exclude the intent's tool is skipped rather than asked: it would only say "not
applicable", which helps neither the agent nor the approver. Skipped names are kept in the
report for the audit trail.

Order: the intent's own shape first (everything else trusts it), then who and where (employer,
period table, payroll period, function, person), then the payload's form, then money, relations,
hours and leave, and the limits last. The order is stable and only affects how verdicts are listed.
"""

from __future__ import annotations

from dataclasses import dataclass

from policies import (
    attendance,
    finance,
    formats,
    general,
    hr,
    ledger,
    limits,
    payroll,
    relations,
    updates,
)
from policies.base import Policy
from policies.confidence import Confidence, score_confidence
from policies.context import PolicyContext
from policies.lookups import Lookup
from policies.model import Outcome, Verdict, WriteIntent

POLICIES: tuple[Policy, ...] = (
    general.intent_matches_tool,
    payroll.employer_exists,  # W1
    payroll.period_table_code_valid,  # W12
    payroll.period_table_used_by_employer,  # W3
    payroll.payroll_period_open,  # W2
    payroll.function_in_employer_table,  # W10
    hr.person_matching,  # W4
    hr.bsn_valid,
    hr.calculate_balance_on,  # W5
    hr.hire_payload_complete,  # W19
    updates.update_sends_only_changes,  # W20
    formats.legacy_value_formats,  # W7
    formats.house_number_split,  # W8
    formats.no_empty_values,  # W13
    finance.journal_balanced,  # W18
    finance.journal_line_amounts,  # W18
    finance.journal_line_count,  # W18
    finance.journal_lines_match_payload,  # W18
    finance.journal_line_allocations,  # W18
    ledger.journal_exists,  # W18
    ledger.booking_period_open,  # W18
    ledger.ledger_accounts_valid,  # W18
    ledger.vat_codes_valid,  # W18
    finance.journal_total_review,
    relations.relation_identifiers_valid,
    relations.relation_name_complete,
    relations.relation_not_duplicate,
    attendance.employee_active,
    attendance.hours_valid,
    attendance.hours_project_open,
    attendance.leave_dates_valid,
    limits.auto_apply_allowed,
    limits.write_budget,
)


def ensure_unique_names(policies: tuple[Policy, ...]) -> None:
    """Refuse a registry where two policies share a name (verdicts are keyed by it).

    Raises:
        ValueError: a name occurs more than once.
    """
    names = [p.name for p in policies]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ValueError(f"policy names must be unique; repeated: {', '.join(duplicates)}")


ensure_unique_names(POLICIES)  # at import: a bad edit of the tuple stops the server from starting


@dataclass(frozen=True)
class PolicyReport:
    """All verdicts on one write, what they add up to, and how sure the server is."""

    verdicts: tuple[Verdict, ...]
    skipped: tuple[str, ...]
    """Policies that do not judge this tool, in registry order."""
    confidence: Confidence

    @property
    def outcome(self) -> Outcome:
        """The strictest verdict."""
        return max(v.outcome for v in self.verdicts)

    @property
    def decision(self) -> Outcome:
        """What the pipeline does: the outcome, or REVIEW when an allowed write is unsure."""
        if self.outcome is Outcome.ALLOW and self.confidence.below_threshold:
            return Outcome.REVIEW
        return self.outcome

    @property
    def denials(self) -> tuple[Verdict, ...]:
        """The DENY verdicts, in registry order."""
        return tuple(v for v in self.verdicts if v.outcome is Outcome.DENY)

    @property
    def reviews(self) -> tuple[Verdict, ...]:
        """The REVIEW verdicts, in registry order."""
        return tuple(v for v in self.verdicts if v.outcome is Outcome.REVIEW)


def _run(policy: Policy, intent: WriteIntent, ctx: PolicyContext) -> Verdict:
    try:
        return policy(intent, ctx)
    except Exception as error:  # fail closed: a check that cannot run refuses the write
        return Verdict(
            policy=policy.name,
            outcome=Outcome.DENY,
            reason=f"policy {policy.name} failed with {type(error).__name__}: {error}; "
            "the write is refused because it could not be checked",
            hint="The write could not be checked, so it was not sent. Report this to the "
            "operator; retrying will fail the same way.",
            quirk=policy.quirk,
        )


def check_all(
    intent: WriteIntent, ctx: PolicyContext, *, policies: tuple[Policy, ...] = POLICIES
) -> PolicyReport:
    """Run every policy that applies to the intent's tool and report all verdicts."""
    verdicts: list[Verdict] = []
    skipped: list[str] = []
    for policy in policies:
        if policy.applies_to(intent.tool):
            verdicts.append(_run(policy, intent, ctx))
        else:
            skipped.append(policy.name)
    if not verdicts:
        verdicts.append(
            Verdict(
                policy="check_all",
                outcome=Outcome.DENY,
                reason=f"no policy judges '{intent.tool}', so nothing checked this write",
                hint="Report this to the operator.",
            )
        )
    return PolicyReport(
        verdicts=tuple(verdicts),
        skipped=tuple(skipped),
        confidence=score_confidence(
            intent, verdicts, ctx, routine={policy.name for policy in policies if policy.routine}
        ),
    )


def required_lookups(
    intent: WriteIntent, *, policies: tuple[Policy, ...] = POLICIES
) -> frozenset[Lookup]:
    """The lookups the context builder must load for this intent's tool."""
    return frozenset(
        lookup for policy in policies if policy.applies_to(intent.tool) for lookup in policy.needs
    )
