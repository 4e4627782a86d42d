"""UpdateConnector writes against the simulator: sent once, results read, errors typed."""

from __future__ import annotations

import itertools
from datetime import timedelta
from decimal import Decimal
from typing import Any

import anyio
import pytest

from server.afas import (
    AfasAuthError,
    AfasClient,
    AfasTransientError,
    AfasValidationError,
    AfasWriteOutcomeUnknown,
    Filter,
    Operator,
    element,
    envelope,
)
from simulator.testing import SimulatorHandle
from simulator.updates import write_side
from tests.afas.conftest import FakeTime, client_for

pytestmark = pytest.mark.anyio


def writes(sim: SimulatorHandle, connector: str) -> list[Any]:
    marker = f"/connectors/{connector}".lower()
    return [e for e in sim.request_log.entries if e.method != "GET" and marker in e.path.lower()]


def subject(description: str) -> dict[str, Any]:
    return envelope("KnSubject", element(fields={"StId": 1, "Ds": description}))


async def journal_entry(afas: AfasClient) -> dict[str, Any]:
    """A balanced memorial entry in the first open period of administration 1."""
    periods = await afas.rows(
        "Profit_periods_per_administration",
        key=("Unit", "Year", "Period"),
        filters=[Filter("Unit", Operator.EQUALS, 1), Filter("Blocked", Operator.EQUALS, False)],
        limit=1,
    ).collect()
    period = periods[0].values
    day = period["DateFrom"].date()  # type: ignore[attr-defined]
    amount = Decimal("100.00")
    lines = [
        element(fields={"VaAs": "1", "AcNr": "1000", "EnDa": day, "AmDe": amount, "AmCr": 0}),
        element(fields={"VaAs": "1", "AcNr": "1100", "EnDa": day, "AmDe": 0, "AmCr": amount}),
    ]
    header = {"Year": period["Year"], "Peri": period["Period"], "UnId": 1, "JoCo": "90"}
    return envelope("FiEntryPar", element(fields=header, objects={"FiEntries": lines}))


async def test_insert_returns_the_key_afas_assigned(sim: SimulatorHandle) -> None:
    async with client_for(sim) as afas:
        result = await afas.insert("KnSubject", subject("Belnotitie"))
        assert result.status_code == 201
        assert result.object_name == "KnSubject"
        number = result.keys["SbId"]
        back = await afas.rows(
            "Profit_Subjects",
            key=("SubjectId",),
            filters=Filter("SubjectId", Operator.EQUALS, number),
        ).collect()
    assert [r.values["SubjectId"] for r in back] == [int(number)]
    (call,) = writes(sim, "KnSubject")
    assert call.method == "POST"
    assert call.headers["content-type"].startswith("application/json")


async def test_results_under_the_root_object_name_are_read_too(sim: SimulatorHandle) -> None:
    async with client_for(sim) as afas:
        result = await afas.insert("FiEntries", await journal_entry(afas))
    assert result.object_name == "FiEntryPar"  # not the connector's name
    assert result.keys["UnId"] == "1" and result.keys["EnNo"].isdigit()


async def test_update_and_delete_use_put_and_the_documented_delete_path(
    sim: SimulatorHandle,
) -> None:
    async with client_for(sim) as afas:
        number = (await afas.insert("KnSubject", subject("Eerste versie"))).keys["SbId"]
        changed = envelope("KnSubject", element(keys={"SbId": number}, fields={"Ds": "Tweede"}))
        updated = await afas.update("KnSubject", changed)
        deleted = await afas.delete("KnSubject", "KnSubject", {"SbId": number})
    assert updated.status_code == 201
    assert (deleted.status_code, deleted.keys) == (200, {})
    assert [(c.method, c.path.split("/connectors/")[1]) for c in writes(sim, "KnSubject")] == [
        ("POST", "KnSubject"),
        ("PUT", "KnSubject"),
        ("DELETE", f"KnSubject/KnSubject/@SbId/{number}"),
    ]
    assert sim.tenant.get("subjects", int(number)) is None


async def test_W15_a_validation_500_is_parsed_with_message_number_and_log_reference(
    sim: SimulatorHandle,
) -> None:
    async with client_for(sim) as afas:
        with pytest.raises(AfasValidationError) as caught:
            await afas.insert("KnSubject", envelope("KnSubject", element(fields={"StId": 1})))
    error = caught.value
    assert error.status_code == 500
    assert error.connector == "KnSubject"
    assert error.external_message and "Subject" in error.external_message
    assert isinstance(error.error_number, int) and error.error_number < 0
    assert error.profit_log_reference and len(error.profit_log_reference) == 32
    assert error.profit_log_reference in str(error)
    assert len(writes(sim, "KnSubject")) == 1


async def test_W15_a_transient_journal_lock_is_typed_and_not_retried_by_the_client(
    sim: SimulatorHandle, fake_time: FakeTime
) -> None:
    sim.quirks.enable("W15_transient_lock_500")
    async with client_for(sim, fake=fake_time) as afas:
        entry = await journal_entry(afas)
        write_side(sim).lock_journals(calls=1)
        with pytest.raises(AfasTransientError, match="locked by another user"):
            await afas.insert("FiEntries", entry)
        result = await afas.insert("FiEntries", entry)  # the caller's decision, not the client's
    assert result.keys["EnNo"]
    assert [c.status for c in writes(sim, "FiEntries")] == [500, 201]
    assert fake_time.sleeps == []


async def test_W16_a_write_that_lost_its_answer_is_sent_once_and_reported_unknown(
    sim: SimulatorHandle, fake_time: FakeTime
) -> None:
    assert sim.quirks.is_on("W16_keeps_processing_after_timeout")
    sim.faults.add("POST", "/connectors/KnSubject", "drop_after_apply")
    async with client_for(sim, fake=fake_time) as afas:
        with pytest.raises(AfasWriteOutcomeUnknown) as caught:
            await afas.insert("KnSubject", subject("Verloren antwoord"))
        assert caught.value.method == "POST"
        assert "do not send it again blindly" in str(caught.value)
        # Reconcile by lookup: AFAS applied it although no answer came.
        found = await afas.rows(
            "Profit_Subjects",
            key=("SubjectId",),
            filters=Filter("Subject", Operator.EQUALS, "Verloren antwoord"),
        ).collect()
    assert len(found) == 1
    assert len(writes(sim, "KnSubject")) == 1
    assert fake_time.sleeps == []


async def test_W16_a_write_that_times_out_is_sent_once_and_reported_unknown(
    sim: SimulatorHandle, fake_time: FakeTime
) -> None:
    sim.faults.add("POST", "/connectors/KnSubject", "hang_after_apply", seconds=5)
    env = {"AFAS_TIMEOUT_SECONDS": "0.3"}
    async with client_for(sim, env=env, fake=fake_time) as afas:
        with pytest.raises(AfasWriteOutcomeUnknown, match="may have applied it"):
            await afas.insert("KnSubject", subject("Te traag"))
    with anyio.fail_after(5):  # the simulator logs the call once it sees the client leave
        while not writes(sim, "KnSubject"):
            await anyio.sleep(0.02)
    assert len(writes(sim, "KnSubject")) == 1
    assert fake_time.sleeps == []


async def test_R11_a_401_on_a_write_is_not_retried(
    sim: SimulatorHandle, fake_time: FakeTime
) -> None:
    async with client_for(sim, fake=fake_time) as afas:
        await afas.verify_environment()
        sim.revoke_token()
        with pytest.raises(AfasAuthError):
            await afas.insert("KnSubject", subject("Geen toegang"))
    assert [c.status for c in writes(sim, "KnSubject")] == [401]
    assert fake_time.sleeps == []


async def test_W9_writes_to_one_connector_are_serialised(sim: SimulatorHandle) -> None:
    sim.faults.add("POST", "/connectors/KnSubject", "latency", seconds=0.05)
    async with client_for(sim) as afas:
        await afas.verify_environment()
        async with anyio.create_task_group() as group:
            for n in range(4):
                group.start_soon(afas.insert, "KnSubject", subject(f"Parallel {n}"))
    spans = sorted(
        (c.started, c.started + timedelta(milliseconds=c.duration_ms))
        for c in writes(sim, "KnSubject")
    )
    assert len(spans) == 4
    assert all(b[0] >= a[1] for a, b in itertools.pairwise(spans))
