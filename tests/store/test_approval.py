from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from store_helpers import ALLOW, DENY, REVIEW, START, FakeClock, Writes, make_intent

from server.store import (
    ApprovalExpired,
    AuditStep,
    DigestMismatch,
    IllegalTransition,
    RecheckDenied,
    RecheckRequired,
    SelfApprovalRefused,
    WriteStatus,
    WriteStore,
)

S = WriteStatus


def test_approval_records_the_approver_and_the_time(
    store: WriteStore, writes: Writes, clock: FakeClock
) -> None:
    held = writes.pending()
    clock.advance(timedelta(hours=2))
    approved = store.approve(held.id, approver="hr:alice", digest=held.digest)
    assert approved.status is S.APPROVED
    assert approved.approver == "hr:alice"
    assert approved.approved_at == START + timedelta(hours=2)
    last = store.audit_trail(held.id)[-1]
    assert (last.step, last.actor, last.detail["digest"]) == (
        AuditStep.APPROVED,
        "hr:alice",
        held.digest,
    )


@pytest.mark.parametrize(
    "approver",
    ["agent:claude-1", "AGENT:Claude-1", "  agent:claude-1 "],
    ids=["same_name", "same_name_other_case", "same_name_padded"],
)
def test_requester_cannot_approve_their_own_write(
    store: WriteStore, writes: Writes, approver: str
) -> None:
    held = writes.pending(requester="agent:claude-1")
    with pytest.raises(SelfApprovalRefused, match="cannot approve their own"):
        store.approve(held.id, approver=approver, digest=held.digest)
    assert store.get(held.id).status is S.PENDING_REVIEW
    refused = store.audit_trail(held.id)[-1]
    assert refused.step is AuditStep.APPROVAL_REFUSED
    assert refused.detail["refusal"] == "SelfApprovalRefused"


def test_approval_bound_to_another_digest_is_refused(store: WriteStore, writes: Writes) -> None:
    held = writes.pending()
    other = make_intent().digest
    with pytest.raises(DigestMismatch, match="another payload"):
        store.approve(held.id, approver="hr:alice", digest=other)
    assert store.get(held.id).status is S.PENDING_REVIEW
    assert store.audit_trail(held.id)[-1].detail["refusal"] == "DigestMismatch"


def test_approval_after_expiry_is_refused_and_marks_the_item_expired(
    store: WriteStore, writes: Writes, clock: FakeClock
) -> None:
    held = writes.pending()
    assert held.expires_at == START + store.review_ttl
    clock.now = held.expires_at
    with pytest.raises(ApprovalExpired):
        store.approve(held.id, approver="hr:alice", digest=held.digest)
    assert store.get(held.id).status is S.EXPIRED
    steps = [(e.step, e.to_status) for e in store.audit_trail(held.id)][-2:]
    assert steps == [
        (AuditStep.EXPIRED, S.EXPIRED),
        (AuditStep.APPROVAL_REFUSED, S.EXPIRED),
    ]


def test_approval_just_before_expiry_is_accepted(
    store: WriteStore, writes: Writes, clock: FakeClock
) -> None:
    held = writes.pending()
    assert held.expires_at is not None
    clock.now = held.expires_at - timedelta(microseconds=1)
    assert store.approve(held.id, approver="hr:alice", digest=held.digest).status is S.APPROVED


def test_a_decided_item_cannot_be_approved_again(store: WriteStore, writes: Writes) -> None:
    held = writes.pending()
    store.approve(held.id, approver="hr:alice", digest=held.digest)
    with pytest.raises(IllegalTransition, match="is approved;"):
        store.approve(held.id, approver="hr:bob", digest=held.digest)
    assert store.get(held.id).approver == "hr:alice"


def test_a_write_that_was_never_held_cannot_be_approved(store: WriteStore, writes: Writes) -> None:
    direct = writes.recorded()
    with pytest.raises(IllegalTransition, match="is recorded;"):
        store.approve(direct.id, approver="hr:alice", digest=direct.digest)


def test_an_approver_must_be_named(store: WriteStore, writes: Writes) -> None:
    held = writes.pending()
    with pytest.raises(ValueError, match="approver must be named"):
        store.approve(held.id, approver="  ", digest=held.digest)


def test_an_approved_write_is_sent_only_after_the_policies_ran_again(
    store: WriteStore, writes: Writes
) -> None:
    approved = writes.in_state(S.APPROVED)
    with pytest.raises(RecheckRequired):
        store.claim_for_sending(approved.id, expected=S.APPROVED)
    assert store.claim_for_sending(approved.id, expected=S.APPROVED, rechecked=[ALLOW, REVIEW])
    claimed = store.audit_trail(approved.id)[-1]
    policies = [v["policy"] for v in claimed.detail["rechecked"]]
    assert policies == ["employer_known", "salary_threshold"]


def test_an_approved_write_the_policies_now_deny_is_never_sent(
    store: WriteStore, writes: Writes
) -> None:
    approved = writes.in_state(S.APPROVED)
    with pytest.raises(RecheckDenied, match="period 2026-03 is closed"):
        store.claim_for_sending(approved.id, expected=S.APPROVED, rechecked=[ALLOW, DENY])
    assert store.get(approved.id).status is S.APPROVED
    denied = store.mark_denied(approved.id, verdicts=[ALLOW, DENY])
    assert denied.status is S.DENIED
    assert [v.outcome for v in denied.verdicts] == ["allow", "deny"]


def test_a_rejection_records_who_and_why(store: WriteStore, writes: Writes) -> None:
    held = writes.pending()
    rejected = store.reject(held.id, approver="hr:alice", reason="this person left in May")
    assert rejected.status is S.REJECTED
    assert (rejected.rejected_by, rejected.rejection_reason) == (
        "hr:alice",
        "this person left in May",
    )


def test_a_rejection_needs_a_reason(store: WriteStore, writes: Writes) -> None:
    held = writes.pending()
    with pytest.raises(ValueError, match="needs a reason"):
        store.reject(held.id, approver="hr:alice", reason=" ")
    assert store.get(held.id).status is S.PENDING_REVIEW


def test_the_recorded_intent_cannot_be_changed_behind_the_approvals_back(
    store: WriteStore, writes: Writes, db_path: Path
) -> None:
    held = writes.pending()
    conn = sqlite3.connect(db_path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="immutable"):
            conn.execute("UPDATE writes SET body = '{}' WHERE id = ?", [held.id])
        with pytest.raises(sqlite3.IntegrityError, match="never forgets"):
            conn.execute("DELETE FROM writes WHERE id = ?", [held.id])
    finally:
        conn.close()
    assert store.get(held.id).body == held.body
