"""Every branch of `WritePipeline.submit`, against the simulator over real HTTP and real SQLite."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from pipeline_helpers import (
    HIRE_KIND,
    Parts,
    rules_auto_applying,
    sim_hire_facts,
    sim_hire_intent,
    sim_journal_facts,
    sim_journal_intent,
)

from policies.facts import AccountKind, JournalLine
from server.afas.client import AfasClient
from server.outcomes import PolicyDenied, ToolConfigurationError
from server.store import AuditStep, WriteStatus, WriteStore
from simulator.testing import SimulatorHandle
from simulator.updates import write_side

pytestmark = pytest.mark.anyio

S = WriteStatus


def posts(sim: SimulatorHandle, connector: str = "") -> int:
    """UpdateConnector calls that reached the simulator (reads are GETs)."""
    return len([e for e in sim.request_log.entries if e.method != "GET" and connector in e.path])


async def test_a_dry_run_returns_the_verdicts_and_payload_and_records_and_sends_nothing(
    sim: SimulatorHandle, parts: Parts, store: WriteStore, afas: AfasClient
) -> None:
    intent = sim_journal_intent()
    result = await parts.pipeline(afas, store).submit(intent, dry_run=True)
    assert result.status == "dry_run" and result.write_id is None
    assert result.decision == "allow"
    assert result.payload == dict(intent.body)
    assert {v.policy for v in result.verdicts} >= {"journal_balanced", "booking_period_open"}
    assert result.confidence == 1.0
    assert store.list_writes() == []
    assert posts(sim) == 0


async def test_an_allowed_write_is_recorded_sent_once_read_back_and_verified(
    sim: SimulatorHandle, parts: Parts, store: WriteStore, afas: AfasClient
) -> None:
    result = await parts.pipeline(afas, store).submit(sim_journal_intent())
    assert result.status == "applied", result.message
    assert result.read_back is not None and result.read_back.result == "match"
    assert result.afas_key is not None and set(result.afas_key) == {"UnId", "EnNo"}
    record = store.get(result.write_id or "")
    assert record.status is S.VERIFIED
    steps = [entry.step for entry in store.audit_trail(record.id)]
    assert steps == [
        AuditStep.RECORDED,
        AuditStep.CLAIMED,
        AuditStep.APPLIED,
        AuditStep.VERIFIED,
    ]
    assert posts(sim, "FiEntries") == 1
    assert "verified" in result.message


async def test_a_denied_write_is_recorded_as_denied_and_raises_with_reason_hint_and_id(
    sim: SimulatorHandle, parts: Parts, store: WriteStore, afas: AfasClient
) -> None:
    unbalanced = sim_journal_facts(
        lines=(
            JournalLine(AccountKind.LEDGER, "1100", debit=Decimal("100.00")),
            JournalLine(AccountKind.LEDGER, "8000", credit=Decimal("90.00")),
        )
    )
    with pytest.raises(PolicyDenied) as raised:
        await parts.pipeline(afas, store).submit(sim_journal_intent(unbalanced))
    denied = raised.value
    assert denied.write_id is not None
    record = store.get(denied.write_id)
    assert record.status is S.DENIED
    text = denied.agent_text()
    assert "journal_balanced" in text and "W18" in text and denied.write_id in text
    assert "call the tool again" in text
    assert posts(sim) == 0


async def test_a_write_the_rules_hold_waits_for_review_with_a_link_and_nothing_is_sent(
    sim: SimulatorHandle, parts: Parts, store: WriteStore, afas: AfasClient
) -> None:
    result = await parts.pipeline(afas, store).submit(sim_hire_intent())
    assert result.status == "pending_review", result.message
    assert result.decision == "review"
    assert result.review_url == f"http://127.0.0.1:8766/review/writes/{result.write_id}"
    record = store.get(result.write_id or "")
    assert record.status is S.PENDING_REVIEW
    assert record.review_reason and "auto_apply_allowed" in record.review_reason
    assert posts(sim) == 0


async def test_a_write_below_the_confidence_threshold_goes_to_review_instead_of_afas(
    sim: SimulatorHandle, parts: Parts, store: WriteStore, afas: AfasClient
) -> None:
    result = await parts.pipeline(afas, store).submit(sim_journal_intent(source_confidence=0.5))
    assert result.status == "pending_review"
    assert result.confidence == 0.5
    record = store.get(result.write_id or "")
    assert record.review_reason is not None and "confidence 0.50 < 0.90" in record.review_reason
    assert posts(sim) == 0


async def test_the_same_write_again_within_the_window_returns_the_earlier_one_unsent(
    sim: SimulatorHandle, parts: Parts, store: WriteStore, afas: AfasClient
) -> None:
    pipeline = parts.pipeline(afas, store)
    intent = sim_journal_intent()
    first = await pipeline.submit(intent)
    again = await pipeline.submit(intent)
    assert again.write_id == first.write_id
    assert again.duplicate_of == first.write_id
    assert again.status == "applied"
    assert "nothing new was sent" in again.message
    assert posts(sim, "FiEntries") == 1
    assert len(store.list_writes()) == 1


async def test_afas_refusing_a_write_leaves_it_failed_with_afas_message_and_log_reference(
    sim: SimulatorHandle, parts: Parts, store: WriteStore, afas: AfasClient
) -> None:
    # The lookup said the journal was open; a controller blocks it before the entry arrives.
    pipeline = parts.pipeline(afas, store)
    await pipeline.submit(sim_journal_intent(), dry_run=True)  # warms the journal cache
    sim.tenant.update("journals", (1, "90"), {"Blocked": True})
    result = await pipeline.submit(sim_journal_intent())
    assert result.status == "failed", result.message
    assert result.afas_error is not None and result.afas_error.log_reference
    record = store.get(result.write_id or "")
    assert record.status is S.FAILED
    failed = store.audit_trail(record.id)[-1]
    assert failed.step is AuditStep.FAILED
    assert failed.detail["request"] == record.body
    assert posts(sim, "FiEntries") == 1


async def test_a_tool_without_a_write_kind_is_refused_before_anything_is_read(
    sim: SimulatorHandle, parts: Parts, store: WriteStore, afas: AfasClient
) -> None:
    pipeline = parts.pipeline(afas, store, kinds={"onboard_employee": HIRE_KIND})
    with pytest.raises(ToolConfigurationError):
        await pipeline.submit(sim_journal_intent())
    assert store.list_writes() == [] and len(sim.request_log) == 0


async def test_an_allowed_hire_is_applied_and_verified(
    sim: SimulatorHandle, parts: Parts, store: WriteStore, afas: AfasClient
) -> None:
    pipeline = parts.pipeline(afas, store, rules=rules_auto_applying("onboard_employee"))
    result = await pipeline.submit(sim_hire_intent(sim_hire_facts(start_date=date(2026, 4, 1))))
    assert result.status == "applied", result.message
    assert result.read_back is not None and result.read_back.result == "match"
    assert write_side(sim).journal.last("KnEmployee").status == 201
