"""Employees with their persons and the dated child records AFAS keeps per employee."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import NamedTuple

from simulator.tenant.draw import between, one_of
from simulator.tenant.payroll import EMPLOYER_LAYOUT, FUNCTIONS
from simulator.tenant.people import Generation

TERMINATED_SHARE = 0.15
FUTURE_HIRE_SHARE = 0.02
REHIRE_SHARE = 0.08
# Every 75th employee is blocked and another every 75th deleted (shell rows, quirk R5): by
# position rather than by chance, so even a small tenant has both.
SHELL_CYCLE = 75
BLOCKED_AT, DELETED_AT = 5, 11
HOURS_OPTIONS = (16, 20, 24, 28, 32, 32, 36, 36, 38, 40, 40, 40)
CENT = Decimal("0.01")
RAISE = Decimal("1.03")
# Monthly salary to period salary, per period table.
PERIOD_SCALE = {5: Decimal(1), 6: Decimal(12) / 13, 7: Decimal(12) / 52}
HOURS_OPTIONS_DECIMAL = tuple(Decimal(h) for h in HOURS_OPTIONS)
DAYS_PER_WEEK = {h: Decimal(min(5, -(-h // 8))) for h in HOURS_OPTIONS}

LEAVE_TYPES: tuple[tuple[str, str], ...] = (
    ("V", "Wettelijk verlof"),
    ("BV", "Bovenwettelijk verlof"),
)
LEAVE_REASONS: tuple[tuple[str, str], ...] = (
    ("VAK", "Vakantie"),
    ("PRI", "Privé"),
    ("FAM", "Familieomstandigheden"),
)


def generate_employees(gen: Generation) -> None:
    """`size` employees over the employers, with contracts, salaries, functions and leave."""
    rng = gen.rng("employees")
    tenant = gen.tenant
    functions = {
        employer: [code for code, _d, _k, only in FUNCTIONS if not only or employer in only]
        for employer, *_ in EMPLOYER_LAYOUT
    }
    thresholds = []
    total = 0.0
    for employer_id, _suffix, tables, _unit, share in EMPLOYER_LAYOUT:
        total += share
        thresholds.append((total, employer_id, tables))
    wage_tax_numbers = {
        employer["EmployerId"]: employer["WageTaxNumber"] for employer in tenant.table("employers")
    }
    for index in range(tenant.size):
        pick = rng.random() * total
        employer_id, tables = next((e, t) for limit, e, t in thresholds if pick <= limit)
        employer = _Employer(
            employer_id, tables, functions[employer_id], wage_tax_numbers[employer_id]
        )
        _generate_one(gen, rng, f"{100001 + index}", employer)
    tenant.set_sequence("EmId", 100000 + tenant.size)
    tenant.set_sequence("AbsenceId", len(tenant.table("absences")))


class _Employer(NamedTuple):
    """What an employee's records need to know about the employer."""

    employer_id: str
    period_tables: tuple[int, ...]
    function_codes: list[str]
    wage_tax_number: str


def _generate_one(gen: Generation, rng: random.Random, em_id: str, employer: _Employer) -> None:
    ref, tenant = gen.ref, gen.tenant
    employer_id, tables = employer.employer_id, employer.period_tables
    person = gen.person(rng, born_before=ref)
    fate = rng.random()
    contracts: list[tuple[int, date, date | None, str]] = []  # (DvSn, start, end, ApCo)
    if fate < TERMINATED_SHARE:
        start = ref - timedelta(days=between(rng, 400, 7000))
        ended = ref - timedelta(days=between(rng, 1, 360))
        contracts.append((1, start, ended, "B" if rng.random() < 0.4 else "O"))
    elif fate < TERMINATED_SHARE + FUTURE_HIRE_SHARE:
        contracts.append((1, ref + timedelta(days=between(rng, 1, 45)), None, "O"))
    else:
        start = ref - timedelta(days=between(rng, 30, 7000))
        if rng.random() < REHIRE_SHARE:
            earlier = start - timedelta(days=between(rng, 500, 2500))
            contracts.append((1, earlier, start - timedelta(days=between(rng, 60, 300)), "B"))
        fixed_term = rng.random() < 0.12
        end = ref + timedelta(days=between(rng, 30, 365)) if fixed_term else None
        contracts.append((len(contracts) + 1, start, end, "B" if fixed_term else "O"))
    first_start = contracts[0][1]
    created = gen.stamp(rng, first_start - timedelta(days=between(rng, 3, 30)))
    person.update({"_created": created, "_modified": created})
    tenant.table("persons").add(person)
    position = (int(em_id) - 100_001) % SHELL_CYCLE
    tenant.table("employees").add(
        {
            "EmId": em_id,
            "BcCo": person["BcCo"],
            "Bl": position == BLOCKED_AT,
            "LgId": "001",
            "_deleted": position == DELETED_AT,
            "_created": created,
            "_modified": gen.stamp(rng, first_start + timedelta(days=between(rng, 0, 60))),
        }
    )
    hours = one_of(rng, HOURS_OPTIONS_DECIMAL)
    period_table = tables[0] if len(tables) == 1 or rng.random() < 0.8 else tables[1]
    hourly = rng.random() < 0.15
    monthly = Decimal(between(rng, 2200_00, 7800_00)) / 100 * hours / 40
    for seq, begins, ends, contract_type in contracts:
        stamp = gen.stamp(rng, begins - timedelta(days=between(rng, 1, 20)))
        tenant.table("contracts").add(
            {
                "EmId": em_id,
                "DaBe": begins,
                "DaEn": ends,
                "CmId": employer_id,
                "DvSn": seq,
                "ApCo": contract_type,
                "ClId": "basis",
                "WcId": "basis",
                "_created": stamp,
                "_modified": stamp,
            }
        )
        _salaries(gen, rng, em_id, begins, ends, period_table, hourly, monthly)
        tenant.table("org_functions").add(
            {
                "EmId": em_id,
                "DaBe": begins,
                "DpId": one_of(rng, ("FIN", "HRM", "ICT", "UIT", "LOG", "VRK")),
                "FuId": one_of(rng, employer.function_codes),
                "CcId": one_of(rng, ("200", "300", "400", "500")),
                "_created": stamp,
                "_modified": stamp,
            }
        )
        tenant.table("timetables").add(
            {
                "EmId": em_id,
                "DaBg": begins,
                "DyWk": DAYS_PER_WEEK[int(hours)],
                "HrWk": hours,
                "_created": stamp,
                "_modified": stamp,
            }
        )
    tenant.table("fiscal").add(
        {
            "EmId": em_id,
            "DaBe": first_start,
            "ErId": employer_id,
            "AyId": "F",
            "WageTaxNumber": employer.wage_tax_number,
            "_created": created,
            "_modified": created,
        }
    )
    last_end = contracts[-1][2]
    if contracts[-1][1] <= ref and (last_end is None or last_end >= date(ref.year, 1, 1)):
        _leave(gen, rng, em_id, employer_id, contracts[-1][0], hours, contracts[-1][1], last_end)


def _salaries(
    gen: Generation,
    rng: random.Random,
    em_id: str,
    start: date,
    end: date | None,
    period_table: int,
    hourly: bool,
    monthly: Decimal,
) -> None:
    if hourly:
        amount = Decimal(between(rng, 14_00, 55_00)) / 100
    else:
        # Period salary: the monthly figure scaled to the period table's frequency.
        amount = monthly * PERIOD_SCALE[period_table]
    steps = [start]
    raise_day = start + timedelta(days=365)
    if raise_day < (end or gen.ref) and raise_day < gen.ref:
        steps.append(raise_day)
    for number, day in enumerate(steps):
        stamp = gen.stamp(rng, day - timedelta(days=between(rng, 1, 20)))
        gen.tenant.table("salaries").add(
            {
                "EmId": em_id,
                "DaBe": day,
                "PtId": period_table,
                "SaPe": "U" if hourly else "V",
                "EmSa": (amount * RAISE**number).quantize(CENT),
                "_created": stamp,
                "_modified": stamp,
            }
        )


def _leave(
    gen: Generation,
    rng: random.Random,
    em_id: str,
    employer_id: str,
    employment: int,
    hours: Decimal,
    start: date,
    end: date | None,
) -> None:
    """Leave entitlements and some booked leave for this year."""
    tenant, ref = gen.tenant, gen.ref
    year = ref.year
    stamp = gen.stamp(rng, date(year, 1, 1))
    for leave_type, _description in LEAVE_TYPES:
        base = 4 if leave_type == "V" else 1
        tenant.table("leave_entitlements").add(
            {
                "EmployeeId": em_id,
                "EmployerId": employer_id,
                "DvId": employment,
                "Leavetype": leave_type,
                "Year": year,
                "Period": 1,
                "Entitlement": int(base * hours),
                "ExtraEntitlement": one_of(rng, (0, 0, 0, 4, 8)),
                "StartBalance": between(rng, 0, 40),
                "_created": stamp,
                "_modified": stamp,
            }
        )
    if end is not None and end < ref:
        return
    for _ in range(one_of(rng, (0, 1, 1, 2, 3))):
        first = date(ref.year, 1, 2) + timedelta(days=between(rng, 0, 360))
        if first < start:
            continue
        days = between(rng, 1, 10)
        last = first + timedelta(days=days - 1)
        reason = one_of(rng, LEAVE_REASONS)[0]
        stamp = gen.stamp(rng, first - timedelta(days=between(rng, 5, 40)))
        absence_id = len(tenant.table("absences")) + 1
        tenant.table("absences").add(
            {
                "Id": absence_id,
                "EmId": em_id,
                "ViAt": "V" if rng.random() < 0.8 else "BV",
                "DaBe": datetime.combine(first, time(8)),
                "DaEn": datetime.combine(last, time(17)),
                "DuRa": Decimal(days * min(8, int(hours) // 4 or 8)),
                "EnSe": employment,
                "ViLr": reason,
                "LeDt": False,
                "Re": None,
                "_created": stamp,
                "_modified": stamp,
            }
        )
