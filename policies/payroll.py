"""Employer, period table, payroll period and function: what lands a hire in the payroll run.

AFAS answers 201 to a hire under the wrong employer (W1), in a closed period (W2), with a period
table the employer does not use (W3), a short period code (W12) or an unknown function (W10); the
payroll run then drops or misfiles the person. These checks run on hires and on updates that
touch payroll rows, and each proves the payload carries what the facts say.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from policies.afas_fields import (
    EMPLOYER,
    FUNCTION,
    HIRE_SUB_OBJECTS,
    PAYROLL_OBJECTS,
    PERIOD_TABLE,
)
from policies.base import (
    SERVER_BUG_HINT,
    FactsMismatch,
    Finding,
    Problems,
    allow,
    deny,
    listing,
    policy,
)
from policies.context import PayrollPeriod, PeriodTable, PolicyContext
from policies.envelope import find_elements, iter_elements
from policies.facts import EmployeeField, EmployeeUpdateFacts, HireFacts, WriteTool
from policies.lookups import Lookup
from policies.model import WriteIntent
from policies.values import same_value

_EMPLOYEE_TOOLS = (WriteTool.ONBOARD_EMPLOYEE, WriteTool.UPDATE_EMPLOYEE)


@dataclass(frozen=True)
class PayrollTarget:
    """Where in payroll a hire or update lands: employer, period table, day, function."""

    employer_id: str
    period_table_id: int | None
    period_table_code: str | None
    day: date | None
    function_id: str | None


def _employee_facts(intent: WriteIntent) -> HireFacts | EmployeeUpdateFacts:
    facts = intent.facts
    if not isinstance(facts, HireFacts | EmployeeUpdateFacts):
        raise FactsMismatch(f"{intent.tool} carries {type(facts).__name__}, not employee facts")
    return facts


def payroll_target(intent: WriteIntent) -> PayrollTarget | None:
    """The payroll target of a hire or update; None for an update that leaves payroll alone.

    Raises:
        FactsMismatch: the intent carries neither hire nor update facts.
    """
    facts = _employee_facts(intent)
    if isinstance(facts, HireFacts):
        return PayrollTarget(
            employer_id=facts.employer_id,
            period_table_id=facts.period_table_id,
            period_table_code=facts.period_table_code,
            day=facts.start_date,
            function_id=facts.function_id,
        )
    if not facts.touches_payroll:
        return None
    function = facts.changes.get(EmployeeField.FUNCTION)
    return PayrollTarget(
        employer_id=facts.employer_id,
        period_table_id=facts.target_period_table_id,
        period_table_code=facts.period_table_code,
        day=facts.effective_date,
        function_id=None if function is None else str(function),
    )


def _table_label(tables: tuple[PeriodTable, ...], table_id: int) -> str:
    """A table as the agent knows it, with the id AFAS stores: VIERWEKEN (6); 99 when unknown."""
    codes = sorted({t.code for t in tables if t.period_table_id == table_id and t.code})
    return f"{'/'.join(codes)} ({table_id})" if codes else str(table_id)


def _employer_tables(periods: tuple[PayrollPeriod, ...], employer_id: str) -> list[int]:
    """The period tables the employer's own calendar uses."""
    return sorted({p.period_table_id for p in periods if p.employer_id == employer_id})


def _codes(tables: tuple[PeriodTable, ...], table_ids: list[int]) -> str:
    """The codes of these tables, for a hint ("MAAND, VIERWEKEN")."""
    return listing(sorted({t.code for t in tables if t.period_table_id in table_ids and t.code}))


def _no_table(target: PayrollTarget, what: str) -> Finding:
    """The refusal of a check that has no period table to judge."""
    if target.period_table_code is not None:
        return deny(
            f"period table code {target.period_table_code!r} names no period table, so {what}",
            hint="Pass period_table as list_employers shows it.",
        )
    return deny(
        f"no period table resolved for this write, so {what}",
        hint="Pass period_table as list_employers shows it.",
    )


@policy("employer_exists", quirk="W1", tools=_EMPLOYEE_TOOLS, needs={Lookup.EMPLOYERS})
def employer_exists(intent: WriteIntent, ctx: PolicyContext) -> Finding:
    """W1: the employer is given, sent as `CmId` on every contract row, and exists."""
    facts = _employee_facts(intent)
    hire = isinstance(facts, HireFacts)
    employer_id = facts.employer_id.strip()
    contracts = find_elements(intent.body, EMPLOYER.object_name)
    if not hire and not contracts:
        return allow("the update sends no contract row; the employer stays as it is")
    problems = Problems()
    if not employer_id:
        problems.deny(
            "no employer given; AFAS would file the employee under employer 1",
            hint="Never leave it out: call list_employers and pass employer_id.",
        )
    if hire and not contracts:
        problems.deny(
            "the hire has no AfasContract, so no employer (CmId) reaches AFAS",
            hint=SERVER_BUG_HINT,
        )
    for contract in contracts:
        sent = contract.get(EMPLOYER.field_id)
        if sent is None or str(sent).strip() == "":
            problems.deny(
                f"{contract.location} has no {EMPLOYER.field_id}: AFAS would default to employer 1",
                hint=SERVER_BUG_HINT,
            )
        elif str(sent) != employer_id:
            problems.deny(
                f"{contract.location} sends employer {sent!r} but the request says {employer_id!r}",
                hint=SERVER_BUG_HINT,
            )
    if employer_id:
        employers = ctx.require(Lookup.EMPLOYERS, ctx.employers)
        known = sorted(employer.employer_id for employer in employers)
        if employer_id not in known:
            problems.deny(
                f"employer {employer_id!r} does not exist",
                hint=f"Call list_employers and pass one of: {listing(known)}.",
            )
    return problems.finding(f"employer {employer_id!r} exists and is on every contract row")


def _ptid(value: object) -> int | None:
    """A payload PtId as a number; None when it is not a plain number (e.g. "MAAND")."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


@policy(
    "period_table_code_valid",
    quirk="W12",
    tools=_EMPLOYEE_TOOLS,
    needs={Lookup.PAYROLL_PERIODS, Lookup.PERIOD_TABLES},
)
def period_table_code_valid(intent: WriteIntent, ctx: PolicyContext) -> Finding:
    """W12: the code is a long form some employer's calendar knows; PtId is a known number.

    Codes are judged against every employer's calendar (`period_tables`): a code only another
    employer uses is a real code, and whether this employer uses it is W3's question.
    """
    target = payroll_target(intent)
    if target is None:
        return allow("the update does not touch payroll")
    tables = ctx.require(Lookup.PERIOD_TABLES, ctx.period_tables)
    periods = ctx.require(Lookup.PAYROLL_PERIODS, ctx.payroll_periods)
    known_codes = sorted({t.code.upper() for t in tables if t.code})
    own = _employer_tables(periods, target.employer_id)
    if own:
        valid = f"employer {target.employer_id!r} uses {_codes(tables, own)}"
    else:
        valid = f"the calendar knows {listing(known_codes)}"
    problems = Problems()
    code = target.period_table_code
    unknown_code = code is not None and code.upper() not in known_codes
    if unknown_code:
        problems.deny(
            f"period table code {code!r} is not one the payroll calendar knows (it knows "
            f"{listing(known_codes)}); AFAS accepts short codes and the payroll run ignores them",
            hint=f"Pass the full code as list_employers shows it; {valid}.",
        )
    elif code is not None and target.period_table_id is not None:
        codes_of_id = {
            t.code.upper() for t in tables if t.period_table_id == target.period_table_id
        }
        if code.upper() not in codes_of_id:
            problems.deny(
                f"code {code!r} does not name period table "
                f"{_table_label(tables, target.period_table_id)}",
                hint=f"Pass one period table only; {valid}.",
            )
    if target.period_table_id is None:
        if not unknown_code:
            problems.deny(
                "no period table resolved for this write",
                hint=f"Pass period_table as list_employers shows it; {valid}.",
            )
    elif target.period_table_id not in {t.period_table_id for t in tables}:
        problems.deny(
            f"period table {target.period_table_id} is not in the payroll calendar",
            hint=f"Pass period_table as list_employers shows it; {valid}.",
        )
    for salary in find_elements(intent.body, PERIOD_TABLE.object_name):
        sent = salary.get(PERIOD_TABLE.field_id)
        if sent is not None and _ptid(sent) is None:
            problems.deny(
                f"{salary.location} sends {PERIOD_TABLE.field_id}={sent!r}, not a numeric period "
                "table id; AFAS stores it and the payroll run ignores it",
                hint=SERVER_BUG_HINT,
            )
    label = (
        "(none)" if target.period_table_id is None else _table_label(tables, target.period_table_id)
    )
    return problems.finding(f"period table {label} is a known table with a valid code")


@policy(
    "period_table_used_by_employer",
    quirk="W3",
    tools=_EMPLOYEE_TOOLS,
    needs={Lookup.PAYROLL_PERIODS, Lookup.PERIOD_TABLES},
)
def period_table_used_by_employer(intent: WriteIntent, ctx: PolicyContext) -> Finding:
    """W3: the period table is one the employer's payroll calendar uses, and PtId sends it."""
    target = payroll_target(intent)
    if target is None:
        return allow("the update does not touch payroll")
    if target.period_table_id is None:
        return _no_table(target, "the employer's calendar cannot be checked")
    tables = ctx.require(Lookup.PERIOD_TABLES, ctx.period_tables)
    periods = ctx.require(Lookup.PAYROLL_PERIODS, ctx.payroll_periods)
    used = _employer_tables(periods, target.employer_id)
    if not used:
        return deny(
            f"employer {target.employer_id!r} has no payroll calendar",
            hint="Choose another employer, or ask payroll to set up this employer's calendar.",
        )
    problems = Problems()
    if target.period_table_id not in used:
        labels = listing(_table_label(tables, table) for table in used)
        problems.deny(
            f"period table {_table_label(tables, target.period_table_id)} is not used by "
            f"employer {target.employer_id!r}, which uses {labels}; payroll would drop the row",
            hint=f"Pass the employer's period table: {_codes(tables, used)}.",
        )
    for salary in find_elements(intent.body, PERIOD_TABLE.object_name):
        sent = _ptid(salary.get(PERIOD_TABLE.field_id))
        if sent != target.period_table_id:
            problems.deny(
                f"{salary.location} sends {PERIOD_TABLE.field_id}="
                f"{salary.get(PERIOD_TABLE.field_id)!r}, expected {target.period_table_id}",
                hint=SERVER_BUG_HINT,
            )
    return problems.finding(
        f"employer {target.employer_id!r} uses period table "
        f"{_table_label(tables, target.period_table_id)}"
    )


def _period_label(period: PayrollPeriod) -> str:
    return f"{period.year}/{period.period:02d} ({period.date_from}..{period.date_to})"


@policy(
    "payroll_period_open",
    quirk="W2",
    tools=_EMPLOYEE_TOOLS,
    needs={Lookup.PAYROLL_PERIODS, Lookup.PERIOD_TABLES},
)
def payroll_period_open(intent: WriteIntent, ctx: PolicyContext) -> Finding:
    """W2: the payroll period containing the start (or effective) date exists and is open."""
    target = payroll_target(intent)
    if target is None:
        return allow("the update does not touch payroll")
    if target.day is None:
        return deny(
            "the update changes payroll rows but has no effective date",
            hint="Pass effective_date: the first day the change applies.",
        )
    if target.period_table_id is None:
        return _no_table(target, "no payroll period can be found")
    tables = ctx.require(Lookup.PERIOD_TABLES, ctx.period_tables)
    periods = ctx.require(Lookup.PAYROLL_PERIODS, ctx.payroll_periods)
    calendar = sorted(
        (
            p
            for p in periods
            if p.employer_id == target.employer_id and p.period_table_id == target.period_table_id
        ),
        key=lambda p: p.date_from,
    )
    look_up = f"call list_open_payroll_periods(employer_id={target.employer_id!r})"
    table = _table_label(tables, target.period_table_id)
    used = _employer_tables(periods, target.employer_id)
    if not calendar:
        # The table is not the employer's (W3 refuses it): say so, not "the calendar is empty".
        if not used:
            return deny(
                f"employer {target.employer_id!r} has no payroll calendar, so no payroll "
                f"period contains {target.day}",
                hint="Choose another employer, or ask payroll to set up this employer's calendar.",
            )
        return deny(
            f"employer {target.employer_id!r} has no payroll periods in period table {table} "
            f"(it uses {listing(_table_label(tables, t) for t in used)}), so the period of "
            f"{target.day} cannot be checked",
            hint=f"Pass the employer's period table ({_codes(tables, used)}), then a date in an "
            f"open period ({look_up}).",
        )
    containing = [p for p in calendar if p.contains(target.day)]
    open_periods = listing((_period_label(p) for p in calendar if not p.closed), limit=4)
    if not containing:
        return deny(
            f"no payroll period of employer {target.employer_id!r} (table {table}) contains "
            f"{target.day}; the calendar covers {calendar[0].date_from}..{calendar[-1].date_to}",
            hint=f"Choose a date inside an open period ({look_up}); open: {open_periods}.",
        )
    problems = Problems()
    if len(containing) > 1:
        problems.review(
            f"{len(containing)} payroll periods of employer {target.employer_id!r} contain "
            f"{target.day}; the calendar is ambiguous",
            hint="A person must check the payroll calendar before this is sent.",
        )
    closed = [p for p in containing if p.closed]
    if closed:
        problems.deny(
            f"payroll period {_period_label(closed[0])} of employer {target.employer_id!r} is "
            "closed; AFAS would accept the row and payroll would never process it",
            hint=f"Choose a date in an open period ({look_up}); open: {open_periods}. "
            "Or ask payroll to reopen the period.",
        )
    for element in iter_elements(intent.body):
        action = element.action or intent.action
        if element.object_name not in PAYROLL_OBJECTS or action != "insert":
            continue
        sent = element.get(HIRE_SUB_OBJECTS[element.object_name])
        if sent is not None and not same_value(sent, target.day):
            problems.deny(
                f"{element.location} starts {sent!r}, not on {target.day} as checked",
                hint=SERVER_BUG_HINT,
            )
    return problems.finding(
        f"{target.day} falls in open payroll period {_period_label(containing[0])} "
        f"of employer {target.employer_id!r} (table {table})"
    )


@policy("function_in_employer_table", quirk="W10", tools=_EMPLOYEE_TOOLS, needs={Lookup.FUNCTIONS})
def function_in_employer_table(intent: WriteIntent, ctx: PolicyContext) -> Finding:
    """W10: the function code is in the employer's function table, not blocked, and sent."""
    target = payroll_target(intent)
    if target is None or target.function_id is None:
        return allow("the write does not set a function")
    functions = ctx.require(Lookup.FUNCTIONS, ctx.functions)
    employer_functions = [f for f in functions if f.employer_id == target.employer_id]
    usable = sorted(f.function_id for f in employer_functions if not f.blocked)
    matches = [f for f in employer_functions if f.function_id == target.function_id]
    problems = Problems()
    if not matches:
        problems.deny(
            f"function {target.function_id!r} is not in employer {target.employer_id!r}'s "
            "function table; AFAS would store the employee without a function",
            hint=f"Pass one of the employer's functions: {listing(usable)}.",
        )
    elif matches[0].blocked:
        problems.deny(
            f"function {target.function_id!r} is blocked for employer {target.employer_id!r}",
            hint=f"Pass one of the employer's open functions: {listing(usable)}.",
        )
    rows = find_elements(intent.body, FUNCTION.object_name)
    if isinstance(intent.facts, HireFacts) and not rows:
        problems.deny("the hire has no AfasOrgunitFunction row", hint=SERVER_BUG_HINT)
    for row in rows:
        sent = row.get(FUNCTION.field_id)
        if sent is None or str(sent) != target.function_id:
            problems.deny(
                f"{row.location} sends {FUNCTION.field_id}={sent!r}, "
                f"expected {target.function_id!r}",
                hint=SERVER_BUG_HINT,
            )
    return problems.finding(
        f"function {target.function_id!r} is in employer {target.employer_id!r}'s table"
    )
