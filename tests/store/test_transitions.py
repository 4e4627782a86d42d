"""Every operation from every state: legal ones move the write, the rest raise, change nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from store_helpers import ALLOW, DENY, REVIEW, FakeClock, Writes, make_intent

from server.store import (
    DriftResolution,
    IllegalTransition,
    VerdictsContradictStatus,
    WriteRecord,
    WriteStatus,
    WriteStore,
)
from server.store.machine import INITIAL, TERMINAL, TRANSITIONS

S = WriteStatus


@dataclass(frozen=True)
class Op:
    name: str
    sources: frozenset[WriteStatus]
    target: WriteStatus
    run: Callable[[WriteStore, WriteRecord], object]


def _expire(store: WriteStore, record: WriteRecord) -> object:
    # expire_due only considers writes that can expire; report an illegal one like the rest.
    if record.status not in (S.PENDING_REVIEW, S.APPROVED):
        raise IllegalTransition(record.id, current=record.status, target=S.EXPIRED)
    assert record.expires_at is not None
    return store.expire_due(record.expires_at)


OPS = [
    Op(
        "claim_recorded",
        frozenset({S.RECORDED}),
        S.SENDING,
        lambda s, r: s.claim_for_sending(r.id, expected=S.RECORDED) or _lost(r),
    ),
    Op(
        "claim_approved",
        frozenset({S.APPROVED}),
        S.SENDING,
        lambda s, r: s.claim_for_sending(r.id, expected=S.APPROVED, rechecked=[ALLOW]) or _lost(r),
    ),
    Op(
        "mark_applied",
        frozenset({S.SENDING}),
        S.APPLIED,
        lambda s, r: s.mark_applied(r.id, afas_keys={"EmId": "1"}, request={}, response={}),
    ),
    Op(
        "mark_failed",
        frozenset({S.SENDING, S.RECORDED}),
        S.FAILED,
        lambda s, r: s.mark_failed(r.id, error="AFAS refused"),
    ),
    Op(
        "mark_unknown",
        frozenset({S.SENDING}),
        S.UNKNOWN,
        lambda s, r: s.mark_unknown(r.id, error="timeout"),
    ),
    Op(
        "reconcile_found",
        frozenset({S.UNKNOWN}),
        S.APPLIED,
        lambda s, r: s.reconcile(r.id, found=True, afas_keys={"EmId": "1"}),
    ),
    Op(
        "reconcile_absent",
        frozenset({S.UNKNOWN}),
        S.FAILED,
        lambda s, r: s.reconcile(r.id, found=False),
    ),
    Op(
        "mark_verified",
        frozenset({S.APPLIED}),
        S.VERIFIED,
        lambda s, r: s.mark_verified(r.id, read_back={}),
    ),
    Op(
        "mark_drift",
        frozenset({S.APPLIED}),
        S.DRIFT,
        lambda s, r: s.mark_drift(r.id, diffs=[]),
    ),
    Op(
        "mark_unverifiable",
        frozenset({S.APPLIED}),
        S.APPLIED,
        lambda s, r: s.mark_unverifiable(r.id, reason="no read connector"),
    ),
    Op(
        "mark_denied",
        frozenset({S.APPROVED}),
        S.DENIED,
        lambda s, r: s.mark_denied(r.id, verdicts=[DENY]),
    ),
    Op(
        "approve",
        frozenset({S.PENDING_REVIEW}),
        S.APPROVED,
        lambda s, r: s.approve(r.id, approver="hr:bob", digest=r.digest),
    ),
    Op(
        "reject",
        frozenset({S.PENDING_REVIEW}),
        S.REJECTED,
        lambda s, r: s.reject(r.id, approver="hr:bob", reason="not this one"),
    ),
    Op(
        "resolve_drift",
        frozenset({S.DRIFT}),
        S.RESOLVED,
        lambda s, r: s.resolve_drift(
            r.id, resolver="hr:bob", resolution=DriftResolution.ACKNOWLEDGED, note="fine"
        ),
    ),
    Op("expire", frozenset({S.PENDING_REVIEW, S.APPROVED}), S.EXPIRED, _expire),
]


def _lost(record: WriteRecord) -> None:
    raise AssertionError(f"claim of {record.id} lost without a rival")


LEGAL = [
    pytest.param(op, state, id=f"{op.name}_moves_{state.value}_to_{op.target.value}")
    for op in OPS
    for state in S
    if state in op.sources
]
# A claim that finds another state loses (returns False) rather than raising: tested below.
ILLEGAL = [
    pytest.param(op, state, id=f"{op.name}_is_refused_from_{state.value}")
    for op in OPS
    for state in S
    if state not in op.sources and not op.name.startswith("claim")
]


@pytest.mark.parametrize(("op", "state"), LEGAL)
def test_legal_step_moves_the_write_and_leaves_an_audit_row(
    store: WriteStore, writes: Writes, op: Op, state: WriteStatus
) -> None:
    record = writes.in_state(state)
    steps_before = len(store.audit_trail(record.id))
    op.run(store, record)
    assert store.get(record.id).status is op.target
    trail = store.audit_trail(record.id)
    assert len(trail) == steps_before + 1
    assert (trail[-1].from_status, trail[-1].to_status) == (state, op.target)


@pytest.mark.parametrize(("op", "state"), ILLEGAL)
def test_illegal_step_raises_naming_the_current_state_and_changes_nothing(
    store: WriteStore, writes: Writes, op: Op, state: WriteStatus
) -> None:
    record = writes.in_state(state)
    before = store.get(record.id)
    trail_before = store.audit_trail(record.id)
    with pytest.raises(IllegalTransition, match=f"is {state.value};") as raised:
        op.run(store, record)
    assert raised.value.current is state
    assert store.get(record.id) == before
    assert store.audit_trail(record.id) == trail_before


@pytest.mark.parametrize("state", [s for s in S if s is not S.RECORDED], ids=lambda s: s.value)
def test_claiming_a_write_that_is_not_in_the_expected_state_loses(
    store: WriteStore, writes: Writes, state: WriteStatus
) -> None:
    record = writes.in_state(state)
    assert store.claim_for_sending(record.id, expected=S.RECORDED) is False
    assert store.get(record.id).status is state


@pytest.mark.parametrize(
    "expected",
    [s for s in S if s not in (S.RECORDED, S.APPROVED)],
    ids=lambda s: s.value,
)
def test_claiming_from_a_state_that_never_leads_to_sending_is_illegal(
    store: WriteStore, writes: Writes, expected: WriteStatus
) -> None:
    record = writes.in_state(expected)
    with pytest.raises(IllegalTransition):
        store.claim_for_sending(record.id, expected=expected)
    assert store.get(record.id).status is expected


def test_the_operations_cover_exactly_the_transitions_of_the_machine() -> None:
    edges = {(src, op.target) for op in OPS for src in op.sources if src is not op.target}
    machine = {(src, dst) for src, targets in TRANSITIONS.items() for dst in targets}
    assert edges == machine


def test_terminal_states_have_no_way_out() -> None:
    assert {S.VERIFIED, S.RESOLVED, S.FAILED, S.REJECTED, S.EXPIRED, S.DENIED} == TERMINAL


def test_unknown_can_never_go_back_to_sending() -> None:
    assert S.SENDING not in TRANSITIONS[S.UNKNOWN]


@pytest.mark.parametrize("status", [s for s in S if s not in INITIAL], ids=lambda s: s.value)
def test_a_write_cannot_be_born_past_its_first_state(
    store: WriteStore, status: WriteStatus
) -> None:
    with pytest.raises(ValueError, match="a write starts as"):
        store.record(make_intent(), verdicts=[ALLOW], confidence=1.0, status=status)


@pytest.mark.parametrize(
    ("verdicts", "status"),
    [
        ([ALLOW, DENY], S.RECORDED),
        ([ALLOW, DENY], S.PENDING_REVIEW),
        ([REVIEW], S.RECORDED),
        ([ALLOW], S.DENIED),
        ([], S.DENIED),
    ],
    ids=[
        "denied_write_cannot_be_recorded_for_sending",
        "denied_write_cannot_be_held_for_review",
        "write_held_by_a_policy_cannot_be_recorded_for_direct_sending",
        "allowed_write_cannot_be_recorded_as_denied",
        "write_without_verdicts_cannot_be_recorded_as_denied",
    ],
)
def test_recording_in_a_state_the_verdicts_forbid_is_refused(
    store: WriteStore, verdicts: list[object], status: WriteStatus
) -> None:
    with pytest.raises(VerdictsContradictStatus):
        store.record(make_intent(), verdicts=verdicts, confidence=0.9, status=status)  # type: ignore[arg-type]
    assert store.list_writes() == []


def test_every_state_change_moves_updated_at_with_the_clock(
    store: WriteStore, writes: Writes, clock: FakeClock
) -> None:
    record = writes.recorded()
    clock.advance(timedelta(minutes=5))
    store.claim_for_sending(record.id, expected=S.RECORDED)
    after = store.get(record.id)
    assert after.created_at == record.created_at
    assert after.updated_at - record.updated_at == timedelta(minutes=5)


@pytest.mark.parametrize(
    ("field", "value"),
    [("confidence", 1.5), ("confidence", -0.1), ("source_confidence", 2.0)],
    ids=["confidence_above_one", "confidence_below_zero", "source_confidence_above_one"],
)
def test_a_confidence_outside_zero_to_one_is_refused(
    store: WriteStore, field: str, value: float
) -> None:
    confidence = value if field == "confidence" else 0.5
    intent = make_intent(source_confidence=value if field == "source_confidence" else 0.5)
    with pytest.raises(ValueError, match=f"{field} must be between 0 and 1"):
        store.record(intent, verdicts=[ALLOW], confidence=confidence)
