from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from typing import Any

import pytest

from policies.attendance import employee_active, hours_project_open, hours_valid, leave_dates_valid
from policies.model import Outcome, WriteIntent
from policies.testing import (
    hours_body,
    hours_facts,
    hours_intent,
    journal_intent,
    leave_body,
    leave_facts,
    leave_intent,
    tenant_context,
    with_field,
)

HOURS = hours_intent()
LEAVE = leave_intent()
AFTERNOON = leave_facts(end=date(2026, 4, 6), from_time=time(13), until_time=time(17, 30))


def hours_with(body_edit: Any = None, **facts: Any) -> WriteIntent:
    built = hours_facts(**facts)
    body = hours_body(built)
    return hours_intent(built, body=body_edit(body) if body_edit else body)


def leave_with(body_edit: Any = None, **facts: Any) -> WriteIntent:
    built = leave_facts(**facts)
    body = leave_body(built)
    return leave_intent(built, body=body_edit(body) if body_edit else body)


def two_rows(body: dict[str, Any]) -> dict[str, Any]:
    root = next(iter(body))
    element = body[root]["Element"]
    return {root: {"Element": [element, element]}}


@pytest.mark.parametrize(
    ("intent", "outcome", "reason", "hint"),
    [
        (HOURS, Outcome.ALLOW, "8 hours on 2026-03-09", None),
        (hours_with(hours=Decimal("24")), Outcome.ALLOW, "24 hours", None),
        (hours_with(work_date=date(2026, 3, 10)), Outcome.ALLOW, "on 2026-03-10", None),
        (
            hours_with(hours=Decimal("0")),
            Outcome.DENY,
            "0 hours: hours must be more than 0",
            "positive number",
        ),
        (hours_with(hours=Decimal("-2")), Outcome.DENY, "hours must be more than 0", None),
        (
            hours_with(hours=Decimal("24.25")),
            Outcome.DENY,
            "24.25 hours on one day is more than 24",
            "Split the hours",
        ),
        (
            hours_with(work_date=date(2026, 3, 11)),
            Outcome.REVIEW,
            "hours registered for 2026-03-11, after today (2026-03-10)",
            None,
        ),
        (
            hours_with(lambda b: with_field(b, "PtRealization", "Qu", "80")),
            Outcome.DENY,
            "PtRealization.Qu is '80', expected Decimal('8')",
            "Report it to the operator",
        ),
        (
            hours_with(lambda b: with_field(b, "PtRealization", "EmId", "1000124")),
            Outcome.DENY,
            "PtRealization.EmId is '1000124', expected '1000123'",
            None,
        ),
        (
            hours_with(lambda b: with_field(b, "PtRealization", "VaIt", "2")),
            Outcome.DENY,
            "PtRealization.VaIt is '2', expected '1'",
            None,
        ),
        (
            hours_with(two_rows),
            Outcome.DENY,
            "the payload sends 2 PtRealization rows, expected 1",
            None,
        ),
    ],
    ids=[
        "eight hours yesterday are allowed",
        "a full day of 24 hours is allowed",
        "hours today are allowed",
        "zero hours are denied",
        "negative hours are denied",
        "more than 24 hours a day are denied",
        "hours in the future go to review",
        "a payload quantity other than the hours is denied",
        "a payload employee other than the facts' is denied",
        "a payload item type other than work type is denied",
        "a payload with two rows for one registration is denied",
    ],
)
def test_hours_are_positive_at_most_a_day_and_sent_as_asked(
    intent: WriteIntent, outcome: Outcome, reason: str, hint: str | None
) -> None:
    verdict = hours_valid(intent, tenant_context())
    assert verdict.outcome is outcome
    assert reason in verdict.reason
    if hint:
        assert verdict.hint is not None and hint in verdict.hint


@pytest.mark.parametrize(
    ("intent", "outcome", "reason"),
    [
        (HOURS, Outcome.ALLOW, "project 'P100' is open"),
        (hours_with(project_id="P200"), Outcome.DENY, "project 'P200' is closed"),
        (hours_with(project_id="P999"), Outcome.DENY, "project 'P999' does not exist"),
    ],
    ids=[
        "hours on an open project are allowed",
        "hours on a closed project are denied",
        "hours on a project that does not exist are denied",
    ],
)
def test_hours_go_on_an_open_existing_project(
    intent: WriteIntent, outcome: Outcome, reason: str
) -> None:
    verdict = hours_project_open(intent, tenant_context())
    assert verdict.outcome is outcome
    assert reason in verdict.reason


@pytest.mark.parametrize(
    ("intent", "outcome", "reason"),
    [
        (HOURS, Outcome.ALLOW, "employee '1000123' is active"),
        (LEAVE, Outcome.ALLOW, "employee '1000123' is active"),
        (
            hours_with(employee_id="1000456"),
            Outcome.DENY,
            "employee '1000456' is no longer employed",
        ),
        (leave_with(employee_id="1000456"), Outcome.DENY, "no longer employed"),
        (leave_with(employee_id="9"), Outcome.DENY, "employee '9' does not exist"),
    ],
    ids=[
        "hours of an active employee are allowed",
        "leave of an active employee is allowed",
        "hours of a terminated employee are denied",
        "leave of a terminated employee is denied",
        "leave of an unknown employee is denied",
    ],
)
def test_hours_and_leave_need_an_active_employee(
    intent: WriteIntent, outcome: Outcome, reason: str
) -> None:
    verdict = employee_active(intent, tenant_context())
    assert verdict.outcome is outcome
    assert reason in verdict.reason


def test_employee_active_refuses_facts_without_an_employee() -> None:
    with pytest.raises(TypeError, match="not hours or leave"):
        employee_active(journal_intent(), tenant_context())


@pytest.mark.parametrize(
    ("intent", "outcome", "reason", "hint"),
    [
        (LEAVE, Outcome.ALLOW, "5 day(s) of leave from 2026-04-06 to 2026-04-10", None),
        (
            leave_with(end=date(2026, 4, 6)),
            Outcome.ALLOW,
            "1 day(s) of leave",
            None,
        ),
        (
            leave_with(end=date(2026, 4, 5)),
            Outcome.DENY,
            "the leave ends (2026-04-05) before it starts (2026-04-06)",
            "end is on or after start",
        ),
        (
            leave_with(end=date(2026, 5, 6)),
            Outcome.ALLOW,
            "31 day(s)",
            None,
        ),
        (
            leave_with(end=date(2026, 5, 7)),
            Outcome.REVIEW,
            "the leave spans 32 days, more than 31",
            "a person approves long leave",
        ),
        (
            leave_with(lambda b: with_field(b, "HrAbsence", "DaEn", "2026-04-17T00:00:00")),
            Outcome.DENY,
            "HrAbsence.DaEn is '2026-04-17T00:00:00', expected '2026-04-10T00:00:00'",
            None,
        ),
        (
            leave_with(lambda b: with_field(b, "HrAbsence", "ViAt", "Z")),
            Outcome.DENY,
            "HrAbsence.ViAt is 'Z', expected 'V'",
            None,
        ),
        (leave_with(two_rows), Outcome.DENY, "the payload sends 2 HrAbsence rows", None),
        (
            leave_with(end=date(2026, 4, 6), from_time=time(13), until_time=time(17, 30)),
            Outcome.ALLOW,
            "leave on 2026-04-06 from 13:00:00 until 17:30:00",
            None,
        ),
        (
            leave_intent(AFTERNOON, body=leave_body(leave_facts(end=AFTERNOON.end))),
            Outcome.DENY,
            "HrAbsence.DaBe is '2026-04-06T00:00:00', expected '2026-04-06T13:00:00'; "
            "HrAbsence.DaEn is '2026-04-06T00:00:00', expected '2026-04-06T17:30:00'; "
            "HrAbsence.LeDt is False, expected True",
            "Report it to the operator",
        ),
        (
            leave_with(from_time=time(13), until_time=time(17, 30)),
            Outcome.DENY,
            "partial leave is part of one day, but it runs from 2026-04-06 to 2026-04-10",
            "one day with start equal to end",
        ),
        (
            leave_with(end=date(2026, 4, 6), from_time=time(13), until_time=time(9)),
            Outcome.DENY,
            "partial leave ends at 09:00:00, not after it starts at 13:00:00",
            "from_time before until_time",
        ),
        (
            leave_with(end=date(2026, 4, 6), from_time=time(13)),
            Outcome.DENY,
            "partial leave has from_time 13:00:00 and until_time None; it needs both",
            "Report it to the operator",
        ),
    ],
    ids=[
        "a week of leave is allowed",
        "one day of leave is allowed",
        "leave ending before it starts is denied",
        "leave at the review limit is allowed",
        "leave longer than the review limit goes to review",
        "a payload end other than the facts' is denied",
        "a payload leave type other than the facts' is denied",
        "a payload with two bookings for one request is denied",
        "partial leave on one day is allowed, its times recorded",
        "partial leave sent as a whole day is denied: the times are in the facts",
        "partial leave over several days is denied",
        "partial leave ending before it starts is denied",
        "partial leave with one time only is denied",
    ],
)
def test_leave_ends_after_it_starts_and_is_sent_as_asked(
    intent: WriteIntent, outcome: Outcome, reason: str, hint: str | None
) -> None:
    verdict = leave_dates_valid(intent, tenant_context())
    assert verdict.outcome is outcome
    assert reason in verdict.reason
    if hint:
        assert verdict.hint is not None and hint in verdict.hint
