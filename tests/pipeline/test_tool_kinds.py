"""The pipeline with the write tools' own kinds and payload builders (`tools.write_kinds`).

The other pipeline tests use small test-only kinds so they test the pipeline alone; these prove
the pieces fit: what the tools build is accepted by the (simulated) AFAS, reads back as the
tools' expectations say, and is found again by their `locate` after a lost answer (W16).
"""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from pipeline_helpers import (
    REQUESTER,
    Parts,
    rules_auto_applying,
    sim_hire_facts,
    sim_journal_facts,
)

from policies import WriteIntent
from policies.facts import HireFacts, JournalEntryFacts
from server.afas.client import AfasClient
from server.store import AuditStep, WriteStatus, WriteStore
from server.writes import WriteKind
from simulator.testing import SimulatorHandle
from tools import write_kinds
from tools.payloads._elements import reference
from tools.payloads.employee import hire_body
from tools.payloads.journal import journal_body

pytestmark = pytest.mark.anyio

S = WriteStatus


@pytest.fixture
def tool_kinds() -> Mapping[str, WriteKind]:
    return {kind.tool: kind for kind in write_kinds()}


def hire(facts: HireFacts) -> WriteIntent:
    return WriteIntent(
        tool="onboard_employee",
        connector="KnEmployee",
        action="insert",
        body=hire_body(facts),
        facts=facts,
        requester=REQUESTER,
    )


def entry(facts: JournalEntryFacts) -> WriteIntent:
    body = journal_body(facts, year=2026, period=3, voucher=reference(facts))
    return WriteIntent(
        tool="post_journal_entry",
        connector="FiEntries",
        action="insert",
        body=body,
        facts=facts,
        requester=REQUESTER,
    )


def test_every_write_tool_declares_a_kind() -> None:
    tools = [kind.tool for kind in write_kinds()]
    assert sorted(tools) == sorted(set(tools))
    assert set(tools) == {
        "onboard_employee",
        "update_employee",
        "post_journal_entry",
        "create_debtor",
        "create_creditor",
        "register_hours",
        "submit_leave_request",
        "log_activity",
    }


async def test_a_hire_built_by_the_tool_is_applied_and_verified_by_its_own_expectations(
    sim: SimulatorHandle,
    parts: Parts,
    store: WriteStore,
    afas: AfasClient,
    tool_kinds: Mapping[str, WriteKind],
) -> None:
    pipeline = parts.pipeline(
        afas, store, kinds=tool_kinds, rules=rules_auto_applying("onboard_employee")
    )
    result = await pipeline.submit(hire(sim_hire_facts()))
    assert result.status == "applied", result.message
    assert result.read_back is not None and result.read_back.result == "match", result.read_back


async def test_W16_a_hire_built_by_the_tool_is_found_again_after_a_dropped_answer(
    sim: SimulatorHandle,
    parts: Parts,
    store: WriteStore,
    afas: AfasClient,
    tool_kinds: Mapping[str, WriteKind],
) -> None:
    sim.faults.add("POST", "/connectors/KnEmployee", "drop_after_apply", times=1)
    pipeline = parts.pipeline(
        afas, store, kinds=tool_kinds, rules=rules_auto_applying("onboard_employee")
    )
    result = await pipeline.submit(hire(sim_hire_facts()))
    assert result.status == "applied", result.message
    assert store.get(result.write_id or "").status is S.VERIFIED
    assert len(sim.request_log.find(method="POST", path_contains="/connectors/KnEmployee")) == 1


async def test_W16_a_journal_entry_is_found_again_by_its_voucher_after_a_dropped_answer(
    sim: SimulatorHandle,
    parts: Parts,
    store: WriteStore,
    afas: AfasClient,
    tool_kinds: Mapping[str, WriteKind],
) -> None:
    sim.faults.add("POST", "/connectors/FiEntries", "drop_after_apply", times=1)
    pipeline = parts.pipeline(afas, store, kinds=tool_kinds)
    result = await pipeline.submit(entry(sim_journal_facts()))
    assert result.status == "applied", result.message
    record = store.get(result.write_id or "")
    assert record.status is S.VERIFIED
    steps = [e.step for e in store.audit_trail(record.id)]
    assert AuditStep.RECONCILED in steps
    assert len(sim.request_log.find(method="POST", path_contains="/connectors/FiEntries")) == 1
