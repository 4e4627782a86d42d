"""Metainfo: the connector list, GetConnector fields and UpdateConnector objects."""

from __future__ import annotations

import pytest

from simulator.testing import SimulatorHandle
from tests.afas.conftest import client_for

pytestmark = pytest.mark.anyio


async def test_metainfo_lists_the_linked_connectors_and_the_environment(
    sim: SimulatorHandle,
) -> None:
    async with client_for(sim) as afas:
        meta = await afas.metainfo()
    assert "Profit_Debtor" in {c.id for c in meta.get_connectors}
    assert "KnSubject" in {c.id for c in meta.update_connectors}
    assert meta.info.envid == sim.environment_name
    assert meta.info.environment_type == "test"
    # Today is past 1 September 2026: AFAS dates every classic token to its phase-out (R11).
    assert meta.info.token_expires == "2027-05-01T00:00:00"


async def test_getconnector_metainfo_gives_field_types_for_normalisation(
    sim: SimulatorHandle,
) -> None:
    async with client_for(sim) as afas:
        meta = await afas.get_connector_meta("Profit_Debtor")
    assert meta.name == "Profit_Debtor"
    assert meta.types["CreditLimit"] == "decimal"
    field = meta.get("CreditLimit")
    assert field is not None and field.decimals == 2
    assert meta.snapshot()["fields"]["CreateDate"] == "date"


async def test_updateconnector_metainfo_names_the_payload_root(sim: SimulatorHandle) -> None:
    async with client_for(sim) as afas:
        employee = await afas.update_connector_meta("KnEmployee")
        subject = await afas.update_connector_meta("KnSubject")
        again = await afas.update_connector_meta("KnSubject")
    assert employee.name == "AfasEmployee"  # not the connector's name
    assert employee.objects  # nested sub-objects (contract, salary, ...)
    assert subject.name == "KnSubject"
    assert any(f.field_id == "Ds" for f in subject.fields)
    assert again is subject  # cached
