"""Helpers for the review tests: store-only actions, approvers with known secrets, seeded writes."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from policies.confidence import Confidence, ConfidenceFactor
from policies.facts import AccountKind, JournalLine
from policies.model import Outcome, Verdict
from policies.testing.intents import hire_facts, hire_intent, journal_facts, journal_intent
from server.config import Approver, ReviewSettings
from server.review.actions import ReviewResult
from server.review.passwords import hash_secret
from server.store import DriftResolution, StoredConfidence, WriteRecord, WriteStatus, WriteStore

S = WriteStatus

ALICE, ALICE_SECRET = "hr:alice", "alice-correct-horse-battery"
BOB, BOB_SECRET = "fin:bob", "bob-staple-lantern-river"
# The requester of every seeded intent, configured as an approver too: self-approval must fail.
AGENT, AGENT_SECRET = "agent@test", "agent-should-never-approve"
# scrypt is slow on purpose; hash once per test session.
HASHES = {
    name: hash_secret(s)
    for name, s in ((ALICE, ALICE_SECRET), (BOB, BOB_SECRET), (AGENT, AGENT_SECRET))
}
SESSION_SECRET = "test-session-secret-0123456789abcdef"
# A classic AFAS token header as it would travel; it must never reach a page.
TOKEN = (
    "AfasToken PHRva2VuPjx2ZXJzaW9uPjE8L3ZlcnNpb24+"
    "PGRhdGE+QUJDREVGMDEyMzQ1Njc4OTwvZGF0YT48L3Rva2VuPg=="
)


def approvers_env() -> str:
    """`AFAS_MCP_REVIEWERS` for the three test approvers."""
    return ",".join(f"{name}={h}" for name, h in HASHES.items())


def review_settings(database: Path, **changes: object) -> ReviewSettings:
    """Settings with the test approvers and the given store file."""
    settings = ReviewSettings(
        approvers=tuple(Approver(name, h) for name, h in HASHES.items()),
        session_secret=SESSION_SECRET,
        database=database,
    )
    return dataclasses.replace(settings, **changes)  # type: ignore[arg-type]


class StoreOnlyReviewActions:
    """`ReviewActions` that decide in the store and stop: nothing is sent to AFAS."""

    def __init__(self, store: WriteStore) -> None:
        self.store = store

    async def approve(
        self, write_id: str, *, approver: str, digest: str | None = None
    ) -> ReviewResult:
        bound = self.store.get(write_id).digest if digest is None else digest
        done = self.store.approve(write_id, approver=approver, digest=bound)
        return ReviewResult(
            write_id=write_id,
            status=done.status,
            message=f"Approved by {approver}; not sent (test).",
        )

    async def reject(self, write_id: str, *, approver: str, reason: str) -> ReviewResult:
        done = self.store.reject(write_id, approver=approver, reason=reason)
        return ReviewResult(
            write_id=write_id, status=done.status, message=f"Rejected by {approver}."
        )

    async def resolve_drift(
        self, write_id: str, *, resolver: str, resolution: str, note: str
    ) -> ReviewResult:
        done = self.store.resolve_drift(
            write_id, resolver=resolver, resolution=DriftResolution(resolution), note=note
        )
        return ReviewResult(
            write_id=write_id, status=done.status, message=f"Drift {resolution} by {resolver}."
        )


@dataclass
class RecordingActions(StoreOnlyReviewActions):
    """Store-only actions that also remember every call, to prove who the approver was."""

    store: WriteStore
    calls: list[tuple[str, str, str]] = field(default_factory=list)
    digests: list[str | None] = field(default_factory=list)

    async def approve(
        self, write_id: str, *, approver: str, digest: str | None = None
    ) -> ReviewResult:
        self.calls.append(("approve", write_id, approver))
        self.digests.append(digest)
        return await super().approve(write_id, approver=approver, digest=digest)

    async def reject(self, write_id: str, *, approver: str, reason: str) -> ReviewResult:
        self.calls.append(("reject", write_id, approver))
        return await super().reject(write_id, approver=approver, reason=reason)

    async def resolve_drift(
        self, write_id: str, *, resolver: str, resolution: str, note: str
    ) -> ReviewResult:
        self.calls.append(("resolve", write_id, resolver))
        return await super().resolve_drift(
            write_id, resolver=resolver, resolution=resolution, note=note
        )


@dataclass
class RefusingActions(RecordingActions):
    """Actions whose approval fails with `error`, as the pipeline's would (AFAS down, ...)."""

    error: Exception = field(default_factory=lambda: RuntimeError("set error"))

    async def approve(
        self, write_id: str, *, approver: str, digest: str | None = None
    ) -> ReviewResult:
        self.calls.append(("approve", write_id, approver))
        self.digests.append(digest)
        raise self.error


CLOSED_PERIOD = Verdict(
    "payroll_period_open",
    Outcome.REVIEW,
    "payroll period 2026-03 of employer '01' was already calculated; a hire starting "
    "2026-03-01 lands in it retroactively",
    hint="Choose a start date in an open period, or ask payroll to confirm the correction.",
    quirk="W2",
)
LARGE_AMOUNT = Verdict(
    "journal_amount_limit",
    Outcome.REVIEW,
    "the entry moves EUR 48,400.00; entries above EUR 25,000.00 need a controller",
    hint="Wait for a controller to approve it.",
)
EMPLOYER_OK = Verdict(
    "employer_known", Outcome.ALLOW, "employer 01 exists and is active", quirk="W1"
)
BALANCED = Verdict("journal_balanced", Outcome.ALLOW, "debit and credit are both EUR 48,400.00")


# Why the held hire scored 0.55 (0.90 x 0.61), below the hire threshold of 0.80.
HIRE_CONFIDENCE = Confidence(
    score=0.9 * 0.61,
    threshold=0.8,
    factors=(
        ConfidenceFactor("source", 0.9, "the agent's certainty about its input"),
        ConfidenceFactor(
            "reviews", 0.61, "1 policy verdict(s) asked for review: payroll_period_open"
        ),
    ),
)


def held_hire(
    store: WriteStore, *, expires_at: datetime | None = None, **facts: object
) -> WriteRecord:
    """A hire held because its start date falls in a payroll period already calculated."""
    intent = hire_intent(hire_facts(start_date=date(2026, 3, 1), **facts), source_confidence=0.9)
    return store.record(
        intent,
        verdicts=[CLOSED_PERIOD, EMPLOYER_OK],
        confidence=HIRE_CONFIDENCE.score,
        confidence_detail=StoredConfidence.of(HIRE_CONFIDENCE),
        status=S.PENDING_REVIEW,
        review_reason="the payroll period of the start date was already calculated",
        expires_at=expires_at,
    )


def held_journal(store: WriteStore) -> WriteRecord:
    """A journal entry of EUR 48,400.00 held for its amount."""
    lines = (
        JournalLine(AccountKind.LEDGER, "1100", debit=Decimal("48400.00")),
        JournalLine(AccountKind.LEDGER, "8000", credit=Decimal("40000.00"), vat_code="1"),
        JournalLine(AccountKind.LEDGER, "1500", credit=Decimal("8400.00")),
    )
    intent = journal_intent(journal_facts(lines=lines, description="Verkoop Q1 groothandel"))
    return store.record(
        intent,
        verdicts=[LARGE_AMOUNT, BALANCED],
        confidence=0.9,
        status=S.PENDING_REVIEW,
        review_reason="amount above the controller threshold",
    )


def drifted_hire(store: WriteStore) -> WriteRecord:
    """A hire AFAS accepted but stored with another period table (W14): waits as drift."""
    intent = hire_intent(hire_facts(first_name="Sanne", last_name="de Vries", bsn="123456782"))
    record = store.record(intent, verdicts=[EMPLOYER_OK], confidence=0.95)
    assert store.claim_for_sending(record.id, expected=S.RECORDED)
    store.mark_applied(
        record.id,
        afas_keys={"EmId": "1000456"},
        request={
            "headers": {"Authorization": TOKEN, "IntegrationId": "12345_678900"},
            "body": dict(intent.body),
        },
        response={"status": 201, "body": {"results": {"EmId": "1000456"}}},
    )
    return store.mark_drift(
        record.id,
        diffs=[{"field": "AfasSalary.PtId", "expected": 5, "actual": 1}],
        read_back={"EmId": "1000456", "AfasSalary.PtId": 1},
    )


def verified_hire(store: WriteStore) -> WriteRecord:
    """A hire that went through and read back as sent."""
    intent = hire_intent(hire_facts(first_name="Piet", last_name="Bakker", bsn="111222334"))
    record = store.record(intent, verdicts=[EMPLOYER_OK], confidence=0.97)
    assert store.claim_for_sending(record.id, expected=S.RECORDED)
    store.mark_applied(record.id, afas_keys={"EmId": "1000457"}, request={}, response={})
    return store.mark_verified(record.id, read_back={"EmId": "1000457"})
