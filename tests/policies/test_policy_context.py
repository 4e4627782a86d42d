from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

import pytest

from policies.context import (
    BookingPeriod,
    LookupUnavailable,
    PayrollPeriod,
    PolicyContext,
    today_in_amsterdam,
)
from policies.lookups import Lookup
from policies.testing import tenant_context


def test_every_lookup_names_a_context_field() -> None:
    fields = {field.name for field in dataclasses.fields(PolicyContext)}
    assert {lookup.value for lookup in Lookup} <= fields


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime(2026, 3, 9, 23, 30, tzinfo=UTC), date(2026, 3, 10)),
        (datetime(2026, 7, 1, 21, 59, tzinfo=UTC), date(2026, 7, 1)),
        (datetime(2026, 7, 1, 22, 0, tzinfo=UTC), date(2026, 7, 2)),
    ],
    ids=[
        "half past eleven UTC in winter is already tomorrow in Amsterdam",
        "a minute before midnight in summer is still today",
        "midnight in summer is 22:00 UTC",
    ],
)
def test_today_is_the_amsterdam_date(now: datetime, expected: date) -> None:
    assert today_in_amsterdam(now) == expected


def test_today_needs_an_aware_moment() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        today_in_amsterdam(datetime.fromisoformat("2026-03-10T12:00:00"))


def test_require_returns_a_loaded_lookup() -> None:
    ctx = tenant_context()
    assert ctx.require(Lookup.EMPLOYERS, ctx.employers) is ctx.employers
    assert ctx.is_available(Lookup.EMPLOYERS)


def test_require_refuses_a_lookup_that_was_not_loaded() -> None:
    ctx = tenant_context(employers=None)
    assert not ctx.is_available(Lookup.EMPLOYERS)
    with pytest.raises(LookupUnavailable, match="not loaded by the context builder") as raised:
        ctx.require(Lookup.EMPLOYERS, ctx.employers)
    assert raised.value.lookup is Lookup.EMPLOYERS


def test_require_refuses_a_missing_lookup_even_with_stale_data() -> None:
    ctx = tenant_context(missing={Lookup.PAYROLL_PERIODS: "AFAS answered 503"})
    assert not ctx.is_available(Lookup.PAYROLL_PERIODS)
    with pytest.raises(
        LookupUnavailable, match="payroll_periods is unavailable: AFAS answered 503"
    ):
        ctx.require(Lookup.PAYROLL_PERIODS, ctx.payroll_periods)


def test_require_refuses_another_lookups_field() -> None:
    ctx = tenant_context()
    with pytest.raises(ValueError, match=r"another field than ctx\.functions"):
        ctx.require(Lookup.FUNCTIONS, ctx.employers)


@pytest.mark.parametrize(
    ("day", "inside"),
    [(date(2026, 4, 1), True), (date(2026, 4, 30), True), (date(2026, 5, 1), False)],
    ids=["the first day is inside", "the last day is inside", "the day after is outside"],
)
def test_periods_contain_their_first_and_last_day(day: date, inside: bool) -> None:
    payroll = PayrollPeriod("01", 5, "MAAND", 2026, 4, date(2026, 4, 1), date(2026, 4, 30), False)
    booking = BookingPeriod(1, 2026, 4, date(2026, 4, 1), date(2026, 4, 30), blocked=False)
    assert payroll.contains(day) is inside
    assert booking.contains(day) is inside
