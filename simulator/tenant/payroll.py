"""Employers, period tables, payroll calendars, functions, org units and cost centres."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from simulator.tenant import ids
from simulator.tenant.people import Generation

# PtId -> (code, description). The codes are the five-letter-or-longer forms (quirk W12).
PERIOD_TABLES: dict[int, tuple[str, str]] = {
    5: ("MAAND", "Maandverloning"),
    6: ("VIERWEKEN", "Vierwekenverloning"),
    7: ("WEEK", "Weekverloning"),
}

# (EmployerId, name suffix, period tables in order of use, administration, share of employees)
EMPLOYER_LAYOUT: tuple[tuple[str, str, tuple[int, ...], int, float], ...] = (
    ("01", "Holding B.V.", (5,), 1, 0.05),
    ("02", "Installatietechniek B.V.", (5, 6), 1, 0.45),
    ("03", "Service B.V.", (6,), 2, 0.30),
    ("04", "Logistiek B.V.", (7, 5), 2, 0.20),
)
# This employer has already closed its current payroll period, so a write "into the open
# period" by date alone lands in a closed one (quirk W2).
EMPLOYER_WITH_CURRENT_PERIOD_CLOSED = "03"

ORG_UNITS: tuple[tuple[str, str], ...] = (
    ("DIR", "Directie"),
    ("FIN", "Financiën"),
    ("HRM", "Personeelszaken"),
    ("ICT", "Automatisering"),
    ("UIT", "Uitvoering"),
    ("LOG", "Logistiek"),
    ("VRK", "Verkoop"),
)

# (FunctionId, description, type, employers that have it; () = all)
FUNCTIONS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("ADM", "Administratief medewerker", "Staf", ()),
    ("MGR", "Manager", "Lijn", ()),
    ("HRA", "HR-adviseur", "Staf", ()),
    ("VRK", "Verkoopmedewerker", "Lijn", ("02", "03", "04")),
    ("ICT", "ICT-beheerder", "Staf", ()),
    ("MNT", "Monteur", "Lijn", ("02", "03")),
    ("PLN", "Planner", "Staf", ("02", "03", "04")),
    ("CTR", "Controller", "Staf", ("01",)),
    ("DIR", "Directeur", "Lijn", ("01",)),
    ("INST", "Installateur", "Lijn", ("02",)),
    ("WVB", "Werkvoorbereider", "Staf", ("02",)),
    ("SRV", "Servicemonteur", "Lijn", ("03",)),
    ("CHF", "Chauffeur", "Lijn", ("04",)),
    ("MAG", "Magazijnmedewerker", "Lijn", ("04",)),
)
# Blocked functions: present in the table, not to be used for new assignments (quirk W10).
BLOCKED_FUNCTIONS: tuple[tuple[str, str], ...] = (("OUD", "Vervallen functie"),)

COST_CENTRES: tuple[tuple[str, str, bool], ...] = (
    ("100", "Directie", False),
    ("200", "Financiën en control", False),
    ("300", "Personeelszaken", False),
    ("400", "Uitvoering", False),
    ("500", "Verkoop", False),
    ("900", "Vervallen kostenplaats", True),
)


def payroll_periods(period_table: int, year: int) -> list[tuple[int, date, date]]:
    """The (period, first day, last day) rows of one period table in one year.

    Monthly follows calendar months; four-weekly has 13 periods of 28 days and weekly 52 of 7
    days, both from 1 January, with the last period running to 31 December.
    """
    if period_table == 5:
        rows = []
        for month in range(1, 13):
            first = date(year, month, 1)
            last = (date(year + (month == 12), month % 12 + 1, 1)) - timedelta(days=1)
            rows.append((month, first, last))
        return rows
    length, count = {6: (28, 13), 7: (7, 52)}[period_table]
    start = date(year, 1, 1)
    rows = []
    for number in range(1, count + 1):
        first = start + timedelta(days=length * (number - 1))
        last = date(year, 12, 31) if number == count else first + timedelta(days=length - 1)
        rows.append((number, first, last))
    return rows


def generate_employers(gen: Generation) -> None:
    """Employers (with their organisations), period tables, calendars, functions, cost centres."""
    tenant, rng = gen.tenant, gen.rng("employers")
    for pt_id, (code, description) in PERIOD_TABLES.items():
        tenant.table("period_tables").add({"PtId": pt_id, "Code": code, "Description": description})
    for dp_id, description in ORG_UNITS:
        tenant.table("org_units").add({"OrgUnit": dp_id, "Description": description})
    created = gen.before_ref(datetime.combine(gen.ref - timedelta(days=3000), time(9)))
    for employer_id, suffix, tables, unit_id, _share in EMPLOYER_LAYOUT:
        organisation = gen.organisation(rng, name=f"{gen.group} {suffix}")
        organisation.update({"_created": created, "_modified": created})
        tenant.table("organisations").add(organisation)
        tenant.table("employers").add(
            {
                "EmployerId": employer_id,
                "Name": organisation["Nm"],
                "OrganisationId": organisation["BcCo"],
                "UnitId": unit_id,
                "PeriodTableIds": tables,
                "WageTaxNumber": ids.make_wage_tax_number(rng),
                "_created": created,
                "_modified": created,
            }
        )
        _generate_calendar(gen, employer_id, tables)
        _generate_functions(gen, employer_id, created)
        for cost_centre, description, blocked in COST_CENTRES:
            tenant.table("cost_centres").add(
                {
                    "EmployerId": employer_id,
                    "CostCentre": cost_centre,
                    "Description": description,
                    "Blocked": blocked,
                    "_created": created,
                    "_modified": created,
                }
            )


def _generate_calendar(gen: Generation, employer_id: str, tables: tuple[int, ...]) -> None:
    for pt_id in tables:
        current = next(
            (number, first)
            for number, first, last in payroll_periods(pt_id, gen.ref.year)
            if first <= gen.ref <= last
        )
        for year in (gen.ref.year - 1, gen.ref.year, gen.ref.year + 1):
            for number, first, last in payroll_periods(pt_id, year):
                closed = last < current[1] or (
                    employer_id == EMPLOYER_WITH_CURRENT_PERIOD_CLOSED
                    and (year, number) == (gen.ref.year, current[0])
                )
                opened = gen.before_ref(datetime.combine(date(year - 1, 11, 15), time(9)))
                stamp = (
                    gen.before_ref(datetime.combine(last + timedelta(days=4), time(16)))
                    if closed
                    else opened
                )
                gen.tenant.table("payroll_periods").add(
                    {
                        "EmployerId": employer_id,
                        "PeriodTableId": pt_id,
                        "Year": year,
                        "Period": number,
                        "DateFrom": first,
                        "DateTo": last,
                        "Closed": closed,
                        "_created": opened,
                        "_modified": stamp,
                    }
                )


def _generate_functions(gen: Generation, employer_id: str, created: datetime) -> None:
    table = gen.tenant.table("functions")
    for function_id, description, kind, employers in FUNCTIONS:
        if employers and employer_id not in employers:
            continue
        table.add(
            {
                "Employer": employer_id,
                "FunctionId": function_id,
                "FunctionDesc": description,
                "Blocked": False,
                "FunctionType": kind,
                "_created": created,
                "_modified": created,
            }
        )
    for function_id, description in BLOCKED_FUNCTIONS:
        table.add(
            {
                "Employer": employer_id,
                "FunctionId": function_id,
                "FunctionDesc": description,
                "Blocked": True,
                "FunctionType": "Staf",
                "_created": created,
                "_modified": created,
            }
        )
