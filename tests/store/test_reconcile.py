"""A lost answer (W16) and a reused key (W9): what the ledger lets the pipeline do next."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from store_helpers import ALLOW, Writes, make_intent

from server.store import (
    ConnectorLocks,
    IllegalRetry,
    IllegalTransition,
    WriteError,
    WriteStatus,
    WriteStore,
)

S = WriteStatus


class DroppingAfas:
    """Applies the insert, then loses the connection before answering (as a proxy reset would)."""

    def __init__(self) -> None:
        self.posts: list[dict[str, object]] = []
        self.records: dict[str, dict[str, object]] = {}

    def post(self, body: dict[str, object]) -> dict[str, str]:
        self.posts.append(body)
        self.records["E900"] = body
        raise ConnectionResetError("connection reset by peer")

    def lookup(self, emid: str) -> dict[str, object] | None:
        return self.records.get(emid)


def _send(store: WriteStore, afas: DroppingAfas, write_id: str) -> None:
    """What the pipeline does with a claimed write; never retries a write itself."""
    body = store.get(write_id).body
    try:
        keys = afas.post(body)
    except ConnectionError as exc:
        store.mark_unknown(write_id, error=WriteError(message=str(exc)), request={"body": body})
        return
    store.mark_applied(write_id, afas_keys=keys, request={"body": body}, response=keys)


def test_W16_unknown_write_is_reconciled_before_any_resend(store: WriteStore) -> None:
    afas = DroppingAfas()
    intent = make_intent()
    first = store.record_unless_duplicate(
        intent, within=timedelta(hours=1), verdicts=[ALLOW], confidence=1.0
    )
    assert store.claim_for_sending(first.record.id, expected=S.RECORDED)
    _send(store, afas, first.record.id)
    assert store.get(first.record.id).status is S.UNKNOWN

    # The agent (or a retrying client) asks again: it gets the unknown write, not a new one ...
    again = store.record_unless_duplicate(
        intent, within=timedelta(hours=1), verdicts=[ALLOW], confidence=1.0
    )
    assert not again.created and again.record.status is S.UNKNOWN
    # ... which can never be sent again as it is ...
    with pytest.raises(IllegalTransition, match="is unknown;"):
        store.claim_for_sending(again.record.id, expected=S.UNKNOWN)
    # ... until the lookup in AFAS settles it.
    assert afas.lookup("E900") is not None
    reconciled = store.reconcile(first.record.id, found=True, afas_keys={"EmId": "E900"})

    assert len(afas.posts) == 1
    assert reconciled.status is S.APPLIED
    assert reconciled.afas_keys == {"EmId": "E900"}
    assert reconciled.error is None
    steps = [(e.step.value, e.detail.get("found")) for e in store.audit_trail(reconciled.id)]
    assert steps[-2:] == [("unknown", None), ("reconciled", True)]


def test_W16_unknown_write_not_found_in_afas_fails_and_only_then_may_be_retried(
    store: WriteStore, writes: Writes
) -> None:
    unknown = writes.in_state(S.UNKNOWN)
    with pytest.raises(IllegalRetry):
        store.record(
            make_intent(body=unknown.body), verdicts=[ALLOW], confidence=1.0, retry_of=unknown.id
        )
    failed = store.reconcile(unknown.id, found=False)
    assert failed.status is S.FAILED
    assert failed.error is not None and "not found in AFAS" in failed.error.message
    retry = store.record(
        make_intent(body=unknown.body), verdicts=[ALLOW], confidence=1.0, retry_of=unknown.id
    )
    assert retry.status is S.RECORDED and retry.retry_of == unknown.id


def test_W16_a_write_left_sending_by_a_crash_is_marked_unknown_not_resent(
    store: WriteStore, writes: Writes
) -> None:
    stuck = writes.in_state(S.SENDING)
    in_flight = store.list_writes(statuses=[S.SENDING])
    assert [r.id for r in in_flight] == [stuck.id]
    marked = store.mark_unknown(stuck.id, error="found sending at start-up; outcome unseen")
    assert marked.status is S.UNKNOWN


def test_W9_returned_key_already_seen_is_detected(store: WriteStore, writes: Writes) -> None:
    first = writes.in_state(S.APPLIED)  # AFAS returned EmId E1 for it
    assert store.key_seen_before("KnEmployee", {"EmId": "E1"}, excluding=first.id) is False
    second = writes.in_state(S.SENDING)
    assert store.key_seen_before("KnEmployee", {"EmId": "E1"}, excluding=second.id) is True
    store.mark_applied(second.id, afas_keys={"EmId": "E1"}, request={}, response={})
    assert store.key_seen_before("KnEmployee", {"EmId": "E1"}, excluding=second.id) is True
    assert store.key_seen_before("KnEmployee", {"EmId": "E2"}) is False
    assert store.key_seen_before("KnSubject", {"EmId": "E1"}) is False


def test_W9_keys_are_compared_as_text_whatever_type_afas_returned(
    store: WriteStore, writes: Writes
) -> None:
    sending = writes.in_state(S.SENDING)
    store.mark_applied(sending.id, afas_keys={"EmId": 1001}, request={}, response={})
    assert store.key_seen_before("KnEmployee", {"EmId": "1001"})


def test_W9_inserts_into_one_connector_run_one_at_a_time_others_in_parallel() -> None:
    async def scenario() -> tuple[int, bool]:
        locks = ConnectorLocks()
        inside = 0
        most = 0
        employee_gate = asyncio.Event()
        employee_in = asyncio.Event()
        other_ran = asyncio.Event()

        async def insert_employee() -> None:
            nonlocal inside, most
            async with locks.hold("KnEmployee"):
                inside += 1
                most = max(most, inside)
                employee_in.set()
                await asyncio.wait_for(employee_gate.wait(), timeout=5)
                inside -= 1

        async def insert_subject() -> None:
            async with locks.hold("KnSubject"):
                other_ran.set()

        tasks = [asyncio.create_task(insert_employee()) for _ in range(3)]
        await asyncio.wait_for(employee_in.wait(), timeout=5)  # KnEmployee's lock is held
        await asyncio.wait_for(insert_subject(), timeout=5)
        employee_gate.set()
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=5)
        return most, other_ran.is_set()

    most, other_ran = asyncio.run(scenario())
    assert most == 1
    assert other_ran
    assert ConnectorLocks().lock_for("a") is not ConnectorLocks().lock_for("a")
    locks = ConnectorLocks()
    assert locks.lock_for("KnEmployee") is locks.lock_for("KnEmployee")
