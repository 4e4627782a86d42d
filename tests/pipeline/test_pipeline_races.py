"""Racing approvers and racing inserts: exactly one send, distinct keys, and W9 caught if not."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
from pipeline_helpers import Parts, rules_auto_applying, sim_hire_intent

from server.afas.client import AfasClient
from server.store import ConnectorLocks, IllegalTransition, WriteRecord, WriteStatus, WriteStore
from server.writes.settle import W9_FIELD
from simulator.testing import SimulatorHandle
from simulator.updates import write_side

pytestmark = pytest.mark.anyio

S = WriteStatus
HIRES = "/connectors/KnEmployee"


def hire_posts(sim: SimulatorHandle) -> int:
    return len(sim.request_log.find(method="POST", path_contains=HIRES))


async def test_two_racing_approvals_send_exactly_one_write(
    sim: SimulatorHandle, parts: Parts, store: WriteStore, afas: AfasClient
) -> None:
    held = await parts.pipeline(afas, store).submit(sim_hire_intent())
    write_id = held.write_id or ""

    # Two asyncio tasks, each with its own pipeline, on one store connection.
    one, two = parts.pipeline(afas, store), parts.pipeline(afas, store)
    outcomes = await asyncio.gather(
        one.approve(write_id, approver="hr:alice"),
        two.approve(write_id, approver="hr:bob"),
        return_exceptions=True,
    )
    sent = [o for o in outcomes if isinstance(o, WriteRecord)]
    refused = [o for o in outcomes if isinstance(o, BaseException)]
    assert len(sent) == 1 and sent[0].status is S.VERIFIED
    assert len(refused) == 1 and isinstance(refused[0], IllegalTransition)
    assert "approved" in str(refused[0])  # the loser is told someone decided first
    assert hire_posts(sim) == 1

    # Two threads, each with its own event loop, AFAS client and store connection on one file.
    second = await parts.pipeline(afas, store).submit(sim_hire_intent())
    second_id = second.write_id or ""
    barrier = threading.Barrier(2, timeout=10)
    results: dict[str, Any] = {}

    def approve_in_thread(approver: str) -> None:
        async def run() -> WriteRecord:
            with parts.store() as own_store:
                async with AfasClient(parts.settings.afas) as own_afas:
                    pipeline = parts.pipeline(own_afas, own_store)
                    await own_afas.verify_environment()  # both ready before the race starts
                    barrier.wait()
                    return await pipeline.approve(second_id, approver=approver)

        try:
            results[approver] = asyncio.run(run())
        except Exception as exc:  # the loser's refusal, kept for the assertions
            results[approver] = exc

    threads = [
        threading.Thread(target=approve_in_thread, args=(a,)) for a in ("hr:alice", "hr:bob")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
        assert not thread.is_alive()
    won = [r for r in results.values() if isinstance(r, WriteRecord)]
    lost = [r for r in results.values() if isinstance(r, Exception)]
    assert len(won) == 1 and won[0].status is S.VERIFIED, results
    assert len(lost) == 1 and isinstance(lost[0], IllegalTransition), results
    assert hire_posts(sim) == 2  # one per held write, never two for one
    assert store.get(second_id).approver == won[0].approver


async def test_W9_parallel_hires_are_serialised_so_each_gets_its_own_employee_id(
    sim: SimulatorHandle, parts: Parts, store: WriteStore, afas: AfasClient
) -> None:
    assert sim.quirks.is_on("W9_parallel_inserts_share_employee_id")
    write_side(sim).settings.w9_overlap_seconds = 0.5  # AFAS's window for handing an id out twice
    pipeline = parts.pipeline(afas, store, rules=rules_auto_applying("onboard_employee"))
    first, second = await asyncio.gather(
        pipeline.submit(sim_hire_intent()), pipeline.submit(sim_hire_intent())
    )
    assert first.status == second.status == "applied"
    assert first.afas_key != second.afas_key
    assert first.read_back and first.read_back.result == "match"
    assert second.read_back and second.read_back.result == "match"
    assert write_side(sim).journal.with_quirk("W9") == []


async def test_W9_a_key_afas_handed_out_twice_is_drift_said_loudly(
    sim: SimulatorHandle, parts: Parts, store: WriteStore
) -> None:
    # Locks that are not leases in the store (as for an insert made outside afas-mcp) do not
    # serialise the two pipelines; the ledger still sees both keys.
    write_side(sim).settings.w9_overlap_seconds = 2.0
    rules = rules_auto_applying("onboard_employee")
    async with AfasClient(parts.settings.afas) as a, AfasClient(parts.settings.afas) as b:
        one = parts.pipeline(a, store, rules=rules, locks=ConnectorLocks())
        two = parts.pipeline(b, store, rules=rules, locks=ConnectorLocks())
        first, second = await asyncio.gather(
            one.submit(sim_hire_intent()), two.submit(sim_hire_intent())
        )
    assert write_side(sim).journal.with_quirk("W9"), "the simulator did not share the id"
    assert first.afas_key == second.afas_key
    flagged = [
        r
        for r in (first, second)
        if r.read_back and any(d.field == W9_FIELD for d in r.read_back.diffs)
    ]
    assert flagged, (first, second)
    for result in flagged:
        assert result.status == "applied" and result.read_back is not None
        assert result.read_back.result == "drift"
        assert result.message.startswith("WARNING: AFAS returned a key")
        assert store.get(result.write_id or "").status is S.DRIFT
