"""Why the server was as sure as it was is kept with each write and shown where it is read."""

from __future__ import annotations

import pytest
from pipeline_helpers import Parts, sim_hire_facts, sim_hire_intent

from server.afas.client import AfasClient
from server.outcomes import PolicyDenied
from server.store import WriteStatus, WriteStore
from server.write_status import write_status
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
