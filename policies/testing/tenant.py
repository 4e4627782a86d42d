"""A small, fixed AFAS tenant as a `PolicyContext`, for tests in any package.

Four employers with their payroll calendars for 2026 (MAAND, VIERWEKEN, WEEK; the first periods
closed) and the catalogue of those period tables, function tables, two employees, one
administration's ledger, journals and booking periods, and two projects. Today is 2026-03-10.
Every lookup is loaded; override any field:

    ctx = tenant_context(environment="test", person_matches=(PersonCandidate(...),))
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from policies.context import (
    Administration,
    BookingPeriod,
    EmployeeRecord,
    Employer,
    JobFunction,
    Journal,
    LedgerAccount,
    PayrollPeriod,
    PeriodTable,
    PolicyContext,
    Project,
    VatCode,
)
from policies.rules import packaged_rules

TODAY = date(2026, 3, 10)
YEAR = 2026

EMPLOYERS = (
    Employer("01", "Administratie Holding", administration_id=1),
    Employer("02", "Bakkerij De Korenschoof", administration_id=2),
    Employer("03", "Transport Oost", administration_id=3),
    Employer("04", "Zorg West", administration_id=4),
)

# Period table ids and codes as the calendar connector reports them.
MONTHLY, FOUR_WEEKLY, WEEKLY = 5, 7, 9


def _monthly(employer_id: str, *, closed_through: int) -> tuple[PayrollPeriod, ...]:
    periods = []
    for month in range(1, 13):
        first = date(YEAR, month, 1)
        last = (date(YEAR + (month == 12), month % 12 + 1, 1)) - timedelta(days=1)
        periods.append(
            PayrollPeriod(
                employer_id,
                MONTHLY,
                "MAAND",
                YEAR,
                month,
                first,
                last,
                closed=month <= closed_through,
            )
        )
    return tuple(periods)


def _fixed_length(
    employer_id: str, table_id: int, code: str, days: int, count: int, *, closed_through: int
) -> tuple[PayrollPeriod, ...]:
    start = date(YEAR, 1, 1)
    return tuple(
        PayrollPeriod(
            employer_id,
            table_id,
            code,
            YEAR,
            number,
            start + timedelta(days=days * (number - 1)),
            start + timedelta(days=days * number - 1),
            closed=number <= closed_through,
        )
        for number in range(1, count + 1)
    )


PAYROLL_PERIODS = (
    *_monthly("01", closed_through=2),
    *_fixed_length("02", FOUR_WEEKLY, "VIERWEKEN", 28, 13, closed_through=2),
    *_fixed_length("03", WEEKLY, "WEEK", 7, 52, closed_through=9),
    *_monthly("04", closed_through=0),
)

# Every table the calendars know, across employers (`PolicyContext.period_tables`).
PERIOD_TABLES = tuple(
    sorted(
        {PeriodTable(p.period_table_id, p.period_table_code) for p in PAYROLL_PERIODS},
        key=lambda table: table.period_table_id,
    )
)

FUNCTIONS = (
    JobFunction("01", "MEDLERA", "Medewerker administratie"),
    JobFunction("01", "CONTROLLER", "Controller"),
    JobFunction("01", "OUDFUNC", "Vervallen functie", blocked=True),
    JobFunction("02", "BAKKER", "Bakker"),
    JobFunction("02", "VERKOPER", "Verkoper"),
    JobFunction("03", "CHAUFFEUR", "Chauffeur"),
    JobFunction("04", "VERPLEEG", "Verpleegkundige"),
)

EMPLOYEES = (
    EmployeeRecord("1000123", "01", active=True, person_id="1000551"),
    EmployeeRecord("1000456", "02", active=False, person_id="1000552"),
)

LEDGER_ACCOUNTS = (
    LedgerAccount("1100", "Bank"),
    LedgerAccount("1500", "Te betalen btw"),
    LedgerAccount("4000", "Personeelskosten", needs_allocation=True),
    LedgerAccount("4500", "Projectkosten", needs_project=True),
    LedgerAccount("8000", "Omzet"),
    LedgerAccount("9999", "Vervallen", blocked=True),
)

VAT_CODES = (VatCode("1"), VatCode("2"), VatCode("0"), VatCode("9", blocked=True))

BOOKING_PERIODS = tuple(
    BookingPeriod(1, YEAR, month, first.date_from, first.date_to, blocked=month <= 1)
    for month, first in zip(range(1, 13), _monthly("01", closed_through=0), strict=True)
)

ADMINISTRATIONS = tuple(Administration(unit, f"Administratie {unit}") for unit in (1, 2, 3, 4))

JOURNALS = (Journal(1, "10"), Journal(1, "20"), Journal(1, "90", blocked=True), Journal(2, "10"))

PROJECTS = (Project("P100"), Project("P200", closed=True))


def tenant_context(**overrides: Any) -> PolicyContext:
    """The sample tenant in a production environment, with any field replaced."""
    fields: dict[str, Any] = {
        "environment": "production",
        "today": TODAY,
        "rules": packaged_rules(),
        "employers": EMPLOYERS,
        "payroll_periods": PAYROLL_PERIODS,
        "period_tables": PERIOD_TABLES,
        "functions": FUNCTIONS,
        "person_matches": (),
        "employees": EMPLOYEES,
        "ledger_accounts": LEDGER_ACCOUNTS,
        "vat_codes": VAT_CODES,
        "booking_periods": BOOKING_PERIODS,
        "administrations": ADMINISTRATIONS,
        "journals": JOURNALS,
        "projects": PROJECTS,
        "similar_relations": (),
        "current_values": {},
        "recent_writes": {},
    }
    fields.update(overrides)
    return PolicyContext(**fields)
