from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from store_helpers import START, FakeClock, Writes

from server.store import AuditStep, IllegalTransition, WriteNotFound, WriteStatus, WriteStore
from server.store import audit as audit_module

S = WriteStatus


def test_every_step_of_a_write_is_in_its_trail_in_order(
    store: WriteStore, writes: Writes, clock: FakeClock
) -> None:
    record = writes.recorded()
    clock.advance(timedelta(seconds=1))
    store.claim_for_sending(record.id, expected=S.RECORDED)
    clock.advance(timedelta(seconds=1))
    store.mark_applied(
        record.id,
        afas_keys={"EmId": "E1"},
        request={"method": "POST", "body": {"AfasEmployee": {"Element": {"@EmId": "E1"}}}},
        response={"status": 201, "body": {"results": {"AfasEmployee": {"EmId": "E1"}}}},
    )
    clock.advance(timedelta(seconds=1))
    store.mark_verified(record.id, read_back={"EmId": "E1", "CmId": "100"})
    trail = store.audit_trail(record.id)
    assert [(e.step, e.from_status, e.to_status) for e in trail] == [
        (AuditStep.RECORDED, None, S.RECORDED),
        (AuditStep.CLAIMED, S.RECORDED, S.SENDING),
        (AuditStep.APPLIED, S.SENDING, S.APPLIED),
        (AuditStep.VERIFIED, S.APPLIED, S.VERIFIED),
    ]
    assert [e.at - START for e in trail] == [timedelta(seconds=n) for n in range(4)]
    assert trail[0].actor == "agent:claude-1"
    assert trail[1].actor == "afas-mcp"
    assert trail[2].detail["request"]["body"] == {"AfasEmployee": {"Element": {"@EmId": "E1"}}}
    assert trail[2].detail["response"]["status"] == 201
    assert trail[3].detail["read_back"]["fields"] == {"EmId": "E1", "CmId": "100"}


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit SET actor = 'someone else'", "DELETE FROM audit"],
    ids=["update", "delete"],
)
def test_audit_rows_cannot_be_changed_or_removed(
    writes: Writes, db_path: Path, statement: str
) -> None:
    writes.in_state(S.VERIFIED)
    conn = sqlite3.connect(db_path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(statement)
    finally:
        conn.close()


def test_a_refused_transition_leaves_no_audit_row(store: WriteStore, writes: Writes) -> None:
    record = writes.in_state(S.VERIFIED)
    before = store.audit_trail(record.id)
    with pytest.raises(IllegalTransition):
        store.mark_failed(record.id, error="late")
    assert store.audit_trail(record.id) == before


def test_a_transition_whose_audit_row_fails_is_rolled_back(
    store: WriteStore, writes: Writes, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = writes.recorded()

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(audit_module, "append", broken)
    with pytest.raises(OSError, match="disk full"):
        store.claim_for_sending(record.id, expected=S.RECORDED)
    monkeypatch.undo()
    assert store.get(record.id).status is S.RECORDED
    assert store.claim_for_sending(record.id, expected=S.RECORDED)


def test_the_trail_of_an_unknown_write_is_not_found(store: WriteStore) -> None:
    with pytest.raises(WriteNotFound):
        store.audit_trail("w_aaaaaaaaaaaaaaaa")
