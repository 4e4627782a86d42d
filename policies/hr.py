"""Hires: one person, found by key or BSN, and a complete start-of-employment message.

A hire that matches its person with `MatchPer` 7 creates a new person on every run (W4); one
without `@CalculateBalance` hides from the payroll preview (W5); one without the contract,
function, timetable, salary and fiscal rows is not a start of employment at all (W19).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import assert_never

from policies.afas_fields import (
    BSN,
    CALCULATE_BALANCE,
    EMPLOYEE_ROOT,
    HIRE_SUB_OBJECTS,
    PERSON_ID,
    PERSON_MATCH,
    MatchPer,
)
from policies.base import (
    SERVER_BUG_HINT,
    Finding,
    Problems,
    allow,
    deny,
    facts_of,
    listing,
    policy,
)
from policies.context import PersonCandidate, PolicyContext
from policies.envelope import children_of, find_element
from policies.facts import HireFacts, PersonMatch, WriteTool
from policies.lookups import Lookup
from policies.model import WriteIntent
from policies.values import bsn_is_valid, same_value

_HIRE = (WriteTool.ONBOARD_EMPLOYEE,)


def _match_code(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _match_rule(facts: HireFacts) -> tuple[MatchPer, Callable[[PersonCandidate], bool]]:
    """The `MatchPer` code a mode needs, and which existing person AFAS attaches the hire to."""
    match facts.person_match:
        case PersonMatch.EXISTING_PERSON:
            return MatchPer.BY_PERSON_ID, lambda c: c.person_id == facts.person_id
        case PersonMatch.BSN:
            return MatchPer.BY_BSN, lambda c: facts.bsn is not None and c.bsn == facts.bsn
        case PersonMatch.ALWAYS_NEW:
            return MatchPer.ALWAYS_NEW, lambda c: False
        case _:
            assert_never(facts.person_match)


def _describe(candidate: PersonCandidate) -> str:
    born = f", born {candidate.birth_date}" if candidate.birth_date else ""
    how = candidate.matched_by.replace("_", " ")
    return f"person {candidate.person_id} {candidate.name!r}{born} (matched on {how})"


@policy("person_matching", quirk="W4", tools=_HIRE, needs={Lookup.PERSON_MATCHES})
def person_matching(intent: WriteIntent, ctx: PolicyContext) -> Finding:
    """W4: the person is matched by key or BSN, never always-new outside test, and no duplicate."""
    facts = facts_of(intent, HireFacts)
    person = find_element(intent.body, PERSON_MATCH.object_name)
    if person is None:
        return deny("the hire has no KnPerson", hint=SERVER_BUG_HINT)
    sent = person.get(PERSON_MATCH.field_id)
    code = _match_code(sent)
    identify = "pass the existing person's person_id, or the BSN"
    if code == MatchPer.ALWAYS_NEW and ctx.environment != "test":
        return deny(
            f"MatchPer 7 inserts a new person on every run (duplicates on a retry); it is only "
            f"allowed in a test environment, this is {ctx.environment}",
            hint=f"To hire someone, {identify}; the server then matches by key or BSN.",
        )
    expected, is_the_target = _match_rule(facts)
    if code != expected:
        return deny(
            f"KnPerson sends MatchPer={sent!r} but the match mode {facts.person_match} needs "
            f"{int(expected)}",
            hint=SERVER_BUG_HINT,
        )
    problems = Problems()
    if facts.person_match is PersonMatch.EXISTING_PERSON and not (
        facts.person_id and same_value(person.get(PERSON_ID.field_id), facts.person_id)
    ):
        problems.deny(
            f"matching by person number needs {PERSON_ID.path} = person_id "
            f"(person_id={facts.person_id!r}, sent {person.get(PERSON_ID.field_id)!r})",
            hint=f"To hire an existing person, {identify}.",
        )
    if facts.person_match is PersonMatch.BSN and not (
        facts.bsn and same_value(person.get(BSN.field_id), facts.bsn)
    ):
        problems.deny(
            f"matching by BSN needs {BSN.path} = the BSN "
            f"(bsn={facts.bsn!r}, sent {person.get(BSN.field_id)!r})",
            hint=f"To hire someone, {identify}.",
        )
    candidates = ctx.require(Lookup.PERSON_MATCHES, ctx.person_matches)
    if facts.person_match is PersonMatch.EXISTING_PERSON and not any(
        c.person_id == facts.person_id and c.matched_by == "person_id" for c in candidates
    ):
        problems.deny(
            f"person {facts.person_id!r} does not exist",
            hint="Check the person number, or leave person_id out and pass the BSN.",
        )
    same_bsn = {c.person_id for c in candidates if facts.bsn and c.bsn == facts.bsn}
    if facts.person_match is PersonMatch.BSN and len(same_bsn) > 1:
        problems.review(
            f"{len(same_bsn)} persons share BSN {facts.bsn}: {listing(sorted(same_bsn))}; "
            "AFAS cannot tell which one to use",
            hint="A person must merge or correct these records first; pass person_id if you "
            "know which one it is.",
        )
    others = sorted(
        {c.person_id: c for c in candidates if not is_the_target(c)}.values(),
        key=lambda c: c.person_id,
    )
    if others:
        problems.review(
            "possible duplicate: " + "; ".join(_describe(c) for c in others),
            hint="If the new hire is one of them, pass that person_id; otherwise a person "
            "approves creating a new person.",
        )
    employed = sorted(
        {
            f"{c.person_id} as {c.employee_id}"
            for c in candidates
            if c.employee_id and is_the_target(c)
        }
    )
    if employed:
        problems.review(
            f"the person is already an employee: {listing(employed)}; a hire would add a second "
            "employee for the same person",
            hint="For a returning employee a person arranges the rehire (a new employment on the "
            "existing employee); if this is a different person, check the BSN or person_id.",
        )
    return problems.finding(f"the person is matched by {facts.person_match} with no duplicate")


@policy("bsn_valid", quirk=None, tools=_HIRE)
def bsn_valid(intent: WriteIntent, ctx: PolicyContext) -> Finding:
    """A BSN, given or sent, passes the Dutch 11-check."""
    facts = facts_of(intent, HireFacts)
    sent = find_element(intent.body, BSN.object_name)
    sent_bsn = None if sent is None else sent.get(BSN.field_id)
    given = [value for value in (facts.bsn, sent_bsn) if value is not None]
    if not given:
        return allow("no BSN given")
    bad = sorted({str(value) for value in given if not bsn_is_valid(str(value))})
    if bad:
        return deny(
            f"BSN {listing(bad)} fails the 11-check",
            hint="Check the BSN against the ID document; a typo is likely.",
        )
    return allow("the BSN passes the 11-check")


@policy("calculate_balance_on", quirk="W5", tools=_HIRE)
def calculate_balance_on(intent: WriteIntent, ctx: PolicyContext) -> Finding:
    """W5: the hire asks AFAS to calculate the balance, or the payroll preview hides it."""
    employee = find_element(intent.body, EMPLOYEE_ROOT)
    value = None if employee is None else employee.get(CALCULATE_BALANCE.field_id)
    if value is not None and same_value(value, True):
        return allow(f"{CALCULATE_BALANCE.path} is on")
    return deny(
        f"{CALCULATE_BALANCE.path} is {value!r}, not true: the new employee would be missing "
        "from the payroll preview",
        hint=SERVER_BUG_HINT,
    )


@policy("hire_payload_complete", quirk="W19", tools=_HIRE)
def hire_payload_complete(intent: WriteIntent, ctx: PolicyContext) -> Finding:
    """W19: contract, function, timetable, salary and fiscal rows, complete, starting together."""
    facts = facts_of(intent, HireFacts)
    employee = find_element(intent.body, EMPLOYEE_ROOT)
    if employee is None:
        return deny(f"the body has no {EMPLOYEE_ROOT}", hint=SERVER_BUG_HINT)
    rows = children_of(intent.body, employee)
    absent: list[str] = []
    empty: list[str] = []
    problems = Problems()
    for name, required in ctx.rules.hire_required_fields.items():
        found = [row for row in rows if row.object_name == name]
        if not found:
            absent.append(name)
            continue
        if len(found) > 1:
            problems.deny(f"{name} occurs {len(found)} times in one hire", hint=SERVER_BUG_HINT)
        row = found[0]
        empty.extend(
            f"{name}.{field_id}"
            for field_id in required
            if row.get(field_id) is None or str(row.get(field_id)).strip() == ""
        )
        start = row.get(HIRE_SUB_OBJECTS[name])
        if start is not None and not same_value(start, facts.start_date):
            problems.deny(
                f"{name} starts {start!r}, not on the hire's start date {facts.start_date}",
                hint=SERVER_BUG_HINT,
            )
    if absent or empty:
        what = "; ".join(
            part
            for part in (
                f"missing rows {listing(absent)}" if absent else "",
                f"missing fields {listing(empty)}" if empty else "",
            )
            if part
        )
        problems.deny(
            f"the hire is not a complete start of employment: {what}",
            hint="Give every hire field the tool asks for (hours_per_week, salary, function, "
            "period table); if you did, this is a server bug: report it to the operator.",
        )
    return problems.finding(
        "the hire carries contract, function, timetable, salary and fiscal rows"
    )
