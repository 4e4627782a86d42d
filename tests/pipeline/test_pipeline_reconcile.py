"""W16: a lost answer is reconciled by looking the record up, never by sending it again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pipeline_helpers import Clock, Parts, rules_auto_applying, sim_hire_facts, sim_hire_intent

from server.afas.client import AfasClient
from server.store import AuditStep, WriteStatus, WriteStore
from simulator.testing import SimulatorHandle

pytestmark = pytest.mark.anyio

S = WriteStatus
HIRES = "/connectors/KnEmployee"


def hire_posts(sim: SimulatorHandle) -> int:
    return len(sim.request_log.find(method="POST", path_contains=HIRES))


async def test_W16_dropped_connection_after_apply_is_reconciled_without_a_duplicate(
    sim: SimulatorHandle, parts: Parts, store: WriteStore, afas: AfasClient
) -> None:
    sim.faults.add("POST", HIRES, "drop_after_apply", times=1)
    facts = sim_hire_facts()
    pipeline = parts.pipeline(afas, store, rules=rules_auto_applying("onboard_employee"))

    result = await pipeline.submit(sim_hire_intent(facts))

    (post,) = sim.request_log.find(method="POST", path_contains=HIRES)
    assert post.status is None  # the connection was dropped: no answer reached the client
    assert hire_posts(sim) == 1  # exactly one POST: nothing was re-sent
    hired = [p for p in sim.tenant.find("persons", SoSe=facts.bsn)]
    assert len(hired) == 1  # one person, one employee: no duplicate
    assert len(sim.tenant.find("employees", BcCo=hired[0]["BcCo"])) == 1
    assert result.status == "applied", result.message
    assert result.read_back is not None and result.read_back.result == "match"
    record = store.get(result.write_id or "")
    assert record.status is S.VERIFIED
    assert record.afas_keys == {
        "EmId": sim.tenant.find("employees", BcCo=hired[0]["BcCo"])[0]["EmId"]
    }
    assert record.error is None  # the lost answer was no error after all; the trail keeps it
    steps = [e.step for e in store.audit_trail(record.id)]
    assert steps == [
        AuditStep.RECORDED,
        AuditStep.CLAIMED,
        AuditStep.UNKNOWN,
        AuditStep.RECONCILED,
        AuditStep.VERIFIED,
    ]


async def test_a_write_lost_before_afas_applied_it_stays_unknown_until_afas_limit_then_fails(
    sim: SimulatorHandle, parts: Parts, store: WriteStore, afas: AfasClient, clock: Clock
) -> None:
    sim.faults.add("POST", HIRES, "drop", times=1)
    facts = sim_hire_facts()
    pipeline = parts.pipeline(afas, store, rules=rules_auto_applying("onboard_employee"))

    result = await pipeline.submit(sim_hire_intent(facts))

    # Not found right away, but AFAS may still be processing it (its limit is 900 s).
    assert result.status == "unknown", result.message
    assert "do not submit this write again" in result.message
    assert "get_write_status" in result.message
    assert store.get(result.write_id or "").status is S.UNKNOWN
    assert parts.sleep.waits  # the lookup looked again a few times before giving up for now

    clock.advance(timedelta(seconds=901))
    assert await pipeline.reconcile_pending() == 1
    record = store.get(result.write_id or "")
    assert record.status is S.FAILED
    assert record.error is not None and "not found in AFAS" in record.error.message
    assert hire_posts(sim) == 1 and sim.tenant.find("persons", SoSe=facts.bsn) == []

    again = await pipeline.submit(sim_hire_intent(facts))  # now it may be asked for again
    assert again.status == "applied" and again.write_id != result.write_id
    assert store.get(again.write_id or "").retry_of == result.write_id
    assert hire_posts(sim) == 2


async def test_a_lookup_that_cannot_run_leaves_the_write_unknown_and_a_later_one_settles_it(
    sim: SimulatorHandle, parts: Parts, store: WriteStore, afas: AfasClient
) -> None:
    sim.faults.add("POST", HIRES, "drop_after_apply", times=1)
    sim.block_connector("AfasMcp_Employees")
    pipeline = parts.pipeline(afas, store, rules=rules_auto_applying("onboard_employee"))

    result = await pipeline.submit(sim_hire_intent())
    assert result.status == "unknown"
    assert store.get(result.write_id or "").status is S.UNKNOWN

    sim.unblock_connector("AfasMcp_Employees")
    assert await pipeline.reconcile_pending() == 1
    assert store.get(result.write_id or "").status is S.VERIFIED
    assert hire_posts(sim) == 1


async def test_a_write_left_sending_by_a_crash_is_looked_up_at_start_not_sent_again(
    sim: SimulatorHandle, parts: Parts, store: WriteStore, afas: AfasClient, clock: Clock
) -> None:
    pipeline = parts.pipeline(afas, store, rules=rules_auto_applying("onboard_employee"))
    intent = sim_hire_intent()
    # What a crash leaves: recorded, claimed, sent (AFAS applied it), and nothing after that.
    record = store.record(intent, verdicts=[], confidence=1.0)
    assert store.claim_for_sending(record.id, expected=S.RECORDED)
    await afas.insert(intent.connector, intent.body)

    assert await pipeline.reconcile_pending() == 0  # too recent: it may still be on the wire
    assert store.get(record.id).status is S.SENDING

    clock.advance(timedelta(minutes=30))
    assert await pipeline.reconcile_pending() == 1
    assert store.get(record.id).status is S.VERIFIED
    assert hire_posts(sim) == 1


async def test_an_applied_write_never_read_back_is_read_back_at_start(
    sim: SimulatorHandle, parts: Parts, store: WriteStore, afas: AfasClient, clock: Clock
) -> None:
    pipeline = parts.pipeline(afas, store, rules=rules_auto_applying("onboard_employee"))
    intent = sim_hire_intent()
    record = store.record(intent, verdicts=[], confidence=1.0)
    assert store.claim_for_sending(record.id, expected=S.RECORDED)
    answer = await afas.insert(intent.connector, intent.body)
    store.mark_applied(record.id, afas_keys=answer.keys, request=intent.body, response=answer.raw)

    assert await pipeline.reconcile_pending() == 0  # its own sender may be reading it back now
    clock.advance(timedelta(minutes=30))
    assert await pipeline.reconcile_pending() == 1
    assert store.get(record.id).status is S.VERIFIED
