from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from store_helpers import ALLOW, START, FakeClock, Writes, make_intent

from server.store import AuditStep, WriteStatus, WriteStore

S = WriteStatus


def test_a_held_write_expires_after_the_configured_time(db_path: Path, clock: FakeClock) -> None:
    with WriteStore(db_path, clock=clock, review_ttl=timedelta(hours=8)) as store:
        held = Writes(store).pending()
        assert held.expires_at == START + timedelta(hours=8)
        clock.advance(timedelta(hours=8) - timedelta(seconds=1))
        assert store.expire_due() == 0
        clock.advance(timedelta(seconds=1))
        assert store.expire_due() == 1
        assert store.get(held.id).status is S.EXPIRED
        last = store.audit_trail(held.id)[-1]
        assert (last.step, last.actor) == (AuditStep.EXPIRED, "afas-mcp")


def test_an_explicit_expiry_overrides_the_default(store: WriteStore, writes: Writes) -> None:
    held = writes.pending(expires_at=START + timedelta(minutes=30))
    assert store.expire_due(START + timedelta(minutes=29)) == 0
    assert store.expire_due(START + timedelta(minutes=30)) == 1
    assert store.get(held.id).status is S.EXPIRED


def test_an_approval_not_acted_on_in_time_expires_too(store: WriteStore, writes: Writes) -> None:
    approved = writes.in_state(S.APPROVED)
    assert approved.expires_at is not None
    assert store.expire_due(approved.expires_at) == 1
    assert store.get(approved.id).status is S.EXPIRED


def test_expiry_touches_only_writes_waiting_for_a_decision(
    store: WriteStore, writes: Writes
) -> None:
    others = [writes.in_state(s) for s in S if s not in (S.PENDING_REVIEW, S.APPROVED)]
    assert store.expire_due(START + timedelta(days=365)) == 0
    assert [store.get(r.id).status for r in others] == [r.status for r in others]


def test_expiry_counts_every_write_it_expired(store: WriteStore, writes: Writes) -> None:
    for _ in range(3):
        writes.pending()
    assert store.expire_due(START + timedelta(days=30)) == 3
    assert store.list_writes(statuses=[S.PENDING_REVIEW]) == []


def test_only_a_held_write_takes_an_expiry(store: WriteStore) -> None:
    with pytest.raises(ValueError, match="only to a write held for review"):
        store.record(make_intent(), verdicts=[ALLOW], confidence=1.0, expires_at=START)


def test_a_lapsed_approval_is_expired_by_the_claim_instead_of_being_sent(
    store: WriteStore, writes: Writes, clock: FakeClock
) -> None:
    approved = writes.in_state(S.APPROVED)
    assert approved.expires_at is not None
    clock.now = approved.expires_at
    assert store.claim_for_sending(approved.id, expected=S.APPROVED, rechecked=[ALLOW]) is False
    assert store.get(approved.id).status is S.EXPIRED
