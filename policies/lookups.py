"""The lookups policies read, and how stale each may be.

A lookup is one kind of AFAS data the server-side context builder fetches (through cached
GetConnector reads) before the policies run. Each value of `Lookup` is also the name of the
`PolicyContext` field that carries its snapshot, so the builder can set them by name.

How long a cached lookup may be reused is rule data (`rules.toml`, `[lookup_ttl_seconds]`); the
caps below are not: they encode quirks (W2: open periods at most an hour) and freshness the checks
rely on (duplicates and current values must be read for this very write), so a rules file that sets
more is rejected.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType


class Lookup(enum.StrEnum):
    """One kind of AFAS data a policy may need; the value is the `PolicyContext` field name."""

    EMPLOYERS = "employers"
    """All employers (werkgevers): `Profit_Employers`."""
    PAYROLL_PERIODS = "payroll_periods"
    """The payroll calendar of the employers the write touches: `AfasMcp_PayrollPeriods`."""
    PERIOD_TABLES = "period_tables"
    """Every period table id and code the calendar knows, across all employers (same connector)."""
    FUNCTIONS = "functions"
    """The function table of the employers the write touches: `Profit_Functions`."""
    PERSON_MATCHES = "person_matches"
    """Persons that match a hire by person id, BSN, or name and birth date: `Profit_OrgPer`."""
    EMPLOYEES = "employees"
    """The employees the write names: `AfasMcp_Employees`."""
    LEDGER_ACCOUNTS = "ledger_accounts"
    """The ledger accounts a journal entry uses: `Profit_Accounts`."""
    VAT_CODES = "vat_codes"
    """The VAT codes a journal entry uses: `Profit_VAT_code`."""
    BOOKING_PERIODS = "booking_periods"
    """Booking periods of the entry's administration: `Profit_periods_per_administration`."""
    ADMINISTRATIONS = "administrations"
    """All administrations: `Profit_Administrations`."""
    JOURNALS = "journals"
    """Journals of the entry's administration: `Profit_Journals`."""
    PROJECTS = "projects"
    """The projects the write names: `Profit_Projects`."""
    SIMILAR_RELATIONS = "similar_relations"
    """Debtors or creditors with the same IBAN, KvK number, or name: `Profit_Debtor`/`_Creditor`."""
    CURRENT_VALUES = "current_values"
    """The current AFAS values of the record an update targets, keyed `Object.Field`."""
    RECENT_WRITES = "recent_writes"
    """Writes per tool in the last hour, from the server's own write ledger (not AFAS)."""


# Upper bounds on the cache lifetime of each lookup, in seconds.
MAX_TTL_SECONDS: Mapping[Lookup, int] = MappingProxyType(
    {
        Lookup.EMPLOYERS: 86_400,
        # W2: bureaus open and close periods mid-day around payroll runs.
        Lookup.PAYROLL_PERIODS: 3_600,
        # Which codes exist is configuration, not the state of a period.
        Lookup.PERIOD_TABLES: 86_400,
        Lookup.FUNCTIONS: 86_400,
        # A person created a minute ago must block the next duplicate (W4).
        Lookup.PERSON_MATCHES: 0,
        Lookup.EMPLOYEES: 300,
        Lookup.LEDGER_ACCOUNTS: 86_400,
        Lookup.VAT_CODES: 86_400,
        # W18: controllers block booking periods during the close.
        Lookup.BOOKING_PERIODS: 3_600,
        Lookup.ADMINISTRATIONS: 86_400,
        Lookup.JOURNALS: 86_400,
        Lookup.PROJECTS: 3_600,
        Lookup.SIMILAR_RELATIONS: 0,
        # W20 compares with what AFAS holds now, also when an approver re-checks hours later.
        Lookup.CURRENT_VALUES: 0,
        Lookup.RECENT_WRITES: 0,
    }
)
