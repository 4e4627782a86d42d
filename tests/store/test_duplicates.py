"""The duplicate window: the same digest again within the window returns the earlier write."""

from __future__ import annotations

from datetime import timedelta

import pytest
from store_helpers import ALLOW, FakeClock, Writes, make_intent

from server.store import BLOCKING_DUPLICATES, WriteStatus, WriteStore

S = WriteStatus
WINDOW = timedelta(minutes=10)


def test_a_repeat_inside_the_window_returns_the_earlier_write(
    store: WriteStore, clock: FakeClock
) -> None:
    intent = make_intent()
    first = store.record_unless_duplicate(intent, within=WINDOW, verdicts=[ALLOW], confidence=1.0)
    clock.advance(WINDOW - timedelta(seconds=1))
    again = store.record_unless_duplicate(intent, within=WINDOW, verdicts=[ALLOW], confidence=1.0)
    assert first.created and not again.created
    assert again.record.id == first.record.id
    assert len(store.list_writes()) == 1


def test_a_repeat_after_the_window_is_a_new_write(store: WriteStore, clock: FakeClock) -> None:
    intent = make_intent()
    first = store.record_unless_duplicate(intent, within=WINDOW, verdicts=[ALLOW], confidence=1.0)
    clock.advance(WINDOW + timedelta(seconds=1))
    again = store.record_unless_duplicate(intent, within=WINDOW, verdicts=[ALLOW], confidence=1.0)
    assert again.created
    assert again.record.id != first.record.id


def test_the_same_requester_asking_for_another_payload_is_not_a_duplicate(
    store: WriteStore,
) -> None:
    one = store.record_unless_duplicate(
        make_intent(), within=WINDOW, verdicts=[ALLOW], confidence=1.0
    )
    two = store.record_unless_duplicate(
        make_intent(), within=WINDOW, verdicts=[ALLOW], confidence=1.0
    )
    assert one.created and two.created


def test_who_asks_and_how_sure_they_are_do_not_change_the_digest(store: WriteStore) -> None:
    intent = make_intent()
    store.record(intent, verdicts=[ALLOW], confidence=1.0)
    other_agent = make_intent(
        body=intent.body, requester="agent:other", source_confidence=0.1, facts={}
    )
    found = store.find_by_digest(other_agent.digest, within=WINDOW)
    assert found is not None


@pytest.mark.parametrize(
    ("status", "blocks"),
    [(s, s in BLOCKING_DUPLICATES) for s in S],
    ids=[f"{s.value}_{'blocks' if s in BLOCKING_DUPLICATES else 'does_not_block'}" for s in S],
)
def test_which_earlier_states_block_a_repeat(
    store: WriteStore, writes: Writes, status: WriteStatus, blocks: bool
) -> None:
    earlier = writes.in_state(status)
    found = store.find_by_digest(earlier.digest, within=WINDOW)
    assert (found is not None) is blocks
    if blocks:
        assert found is not None and found.id == earlier.id


def test_the_blocking_states_are_the_ones_that_may_be_or_were_meant_to_be_in_afas() -> None:
    assert {S.FAILED, S.DENIED, S.EXPIRED}.isdisjoint(BLOCKING_DUPLICATES)
    assert {S.PENDING_REVIEW, S.APPLIED, S.VERIFIED, S.UNKNOWN, S.REJECTED} <= BLOCKING_DUPLICATES


def test_a_failed_write_does_not_block_a_corrected_retry(store: WriteStore, writes: Writes) -> None:
    failed = writes.in_state(S.FAILED)
    retry = store.record_unless_duplicate(
        make_intent(body=failed.body),
        within=WINDOW,
        verdicts=[ALLOW],
        confidence=1.0,
        retry_of=failed.id,
    )
    assert retry.created
    assert retry.record.retry_of == failed.id


def test_the_newest_earlier_write_is_returned(store: WriteStore, clock: FakeClock) -> None:
    intent = make_intent()
    store.record(intent, verdicts=[ALLOW], confidence=1.0)
    clock.advance(timedelta(minutes=1))
    newer = store.record(intent, verdicts=[ALLOW], confidence=1.0)
    found = store.find_by_digest(intent.digest, within=WINDOW)
    assert found is not None and found.id == newer.id


def test_count_recent_counts_a_tools_writes_since_a_time_but_not_denied_ones(
    store: WriteStore, writes: Writes, clock: FakeClock
) -> None:
    writes.recorded()
    clock.advance(timedelta(hours=1))
    since = clock.now
    writes.recorded()
    writes.pending()
    writes.in_state(S.DENIED)
    writes.recorded(tool="post_journal_entry")
    assert store.count_recent("onboard_employee", since=since) == 2
    assert store.count_recent("onboard_employee", since=since - timedelta(hours=2)) == 3
