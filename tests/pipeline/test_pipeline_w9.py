"""W9 across approvals and processes: hires approved at once become two employees, never one.

AFAS can give two inserts into KnEmployee that overlap the same generated employee id, and the
second then overwrites the first. The packaged rules hold every hire for a person, so every hire
reaches AFAS through an approval; each approval builds its own pipeline (the review page, the
CLI), and the MCP server and `afas-mcp review serve` are separate processes on one database. The
store's connector leases must serialise all of them.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from datetime import timedelta
from typing import Any

import pytest
from pipeline_helpers import (
    APPROVED_AND_VERIFIED,
    KINDS,
    Parts,
    approve_in_process,
    rules_auto_applying,
    sim_hire_intent,
)

from server.afas.client import AfasClient
from server.config import Settings
from server.store import ConnectorBusy, ConnectorLocks, WriteRecord, WriteStatus, WriteStore
from server.writes.approvals import PipelineReviewActions
from simulator.reqlog import LoggedRequest
from simulator.testing import SimulatorHandle
from simulator.updates import write_side

pytestmark = pytest.mark.anyio

S = WriteStatus
WAIT = 60.0
OVERLAP = 1.0  # AFAS's window for handing one employee id out twice, made wide


async def held_hires(parts: Parts, store: WriteStore, afas: AfasClient, n: int) -> list[str]:
    ids = []
    for _ in range(n):
        result = await parts.pipeline(afas, store).submit(sim_hire_intent())
        assert result.status == "pending_review" and result.write_id  # hires never auto-apply
        ids.append(result.write_id)
    return ids


def hire_posts(sim: SimulatorHandle) -> list[LoggedRequest]:
    posts = sim.request_log.find(method="POST", path_contains="/connectors/KnEmployee")
    return sorted(posts, key=lambda entry: entry.started)


def assert_two_distinct_employees(sim: SimulatorHandle, records: list[WriteRecord]) -> None:
    """Both verified, each its own employee and person in the tenant, nothing overwritten."""
    assert [r.status for r in records] == [S.VERIFIED, S.VERIFIED], records
    ids = [(r.afas_keys or {}).get("EmId") for r in records]
    assert None not in ids and len(set(ids)) == 2, ids
    assert write_side(sim).journal.with_quirk("W9") == []
    for record, employee_id in zip(records, ids, strict=True):
        employee = sim.tenant.get("employees", str(employee_id))
        assert employee is not None, employee_id
        person = sim.tenant.get("persons", employee["BcCo"]) or {}
        assert person.get("SoSe") == record.facts["bsn"]  # its own person, not the other's
    first, second = hire_posts(sim)
    finished = first.started + timedelta(milliseconds=first.duration_ms)
    assert second.started >= finished, "the two inserts overlapped on the wire"


async def test_W9_two_approvals_at_once_through_two_review_surfaces_become_two_employees(
    sim: SimulatorHandle, parts: Parts, store: WriteStore, afas: AfasClient, settings: Settings
) -> None:
    assert sim.quirks.is_on("W9_parallel_inserts_share_employee_id")
    write_side(sim).settings.w9_overlap_seconds = OVERLAP
    first, second = await held_hires(parts, store, afas, 2)
    with parts.store() as other:
        # As the review page and the CLI do: an actions object each, a pipeline per decision.
        page = PipelineReviewActions(settings, store=store, kinds=KINDS.values())
        cli = PipelineReviewActions(settings, store=other, kinds=KINDS.values())
        results = await asyncio.gather(
            page.approve(first, approver="hr:alice"), cli.approve(second, approver="hr:bob")
        )
    assert [r.read_back for r in results] == ["match", "match"]
    assert_two_distinct_employees(sim, [store.get(first), store.get(second)])


@pytest.mark.slow
async def test_W9_two_approver_processes_at_once_become_two_employees(
    sim: SimulatorHandle,
    parts: Parts,
    store: WriteStore,
    afas: AfasClient,
    settings_env: dict[str, str],
) -> None:
    write_side(sim).settings.w9_overlap_seconds = OVERLAP
    first, second = await held_hires(parts, store, afas, 2)
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(2)
    now = parts.clock()
    procs = [
        ctx.Process(
            target=approve_in_process, args=(settings_env, write_id, approver, now, barrier)
        )
        for write_id, approver in ((first, "hr:alice"), (second, "hr:bob"))
    ]
    codes = await asyncio.to_thread(_run, procs)
    assert codes == [APPROVED_AND_VERIFIED, APPROVED_AND_VERIFIED]
    assert_two_distinct_employees(sim, [store.get(first), store.get(second)])


def busy_elsewhere(store: WriteStore) -> ConnectorLocks:
    """Another process holds KnEmployee's lease; these locks give up at once."""
    assert store.take_lease("KnEmployee", "another process", ttl=timedelta(hours=1))
    return ConnectorLocks(store, wait=timedelta(0))


async def test_W9_an_approval_that_cannot_get_the_connector_changes_nothing(
    sim: SimulatorHandle, parts: Parts, store: WriteStore, afas: AfasClient
) -> None:
    (write_id,) = await held_hires(parts, store, afas, 1)
    pipeline = parts.pipeline(afas, store, locks=busy_elsewhere(store))
    with pytest.raises(ConnectorBusy, match="nothing was sent"):
        await pipeline.approve(write_id, approver="hr:alice")
    assert store.get(write_id).status is S.PENDING_REVIEW  # not approved: try again later
    assert hire_posts(sim) == []


async def test_W9_an_automatic_insert_that_cannot_get_the_connector_fails_unsent(
    sim: SimulatorHandle, parts: Parts, store: WriteStore, afas: AfasClient
) -> None:
    rules = rules_auto_applying("onboard_employee")
    pipeline = parts.pipeline(afas, store, rules=rules, locks=busy_elsewhere(store))
    result = await pipeline.submit(sim_hire_intent())
    assert result.status == "failed"
    assert "another write is still being sent to KnEmployee" in result.message
    assert "submitted again" in result.message
    assert store.get(result.write_id or "").status is S.FAILED
    assert hire_posts(sim) == []


def _run(procs: list[Any]) -> list[int | None]:
    for proc in procs:
        proc.start()
    try:
        for proc in procs:
            proc.join(timeout=WAIT)
            assert proc.exitcode is not None, "an approving process did not finish"
    finally:
        for proc in procs:
            if proc.is_alive():
                proc.kill()
                proc.join(timeout=WAIT)
    codes = [proc.exitcode for proc in procs]
    for proc in procs:
        proc.close()
    return codes
