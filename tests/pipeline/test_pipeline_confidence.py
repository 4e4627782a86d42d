"""The rule file in force, and the confidence factors kept with each write for its readers."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from pipeline_helpers import KINDS, Parts, sim_hire_facts, sim_hire_intent

from server.afas.client import AfasClient
from server.afas.values import AMSTERDAM
from server.config import load_settings
from server.config.rules import packaged_rules_file
from server.outcomes import PolicyDenied
from server.store import WriteStatus, WriteStore
from server.write_status import write_status
from server.writes.options import load_write_options
from server.writes.wiring import build_pipeline, open_store
from simulator.testing import SimulatorHandle

pytestmark = pytest.mark.anyio


async def test_a_held_write_keeps_its_confidence_factors_for_people_and_get_write_status(
    sim: SimulatorHandle, parts: Parts, store: WriteStore, afas: AfasClient
) -> None:
    result = await parts.pipeline(afas, store).submit(sim_hire_intent(source_confidence=0.5))
    assert result.status == "pending_review" and result.write_id

    record = store.get(result.write_id)
    detail = record.confidence_detail
    assert detail is not None
    assert detail.score == record.confidence == result.confidence
    assert detail.factors[0].name == "source" and detail.factors[0].value == 0.5
    assert detail.below_threshold
    assert detail.explanation.startswith("0.50 < ")

    report = write_status(store, result.write_id)
    assert report.confidence_factors is not None
    assert report.confidence_factors.threshold == detail.threshold
    assert [f.name for f in report.confidence_factors.factors] == [f.name for f in detail.factors]
    assert report.confidence_factors.explanation == detail.explanation


async def test_a_denied_write_keeps_the_factor_that_zeroed_its_confidence(
    sim: SimulatorHandle, parts: Parts, store: WriteStore, afas: AfasClient
) -> None:
    intent = sim_hire_intent(sim_hire_facts(function_id="CHF"))  # not in employer 02's table
    with pytest.raises(PolicyDenied) as denied:
        await parts.pipeline(afas, store).submit(intent)

    record = store.get(denied.value.write_id or "")
    assert record.status is WriteStatus.DENIED
    assert record.confidence_detail is not None
    assert record.confidence_detail.factors[-1].name == "denied"
    assert record.confidence == 0.0


async def test_the_configured_policy_file_is_the_one_the_pipeline_judges_by(
    sim: SimulatorHandle, settings_env: dict[str, str], tmp_path: Path
) -> None:
    rules = tmp_path / "rules.toml"
    packaged = packaged_rules_file().read_text(encoding="utf-8")
    rules.write_text(
        packaged.replace("onboard_employee = false", "onboard_employee = true", 1), "utf-8"
    )
    settings = load_settings(settings_env | {"AFAS_MCP_POLICY_FILE": str(rules)})
    options = load_write_options(settings)
    with open_store(settings, options) as store:
        async with AfasClient(settings.afas) as afas:

            async def client() -> AfasClient:
                return afas

            pipeline = build_pipeline(
                settings,
                afas=client,
                store=store,
                kinds=KINDS.values(),
                options=options,
                clock=lambda: datetime.now(AMSTERDAM),
            )
            result = await pipeline.submit(sim_hire_intent())
    assert result.status == "applied", result.message  # the packaged rules would hold a hire
