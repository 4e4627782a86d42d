"""Insert leases (W9): one holder per connector, across connections and lock objects."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from store_helpers import FakeClock

from server.store import ConnectorBusy, ConnectorLocks, WriteStore
from server.store.migrations import SCHEMA_VERSION

TTL = timedelta(seconds=30)


class FakeTime:
    """A monotonic clock and a `sleep` that only moves it (and, when asked, the store's clock)."""

    def __init__(self, store_clock: FakeClock | None = None) -> None:
        self.now = 100.0
        self.store_clock = store_clock
        self.pauses: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.pauses.append(seconds)
        self.now += seconds
        if self.store_clock is not None:
            self.store_clock.advance(timedelta(seconds=seconds))
        await asyncio.sleep(0)  # let the other waiters run, as a real pause would


class CountingLeases:
    """A lease store that tells the test when a lease was renewed."""

    def __init__(self, store: WriteStore) -> None:
        self.store = store
        self.renewed = asyncio.Event()

    def take_lease(self, connector: str, holder: str, *, ttl: timedelta) -> bool:
        return self.store.take_lease(connector, holder, ttl=ttl)

    def renew_lease(self, connector: str, holder: str, *, ttl: timedelta) -> bool:
        kept = self.store.renew_lease(connector, holder, ttl=ttl)
        self.renewed.set()
        return kept

    def release_lease(self, connector: str, holder: str) -> None:
        self.store.release_lease(connector, holder)


def expiry(db_path: Path, connector: str) -> str | None:
    conn = sqlite3.connect(db_path)
    try:
        row = conn.execute(
            "SELECT expires_at FROM connector_locks WHERE connector = ?", [connector]
        ).fetchone()
    finally:
        conn.close()
    return None if row is None else str(row[0])


def test_W9_a_lease_has_one_holder_across_connections_until_released(
    db_path: Path, clock: FakeClock, store: WriteStore
) -> None:
    with WriteStore(db_path, clock=clock) as other:
        assert store.take_lease("KnEmployee", "a", ttl=TTL)
        assert not other.take_lease("KnEmployee", "b", ttl=TTL)
        assert other.take_lease("KnSubject", "b", ttl=TTL)  # other connectors are free
        assert other.lease_holder("KnEmployee") == "a"
        other.release_lease("KnEmployee", "b")  # not b's: nothing happens
        assert store.lease_holder("KnEmployee") == "a"
        store.release_lease("KnEmployee", "a")
        assert other.take_lease("KnEmployee", "b", ttl=TTL)


def test_W9_a_crashed_holders_lease_lapses_and_is_taken_over_with_a_warning(
    store: WriteStore, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    assert store.take_lease("KnEmployee", "crashed", ttl=TTL)
    clock.advance(TTL - timedelta(seconds=1))
    assert not store.take_lease("KnEmployee", "next", ttl=TTL)
    clock.advance(timedelta(seconds=1))
    with caplog.at_level(logging.WARNING, logger="server.store.leases"):
        assert store.take_lease("KnEmployee", "next", ttl=TTL)
    assert "held by crashed lapsed" in caplog.text
    assert not store.renew_lease("KnEmployee", "crashed", ttl=TTL)  # the old holder lost it


def test_renewing_moves_the_expiry_forward(
    db_path: Path, store: WriteStore, clock: FakeClock
) -> None:
    store.take_lease("KnEmployee", "a", ttl=TTL)
    before = expiry(db_path, "KnEmployee")
    clock.advance(timedelta(seconds=20))
    assert store.renew_lease("KnEmployee", "a", ttl=TTL)
    assert (expiry(db_path, "KnEmployee") or "") > (before or "")


def test_the_lease_migration_is_idempotent_on_a_file_patched_by_hand(db_path: Path) -> None:
    WriteStore(db_path).close()
    conn = sqlite3.connect(db_path)
    with conn:  # as if m002 never ran, while its table is already there
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm002_connector_locks'")
        conn.execute("PRAGMA user_version = 1")
    conn.close()
    with WriteStore(db_path) as store:
        assert store.take_lease("KnEmployee", "a", ttl=TTL)
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    finally:
        conn.close()


def test_W9_two_lock_objects_on_one_store_serialise_inserts_into_one_connector(
    db_path: Path, clock: FakeClock
) -> None:
    async def scenario() -> tuple[int, bool]:
        time = FakeTime()
        with WriteStore(db_path, clock=clock) as one, WriteStore(db_path, clock=clock) as two:
            # As the review page does: every approval builds a pipeline with its own locks.
            locks = [
                ConnectorLocks(store, sleep=time.sleep, monotonic=time.monotonic)
                for store in (one, two, one)
            ]
            inside = most = 0
            gate = asyncio.Event()
            first_in = asyncio.Event()
            other_ran = asyncio.Event()

            async def insert_employee(lock: ConnectorLocks) -> None:
                nonlocal inside, most
                async with lock.hold("KnEmployee"):
                    inside += 1
                    most = max(most, inside)
                    first_in.set()
                    await asyncio.wait_for(gate.wait(), timeout=5)
                    inside -= 1

            async def insert_subject() -> None:
                async with locks[1].hold("KnSubject"):
                    other_ran.set()

            tasks = [asyncio.create_task(insert_employee(lock)) for lock in locks]
            await asyncio.wait_for(first_in.wait(), timeout=5)
            await asyncio.wait_for(insert_subject(), timeout=5)
            gate.set()
            await asyncio.wait_for(asyncio.gather(*tasks), timeout=5)
            assert one.lease_holder("KnEmployee") is None  # every holder gave it back
            return most, other_ran.is_set()

    most, other_ran = asyncio.run(scenario())
    assert most == 1
    assert other_ran


def test_W9_waiting_for_a_busy_connector_is_bounded_and_nothing_runs(store: WriteStore) -> None:
    async def scenario() -> tuple[ConnectorBusy, list[float]]:
        time = FakeTime()
        store.take_lease("KnEmployee", "another process", ttl=timedelta(hours=1))
        locks = ConnectorLocks(
            store, wait=timedelta(seconds=3), sleep=time.sleep, monotonic=time.monotonic
        )
        ran = False
        with pytest.raises(ConnectorBusy) as caught:
            async with locks.hold("KnEmployee"):
                ran = True
        assert not ran
        return caught.value, time.pauses

    busy, pauses = asyncio.run(scenario())
    assert "another write is still being sent to KnEmployee" in str(busy)
    assert "nothing was sent" in str(busy)
    assert sum(pauses) == pytest.approx(3.0)
    assert pauses[0] <= 0.01 and max(pauses) <= 0.25  # backoff, capped


def test_W9_a_crashed_holder_blocks_the_connector_only_until_its_lease_lapses(
    store: WriteStore, clock: FakeClock
) -> None:
    async def scenario() -> bool:
        time = FakeTime(store_clock=clock)  # waiting moves the store's clock too
        store.take_lease("KnEmployee", "a process that crashed", ttl=TTL)
        locks = ConnectorLocks(
            store, wait=timedelta(minutes=1), sleep=time.sleep, monotonic=time.monotonic
        )
        async with locks.hold("KnEmployee"):
            return (time.now - 100.0) >= TTL.total_seconds()

    assert asyncio.run(scenario())
    assert store.lease_holder("KnEmployee") is None


def test_the_lease_is_released_when_the_block_fails(store: WriteStore) -> None:
    async def scenario() -> None:
        locks = ConnectorLocks(store)
        with pytest.raises(RuntimeError):
            async with locks.hold("KnEmployee"):
                assert store.lease_holder("KnEmployee") is not None
                raise RuntimeError("AFAS call blew up")

    asyncio.run(scenario())
    assert store.lease_holder("KnEmployee") is None


def test_a_held_lease_is_renewed_while_the_holder_works(
    db_path: Path, store: WriteStore, clock: FakeClock
) -> None:
    async def scenario() -> tuple[str | None, str | None]:
        leases = CountingLeases(store)
        locks = ConnectorLocks(leases, ttl=timedelta(milliseconds=30))
        async with locks.hold("KnEmployee"):
            before = expiry(db_path, "KnEmployee")
            clock.advance(timedelta(seconds=5))
            await asyncio.wait_for(leases.renewed.wait(), timeout=5)
            return before, expiry(db_path, "KnEmployee")

    before, after = asyncio.run(scenario())
    assert (after or "") > (before or "")
