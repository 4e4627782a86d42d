from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest

from policies.context import PayrollPeriod, PolicyContext
from policies.facts import EmployeeField
from policies.model import Outcome, WriteIntent
from policies.payroll import (
    employer_exists,
    function_in_employer_table,
    payroll_period_open,
    payroll_target,
    period_table_code_valid,
    period_table_used_by_employer,
)
from policies.registry import check_all
from policies.testing import (
    hire_body,
    hire_facts,
    hire_intent,
    journal_intent,
    tenant_context,
    update_body,
    update_facts,
    update_intent,
    with_field,
    without_field,
    without_object,
)
from policies.testing.tenant import FOUR_WEEKLY, PAYROLL_PERIODS, WEEKLY

HIRE = hire_intent()
EMAIL_ONLY = update_facts(changes={EmployeeField.EMAIL: "new@example.com"})


def hire_with(body_edit: Any = None, **facts: Any) -> WriteIntent:
    """A hire with facts changed and, optionally, its body edited afterwards."""
    built = hire_facts(**facts)
    body = hire_body(built)
    return hire_intent(built, body=body_edit(body) if body_edit else body)


def update_with(**facts: Any) -> WriteIntent:
    return update_intent(update_facts(**facts))


def periods_without(employer_id: str) -> tuple[PayrollPeriod, ...]:
    return tuple(p for p in PAYROLL_PERIODS if p.employer_id != employer_id)


# --- W1: employer --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("intent", "outcome", "reason", "hint"),
    [
        (HIRE, Outcome.ALLOW, "employer '01' exists", None),
        (
            hire_with(employer_id="07"),
            Outcome.DENY,
            "employer '07' does not exist",
            "call list_employers and pass one of: 01, 02, 03, 04",
        ),
        (hire_with(employer_id=" "), Outcome.DENY, "no employer given", "Never leave it out"),
        (
            hire_with(lambda b: without_field(b, "AfasContract", "CmId")),
            Outcome.DENY,
            "AfasContract[0] has no CmId: AFAS would default to employer 1",
            "Report it to the operator",
        ),
        (
            hire_with(lambda b: with_field(b, "AfasContract", "CmId", "")),
            Outcome.DENY,
            "has no CmId",
            None,
        ),
        (
            hire_with(lambda b: with_field(b, "AfasContract", "CmId", "02")),
            Outcome.DENY,
            "sends employer '02' but the request says '01'",
            None,
        ),
        (
            hire_with(lambda b: without_object(b, "AfasContract")),
            Outcome.DENY,
            "the hire has no AfasContract",
            None,
        ),
        (
            update_intent(EMAIL_ONLY),
            Outcome.ALLOW,
            "the update sends no contract row",
            None,
        ),
        (
            update_with(changes={EmployeeField.CONTRACT_END: date(2026, 12, 31)}),
            Outcome.ALLOW,
            "employer '01' exists",
            None,
        ),
        (
            update_intent(
                body=without_field(
                    update_body(
                        update_facts(changes={EmployeeField.CONTRACT_END: date(2026, 12, 31)})
                    ),
                    "AfasContract",
                    "CmId",
                ),
                facts=update_facts(changes={EmployeeField.CONTRACT_END: date(2026, 12, 31)}),
            ),
            Outcome.DENY,
            "has no CmId",
            None,
        ),
    ],
    ids=[
        "W1 a hire under an existing employer on its contract is allowed",
        "W1 an employer that does not exist is denied with the valid codes",
        "W1 a hire without an employer is denied, never defaulted",
        "W1 a contract without CmId is denied because AFAS defaults to employer 1",
        "W1 an empty CmId is denied",
        "W1 a CmId different from the requested employer is denied",
        "W1 a hire without a contract is denied",
        "W1 an update without a contract row leaves the employer alone",
        "W1 an update with a contract row carrying the employer is allowed",
        "W1 an update with a contract row without CmId is denied",
    ],
)
def test_W1_employer_present_on_the_contract_and_existing(
    intent: WriteIntent, outcome: Outcome, reason: str, hint: str | None
) -> None:
    verdict = employer_exists(intent, tenant_context())
    assert (verdict.outcome, verdict.quirk, verdict.policy) == (outcome, "W1", "employer_exists")
    assert reason in verdict.reason
    if hint:
        assert verdict.hint is not None and hint.lower() in verdict.hint.lower()


def test_W1_without_the_employers_lookup_the_hire_is_denied_not_allowed() -> None:
    verdict = employer_exists(HIRE, tenant_context(employers=None))
    assert verdict.outcome is Outcome.DENY
    assert "employers lookup is unavailable" in verdict.reason


def test_payroll_target_refuses_facts_of_another_tool() -> None:
    with pytest.raises(TypeError, match="not employee facts"):
        payroll_target(journal_intent())


# --- W12, W3, W2: period table and payroll period -------------------------------------------------


def loaded_for(intent: WriteIntent, **fields: Any) -> PolicyContext:
    """The context as the builder loads it: the calendar of the write's own employer only.

    `period_tables` still knows every employer's tables; that is the point of W12 (#1).
    """
    target = payroll_target(intent)
    employer = "" if target is None else target.employer_id
    own = tuple(p for p in PAYROLL_PERIODS if p.employer_id == employer)
    return tenant_context(**({"payroll_periods": own} | fields))


AGENT_CODES = {
    "MND": hire_with(period_table_id=None, period_table_code="MND"),
    "VIERWEKEN": hire_with(period_table_id=FOUR_WEEKLY, period_table_code="VIERWEKEN"),
    "MAAND": HIRE,
}


@pytest.mark.parametrize(
    ("code", "reasons"),
    [
        (
            "MND",
            {
                "period_table_code_valid": (
                    Outcome.DENY,
                    "period table code 'MND' is not one the payroll calendar knows (it knows "
                    "MAAND, VIERWEKEN, WEEK); AFAS accepts short codes and the payroll run "
                    "ignores them",
                    "Pass the full code as list_employers shows it; employer '01' uses MAAND.",
                ),
                "period_table_used_by_employer": (
                    Outcome.DENY,
                    "period table code 'MND' names no period table, so the employer's calendar "
                    "cannot be checked",
                    "Pass period_table as list_employers shows it.",
                ),
                "payroll_period_open": (
                    Outcome.DENY,
                    "period table code 'MND' names no period table, so no payroll period can be "
                    "found",
                    "Pass period_table as list_employers shows it.",
                ),
            },
        ),
        (
            "VIERWEKEN",
            {
                "period_table_code_valid": (
                    Outcome.ALLOW,
                    "period table VIERWEKEN (7) is a known table with a valid code",
                    None,
                ),
                "period_table_used_by_employer": (
                    Outcome.DENY,
                    "period table VIERWEKEN (7) is not used by employer '01', which uses "
                    "MAAND (5); payroll would drop the row",
                    "Pass the employer's period table: MAAND.",
                ),
                "payroll_period_open": (
                    Outcome.DENY,
                    "employer '01' has no payroll periods in period table VIERWEKEN (7) (it uses "
                    "MAAND (5)), so the period of 2026-04-01 cannot be checked",
                    "Pass the employer's period table (MAAND), then a date in an open period "
                    "(call list_open_payroll_periods(employer_id='01')).",
                ),
            },
        ),
        (
            "MAAND",
            {
                "period_table_code_valid": (
                    Outcome.ALLOW,
                    "period table MAAND (5) is a known table with a valid code",
                    None,
                ),
                "period_table_used_by_employer": (
                    Outcome.ALLOW,
                    "employer '01' uses period table MAAND (5)",
                    None,
                ),
                "payroll_period_open": (
                    Outcome.ALLOW,
                    "2026-04-01 falls in open payroll period 2026/04 (2026-04-01..2026-04-30) of "
                    "employer '01' (table MAAND (5))",
                    None,
                ),
            },
        ),
    ],
    ids=[
        "W12 an unknown short code is refused as unknown, with every code the calendar knows",
        "W3 another employer's code is a known code, refused as not this employer's, named",
        "W12 W3 W2 the employer's own code passes all three",
    ],
)
def test_W12_W3_W2_the_reasons_an_agent_reads_for_a_period_table_code(
    code: str, reasons: dict[str, tuple[Outcome, str, str | None]]
) -> None:
    """Exactly what the three checks say when the context holds only employer 01's calendar."""
    intent = AGENT_CODES[code]
    report = check_all(intent, loaded_for(intent))
    said = {v.policy: (v.outcome, v.reason, v.hint) for v in report.verdicts if v.policy in reasons}
    assert said == reasons


@pytest.mark.parametrize(
    ("intent", "ctx_fields", "outcome", "reason", "hint"),
    [
        (HIRE, {}, Outcome.ALLOW, "period table MAAND (5) is a known table", None),
        (hire_with(period_table_code=None), {}, Outcome.ALLOW, "known table", None),
        (
            hire_with(period_table_id=None, period_table_code="MND"),
            {},
            Outcome.DENY,
            "period table code 'MND' is not one the payroll calendar knows",
            "employer '01' uses MAAND.",
        ),
        (
            hire_with(employer_id="09", period_table_id=None, period_table_code="MND"),
            {},
            Outcome.DENY,
            "'MND'",
            "the calendar knows MAAND, VIERWEKEN, WEEK",
        ),
        (
            hire_with(employer_id="02", period_table_id=FOUR_WEEKLY, period_table_code="MAAND"),
            {},
            Outcome.DENY,
            "code 'MAAND' does not name period table VIERWEKEN (7)",
            "employer '02' uses VIERWEKEN",
        ),
        (
            hire_with(period_table_code="vierweken", period_table_id=FOUR_WEEKLY),
            {},
            Outcome.ALLOW,
            "VIERWEKEN (7) is a known table",
            None,
        ),
        (
            hire_with(period_table_id=None, period_table_code=None),
            {},
            Outcome.DENY,
            "no period table resolved",
            "Pass period_table",
        ),
        (
            hire_with(period_table_id=99, period_table_code=None),
            {},
            Outcome.DENY,
            "period table 99 is not in the payroll calendar",
            None,
        ),
        (
            hire_with(lambda b: with_field(b, "AfasSalary", "PtId", "MAAND")),
            {},
            Outcome.DENY,
            "sends PtId='MAAND', not a numeric period table id",
            None,
        ),
        (update_intent(EMAIL_ONLY), {}, Outcome.ALLOW, "does not touch payroll", None),
        (
            update_with(changes={EmployeeField.PERIOD_TABLE: 5}, period_table_code="MND"),
            {},
            Outcome.DENY,
            "'MND' is not one the payroll calendar knows",
            None,
        ),
        (
            HIRE,
            {"period_tables": None},
            Outcome.DENY,
            "period_tables lookup is unavailable",
            None,
        ),
    ],
    ids=[
        "W12 the long code of a known table is allowed",
        "W12 a known numeric table without a code is allowed",
        "W12 a short code is denied with the employer's valid codes",
        "W12 for an employer without a calendar the hint lists every code",
        "W12 a code naming another table than the PtId is denied",
        "W12 a code in lower case is the same code",
        "W12 no period table at all is denied",
        "W12 a numeric PtId the calendar does not know is denied",
        "W12 a code sent in PtId is denied",
        "W12 an update that leaves payroll alone is not judged",
        "W12 an update with a short code is denied",
        "W12 without the period table catalogue the write is denied, not judged on one employer",
    ],
)
def test_W12_period_table_codes_are_long_and_known(
    intent: WriteIntent,
    ctx_fields: dict[str, Any],
    outcome: Outcome,
    reason: str,
    hint: str | None,
) -> None:
    verdict = period_table_code_valid(intent, loaded_for(intent, **ctx_fields))
    assert (verdict.outcome, verdict.quirk) == (outcome, "W12")
    assert reason in verdict.reason
    if hint:
        assert verdict.hint is not None and hint in verdict.hint


@pytest.mark.parametrize(
    ("intent", "ctx_fields", "outcome", "reason", "hint"),
    [
        (HIRE, {}, Outcome.ALLOW, "employer '01' uses period table MAAND (5)", None),
        (
            hire_with(lambda b: with_field(b, "AfasSalary", "PtId", "5")),
            {},
            Outcome.ALLOW,
            "uses period table MAAND (5)",
            None,
        ),
        (
            hire_with(period_table_id=FOUR_WEEKLY, period_table_code="VIERWEKEN"),
            {},
            Outcome.DENY,
            "period table VIERWEKEN (7) is not used by employer '01', which uses MAAND (5)",
            "Pass the employer's period table: MAAND.",
        ),
        (
            hire_with(employer_id="04"),
            {"payroll_periods": periods_without("04")},
            Outcome.DENY,
            "employer '04' has no payroll calendar",
            "ask payroll to set up",
        ),
        (
            hire_with(lambda b: with_field(b, "AfasSalary", "PtId", 7)),
            {},
            Outcome.DENY,
            "sends PtId=7, expected 5",
            None,
        ),
        (
            hire_with(period_table_id=None, period_table_code=None),
            {},
            Outcome.DENY,
            "no period table resolved for this write, so the employer's calendar cannot be checked",
            None,
        ),
        (update_intent(EMAIL_ONLY), {}, Outcome.ALLOW, "does not touch payroll", None),
        (
            update_with(changes={EmployeeField.PERIOD_TABLE: 9}),
            {},
            Outcome.DENY,
            "period table WEEK (9) is not used by employer '01'",
            None,
        ),
    ],
    ids=[
        "W3 the employer's own period table is allowed",
        "W3 PtId as a numeric string is the same table",
        "W3 a period table the employer does not use is denied naming both codes",
        "W3 an employer without a payroll calendar is denied",
        "W3 a payload PtId other than the checked table is denied",
        "W3 no period table is denied",
        "W3 an update that leaves payroll alone is not judged",
        "W3 an update to a period table the employer does not use is denied",
    ],
)
def test_W3_period_table_is_one_the_employer_uses(
    intent: WriteIntent,
    ctx_fields: dict[str, Any],
    outcome: Outcome,
    reason: str,
    hint: str | None,
) -> None:
    verdict = period_table_used_by_employer(intent, loaded_for(intent, **ctx_fields))
    assert (verdict.outcome, verdict.quirk) == (outcome, "W3")
    assert reason in verdict.reason
    if hint:
        assert verdict.hint is not None and hint in verdict.hint


OVERLAP = PayrollPeriod(
    "01", 5, "MAAND", 2026, 13, date(2026, 4, 1), date(2026, 4, 15), closed=False
)
CLOSED_OVERLAP = dataclasses.replace(OVERLAP, closed=True)


@pytest.mark.parametrize(
    ("intent", "ctx_fields", "outcome", "reason", "hint"),
    [
        (
            HIRE,
            {},
            Outcome.ALLOW,
            "2026-04-01 falls in open payroll period 2026/04 (2026-04-01..2026-04-30) of employer "
            "'01' (table MAAND (5))",
            None,
        ),
        (
            hire_with(
                employer_id="02",
                period_table_id=FOUR_WEEKLY,
                period_table_code="VIERWEKEN",
                function_id="BAKKER",
            ),
            {},
            Outcome.ALLOW,
            "open payroll period 2026/04",
            None,
        ),
        (
            hire_with(start_date=date(2026, 2, 1)),
            {},
            Outcome.DENY,
            "payroll period 2026/02 (2026-02-01..2026-02-28) of employer '01' is closed",
            "open: 2026/03 (2026-03-01..2026-03-31)",
        ),
        (
            hire_with(start_date=date(2027, 1, 15)),
            {},
            Outcome.DENY,
            "no payroll period of employer '01' (table MAAND (5)) contains 2027-01-15; the "
            "calendar covers 2026-01-01..2026-12-31",
            "list_open_payroll_periods(employer_id='01')",
        ),
        (
            hire_with(employer_id="04"),
            {"payroll_periods": periods_without("04")},
            Outcome.DENY,
            "employer '04' has no payroll calendar, so no payroll period contains 2026-04-01",
            "ask payroll to set up",
        ),
        (
            hire_with(period_table_id=WEEKLY, period_table_code="WEEK"),
            {},
            Outcome.DENY,
            "employer '01' has no payroll periods in period table WEEK (9) (it uses MAAND (5))",
            "Pass the employer's period table (MAAND)",
        ),
        (
            HIRE,
            {"payroll_periods": (*PAYROLL_PERIODS, OVERLAP)},
            Outcome.REVIEW,
            "2 payroll periods of employer '01' contain 2026-04-01",
            "check the payroll calendar",
        ),
        (
            HIRE,
            {"payroll_periods": (*PAYROLL_PERIODS, CLOSED_OVERLAP)},
            Outcome.DENY,
            "payroll period 2026/13 (2026-04-01..2026-04-15) of employer '01' is closed",
            None,
        ),
        (
            hire_with(lambda b: with_field(b, "AfasContract", "@DaBe", "2026-05-01")),
            {},
            Outcome.DENY,
            "AfasContract[0] starts '2026-05-01', not on 2026-04-01 as checked",
            None,
        ),
        (
            hire_with(lambda b: with_field(b, "AfasTimeTable", "@DaBg", "2026-03-01")),
            {},
            Outcome.DENY,
            "AfasTimeTable[0] starts '2026-03-01'",
            None,
        ),
        (
            hire_with(period_table_id=None, period_table_code=None),
            {},
            Outcome.DENY,
            "no period table resolved for this write, so no payroll period can be found",
            None,
        ),
        (update_intent(EMAIL_ONLY), {}, Outcome.ALLOW, "does not touch payroll", None),
        (
            update_with(effective_date=None),
            {},
            Outcome.DENY,
            "has no effective date",
            "Pass effective_date",
        ),
        (
            update_with(effective_date=date(2026, 1, 1)),
            {},
            Outcome.DENY,
            "payroll period 2026/01 (2026-01-01..2026-01-31) of employer '01' is closed",
            None,
        ),
        (update_intent(), {}, Outcome.ALLOW, "2026-04-01 falls in open payroll period", None),
    ],
    ids=[
        "W2 a start date in an open period is allowed",
        "W2 a start date in an open four-weekly period is allowed",
        "W2 start date in closed period is denied with the open periods",
        "W2 a start date outside the calendar is denied, never allowed",
        "W2 an employer without a calendar is denied, saying so",
        "W2 a table the employer does not use is denied naming its own, not an empty calendar",
        "W2 two periods containing the date go to review",
        "W2 overlapping periods of which one is closed are denied",
        "W2 a contract starting on another day than checked is denied",
        "W2 a timetable starting on another day than checked is denied",
        "W2 no period table is denied",
        "W2 an update that leaves payroll alone is not judged",
        "W2 a payroll update without an effective date is denied",
        "W2 a payroll update effective in a closed period is denied",
        "W2 a payroll update effective in an open period is allowed",
    ],
)
def test_W2_payroll_period_of_the_start_date_is_open(
    intent: WriteIntent,
    ctx_fields: dict[str, Any],
    outcome: Outcome,
    reason: str,
    hint: str | None,
) -> None:
    verdict = payroll_period_open(intent, loaded_for(intent, **ctx_fields))
    assert (verdict.outcome, verdict.quirk) == (outcome, "W2")
    assert reason in verdict.reason
    if hint:
        assert verdict.hint is not None and hint in verdict.hint


def test_W2_start_date_in_closed_period_is_denied() -> None:
    verdict = payroll_period_open(hire_with(start_date=date(2026, 1, 15)), tenant_context())
    assert verdict.outcome is Outcome.DENY
    assert "is closed" in verdict.reason and "reopen" in (verdict.hint or "")


# --- W10: function -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("intent", "outcome", "reason", "hint"),
    [
        (HIRE, Outcome.ALLOW, "function 'MEDLERA' is in employer '01''s table", None),
        (
            hire_with(function_id="ONBEKEND"),
            Outcome.DENY,
            "function 'ONBEKEND' is not in employer '01''s function table",
            "Pass one of the employer's functions: CONTROLLER, MEDLERA.",
        ),
        (
            hire_with(function_id="BAKKER"),
            Outcome.DENY,
            "function 'BAKKER' is not in employer '01''s function table",
            None,
        ),
        (
            hire_with(function_id="OUDFUNC"),
            Outcome.DENY,
            "function 'OUDFUNC' is blocked for employer '01'",
            "open functions: CONTROLLER, MEDLERA",
        ),
        (
            hire_with(lambda b: with_field(b, "AfasOrgunitFunction", "FuId", "CONTROLLER")),
            Outcome.DENY,
            "sends FuId='CONTROLLER', expected 'MEDLERA'",
            None,
        ),
        (
            hire_with(lambda b: without_object(b, "AfasOrgunitFunction")),
            Outcome.DENY,
            "the hire has no AfasOrgunitFunction row",
            None,
        ),
        (update_intent(EMAIL_ONLY), Outcome.ALLOW, "does not set a function", None),
        (update_intent(), Outcome.ALLOW, "does not set a function", None),
        (
            update_with(changes={EmployeeField.FUNCTION: "CONTROLLER"}),
            Outcome.ALLOW,
            "function 'CONTROLLER' is in employer '01''s table",
            None,
        ),
        (
            update_with(changes={EmployeeField.FUNCTION: "CHAUFFEUR"}),
            Outcome.DENY,
            "function 'CHAUFFEUR' is not in employer '01''s function table",
            None,
        ),
    ],
    ids=[
        "W10 a function in the employer's table is allowed",
        "W10 an unknown function is denied with the valid codes",
        "W10 another employer's function is denied",
        "W10 a blocked function is denied",
        "W10 a payload FuId other than the checked function is denied",
        "W10 a hire without a function row is denied",
        "W10 an update without payroll changes is not judged",
        "W10 a payroll update that keeps the function is not judged",
        "W10 an update to a function in the table is allowed",
        "W10 an update to a function outside the table is denied",
    ],
)
def test_W10_function_code_in_the_employers_table(
    intent: WriteIntent, outcome: Outcome, reason: str, hint: str | None
) -> None:
    verdict = function_in_employer_table(intent, tenant_context())
    assert (verdict.outcome, verdict.quirk) == (outcome, "W10")
    assert reason in verdict.reason
    if hint:
        assert verdict.hint is not None and hint in verdict.hint
