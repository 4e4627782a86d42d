"""Racing approvers and senders: exactly one wins, in threads, across connections and processes.

No sleeps: racers open their connection first, then meet at a barrier and go at once.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from store_helpers import (
    ALLOW,
    LOST,
    WON,
    FakeClock,
    Writes,
    claim_in_process,
    make_intent,
    race_in_process,
)

from server.store import IllegalTransition, WriteRecord, WriteStatus, WriteStore

S = WriteStatus
WAIT = 30.0  # seconds; every wait in these tests is bounded


def _run_together(racers: list[Callable[[], object]]) -> list[object]:
    """Start every racer on its own thread behind one barrier; results (or exceptions) in order."""
    barrier = threading.Barrier(len(racers))
    results: list[object] = [None] * len(racers)

    def run(index: int, racer: Callable[[], object]) -> None:
        barrier.wait(timeout=WAIT)
        try:
            results[index] = racer()
        except Exception as exc:
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i, r)) for i, r in enumerate(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=WAIT)
        assert not thread.is_alive(), "a racer did not finish"
    return results


def _stores(path: Path, clock: FakeClock, count: int) -> list[WriteStore]:
    return [WriteStore(path, clock=clock) for _ in range(count)]


def _approve_then_send(store: WriteStore, held: WriteRecord, approver: str, sent: list[str]):
    def racer() -> bool:
        store.approve(held.id, approver=approver, digest=held.digest)
        if store.claim_for_sending(held.id, expected=S.APPROVED, rechecked=[ALLOW]):
            sent.append(approver)  # stands for the one POST to AFAS
            return True
        return False

    return racer


def test_two_approvers_racing_on_two_connections_send_the_write_once(
    db_path: Path, clock: FakeClock, writes: Writes
) -> None:
    held = writes.pending()
    alice, bob = _stores(db_path, clock, 2)
    sent: list[str] = []
    try:
        results = _run_together(
            [
                _approve_then_send(alice, held, "hr:alice", sent),
                _approve_then_send(bob, held, "hr:bob", sent),
            ]
        )
    finally:
        alice.close()
        bob.close()
    assert sorted(map(type, results), key=str) == sorted([bool, IllegalTransition], key=str)
    assert len(sent) == 1
    record = writes.store.get(held.id)
    assert (record.status, record.approver) == (S.SENDING, sent[0])
    steps = [e.step.value for e in writes.store.audit_trail(held.id)]
    assert steps == ["recorded", "approved", "claimed"]


def test_eight_senders_on_eight_connections_claim_a_write_exactly_once(
    db_path: Path, clock: FakeClock, writes: Writes
) -> None:
    record = writes.recorded()
    stores = _stores(db_path, clock, 8)
    try:
        results = _run_together(
            [lambda s=s: s.claim_for_sending(record.id, expected=S.RECORDED) for s in stores]
        )
    finally:
        for s in stores:
            s.close()
    assert results.count(True) == 1
    assert results.count(False) == 7


def test_threads_sharing_one_store_claim_a_write_exactly_once(
    store: WriteStore, writes: Writes
) -> None:
    record = writes.recorded()
    results = _run_together(
        [lambda: store.claim_for_sending(record.id, expected=S.RECORDED) for _ in range(8)]
    )
    assert results.count(True) == 1


def test_a_claim_racing_an_expiry_lets_exactly_one_of_them_through(
    db_path: Path, clock: FakeClock, writes: Writes
) -> None:
    approved = writes.in_state(S.APPROVED)
    assert approved.expires_at is not None
    sender, janitor = _stores(db_path, clock, 2)
    try:
        claimed, expired = _run_together(
            [
                lambda: sender.claim_for_sending(approved.id, expected=S.APPROVED, rechecked=[]),
                lambda: janitor.expire_due(approved.expires_at),
            ]
        )
    finally:
        sender.close()
        janitor.close()
    assert (claimed, expired) in {(True, 0), (False, 1)}


def test_identical_requests_racing_are_recorded_once(
    db_path: Path, clock: FakeClock, store: WriteStore
) -> None:
    intent = make_intent()
    stores = _stores(db_path, clock, 4)
    try:
        results = _run_together(
            [
                lambda s=s: s.record_unless_duplicate(
                    intent, within=store.review_ttl, verdicts=[ALLOW], confidence=1.0
                )
                for s in stores
            ]
        )
    finally:
        for s in stores:
            s.close()
    created = [r for r in results if getattr(r, "created", False)]
    assert len(created) == 1
    assert {r.record.id for r in results} == {created[0].record.id}  # type: ignore[attr-defined]
    assert len(store.list_writes()) == 1


@pytest.mark.slow
def test_two_approver_processes_send_the_write_once(db_path: Path, writes: Writes) -> None:
    # The children run on the real clock; the fake one started in March 2026.
    held = writes.pending(expires_at=datetime.now(UTC) + timedelta(days=1))
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(2)
    procs = [
        ctx.Process(target=race_in_process, args=(str(db_path), held.id, held.digest, who, barrier))
        for who in ("hr:alice", "hr:bob")
    ]
    codes = _run_processes(procs)
    assert sorted(codes) == [WON, LOST]
    record = writes.store.get(held.id)
    assert record.status is S.SENDING
    assert [e.step.value for e in writes.store.audit_trail(held.id)].count("claimed") == 1


@pytest.mark.slow
def test_two_sender_processes_claim_a_write_exactly_once(db_path: Path, writes: Writes) -> None:
    record = writes.recorded()
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(2)
    procs = [
        ctx.Process(target=claim_in_process, args=(str(db_path), record.id, barrier))
        for _ in range(2)
    ]
    assert sorted(_run_processes(procs)) == [WON, LOST]


def _run_processes(procs: list[multiprocessing.process.BaseProcess]) -> list[int | None]:
    for proc in procs:
        proc.start()
    try:
        for proc in procs:
            proc.join(timeout=WAIT)
            assert proc.exitcode is not None, "a racing process did not finish"
    finally:
        for proc in procs:
            if proc.is_alive():
                proc.kill()
                proc.join(timeout=WAIT)
    codes = [proc.exitcode for proc in procs]
    for proc in procs:
        proc.close()
    return codes
