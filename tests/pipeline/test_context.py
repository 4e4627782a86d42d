"""The context builder against the simulator: only the lookups a write needs, cached per TTL."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import pytest
from pipeline_helpers import (
    Clock,
    Parts,
    amsterdam,
    sim_hire_facts,
    sim_hire_intent,
    sim_journal_intent,
)

from policies import (
    Lookup,
    Outcome,
    PolicyContext,
    PolicyRules,
    WriteIntent,
    check_all,
    packaged_rules,
    required_lookups,
)
from policies.facts import EmployeeField, PersonMatch, RelationRole
from policies.testing import (
    activity_intent,
    hours_facts,
    hours_intent,
    leave_facts,
    leave_intent,
    relation_facts,
    relation_intent,
    update_facts,
    update_intent,
)
from server.afas.client import AfasClient
from server.outcomes import PolicyDenied
from server.store import WriteStatus, WriteStore
from server.writes.context import ContextBuilder
from server.writes.readback import Connectors
from simulator.testing import SimulatorHandle

pytestmark = pytest.mark.anyio


class Ticks:
    """Monotonic seconds that move only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def builder(
    parts: Parts, store: WriteStore, ticks: Callable[[], float], rules: PolicyRules | None = None
) -> ContextBuilder:
    return ContextBuilder(
        rules=rules or packaged_rules(),
        connectors=Connectors(dict(parts.settings.connectors)),
        environment=parts.settings.afas.environment_type,
        ledger=store,
        clock=lambda: amsterdam(parts.clock),
        monotonic=ticks,
    )


def april_closed(ctx: PolicyContext) -> bool:
    """Whether employer 02's MAAND period holding 2026-04-01 is closed in this context."""
    periods = ctx.payroll_periods or ()
    return next(
        p for p in periods if p.period_table_id == 5 and p.contains(date(2026, 4, 1))
    ).closed


def reads(sim: SimulatorHandle, connector: str, *, filtered: bool | None = None) -> int:
    """GetConnector calls; `filtered` True/False counts only those with/without a filter."""
    return len(
        [
            e
            for e in sim.request_log.entries
            if e.method == "GET"
            and e.path.endswith(f"/connectors/{connector}")
            and (filtered is None or ("filterfieldids" in e.query) is filtered)
        ]
    )


async def test_a_hire_loads_only_the_lookups_its_policies_need(
    sim: SimulatorHandle, parts: Parts, store: WriteStore, afas: AfasClient
) -> None:
    ctx = await builder(parts, store, Ticks()).build(sim_hire_intent(), afas=afas)
    assert ctx.environment == "test" and ctx.today == date(2026, 3, 18)
    assert {e.employer_id for e in ctx.employers or ()} == {"01", "02", "03", "04"}
    assert {p.employer_id for p in ctx.payroll_periods or ()} == {"02"}
    assert {(p.period_table_id, p.period_table_code) for p in ctx.payroll_periods or ()} == {
        (5, "MAAND"),
        (6, "VIERWEKEN"),
    }
    # Every employer's tables, so a code another employer uses is not taken for unknown (W12).
    assert {(t.period_table_id, t.code) for t in ctx.period_tables or ()} == {
        (5, "MAAND"),
        (6, "VIERWEKEN"),
        (7, "WEEK"),
    }
    april = next(
        p
        for p in ctx.payroll_periods or ()
        if p.contains(date(2026, 4, 1)) and p.period_table_id == 5
    )
    assert not april.closed
    assert ("02", "ICT") in {(f.employer_id, f.function_id) for f in ctx.functions or ()}
    assert ctx.person_matches == ()
    assert ctx.recent_writes == {"onboard_employee": 0}
    assert ctx.ledger_accounts is None and ctx.current_values is None and ctx.projects is None
    assert dict(ctx.missing) == {}
    assert check_all(sim_hire_intent(), ctx).outcome is Outcome.REVIEW  # only auto_apply holds it
    assert reads(sim, "Profit_Accounts") == 0


async def test_open_periods_are_reused_within_their_ttl_and_read_again_after_it(
    sim: SimulatorHandle, parts: Parts, store: WriteStore, afas: AfasClient
) -> None:
    ticks = Ticks()
    contexts = builder(parts, store, ticks)
    ttl = packaged_rules().ttl(Lookup.PAYROLL_PERIODS)
    assert timedelta(0) < ttl <= timedelta(hours=1)  # W2: open periods at most an hour
    intent = sim_hire_intent()
    await contexts.build(intent, afas=afas)
    ticks.now += ttl.total_seconds() - 1
    await contexts.build(intent, afas=afas)
    assert reads(sim, "AfasMcp_PayrollPeriods", filtered=True) == 1
    ticks.now += 2
    await contexts.build(intent, afas=afas)
    assert reads(sim, "AfasMcp_PayrollPeriods", filtered=True) == 2


async def test_W12_the_period_table_catalogue_is_cached_on_its_own_ttl_beside_the_open_periods(
    sim: SimulatorHandle, parts: Parts, store: WriteStore, afas: AfasClient
) -> None:
    ticks = Ticks()
    contexts = builder(parts, store, ticks)
    periods_ttl = packaged_rules().ttl(Lookup.PAYROLL_PERIODS).total_seconds()
    tables_ttl = packaged_rules().ttl(Lookup.PERIOD_TABLES).total_seconds()
    assert tables_ttl > periods_ttl  # which codes exist changes less often than open periods
    intent = sim_hire_intent()
    await contexts.build(intent, afas=afas)
    ticks.now += periods_ttl + 1
    await contexts.build(sim_hire_intent(sim_hire_facts(employer_id="03")), afas=afas)
    await contexts.build(intent, afas=afas)
    assert reads(sim, "AfasMcp_PayrollPeriods", filtered=False) == 1  # one catalogue, all employers
    assert reads(sim, "AfasMcp_PayrollPeriods", filtered=True) == 3
    ticks.now += tables_ttl
    await contexts.build(intent, afas=afas)
    assert reads(sim, "AfasMcp_PayrollPeriods", filtered=False) == 2


async def test_person_matches_are_never_cached(
    sim: SimulatorHandle, parts: Parts, store: WriteStore, afas: AfasClient
) -> None:
    contexts = builder(parts, store, Ticks())
    intent = sim_hire_intent()
    await contexts.build(intent, afas=afas)
    await contexts.build(intent, afas=afas)
    assert reads(sim, "Profit_OrgPer") == 2 * 2  # by BSN and by name and birth date, twice


async def test_a_fresh_context_bypasses_the_cache_and_sees_a_period_that_closed(
    sim: SimulatorHandle, parts: Parts, store: WriteStore, afas: AfasClient
) -> None:
    contexts = builder(parts, store, Ticks())
    intent = sim_hire_intent()
    await contexts.build(intent, afas=afas)
    sim.tenant.update("payroll_periods", ("02", 5, 2026, 4), {"Closed": True})

    cached = await contexts.build(intent, afas=afas)
    assert april_closed(cached) is False
    fresh = await contexts.build(intent, afas=afas, fresh=True)
    assert april_closed(fresh) is True
    assert check_all(intent, fresh).outcome is Outcome.DENY
    again = await contexts.build(intent, afas=afas)  # the fresh read refreshed the cache
    assert april_closed(again) is True


async def test_a_lookup_that_fails_is_missing_with_its_reason_and_the_write_is_denied(
    sim: SimulatorHandle, parts: Parts, store: WriteStore, afas: AfasClient
) -> None:
    sim.block_connector("AfasMcp_PayrollPeriods")
    ctx = await builder(parts, store, Ticks()).build(sim_hire_intent(), afas=afas)
    assert set(ctx.missing) == {Lookup.PAYROLL_PERIODS, Lookup.PERIOD_TABLES}
    assert "AFAS could not be read" in ctx.missing[Lookup.PAYROLL_PERIODS]
    assert ctx.payroll_periods is None and ctx.period_tables is None
    report = check_all(sim_hire_intent(), ctx)
    assert report.outcome is Outcome.DENY
    denied = {v.policy for v in report.denials}
    assert {"payroll_period_open", "period_table_used_by_employer"} <= denied


async def test_a_failing_lookup_never_lets_a_write_through_the_pipeline(
    sim: SimulatorHandle, parts: Parts, store: WriteStore, afas: AfasClient
) -> None:
    sim.block_connector("Profit_periods_per_administration")
    with pytest.raises(PolicyDenied) as raised:
        await parts.pipeline(afas, store).submit(sim_journal_intent())
    assert "booking_period_open" in raised.value.agent_text()
    assert store.get(raised.value.write_id or "").status is WriteStatus.DENIED


async def test_two_persons_with_one_bsn_are_an_ambiguity_that_lowers_confidence(
    sim: SimulatorHandle, parts: Parts, store: WriteStore, afas: AfasClient
) -> None:
    person = sim.tenant.get("persons", "1000005")
    assert person is not None
    sim.tenant.insert("persons", {**person, "BcCo": "1999001", "LaNm": "Boer-Twee"})
    facts = sim_hire_facts(bsn=person["SoSe"], person_match=PersonMatch.BSN)
    ctx = await builder(parts, store, Ticks()).build(sim_hire_intent(facts), afas=afas)
    assert {c.person_id for c in ctx.person_matches or () if c.matched_by == "bsn"} == {
        "1000005",
        "1999001",
    }
    assert len(ctx.ambiguities) == 1 and "share BSN" in ctx.ambiguities[0].description
    employee = next(c for c in ctx.person_matches or () if c.person_id == "1000005")
    assert employee.employee_id == "100001"
    report = check_all(sim_hire_intent(facts), ctx)
    assert report.confidence.below_threshold


async def test_recent_writes_count_the_last_hour_but_not_the_write_being_judged(
    sim: SimulatorHandle, parts: Parts, store: WriteStore, afas: AfasClient, clock: Clock
) -> None:
    pipeline = parts.pipeline(afas, store)
    held = await pipeline.submit(sim_hire_intent())
    await pipeline.submit(sim_hire_intent())
    contexts = builder(parts, store, Ticks())
    ctx = await contexts.build(sim_hire_intent(), afas=afas)
    assert ctx.recent_writes == {"onboard_employee": 2}
    recorded = store.get(held.write_id or "")
    rechecked = await contexts.build(sim_hire_intent(), afas=afas, recorded=recorded)
    assert rechecked.recent_writes == {"onboard_employee": 1}
    clock.advance(timedelta(hours=1, seconds=1))
    later = await contexts.build(sim_hire_intent(), afas=afas)
    assert later.recent_writes == {"onboard_employee": 0}


async def test_an_update_reads_the_employees_current_values_keyed_object_field(
    sim: SimulatorHandle, parts: Parts, store: WriteStore, afas: AfasClient
) -> None:
    facts = update_facts(
        employee_id="100001",
        employer_id="02",
        changes={EmployeeField.EMAIL: "nieuw@example.com"},
        current={},
        effective_date=None,
    )
    intent: WriteIntent = update_intent(facts)
    ctx = await builder(parts, store, Ticks()).build(intent, afas=afas)
    current = ctx.current_values or {}
    employee = sim.tenant.get("persons", "1000005") or {}
    assert current["KnPerson.EmAd"] == employee["EmAd"]
    assert current["AfasSalary.PtId"] in (5, 6)
    assert isinstance(current["AfasSalary.EmSa"], Decimal)
    assert "KnPerson.TeNr" not in current  # not in AfasMcp_Employees: W20 sends it to a person
    unknown = dataclasses.replace(facts, employee_id="999999")
    gone = await builder(parts, store, Ticks()).build(update_intent(unknown), afas=afas)
    assert "999999" in gone.missing[Lookup.CURRENT_VALUES]


async def test_every_tool_gets_its_lookups_from_the_simulator_without_anything_missing(
    sim: SimulatorHandle, parts: Parts, store: WriteStore, afas: AfasClient
) -> None:
    intents = [
        sim_hire_intent(),
        sim_journal_intent(),
        relation_intent(relation_facts(iban="NL31TRIO5069132180", kvk_number="18523806")),
        relation_intent(relation_facts(role=RelationRole.CREDITOR)),
        hours_intent(hours_facts(employee_id="100001", project_id="910001")),
        leave_intent(leave_facts(employee_id="100001")),
        activity_intent(),
    ]
    contexts = builder(parts, store, Ticks())
    for intent in intents:
        ctx = await contexts.build(intent, afas=afas)
        assert dict(ctx.missing) == {}, (intent.tool, ctx.missing)
        for lookup in required_lookups(intent):
            assert ctx.is_available(lookup), (intent.tool, lookup)
    debtor = await contexts.build(intents[2], afas=afas)
    (existing,) = debtor.similar_relations or ()
    assert (existing.relation_id, existing.postal_code) == ("10000", "2335 DN")
    assert check_all(intents[2], debtor).outcome is Outcome.REVIEW  # a possible duplicate
    hours = await contexts.build(intents[4], afas=afas)
    assert [(e.employee_id, e.active) for e in hours.employees or ()] == [("100001", True)]
    assert [(p.project_id, p.closed) for p in hours.projects or ()] == [("910001", False)]
