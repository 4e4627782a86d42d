"""Concurrency (R9), throttling (W11) and the documented retries (W15, W16) over real HTTP."""

from __future__ import annotations

import itertools
from datetime import timedelta

import anyio
import pytest

from server.afas import (
    AfasConnectionError,
    AfasConnectorBlocked,
    AfasTimeout,
    AfasUnavailable,
    Filter,
    Operator,
    RetryPolicy,
    element,
    envelope,
)
from simulator.testing import SimulatorHandle
from tests.afas.conftest import FakeTime, client_for, connector_calls

pytestmark = pytest.mark.anyio

DEBTORS = "Profit_Debtor"
CREDITORS = "Profit_Creditor"
EMPLOYEES = "AfasMcp_Employees"


def intervals(sim: SimulatorHandle, connector: str) -> list[tuple[object, object]]:
    return sorted(
        (e.started, e.started + timedelta(milliseconds=e.duration_ms))
        for e in connector_calls(sim, connector)
    )


def overlapping(spans: list[tuple[object, object]]) -> bool:
    return any(b[0] < a[1] for a, b in itertools.pairwise(spans))  # type: ignore[operator]


async def test_R9_one_call_per_connector_in_flight_and_never_a_stale_payload(
    sim: SimulatorHandle,
) -> None:
    assert sim.quirks.is_on("R9_stale_cache_under_concurrency")
    sim.settings.r9_delay_seconds = 0.05  # slow reads, so unserialised calls would overlap
    results: dict[str, list[int]] = {}
    async with client_for(sim) as afas:
        await afas.verify_environment()

        async def read(name: str, connector: str, key: str, only: Filter | None = None) -> None:
            stream = afas.rows(connector, key=(key,), page_size=40, filters=only)
            results.setdefault(name, []).append(len(await stream.collect()))

        async with anyio.create_task_group() as group:
            for n in range(3):  # identical reads: the ones R9 answers from a stale cache
                group.start_soon(read, f"debtors-{n}", DEBTORS, "DebtorId")
            unblocked = Filter("Blocked", Operator.EQUALS, False)
            group.start_soon(read, "unblocked", DEBTORS, "DebtorId", unblocked)
            group.start_soon(read, "creditors", CREDITORS, "CreditorId")
            group.start_soon(read, "employees", EMPLOYEES, "EmployeeId")
    assert not overlapping(intervals(sim, DEBTORS))  # serialised per connector...
    everything = intervals(sim, DEBTORS) + intervals(sim, CREDITORS) + intervals(sim, EMPLOYEES)
    assert overlapping(sorted(everything))  # ...while other connectors ran alongside
    assert not any("R9 stale payload" in e.notes for e in sim.request_log.entries)
    assert len({results[f"debtors-{n}"][0] for n in range(3)}) == 1


async def test_W11_503_honours_retry_after_for_reads(
    sim: SimulatorHandle, fake_time: FakeTime
) -> None:
    sim.faults.add("GET", "/connectors/Profit_Debtor", "error_503", times=2, retry_after=3)
    async with client_for(sim, fake=fake_time) as afas:
        rows = await afas.rows(DEBTORS, key=("DebtorId",), limit=5).collect()
    assert len(rows) == 5
    assert [c.status for c in connector_calls(sim, DEBTORS)] == [503, 503, 200]
    assert fake_time.sleeps == [3, 3]


async def test_W11_a_retry_after_beyond_the_bound_is_raised_with_the_time(
    sim: SimulatorHandle, fake_time: FakeTime
) -> None:
    sim.set_maintenance(True, retry_after=7200)
    async with client_for(sim, fake=fake_time) as afas:
        with pytest.raises(AfasUnavailable) as caught:
            await afas.verify_environment()
    assert caught.value.retry_after == 7200
    assert "7200" in str(caught.value)
    assert len(sim.request_log.entries) == 1
    assert fake_time.sleeps == []


async def test_W11_retries_of_a_503_are_bounded(sim: SimulatorHandle, fake_time: FakeTime) -> None:
    sim.faults.add("GET", "/connectors/Profit_Debtor", "error_503", retry_after=2)
    retry = RetryPolicy(attempts=3, backoff=0.01)
    async with client_for(sim, fake=fake_time, retry=retry) as afas:
        with pytest.raises(AfasUnavailable):
            await afas.rows(DEBTORS, key=("DebtorId",)).collect()
    assert len(connector_calls(sim, DEBTORS)) == 3
    assert fake_time.sleeps == [2, 2]


async def test_W16_a_503_on_a_write_is_never_retried(
    sim: SimulatorHandle, fake_time: FakeTime
) -> None:
    async with client_for(sim, fake=fake_time) as afas:
        await afas.verify_environment()
        sim.set_maintenance(True, retry_after=2)
        with pytest.raises(AfasUnavailable):
            await afas.insert("KnSubject", envelope("KnSubject", element(fields={"Ds": "x"})))
    assert [e.method for e in sim.request_log.entries] == ["GET", "POST"]
    assert fake_time.sleeps == []


async def test_W11_the_client_throttles_itself_to_the_configured_rate(
    sim: SimulatorHandle, fake_time: FakeTime
) -> None:
    env = {"AFAS_RATE_LIMIT_PER_MINUTE": "12"}  # one call per 5 s, bursts of 2
    async with client_for(sim, env=env, fake=fake_time) as afas:
        await afas.verify_environment()
        for _ in range(9):
            await afas.get_connector_meta(DEBTORS, refresh=True)
    assert len(sim.request_log.entries) == 10
    assert sum(fake_time.sleeps) == pytest.approx(8 * 5.0)


async def test_W11_a_blocked_getconnector_is_reported_as_such(
    sim: SimulatorHandle, fake_time: FakeTime
) -> None:
    sim.block_connector(DEBTORS)
    async with client_for(sim, fake=fake_time) as afas:
        with pytest.raises(AfasConnectorBlocked, match="unblock"):
            await afas.rows(DEBTORS, key=("DebtorId",)).collect()
    assert len(connector_calls(sim, DEBTORS)) == 1
    assert fake_time.sleeps == []


async def test_a_dropped_read_is_retried_with_backoff(
    sim: SimulatorHandle, fake_time: FakeTime
) -> None:
    sim.faults.add("GET", "/connectors/Profit_Debtor", "drop", times=2)
    retry = RetryPolicy(attempts=4, backoff=0.5)
    async with client_for(sim, fake=fake_time, retry=retry) as afas:
        rows = await afas.rows(DEBTORS, key=("DebtorId",), limit=3).collect()
    assert len(rows) == 3
    assert fake_time.sleeps == [0.5, 1.0]


async def test_a_read_that_keeps_failing_gives_up_after_the_bound(
    sim: SimulatorHandle, fake_time: FakeTime
) -> None:
    sim.faults.add("GET", "/connectors/Profit_Debtor", "drop")
    retry = RetryPolicy(attempts=3, backoff=0.5)
    async with client_for(sim, fake=fake_time, retry=retry) as afas:
        with pytest.raises(AfasConnectionError):
            await afas.rows(DEBTORS, key=("DebtorId",)).collect()
    assert len(connector_calls(sim, DEBTORS)) == 3
    assert fake_time.sleeps == [0.5, 1.0]


async def test_a_read_timeout_is_retried_then_reported_as_a_timeout(
    sim: SimulatorHandle, fake_time: FakeTime
) -> None:
    sim.faults.add("GET", "/connectors/Profit_Debtor", "hang", seconds=5)
    retry = RetryPolicy(attempts=2, backoff=0.1)
    env = {"AFAS_TIMEOUT_SECONDS": "0.3"}
    async with client_for(sim, env=env, fake=fake_time, retry=retry) as afas:
        with pytest.raises(AfasTimeout, match="may still be working"):
            await afas.rows(DEBTORS, key=("DebtorId",)).collect()
    assert fake_time.sleeps == [0.1]
