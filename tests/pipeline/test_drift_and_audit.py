"""W14: a write AFAS stores otherwise is drift for a person; W17: the trail keeps the bodies."""

from __future__ import annotations

import base64
import copy
import json
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pipeline_helpers import (
    HIRE_KIND,
    JOURNAL_KIND,
    KINDS,
    Parts,
    hire_expectations,
    journal_expectations,
    rules_auto_applying,
    sim_hire_intent,
    sim_journal_facts,
    sim_journal_intent,
)

from policies.facts import HireFacts, JournalEntryFacts
from server.afas.client import AfasClient
from server.outcomes import InvalidToolInput
from server.store import AuditStep, DriftResolution, WriteStatus, WriteStore
from server.writes import Expectation
from simulator.testing import SimulatorHandle

pytestmark = pytest.mark.anyio

S = WriteStatus


async def test_W14_a_write_afas_stores_otherwise_is_drift_queued_with_the_diff_named(
    sim: SimulatorHandle, parts: Parts, store: WriteStore, afas: AfasClient
) -> None:
    pipeline = parts.pipeline(afas, store, rules=rules_auto_applying("onboard_employee"))
    await pipeline.submit(sim_hire_intent(), dry_run=True)  # the function table is cached now
    # Someone blocks function ICT meanwhile; AFAS answers 201 and stores no function (W10).
    sim.tenant.update("functions", ("02", "ICT"), {"Blocked": True})

    result = await pipeline.submit(sim_hire_intent())

    assert result.status == "applied"
    assert result.read_back is not None and result.read_back.result == "drift"
    (diff,) = result.read_back.diffs
    assert (diff.field, diff.expected, diff.actual) == ("employee.FunctionId", "ICT", None)
    assert "FunctionId" in result.message and "human will review" in result.message
    record = store.get(result.write_id or "")
    assert record.status is S.DRIFT
    assert (
        record.read_back is not None and record.read_back.fields["employee"]["FunctionId"] is None
    )

    resolved = pipeline.resolve_drift(
        record.id,
        resolver="hr:alice",
        resolution=DriftResolution.CORRECTED,
        note="function set by hand in Profit",
    )
    assert resolved.status is S.RESOLVED and resolved.resolved_by == "hr:alice"


async def test_a_record_that_does_not_read_back_at_all_is_drift_not_a_match(
    sim: SimulatorHandle, parts: Parts, store: WriteStore, afas: AfasClient
) -> None:
    pipeline = parts.pipeline(afas, store)
    sim.block_connector("Profit_Transactions")
    result = await pipeline.submit(sim_journal_intent())
    # The read itself fails (AFAS blocked the connector): applied, but it could not be checked.
    assert result.status == "applied"
    assert result.read_back is not None and result.read_back.result == "unverifiable"
    assert "could not read transactions" in (result.read_back.reason or "")
    assert store.get(result.write_id or "").status is S.APPLIED
    sim.unblock_connector("Profit_Transactions")

    # The entry is deleted before it is read back: AFAS said 201, nothing reads back.
    def vanish(
        facts: JournalEntryFacts, body: Mapping[str, Any], keys: Mapping[str, str]
    ) -> Sequence[Expectation]:
        sim.tenant.delete("entries", (1, int(keys["EnNo"]), 1))
        return journal_expectations(facts, body, keys)

    kinds = {**KINDS, "post_journal_entry": replace(JOURNAL_KIND, expectations=vanish)}
    other = sim_journal_intent(sim_journal_facts(entry_date=date(2026, 3, 6)))
    missing = await parts.pipeline(afas, store, kinds=kinds).submit(other)
    assert missing.read_back is not None and missing.read_back.result == "drift"
    assert [d.field for d in missing.read_back.diffs] == ["entry[1]"]


async def test_W17_the_audit_trail_keeps_request_and_response_bodies_and_no_token(
    sim: SimulatorHandle, parts: Parts, store: WriteStore, afas: AfasClient, tmp_path: Path
) -> None:
    pipeline = parts.pipeline(afas, store)
    applied = await pipeline.submit(sim_journal_intent())
    sim.tenant.update("journals", (1, "90"), {"Blocked": True})
    refused = await pipeline.submit(
        sim_journal_intent(sim_journal_facts(entry_date=date(2026, 3, 9)))
    )
    assert refused.status == "failed"

    applied_row = next(
        e for e in store.audit_trail(applied.write_id or "") if e.step is AuditStep.APPLIED
    )
    assert applied_row.detail["request"] == store.get(applied.write_id or "").body
    assert applied_row.detail["response"] == {"results": {"FiEntryPar": applied.afas_key}}
    failed_row = store.audit_trail(refused.write_id or "")[-1]
    assert failed_row.detail["request"]["FiEntryPar"]["Element"]["Fields"]["JoCo"] == "90"
    assert refused.afas_error is not None
    assert failed_row.detail["error"]["log_reference"] == refused.afas_error.log_reference

    # An agent that pastes the token into a field gets a refusal; nothing of it is stored.
    token_data = sim.token_xml.partition("<data>")[2].partition("</data>")[0]
    header = f"AfasToken {base64.b64encode(sim.token_xml.encode()).decode()}"
    for pasted in (header, token_data):
        body = copy.deepcopy(dict(sim_journal_intent().body))
        body["FiEntryPar"]["Element"]["Objects"][0]["FiEntries"]["Element"][0]["Fields"]["Ds"] = (
            pasted
        )
        with pytest.raises(InvalidToolInput, match="password or token"):
            await pipeline.submit(sim_journal_intent(body=body))
    assert len(store.list_writes()) == 2

    store.close()
    forms = {
        sim.token_xml,
        token_data,
        base64.b64encode(sim.token_xml.encode()).decode(),
        base64.b64encode(token_data.encode()).decode(),
    }
    files = [
        p
        for p in Path(parts.settings.database).parent.iterdir()
        if p.name.startswith("afas-mcp.sqlite")
    ]
    assert files
    for path in files:
        content = path.read_bytes()
        for form in forms:
            assert form.encode() not in content, f"{form[:12]}... found in {path.name}"
    assert json.dumps(applied_row.detail)  # the detail is plain JSON


async def test_R5_a_record_that_reads_back_as_a_shell_row_is_drift_not_a_match(
    sim: SimulatorHandle, parts: Parts, store: WriteStore, afas: AfasClient
) -> None:
    # Someone blocks the new employee before it is read back: AFAS shows a shell row (R5).
    def blocked(
        facts: HireFacts, body: Mapping[str, Any], keys: Mapping[str, str]
    ) -> Sequence[Expectation]:
        sim.tenant.update("employees", keys["EmId"], {"Bl": True})
        return hire_expectations(facts, body, keys)

    kinds = {**KINDS, "onboard_employee": replace(HIRE_KIND, expectations=blocked)}
    pipeline = parts.pipeline(
        afas, store, kinds=kinds, rules=rules_auto_applying("onboard_employee")
    )
    result = await pipeline.submit(sim_hire_intent())
    assert result.read_back is not None and result.read_back.result == "drift"
    (diff,) = result.read_back.diffs
    assert diff.field == "employee" and "shell row" in str(diff.actual)
    assert store.get(result.write_id or "").status is S.DRIFT
