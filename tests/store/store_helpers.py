"""Helpers for the store tests: verdicts, a hand-driven clock, intents, writes in any state."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from policies.model import Outcome, Verdict, WriteIntent
from server.store import DriftResolution, WriteRecord, WriteStatus, WriteStore

S = WriteStatus

ALLOW = Verdict("employer_known", Outcome.ALLOW, "the employer exists")
REVIEW = Verdict("salary_threshold", Outcome.REVIEW, "salary above 10,000", hint="ask HR")
DENY = Verdict("period_open", Outcome.DENY, "period 2026-03 is closed", hint="use 2026-04")

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class FakeClock:
    """A clock that moves only when the test moves it."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


_serial = itertools.count()


def make_intent(**overrides: Any) -> WriteIntent:
    """A distinct, complete employee insert unless told otherwise."""
    n = next(_serial)
    fields: dict[str, Any] = {
        "tool": "onboard_employee",
        "connector": "KnEmployee",
        "action": "insert",
        "body": {"AfasEmployee": {"Element": {"Fields": {"EmId": f"E{n:05d}", "CmId": "100"}}}},
        "facts": {"employer": "100", "period": "2026-03"},
        "requester": "agent:claude-1",
        "source_confidence": 0.9,
    }
    fields.update(overrides)
    return WriteIntent(**fields)


class Writes:
    """Puts writes into any state through the public API only."""

    def __init__(self, store: WriteStore) -> None:
        self.store = store

    def recorded(self, **overrides: Any) -> WriteRecord:
        return self.store.record(make_intent(**overrides), verdicts=[ALLOW], confidence=0.95)

    def pending(self, *, expires_at: datetime | None = None, **overrides: Any) -> WriteRecord:
        return self.store.record(
            make_intent(**overrides),
            verdicts=[ALLOW, REVIEW],
            confidence=0.6,
            status=S.PENDING_REVIEW,
            review_reason="salary above 10,000",
            expires_at=expires_at,
        )

    def in_state(self, status: WriteStatus) -> WriteRecord:
        store = self.store
        match status:
            case S.RECORDED:
                return self.recorded()
            case S.PENDING_REVIEW:
                return self.pending()
            case S.DENIED:
                return store.record(
                    make_intent(), verdicts=[DENY], confidence=None, status=S.DENIED
                )
            case S.APPROVED:
                held = self.pending()
                return store.approve(held.id, approver="hr:alice", digest=held.digest)
            case S.REJECTED:
                return store.reject(self.pending().id, approver="hr:alice", reason="wrong person")
            case S.EXPIRED:
                held = self.pending()
                assert held.expires_at is not None
                store.expire_due(held.expires_at)
                return store.get(held.id)
            case S.SENDING:
                record = self.recorded()
                assert store.claim_for_sending(record.id, expected=S.RECORDED)
                return store.get(record.id)
            case S.APPLIED:
                record = self.in_state(S.SENDING)
                return store.mark_applied(
                    record.id, afas_keys={"EmId": "E1"}, request={"a": 1}, response={"b": 2}
                )
            case S.FAILED:
                return store.mark_failed(self.in_state(S.SENDING).id, error="refused")
            case S.UNKNOWN:
                return store.mark_unknown(self.in_state(S.SENDING).id, error="read timed out")
            case S.VERIFIED:
                return store.mark_verified(self.in_state(S.APPLIED).id, read_back={"CmId": "100"})
            case S.DRIFT:
                return store.mark_drift(
                    self.in_state(S.APPLIED).id,
                    diffs=[{"field": "CmId", "expected": "100", "actual": "1"}],
                )
            case S.RESOLVED:
                return store.resolve_drift(
                    self.in_state(S.DRIFT).id,
                    resolver="hr:alice",
                    resolution=DriftResolution.CORRECTED,
                    note="set the employer in AFAS",
                )
        raise AssertionError(f"no path to {status}")


# Exit codes of `race_in_process`, a worker run in a child process (spawned: it must be importable).
WON = 0
LOST = 10


def race_in_process(path: str, write_id: str, digest: str, approver: str, barrier: Any) -> None:
    """Open the store, wait for the rival, then approve and claim; exit WON only if it sent."""
    import sys

    from server.store import IllegalTransition

    with WriteStore(path) as store:
        barrier.wait(timeout=30)
        try:
            store.approve(write_id, approver=approver, digest=digest)
        except IllegalTransition:
            sys.exit(LOST)
        won = store.claim_for_sending(write_id, expected=S.APPROVED, rechecked=[ALLOW])
    sys.exit(WON if won else LOST)


def claim_in_process(path: str, write_id: str, barrier: Any) -> None:
    """Open the store, wait for the rival, then claim a recorded write; exit WON if it won."""
    import sys

    with WriteStore(path) as store:
        barrier.wait(timeout=30)
        won = store.claim_for_sending(write_id, expected=S.RECORDED)
    sys.exit(WON if won else LOST)
