"""What the policies know about the world when they judge one write.

The server-side context builder fills a `PolicyContext` before `check_all` runs: the environment
type, today's date in Amsterdam, the rules, and a snapshot of each lookup the intent needs
(`policies.registry.required_lookups(intent)`), read through cached GetConnectors no older than
`rules.ttl(lookup)`. Snapshots are small frozen records in concept terms, not AFAS rows.

A lookup left at None was not loaded; one the builder could not load goes in `missing` with the
reason. Either way a policy that needs it refuses the write (fail closed) instead of judging on
data it does not have. What the builder noticed but could not settle (two persons with the same
BSN) goes in `ambiguities`, which lower the write's confidence.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from types import MappingProxyType
from typing import Literal, TypeVar

from policies.facts import RelationRole
from policies.lookups import Lookup
from policies.rules import PolicyRules
from policies.values import AMSTERDAM

EnvironmentType = Literal["production", "test", "accept"]

T = TypeVar("T")


def today_in_amsterdam(now: datetime) -> date:
    """The calendar date in Amsterdam at an aware moment (AFAS dates are Amsterdam dates).

    Raises:
        ValueError: `now` has no time zone, so its Amsterdam date is unknown.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(AMSTERDAM).date()


class LookupUnavailable(LookupError):
    """A policy needs a lookup the context does not hold; the policy refuses (fail closed)."""

    def __init__(self, lookup: Lookup, reason: str) -> None:
        super().__init__(f"lookup {lookup} is unavailable: {reason}")
        self.lookup = lookup
        self.reason = reason


@dataclass(frozen=True)
class Employer:
    """An employer (werkgever) and the administration it books into."""

    employer_id: str
    name: str = ""
    administration_id: int | None = None


@dataclass(frozen=True)
class PayrollPeriod:
    """One period of an employer's payroll calendar for one period table."""

    employer_id: str
    period_table_id: int
    period_table_code: str
    year: int
    period: int
    date_from: date
    date_to: date
    closed: bool

    def contains(self, day: date) -> bool:
        """Whether the day falls in this period."""
        return self.date_from <= day <= self.date_to


@dataclass(frozen=True)
class PeriodTable:
    """A period table (`PtId`) and its code, as the payroll calendar of any employer names it."""

    period_table_id: int
    code: str


@dataclass(frozen=True)
class JobFunction:
    """A function (job) in an employer's function table."""

    employer_id: str
    function_id: str
    description: str = ""
    blocked: bool = False


@dataclass(frozen=True)
class PersonCandidate:
    """An existing person that matches a hire, and what it matched on."""

    person_id: str
    name: str
    matched_by: Literal["person_id", "bsn", "name_birth_date"]
    birth_date: date | None = None
    bsn: str | None = None
    employee_id: str | None = None
    """The person's employee code when the person is (or was) already employed."""


@dataclass(frozen=True)
class EmployeeRecord:
    """An existing employee, as far as the policies care."""

    employee_id: str
    employer_id: str
    active: bool
    person_id: str | None = None


@dataclass(frozen=True)
class LedgerAccount:
    """A ledger account and what a line on it needs."""

    account_id: str
    description: str = ""
    blocked: bool = False
    needs_allocation: bool = False
    """The account demands an allocation line (`Profit_Accounts.DimAx1/2` filled)."""
    needs_project: bool = False
    """The account demands a project line (`Profit_Accounts.ToProject`)."""


@dataclass(frozen=True)
class VatCode:
    """A VAT code."""

    vat_code: str
    blocked: bool = False


@dataclass(frozen=True)
class BookingPeriod:
    """A financial booking period of an administration."""

    administration_id: int
    year: int
    period: int
    date_from: date
    date_to: date
    blocked: bool

    def contains(self, day: date) -> bool:
        """Whether the day falls in this period."""
        return self.date_from <= day <= self.date_to


@dataclass(frozen=True)
class Administration:
    """A financial administration (`UnId`)."""

    administration_id: int
    name: str = ""


@dataclass(frozen=True)
class Journal:
    """A journal of an administration."""

    administration_id: int
    journal_id: str
    blocked: bool = False


@dataclass(frozen=True)
class Project:
    """A project hours can be registered on, unless it is closed."""

    project_id: str
    closed: bool = False


@dataclass(frozen=True)
class ExistingRelation:
    """A debtor or creditor that might be the relation the agent wants to create."""

    role: RelationRole
    relation_id: str
    name: str
    iban: str | None = None
    kvk_number: str | None = None
    postal_code: str | None = None


@dataclass(frozen=True)
class Ambiguity:
    """Something the context builder found but could not settle, e.g. two persons matched."""

    lookup: Lookup
    description: str


@dataclass(frozen=True)
class PolicyContext:
    """Everything a policy may read besides the intent itself."""

    environment: EnvironmentType
    today: date
    rules: PolicyRules
    employers: tuple[Employer, ...] | None = None
    payroll_periods: tuple[PayrollPeriod, ...] | None = None
    """The calendar of the write's own employer only; `period_tables` knows every code."""
    period_tables: tuple[PeriodTable, ...] | None = None
    functions: tuple[JobFunction, ...] | None = None
    person_matches: tuple[PersonCandidate, ...] | None = None
    employees: tuple[EmployeeRecord, ...] | None = None
    ledger_accounts: tuple[LedgerAccount, ...] | None = None
    vat_codes: tuple[VatCode, ...] | None = None
    booking_periods: tuple[BookingPeriod, ...] | None = None
    administrations: tuple[Administration, ...] | None = None
    journals: tuple[Journal, ...] | None = None
    projects: tuple[Project, ...] | None = None
    similar_relations: tuple[ExistingRelation, ...] | None = None
    current_values: Mapping[str, object] | None = None
    """The updated record's values as AFAS holds them now, keyed `Object.Field`."""
    recent_writes: Mapping[str, int] | None = None
    """Writes per tool name the ledger recorded in the last hour, not counting this one."""
    notes: tuple[str, ...] = ()
    ambiguities: tuple[Ambiguity, ...] = ()
    missing: Mapping[Lookup, str] = field(default_factory=lambda: MappingProxyType({}))
    """Lookups the builder could not load, with the reason (AFAS error, connector not linked)."""

    def is_available(self, lookup: Lookup) -> bool:
        """Whether the lookup was loaded."""
        return lookup not in self.missing and getattr(self, lookup.value) is not None

    def require(self, lookup: Lookup, snapshot: T | None) -> T:
        """Return a snapshot a policy needs, e.g. `ctx.require(Lookup.EMPLOYERS, ctx.employers)`.

        Raises:
            LookupUnavailable: the lookup is missing or was not loaded.
            ValueError: `snapshot` is not this context's field for `lookup` (a policy bug).
        """
        own_field: object = getattr(self, lookup.value)
        if snapshot is not own_field:
            raise ValueError(f"require({lookup}) was given another field than ctx.{lookup.value}")
        if lookup in self.missing:
            raise LookupUnavailable(lookup, self.missing[lookup])
        if snapshot is None:
            raise LookupUnavailable(lookup, "it was not loaded by the context builder")
        return snapshot
