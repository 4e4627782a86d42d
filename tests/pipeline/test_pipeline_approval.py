"""A person's approval: bound to the digest, never the requester's, expiring, and re-checked."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pipeline_helpers import KINDS, REQUESTER, Clock, Parts, sim_hire_intent

from server.afas.client import AfasClient
from server.afas.errors import AfasError
from server.config import Settings
from server.review import ReviewResult, build_review_actions
from server.store import (
    ApprovalExpired,
    AuditStep,
    DigestMismatch,
    IllegalTransition,
    SelfApprovalRefused,
    WriteStatus,
    WriteStore,
)
from server.writes.approvals import PipelineReviewActions
from simulator.testing import SimulatorHandle

pytestmark = pytest.mark.anyio

S = WriteStatus


def hire_posts(sim: SimulatorHandle) -> int:
    return len(sim.request_log.find(method="POST", path_contains="/connectors/KnEmployee"))


async def held_hire(parts: Parts, store: WriteStore, afas: AfasClient) -> str:
    result = await parts.pipeline(afas, store).submit(sim_hire_intent())
    assert result.status == "pending_review" and result.write_id
    return result.write_id


async def test_an_approved_write_is_sent_once_read_back_and_verified(
    sim: SimulatorHandle, parts: Parts, store: WriteStore, afas: AfasClient
) -> None:
    write_id = await held_hire(parts, store, afas)
    record = await parts.pipeline(afas, store).approve(write_id, approver="hr:alice")
    assert record.status is S.VERIFIED
    assert record.approver == "hr:alice"
    assert hire_posts(sim) == 1
    steps = [e.step for e in store.audit_trail(write_id)]
    assert steps == [
        AuditStep.RECORDED,
        AuditStep.APPROVED,
        AuditStep.CLAIMED,
        AuditStep.APPLIED,
        AuditStep.VERIFIED,
    ]
    claimed = store.audit_trail(write_id)[2]
    assert {v["policy"] for v in claimed.detail["rechecked"]} >= {"payroll_period_open"}


async def test_the_requester_cannot_approve_their_own_write(
    sim: SimulatorHandle, parts: Parts, store: WriteStore, afas: AfasClient
) -> None:
    write_id = await held_hire(parts, store, afas)
    with pytest.raises(SelfApprovalRefused):
        await parts.pipeline(afas, store).approve(write_id, approver=REQUESTER.upper())
    assert store.get(write_id).status is S.PENDING_REVIEW
    assert store.audit_trail(write_id)[-1].step is AuditStep.APPROVAL_REFUSED
    assert hire_posts(sim) == 0


async def test_an_approval_for_another_payload_is_refused(
    sim: SimulatorHandle, parts: Parts, store: WriteStore, afas: AfasClient
) -> None:
    write_id = await held_hire(parts, store, afas)
    with pytest.raises(DigestMismatch):
        await parts.pipeline(afas, store).approve(write_id, approver="hr:alice", digest="0" * 64)
    assert hire_posts(sim) == 0


async def test_an_expired_write_cannot_be_approved_and_is_not_sent(
    sim: SimulatorHandle, parts: Parts, store: WriteStore, afas: AfasClient, clock: Clock
) -> None:
    write_id = await held_hire(parts, store, afas)
    clock.advance(store.review_ttl + timedelta(seconds=1))
    with pytest.raises(ApprovalExpired):
        await parts.pipeline(afas, store).approve(write_id, approver="hr:alice")
    assert store.get(write_id).status is S.EXPIRED
    assert hire_posts(sim) == 0


async def test_approval_rechecks_the_policies_on_fresh_data_a_period_that_closed_denies_it(
    sim: SimulatorHandle, parts: Parts, store: WriteStore, afas: AfasClient
) -> None:
    pipeline = parts.pipeline(afas, store)
    result = await pipeline.submit(sim_hire_intent())
    write_id = result.write_id or ""
    # Payroll closes April for employer 02 while the write waits (the lookup is still cached).
    sim.tenant.update("payroll_periods", ("02", 5, 2026, 4), {"Closed": True})
    record = await pipeline.approve(write_id, approver="hr:alice")
    assert record.status is S.DENIED
    denial = next(v for v in record.verdicts if v.outcome == "deny")
    assert denial.policy == "payroll_period_open"
    assert hire_posts(sim) == 0
    assert [e.step for e in store.audit_trail(write_id)][-2:] == [
        AuditStep.APPROVED,
        AuditStep.DENIED,
    ]


async def test_a_held_write_can_be_rejected_with_a_reason_and_is_never_sent(
    sim: SimulatorHandle, parts: Parts, store: WriteStore, afas: AfasClient
) -> None:
    write_id = await held_hire(parts, store, afas)
    record = parts.pipeline(afas, store).reject(
        write_id, approver="hr:alice", reason="wrong employer, use 03"
    )
    assert record.status is S.REJECTED and record.rejection_reason == "wrong employer, use 03"
    with pytest.raises(IllegalTransition):
        await parts.pipeline(afas, store).approve(write_id, approver="hr:bob")
    assert hire_posts(sim) == 0


async def test_the_review_surfaces_reach_the_pipeline_through_build_review_actions(
    sim: SimulatorHandle, parts: Parts, store: WriteStore, afas: AfasClient, settings: Settings
) -> None:
    write_id = await held_hire(parts, store, afas)
    actions = build_review_actions(settings, store=store)
    assert isinstance(actions, PipelineReviewActions)
    actions = PipelineReviewActions(settings, store=store, kinds=KINDS.values())
    result = await actions.approve(write_id, approver="hr:alice")
    assert isinstance(result, ReviewResult)
    assert result.status is S.VERIFIED and result.read_back == "match"
    assert "verified" in result.message
    assert hire_posts(sim) == 1


async def test_an_approval_denied_on_recheck_tells_the_approver_why(
    sim: SimulatorHandle, parts: Parts, store: WriteStore, afas: AfasClient, settings: Settings
) -> None:
    write_id = await held_hire(parts, store, afas)
    sim.tenant.update("payroll_periods", ("02", 5, 2026, 4), {"Closed": True})
    actions = PipelineReviewActions(settings, store=store, kinds=KINDS.values())
    result = await actions.approve(write_id, approver="hr:alice")
    assert result.status is S.DENIED
    assert result.message.startswith("Approved, but the policies, checked again just now")
    assert "payroll_period_open" in result.message


async def test_rejections_and_drift_resolutions_pass_through_the_review_actions(
    sim: SimulatorHandle, parts: Parts, store: WriteStore, afas: AfasClient, settings: Settings
) -> None:
    write_id = await held_hire(parts, store, afas)
    actions = PipelineReviewActions(settings, store=store, kinds=KINDS.values())
    rejected = await actions.reject(write_id, approver="hr:alice", reason="duplicate of w_x")
    assert rejected.status is S.REJECTED
    with pytest.raises(ValueError, match="settled"):
        await actions.resolve_drift(write_id, resolver="hr:alice", resolution="settled", note="x")


async def test_an_approval_while_afas_is_unreachable_is_refused_and_the_write_keeps_waiting(
    sim: SimulatorHandle, parts: Parts, store: WriteStore, afas: AfasClient, settings: Settings
) -> None:
    write_id = await held_hire(parts, store, afas)
    unreachable = settings.model_copy(
        update={"afas": settings.afas.model_copy(update={"base_url": "http://127.0.0.1:9/x"})}
    )
    actions = PipelineReviewActions(unreachable, store=store, kinds=KINDS.values())
    with pytest.raises(AfasError):
        await actions.approve(write_id, approver="hr:alice")
    assert store.get(write_id).status is S.PENDING_REVIEW
    assert hire_posts(sim) == 0


@pytest.mark.parametrize("shown", ["", "0" * 64], ids=["empty", "another"])
async def test_the_review_actions_bind_the_approval_to_the_digest_the_person_saw(
    sim: SimulatorHandle,
    parts: Parts,
    store: WriteStore,
    afas: AfasClient,
    settings: Settings,
    shown: str,
) -> None:
    write_id = await held_hire(parts, store, afas)
    actions = PipelineReviewActions(settings, store=store, kinds=KINDS.values())
    with pytest.raises(DigestMismatch):  # an empty digest is no wildcard either
        await actions.approve(write_id, approver="hr:alice", digest=shown)
    assert store.get(write_id).status is S.PENDING_REVIEW
    assert hire_posts(sim) == 0
    result = await actions.approve(write_id, approver="hr:alice", digest=store.get(write_id).digest)
    assert result.status is S.VERIFIED
