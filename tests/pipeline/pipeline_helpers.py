"""Test-only write kinds, facts that fit the simulator's seeded tenant, and a pipeline builder.

The kinds stand in for the write tools' own (`tools/*_writes.py`) so the pipeline is tested on
its own: a hire read back through `AfasMcp_Employees` and located by BSN after a lost answer
(W16), and a journal entry read back as a multiset of `Profit_Transactions` lines.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from policies import PolicyRules, WriteIntent, packaged_rules
from policies.facts import (
    AccountKind,
    Address,
    HireFacts,
    JournalEntryFacts,
    JournalLine,
    PersonMatch,
)
from policies.testing import hire_facts, hire_intent, journal_facts, journal_intent
from server.afas.client import AfasClient
from server.afas.values import AMSTERDAM
from server.config import Settings
from server.pipeline import WritePipeline
from server.store import ConnectorLocks, WriteStore
from server.writes import Expectation, WriteKind
from server.writes.context import ContextBuilder
from server.writes.readback import Connectors, ReadBackPolicy
from server.writes.settle import Settler

REFERENCE_DATE = date(2026, 3, 18)
START = datetime(2026, 3, 18, 9, 0, tzinfo=UTC)
HIRE_START = date(2026, 4, 1)  # an open payroll period for employer 02 (MAAND, table 5)
REQUESTER = "agent:test-client"


class Clock:
    """A clock that moves only when the test moves it (UTC, as the store keeps time)."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


class NoSleep:
    """Read-back backoff that returns at once and remembers what it was asked to wait."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


# --- facts that pass every policy on the simulator's tenant (seed 1, 2026-03-18) ---------------

_bsns = itertools.count(1)


def fresh_bsn() -> str:
    """A BSN that passes the 11-check and is not in the seeded tenant (they start 1..9 and 4..)."""
    while True:
        stem = f"9{next(_bsns):07d}"
        total = sum(int(d) * w for d, w in zip(stem, range(9, 1, -1), strict=True))
        check = total % 11
        if check < 10:
            return stem + str(check)


def sim_hire_facts(**changes: Any) -> HireFacts:
    """A hire at employer 02 (MAAND, table 5) from 2026-04-01, matched by a new BSN."""
    values: dict[str, Any] = {
        "employer_id": "02",
        "start_date": HIRE_START,
        "period_table_id": 5,
        "period_table_code": "MAAND",
        "function_id": "ICT",
        "org_unit": "ICT",
        "person_match": PersonMatch.BSN,
        "bsn": fresh_bsn(),
        "first_name": "Femke",
        "last_name": f"Testpersoon{next(_bsns)}",
        "birth_date": date(1991, 7, 3),
        "address": Address("Stationsstraat", "12", "3811 HN", "Amersfoort"),
        "email": None,
    }
    values.update(changes)
    return hire_facts(**values)


def sim_hire_intent(facts: HireFacts | None = None, **fields: Any) -> WriteIntent:
    fields.setdefault("requester", REQUESTER)
    return hire_intent(facts or sim_hire_facts(), **fields)


def sim_journal_facts(**changes: Any) -> JournalEntryFacts:
    """A balanced sale booked in memorial journal 90 of administration 1 on 2026-03-05."""
    values: dict[str, Any] = {
        "journal_id": "90",
        "lines": (
            JournalLine(AccountKind.LEDGER, "1100", debit=Decimal("1210.00")),
            JournalLine(AccountKind.LEDGER, "8000", credit=Decimal("1000.00"), vat_code="1"),
            JournalLine(AccountKind.LEDGER, "1520", credit=Decimal("210.00")),
        ),
    }
    values.update(changes)
    return journal_facts(**values)


def sim_journal_intent(facts: JournalEntryFacts | None = None, **fields: Any) -> WriteIntent:
    fields.setdefault("requester", REQUESTER)
    return journal_intent(facts or sim_journal_facts(), **fields)


# --- test-only write kinds ---------------------------------------------------------------------


def _hire_fields(facts: HireFacts) -> dict[str, Any]:
    return {
        "EmployerId": facts.employer_id,
        "EmploymentStart": facts.start_date,
        "FunctionId": facts.function_id,
        "OrgUnit": facts.org_unit,
        "PeriodTableId": facts.period_table_id,
        "BirthName": facts.last_name,
    }


def hire_expectations(
    facts: HireFacts, body: Mapping[str, Any], keys: Mapping[str, str]
) -> Sequence[Expectation]:
    return (
        Expectation(
            label="employee",
            connector="employees",
            match={"EmployeeId": keys["EmId"]},
            fields=_hire_fields(facts),
        ),
    )


def hire_locate(facts: HireFacts, body: Mapping[str, Any]) -> Sequence[Expectation]:
    match = {"BSN": facts.bsn, "EmploymentStart": facts.start_date}
    fields = {k: v for k, v in _hire_fields(facts).items() if k not in match}
    return (
        Expectation(
            label="employee",
            connector="employees",
            match=match,
            fields=fields,
            keys={"EmId": "EmployeeId"},
        ),
    )


def journal_expectations(
    facts: JournalEntryFacts, body: Mapping[str, Any], keys: Mapping[str, str]
) -> Sequence[Expectation]:
    rows = tuple(
        {"AccountNo": line.account, "AmtDebit": line.debit, "AmtCredit": line.credit}
        for line in facts.lines
    )
    return (
        Expectation(
            label="entry",
            connector="transactions",
            match={"UnitId": facts.administration_id, "EntryNo": keys["EnNo"]},
            rows=rows,
        ),
    )


HIRE_KIND = WriteKind(
    tool="onboard_employee",
    facts_type=HireFacts,
    expectations=hire_expectations,
    locate=hire_locate,
    describe=lambda facts: f"hire {facts.last_name}",
)
JOURNAL_KIND = WriteKind(
    tool="post_journal_entry",
    facts_type=JournalEntryFacts,
    expectations=journal_expectations,
    locate=lambda facts, body: (),  # no voucher reference in the reference payload
    describe=lambda facts: "journal entry",
)
KINDS = {kind.tool: kind for kind in (HIRE_KIND, JOURNAL_KIND)}


def rules_auto_applying(*tools: str) -> PolicyRules:
    """The packaged rules, with these tools allowed to reach AFAS without a person."""
    rules = packaged_rules()
    return rules.model_copy(
        update={"auto_apply": {**rules.auto_apply, **dict.fromkeys(tools, True)}}
    )


def amsterdam(clock: Clock) -> datetime:
    return clock().astimezone(AMSTERDAM)


@dataclass
class Parts:
    """What a test needs to build pipelines over one simulator and one SQLite file."""

    settings: Settings
    clock: Clock
    sleep: NoSleep = field(default_factory=NoSleep)

    def store(self) -> WriteStore:
        """A new store connection on the test's database file."""
        from server.store import Scrubber

        return WriteStore(
            self.settings.database,
            clock=self.clock,
            scrubber=Scrubber(s for s in self.settings.secret_values() if len(s) >= 8),
        )

    def pipeline(
        self,
        client: AfasClient,
        store: WriteStore,
        *,
        rules: PolicyRules | None = None,
        kinds: Mapping[str, WriteKind] = KINDS,
        locks: ConnectorLocks | None = None,
        settle_absent_after: timedelta = timedelta(seconds=900),
        duplicate_window: timedelta = timedelta(minutes=10),
        contexts: ContextBuilder | None = None,
    ) -> WritePipeline:
        connectors = Connectors(dict(self.settings.connectors))

        async def afas() -> AfasClient:
            return client

        return WritePipeline(
            afas=afas,
            store=store,
            contexts=contexts
            or ContextBuilder(
                rules=rules or packaged_rules(),
                connectors=connectors,
                environment=self.settings.afas.environment_type,
                ledger=store,
                clock=lambda: amsterdam(self.clock),
            ),
            settler=Settler(
                store=store,
                connectors=connectors,
                readback=ReadBackPolicy(sleep=self.sleep),
                settle_absent_after=settle_absent_after,
            ),
            kinds=kinds,
            review_url=lambda write_id: f"http://127.0.0.1:8766/review/writes/{write_id}",
            duplicate_window=duplicate_window,
            locks=locks,
        )


# --- a person approving in a process of their own ------------------------------------------------

APPROVED_AND_VERIFIED = 0
NOT_VERIFIED = 10


def approve_in_process(
    env: dict[str, str], write_id: str, approver: str, now: datetime, barrier: Any
) -> None:
    """Approve one write as the review surfaces do, in a child process (spawned: importable).

    The store's clock stands still at `now`, the test's time, so the held write has not expired.
    Exits APPROVED_AND_VERIFIED only when the write was sent, read back and verified.
    """
    import asyncio
    import sys

    from server.config import load_settings
    from server.store import WriteStatus
    from server.writes.approvals import PipelineReviewActions

    settings = load_settings(env)
    with WriteStore(settings.database, clock=lambda: now) as store:
        actions = PipelineReviewActions(settings, store=store, kinds=KINDS.values())
        barrier.wait(timeout=30)
        result = asyncio.run(actions.approve(write_id, approver=approver))
    ok = result.status is WriteStatus.VERIFIED
    sys.exit(APPROVED_AND_VERIFIED if ok else NOT_VERIFIED)
