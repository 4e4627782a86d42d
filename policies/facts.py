"""What the agent asked for, in plain terms, one frozen dataclass per write tool.

A write tool validates its input, resolves codes through lookups, and records the result here
before it builds the AFAS payload. The policies then check the facts against AFAS's data (does
the employer exist, is the period open) and the payload against the facts (does `CmId` carry
that employer), so a payload builder bug cannot slip past a check that only read the facts.

Facts speak in concepts (employer, period table, start date); `policies.afas_fields` maps the
concepts to AFAS field ids. Amounts are `Decimal`, days are `date`; nothing here is formatted
for AFAS.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal
from types import MappingProxyType

# A value the agent sets on an employee field.
FieldValue = str | int | Decimal | date | bool


class WriteTool(enum.StrEnum):
    """The agent-facing write tools; the value is the tool name."""

    ONBOARD_EMPLOYEE = "onboard_employee"
    UPDATE_EMPLOYEE = "update_employee"
    POST_JOURNAL_ENTRY = "post_journal_entry"
    CREATE_DEBTOR = "create_debtor"
    CREATE_CREDITOR = "create_creditor"
    REGISTER_HOURS = "register_hours"
    SUBMIT_LEAVE_REQUEST = "submit_leave_request"
    LOG_ACTIVITY = "log_activity"


class PersonMatch(enum.StrEnum):
    """How a hire's person record is found in AFAS (W4); chosen by the tool, never the agent."""

    EXISTING_PERSON = "existing_person"
    """The agent named an existing person (`person_id`): match by key (`MatchPer` 0)."""
    BSN = "bsn"
    """Match by citizen service number (`MatchPer` 1): AFAS reuses a person with that BSN."""
    ALWAYS_NEW = "always_new"
    """Always insert a new person (`MatchPer` 7): only allowed in a test environment."""


@dataclass(frozen=True)
class Address:
    """A residential address as the agent gave it.

    `house_number` is kept as typed ("12A", "12 bis"); the payload builder splits it with
    `policies.values.split_house_number` and the W8 policy checks the split it finds in the payload.
    """

    street: str
    house_number: str
    postal_code: str
    city: str
    country: str = "NL"
    house_number_addition: str | None = None  # when the agent gave it separately


@dataclass(frozen=True)
class HireFacts:
    """A new employee (`onboard_employee`): person, contract, function, schedule and salary."""

    employer_id: str
    """Employer (werkgever) code, seed term "Wg"; from `list_employers`, never defaulted (W1)."""
    start_date: date
    """First day of the contract; its payroll period (seed term "Vp") must be open (W2)."""
    period_table_id: int | None
    """The resolved period table (`PtId`), seed term "PvCd"; None when it could not be resolved."""
    function_id: str
    org_unit: str
    person_match: PersonMatch
    first_name: str
    last_name: str
    birth_date: date
    gender: str
    hours_per_week: Decimal
    salary: Decimal
    period_table_code: str | None = None
    """The period table code the agent gave, e.g. "MAAND"; checked against the calendar (W12)."""
    person_id: str | None = None
    """Existing person number (`BcCo`), required with `PersonMatch.EXISTING_PERSON`."""
    bsn: str | None = None
    initials: str | None = None
    name_prefix: str | None = None
    address: Address | None = None
    email: str | None = None
    contract_end: date | None = None
    employee_id: str | None = None
    """Chosen employee code; None lets AFAS number the employee."""


class EmployeeField(enum.StrEnum):
    """An employee attribute `update_employee` can change; `afas_fields` maps each to AFAS."""

    EMAIL = "email"
    PHONE = "phone"
    MOBILE = "mobile"
    STREET = "street"
    HOUSE_NUMBER = "house_number"
    HOUSE_NUMBER_ADDITION = "house_number_addition"
    POSTAL_CODE = "postal_code"
    CITY = "city"
    COUNTRY = "country"
    FUNCTION = "function"
    ORG_UNIT = "org_unit"
    HOURS_PER_WEEK = "hours_per_week"
    SALARY = "salary"
    PERIOD_TABLE = "period_table"
    CONTRACT_END = "contract_end"


# Changing these creates new time-dependent rows the payroll run reads, so the payroll period of
# the effective date must be open (W2) and the employer's tables apply (W3, W10, W12).
PAYROLL_FIELDS: frozenset[EmployeeField] = frozenset(
    {
        EmployeeField.FUNCTION,
        EmployeeField.ORG_UNIT,
        EmployeeField.HOURS_PER_WEEK,
        EmployeeField.SALARY,
        EmployeeField.PERIOD_TABLE,
        EmployeeField.CONTRACT_END,
    }
)


@dataclass(frozen=True)
class EmployeeUpdateFacts:
    """Changes to an existing employee (`update_employee`).

    `current` is what the tool read before building the payload (shown to approvers as the diff);
    the W20 policy compares the payload with `PolicyContext.current_values`, read fresh for every
    check, so an approval hours later still sees what AFAS holds then.
    """

    employee_id: str
    employer_id: str
    """The employer on the employee's current contract, as read from AFAS."""
    changes: Mapping[EmployeeField, FieldValue]
    cleared: frozenset[EmployeeField] = frozenset()
    """Fields the agent explicitly asked to empty; only these may be sent as "" (W13)."""
    person_id: str | None = None
    """The employee's person number (`BcCo`), needed to change person and address fields."""
    current: Mapping[EmployeeField, FieldValue] = field(
        default_factory=lambda: MappingProxyType({})
    )
    effective_date: date | None = None
    """Start of the new contract/function/timetable/salary rows; required for payroll fields."""
    period_table_id: int | None = None
    """The employee's current period table (`PtId`), as read from AFAS."""
    period_table_code: str | None = None
    """The code the agent gave when it changes the period table, e.g. "VIERWEKEN" (W12)."""

    @property
    def touches_payroll(self) -> bool:
        """Whether the update changes anything the payroll run reads."""
        return bool((set(self.changes) | self.cleared) & PAYROLL_FIELDS)

    @property
    def target_period_table_id(self) -> int | None:
        """The period table the employee has after the update."""
        new = self.changes.get(EmployeeField.PERIOD_TABLE)
        if new is None:
            return self.period_table_id
        # bool is an int; a flag is never a period table id.
        if isinstance(new, int) and not isinstance(new, bool):
            return new
        if isinstance(new, str) and new.isdigit():
            return int(new)
        raise ValueError(f"period_table change must be a numeric PtId, got {new!r}")


class AccountKind(enum.StrEnum):
    """What a journal line's account is: a ledger account, a debtor, or a creditor."""

    LEDGER = "ledger"
    DEBTOR = "debtor"
    CREDITOR = "creditor"


@dataclass(frozen=True)
class JournalLine:
    """One line of a journal entry: an account and exactly one of debit or credit."""

    account_kind: AccountKind
    account: str
    debit: Decimal = Decimal(0)
    credit: Decimal = Decimal(0)
    vat_code: str | None = None
    description: str | None = None
    cost_centre: str | None = None
    """Allocation code on the first axis, for accounts that demand an allocation."""
    project_id: str | None = None
    """Project, for accounts that demand a project line."""
    project_item: str | None = None
    """Cost item code (`ItCd`) of the project line; AFAS needs one with every `project_id`."""


@dataclass(frozen=True)
class JournalEntryFacts:
    """One journal entry (`post_journal_entry`): one administration, journal and entry date."""

    administration_id: int
    journal_id: str
    entry_date: date
    lines: tuple[JournalLine, ...]
    description: str | None = None

    @property
    def total_debit(self) -> Decimal:
        """The sum of the debit amounts."""
        return sum((line.debit for line in self.lines), Decimal(0))

    @property
    def total_credit(self) -> Decimal:
        """The sum of the credit amounts."""
        return sum((line.credit for line in self.lines), Decimal(0))


class RelationRole(enum.StrEnum):
    """Whether a new relation is a debtor (sales) or a creditor (purchase)."""

    DEBTOR = "debtor"
    CREDITOR = "creditor"


class RelationKind(enum.StrEnum):
    """Whether a new relation is a person or an organisation."""

    PERSON = "person"
    ORGANISATION = "organisation"


@dataclass(frozen=True)
class RelationFacts:
    """A new debtor (`create_debtor`) or creditor (`create_creditor`).

    An organisation has one `name`. A person's name comes in parts (`last_name` required, the
    others optional), each sent in its own `KnPerson` field; `name` is then the name AFAS shows
    for the person (`policies.values.person_display_name`), used to find look-alikes and to read
    the relation back.
    """

    role: RelationRole
    kind: RelationKind
    name: str
    """The organisation's name, or the person's name as AFAS shows it."""
    country: str
    """ISO 3166 alpha-2 code, e.g. "NL"."""
    address: Address | None = None
    iban: str | None = None
    kvk_number: str | None = None
    """Chamber of Commerce number (8 digits), organisations only."""
    vat_number: str | None = None
    email: str | None = None
    first_name: str | None = None
    """A person's first name(s) (`FiNm`); None for an organisation."""
    initials: str | None = None
    """A person's initials (`In`), e.g. "J.A."."""
    name_prefix: str | None = None
    """The prefix of a person's last name (`Is`), e.g. "van der"."""
    last_name: str | None = None
    """A person's last name without its prefix (`LaNm`); required for a person."""


@dataclass(frozen=True)
class HoursFacts:
    """Hours worked on a project (`register_hours`), one row."""

    employee_id: str
    project_id: str
    work_date: date
    hours: Decimal
    work_type: str
    """Item code of the work type (`ItCd`), e.g. "300"."""
    description: str | None = None


@dataclass(frozen=True)
class LeaveFacts:
    """A leave booking (`submit_leave_request`), whole days or part of one day.

    Whole days run from `start` to `end` inclusive; partial leave is one day (`start` == `end`)
    from `from_time` until `until_time`, Amsterdam wall time. AFAS counts the hours from both.
    """

    employee_id: str
    leave_type: str
    """Leave type code (`ViAt`), e.g. "V"."""
    start: date
    end: date
    reason: str | None = None
    from_time: time | None = None
    """When partial leave starts on its one day; None (with `until_time`) for whole days."""
    until_time: time | None = None
    """When partial leave ends on its one day."""

    @property
    def partial(self) -> bool:
        """Whether this is leave for part of one day."""
        return self.from_time is not None or self.until_time is not None


@dataclass(frozen=True)
class ActivityFacts:
    """A dossier item on a relation (`log_activity`)."""

    relation_id: str
    subject: str
    subject_type: str
    """Dossier item type (`StId`)."""
    activity_date: date
    text: str | None = None
    """The notes (`SbTx`); None when the agent gave only a subject."""


Facts = (
    HireFacts
    | EmployeeUpdateFacts
    | JournalEntryFacts
    | RelationFacts
    | HoursFacts
    | LeaveFacts
    | ActivityFacts
)

# The facts type each tool records; a mismatch is a tool bug the registry refuses.
FACTS_TYPE: Mapping[WriteTool, type[Facts]] = MappingProxyType(
    {
        WriteTool.ONBOARD_EMPLOYEE: HireFacts,
        WriteTool.UPDATE_EMPLOYEE: EmployeeUpdateFacts,
        WriteTool.POST_JOURNAL_ENTRY: JournalEntryFacts,
        WriteTool.CREATE_DEBTOR: RelationFacts,
        WriteTool.CREATE_CREDITOR: RelationFacts,
        WriteTool.REGISTER_HOURS: HoursFacts,
        WriteTool.SUBMIT_LEAVE_REQUEST: LeaveFacts,
        WriteTool.LOG_ACTIVITY: ActivityFacts,
    }
)
