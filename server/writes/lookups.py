"""How each policy lookup is read from AFAS: which connector, which rows, which snapshot.

One loader per `policies.Lookup` (docs/connector-package.md names the connectors). A loader gets
the intent and reads only the rows its facts make relevant (the employer's calendar, the entry's
administration, the persons that could be the new hire); the context builder caches its result
for the lookup's TTL under the `scope` the same facts give. Rows become the small frozen records
of `policies.context`; a shell row (R5) is never read as data. Anything a loader cannot settle
(two persons with one BSN) is returned as an `Ambiguity`, which lowers the write's confidence.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from policies.afas_fields import EMPLOYEE_FIELDS, EMPLOYEE_ROW_COLUMNS
from policies.context import (
    Administration,
    Ambiguity,
    BookingPeriod,
    EmployeeRecord,
    Employer,
    ExistingRelation,
    JobFunction,
    Journal,
    LedgerAccount,
    PayrollPeriod,
    PeriodTable,
    PersonCandidate,
    Project,
    VatCode,
)
from policies.facts import (
    EmployeeUpdateFacts,
    HireFacts,
    HoursFacts,
    JournalEntryFacts,
    LeaveFacts,
    RelationFacts,
    RelationRole,
)
from policies.lookups import Lookup
from policies.model import WriteIntent
from policies.values import normalise_iban, normalise_text
from server.afas.client import AfasClient
from server.afas.filters import Filter, FilterGroup, Operator
from server.afas.models import Row
from server.writes.readback import Connectors

__all__ = ["LOADERS", "Loaded", "LookupSource", "scope_of"]


@dataclass(frozen=True)
class Loaded:
    """A lookup's snapshot and what could not be settled while reading it."""

    value: object
    ambiguities: tuple[Ambiguity, ...] = ()


@dataclass(frozen=True)
class LookupSource:
    """Reads the product's GetConnectors by logical name, whole or by equality on one field."""

    afas: AfasClient
    connectors: Connectors
    today: date

    async def rows(
        self,
        logical: str,
        fields: Sequence[str],
        *,
        where: str | None = None,
        any_of: Iterable[object] = (),
    ) -> list[Row]:
        """Non-shell rows; with `where`, only those whose field equals one of `any_of`."""
        connector, key = self.connectors.resolve(logical)
        values = list(dict.fromkeys(any_of))
        if where is not None and not values:
            return []
        groups = [FilterGroup(Filter(where, Operator.EQUALS, v)) for v in values] if where else None
        stream = self.afas.rows(connector, key=key, filters=groups, required_fields=fields)
        return [row async for row in stream if not row.shell]


# --- value helpers -------------------------------------------------------------------------------


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _int(value: object) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    return int(str(value))


def _day(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()  # already Amsterdam time (R7)
    return value if isinstance(value, date) else None


def _required_day(row: Row, field_id: str) -> date:
    day = _day(row.values.get(field_id))
    if day is None:
        raise ValueError(f"the row with key {row.key} has no {field_id}; it cannot be judged")
    return day


def _flag(value: object) -> bool:
    # An empty flag is not "open": only an explicit False counts as False.
    return value is not False


# --- scopes: which rows a write needs, and the cache key they make --------------------------------


def _employers_of(intent: WriteIntent) -> tuple[str, ...]:
    facts = intent.facts
    if isinstance(facts, HireFacts | EmployeeUpdateFacts) and facts.employer_id.strip():
        return (facts.employer_id.strip(),)
    return ()


def _employees_of(intent: WriteIntent) -> tuple[str, ...]:
    facts = intent.facts
    if isinstance(facts, EmployeeUpdateFacts | HoursFacts | LeaveFacts):
        return (facts.employee_id,)
    return ()


def _administration_of(intent: WriteIntent) -> tuple[int, ...]:
    facts = intent.facts
    return (facts.administration_id,) if isinstance(facts, JournalEntryFacts) else ()


def _projects_of(intent: WriteIntent) -> tuple[str, ...]:
    facts = intent.facts
    return (facts.project_id,) if isinstance(facts, HoursFacts) else ()


def scope_of(lookup: Lookup, intent: WriteIntent) -> Hashable:
    """The part of the intent a lookup depends on: the cache key beside the lookup."""
    facts = intent.facts
    match lookup:
        case Lookup.PAYROLL_PERIODS | Lookup.FUNCTIONS:
            return _employers_of(intent)
        case Lookup.EMPLOYEES | Lookup.CURRENT_VALUES:
            return _employees_of(intent)
        case Lookup.BOOKING_PERIODS:
            return _administration_of(intent)
        case Lookup.PROJECTS:
            return _projects_of(intent)
        case Lookup.PERSON_MATCHES if isinstance(facts, HireFacts):
            return (facts.person_id, facts.bsn, facts.last_name, facts.birth_date)
        case Lookup.SIMILAR_RELATIONS if isinstance(facts, RelationFacts):
            return (facts.role, facts.iban, facts.kvk_number, facts.name)
        case _:
            return ()


# --- loaders -------------------------------------------------------------------------------------


async def _employers(src: LookupSource, intent: WriteIntent) -> Loaded:
    rows = await src.rows("employers", ("EmployerId", "Name", "UnitId"))
    return Loaded(
        tuple(
            Employer(_text(r["EmployerId"]), _text(r["Name"]), _int(r.values.get("UnitId")))
            for r in rows
        )
    )


_CALENDAR = (
    "EmployerId",
    "PeriodTableId",
    "PeriodTableCode",
    "Year",
    "Period",
    "DateFrom",
    "DateTo",
    "Closed",
)


async def _payroll_periods(src: LookupSource, intent: WriteIntent) -> Loaded:
    rows = await src.rows(
        "payroll_periods", _CALENDAR, where="EmployerId", any_of=_employers_of(intent)
    )
    return Loaded(
        tuple(
            PayrollPeriod(
                employer_id=_text(r["EmployerId"]),
                period_table_id=int(str(r["PeriodTableId"])),
                period_table_code=_text(r["PeriodTableCode"]),
                year=int(str(r["Year"])),
                period=int(str(r["Period"])),
                date_from=_required_day(r, "DateFrom"),
                date_to=_required_day(r, "DateTo"),
                closed=_flag(r["Closed"]),
            )
            for r in rows
        )
    )


async def _period_tables(src: LookupSource, intent: WriteIntent) -> Loaded:
    """Every (PtId, code) pair of every employer's calendar: which codes exist at all (W12)."""
    rows = await src.rows("payroll_periods", ("EmployerId", "PeriodTableId", "PeriodTableCode"))
    pairs = sorted(
        {(int(str(r["PeriodTableId"])), _text(r["PeriodTableCode"])) for r in rows},
    )
    ids_of: dict[str, set[int]] = {}
    for table_id, code in pairs:
        if code:
            ids_of.setdefault(code.upper(), set()).add(table_id)
    ambiguities = tuple(
        Ambiguity(
            Lookup.PERIOD_TABLES,
            f"period table code {code} names {len(ids)} tables: "
            f"{', '.join(str(i) for i in sorted(ids))}",
        )
        for code, ids in sorted(ids_of.items())
        if len(ids) > 1
    )
    return Loaded(tuple(PeriodTable(table_id, code) for table_id, code in pairs), ambiguities)


async def _functions(src: LookupSource, intent: WriteIntent) -> Loaded:
    fields = ("Employer", "FunctionId", "FunctionDesc", "Blocked")
    rows = await src.rows("functions", fields, where="Employer", any_of=_employers_of(intent))
    return Loaded(
        tuple(
            JobFunction(
                _text(r["Employer"]),
                _text(r["FunctionId"]),
                _text(r["FunctionDesc"]),
                blocked=r["Blocked"] is True,
            )
            for r in rows
        )
    )


_PERSON = ("BcCo", "Type", "Name", "DateBirth", "BSN")
MatchedBy = Literal["person_id", "bsn", "name_birth_date"]


async def _person_matches(src: LookupSource, intent: WriteIntent) -> Loaded:
    facts = intent.facts
    if not isinstance(facts, HireFacts):
        return Loaded(())
    found: dict[tuple[str, str], tuple[Row, MatchedBy]] = {}
    searches: list[tuple[str, MatchedBy, object]] = [("BcCo", "person_id", facts.person_id)]
    searches += [("BSN", "bsn", facts.bsn), ("DateBirth", "name_birth_date", facts.birth_date)]
    last_name = normalise_text(facts.last_name)
    for field_id, how, value in searches:
        if value is None or value == "":
            continue
        for row in await src.rows("persons", _PERSON, where=field_id, any_of=[value]):
            if _text(row.values.get("Type")) not in ("", "Persoon", "Person"):
                continue  # an organisation with that number is not a person to hire
            if how == "name_birth_date" and last_name not in normalise_text(_text(row["Name"])):
                continue
            found.setdefault((_text(row["BcCo"]), how), (row, how))
    person_ids = sorted({person for person, _ in found})
    employees = await src.rows(
        "employees", ("EmployeeId", "PersonId"), where="PersonId", any_of=person_ids
    )
    employee_of = {_text(r["PersonId"]): _text(r["EmployeeId"]) for r in employees}
    candidates = tuple(
        PersonCandidate(
            person_id=person,
            name=_text(row["Name"]),
            matched_by=how,
            birth_date=_day(row.values.get("DateBirth")),
            bsn=_text(row.values.get("BSN")) or None,
            employee_id=employee_of.get(person),
        )
        for (person, _), (row, how) in sorted(found.items())
    )
    same_bsn = sorted({c.person_id for c in candidates if c.matched_by == "bsn"})
    ambiguities: tuple[Ambiguity, ...] = ()
    if len(same_bsn) > 1:
        ambiguities = (
            Ambiguity(
                Lookup.PERSON_MATCHES,
                f"{len(same_bsn)} persons share BSN {facts.bsn}: {', '.join(same_bsn)}",
            ),
        )
    return Loaded(candidates, ambiguities)


_EMPLOYEE = ("EmployeeId", "EmployerId", "PersonId", "EmploymentEnd", "Blocked")


async def _employees(src: LookupSource, intent: WriteIntent) -> Loaded:
    wanted = _employees_of(intent)
    connector, key = src.connectors.resolve("employees")
    records: list[EmployeeRecord] = []
    groups = [FilterGroup(Filter("EmployeeId", Operator.EQUALS, e)) for e in wanted]
    if groups:
        async for row in src.afas.rows(
            connector, key=key, filters=groups, required_fields=_EMPLOYEE
        ):
            end = _day(row.values.get("EmploymentEnd"))
            active = (
                not row.shell and row["Blocked"] is not True and (end is None or end >= src.today)
            )
            records.append(
                EmployeeRecord(
                    employee_id=_text(row["EmployeeId"]),
                    employer_id=_text(row.values.get("EmployerId")),
                    active=active,
                    person_id=_text(row.values.get("PersonId")) or None,
                )
            )
    return Loaded(tuple(records))


async def _ledger_accounts(src: LookupSource, intent: WriteIntent) -> Loaded:
    rows = await src.rows(
        "ledger_accounts", ("Account", "Description", "Blocked", "ToProject", "DimAx1", "DimAx2")
    )
    return Loaded(
        tuple(
            LedgerAccount(
                account_id=_text(r["Account"]),
                description=_text(r["Description"]),
                blocked=r["Blocked"] is True,
                needs_allocation=bool(_text(r["DimAx1"]) or _text(r["DimAx2"])),
                # "Boeken op project": only "Verplicht" (mandatory) demands a project line.
                needs_project=_text(r["ToProject"]).casefold()
                in {"verplicht", "mandatory", "required"},
            )
            for r in rows
        )
    )


async def _vat_codes(src: LookupSource, intent: WriteIntent) -> Loaded:
    rows = await src.rows("vat_codes", ("VatCode", "Blocked"))
    return Loaded(tuple(VatCode(_text(r["VatCode"]), blocked=r["Blocked"] is True) for r in rows))


async def _booking_periods(src: LookupSource, intent: WriteIntent) -> Loaded:
    fields = ("Unit", "Year", "Period", "DateFrom", "DateTo", "Blocked")
    rows = await src.rows(
        "booking_periods", fields, where="Unit", any_of=_administration_of(intent)
    )
    return Loaded(
        tuple(
            BookingPeriod(
                administration_id=int(str(r["Unit"])),
                year=int(str(r["Year"])),
                period=int(str(r["Period"])),
                date_from=_required_day(r, "DateFrom"),
                date_to=_required_day(r, "DateTo"),
                blocked=_flag(r["Blocked"]),
            )
            for r in rows
        )
    )


async def _administrations(src: LookupSource, intent: WriteIntent) -> Loaded:
    rows = await src.rows("administrations", ("AdminId", "AdminNm"))
    return Loaded(tuple(Administration(int(str(r["AdminId"])), _text(r["AdminNm"])) for r in rows))


async def _journals(src: LookupSource, intent: WriteIntent) -> Loaded:
    fields = ("UnitId", "JournalId", "Blocked")
    rows = await src.rows("journals", fields, where="UnitId", any_of=_administration_of(intent))
    return Loaded(
        tuple(
            Journal(int(str(r["UnitId"])), _text(r["JournalId"]), r["Blocked"] is True)
            for r in rows
        )
    )


async def _projects(src: LookupSource, intent: WriteIntent) -> Loaded:
    rows = await src.rows(
        "projects", ("ProjectId", "CheckedOut"), where="ProjectId", any_of=_projects_of(intent)
    )
    return Loaded(
        tuple(Project(_text(r["ProjectId"]), closed=r["CheckedOut"] is True) for r in rows)
    )


_POSTAL_CODE = re.compile(r"\b(\d{4}\s?[A-Za-z]{2})\b")
_RELATION_FIELDS: Mapping[RelationRole, tuple[str, str, str, str]] = {
    # logical connector, id field, name field, address line with the postal code
    RelationRole.DEBTOR: ("debtors", "DebtorId", "DebtorName", "AdressLine3"),
    RelationRole.CREDITOR: ("creditors", "CreditorId", "CreditorName", "Adressline3"),
}


async def _similar_relations(src: LookupSource, intent: WriteIntent) -> Loaded:
    facts = intent.facts
    if not isinstance(facts, RelationFacts):
        return Loaded(())
    logical, id_field, name_field, address_field = _RELATION_FIELDS[facts.role]
    fields = (id_field, name_field, "IBAN", "ChOfCommNr", address_field)
    found: dict[str, Row] = {}
    searches = (
        ("IBAN", normalise_iban(facts.iban) if facts.iban else None),
        ("ChOfCommNr", facts.kvk_number),
        (name_field, facts.name),
    )
    for field_id, value in searches:
        if value:
            for row in await src.rows(logical, fields, where=field_id, any_of=[value]):
                found.setdefault(_text(row[id_field]), row)
    relations = []
    for relation_id, row in sorted(found.items()):
        postal = _POSTAL_CODE.search(_text(row.values.get(address_field)))
        relations.append(
            ExistingRelation(
                role=facts.role,
                relation_id=relation_id,
                name=_text(row[name_field]),
                iban=_text(row["IBAN"]) or None,
                kvk_number=_text(row["ChOfCommNr"]) or None,
                postal_code=postal.group(1) if postal else None,
            )
        )
    return Loaded(tuple(relations))


async def _current_values(src: LookupSource, intent: WriteIntent) -> Loaded:
    wanted = _employees_of(intent)
    rows = await src.rows(
        "employees",
        ("EmployeeId", *EMPLOYEE_ROW_COLUMNS.values()),
        where="EmployeeId",
        any_of=wanted,
    )
    if len(rows) != 1:
        raise LookupError(f"employee {', '.join(wanted) or '(none named)'} was not found in AFAS")
    (row,) = rows
    values: dict[str, object] = {}
    for field, column in EMPLOYEE_ROW_COLUMNS.items():
        value = row.values.get(column)
        values[EMPLOYEE_FIELDS[field].path] = _day(value) if isinstance(value, datetime) else value
    return Loaded(values)


Loader = Callable[[LookupSource, WriteIntent], Awaitable[Loaded]]

LOADERS: Mapping[Lookup, Loader] = {
    Lookup.EMPLOYERS: _employers,
    Lookup.PAYROLL_PERIODS: _payroll_periods,
    Lookup.PERIOD_TABLES: _period_tables,
    Lookup.FUNCTIONS: _functions,
    Lookup.PERSON_MATCHES: _person_matches,
    Lookup.EMPLOYEES: _employees,
    Lookup.LEDGER_ACCOUNTS: _ledger_accounts,
    Lookup.VAT_CODES: _vat_codes,
    Lookup.BOOKING_PERIODS: _booking_periods,
    Lookup.ADMINISTRATIONS: _administrations,
    Lookup.JOURNALS: _journals,
    Lookup.PROJECTS: _projects,
    Lookup.SIMILAR_RELATIONS: _similar_relations,
    Lookup.CURRENT_VALUES: _current_values,
}
"""Every AFAS-backed lookup; `RECENT_WRITES` comes from the server's own ledger instead."""
