"""KnEmployee (root `AfasEmployee`): a hire (POST), changes (PUT) and deletes.

A hire carries the person (`KnPerson`, matched as in parties.py) and the dated sub-objects
`AfasContract`, `AfasOrgunitFunction`, `AfasTimeTable`, `AfasSalary` and `AfasAgencyFiscus`, keyed
by `@DaBe` (`@DaBg` for the timetable). A PUT changes the employee's own fields, its person, and
inserts, updates or deletes dated rows by key: `@Action` decides, else a row whose key exists is
updated and any other inserted. `POST /connectors/KnEmployee/{SubObject}` is the same with
insert as the default action.

Quirks: W1 (employer), W2 (closed period), W3 (period table), W10 (function), W12 (short period
code) in payroll.py; W5 (`@CalculateBalance`), W9 (shared generated code) and W19 (incomplete
hire) here; R3 decides whether a child row's change moves the employee's own modified date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, Decimal
from typing import Any, Literal

from simulator.tenant.store import Record
from simulator.updates import payroll
from simulator.updates.context import Results, WriteContext
from simulator.updates.envelope import Element
from simulator.updates.parties import person
from simulator.updates.values import BadValue, to_bool

# sub-object -> (table, key field); the order is the order rows are planned in.
SUB_OBJECTS: dict[str, tuple[str, str]] = {
    "AfasContract": ("contracts", "DaBe"),
    "AfasOrgunitFunction": ("org_functions", "DaBe"),
    "AfasTimeTable": ("timetables", "DaBg"),
    "AfasSalary": ("salaries", "DaBe"),
    "AfasAgencyFiscus": ("fiscal", "DaBe"),
}
# Fields the connectors read from each table; a row always has them, None when not sent.
_ROW_FIELDS = {
    "contracts": ("DaEn", "CmId", "DvSn", "ApCo", "ClId", "WcId"),
    "org_functions": ("DpId", "FuId", "CcId"),
    "timetables": ("DyWk", "HrWk"),
    "salaries": ("PtId", "SaPe", "EmSa"),
    "fiscal": ("ErId", "AyId", "WageTaxNumber"),
}
_OWN_FIELDS_SKIP = frozenset({"EmId", "CalculateBalance"})


@dataclass(frozen=True)
class PlannedRow:
    """One dated row to insert, update (only the changed fields) or delete."""

    kind: Literal["insert", "update", "delete"]
    table: str
    key: tuple[str, date]
    row: Record


def hire(ctx: WriteContext, root: Element, results: Results) -> None:
    """Plan a new employee with person, contract and payroll rows."""
    em_id, merge = _employee_code(ctx, root)
    own = ctx.values(root, skip=_OWN_FIELDS_SKIP)
    person_element = root.child("KnPerson")
    party = None
    if person_element is None:
        ctx.problem("Enter the person (KnPerson) of the new employee.")
    else:
        party = person(ctx, person_element)
    missing = [name for name in SUB_OBJECTS if not root.children(name)]
    issues: list[str] = []
    if missing:
        if ctx.on("W19_incomplete_hire_rejected"):
            ctx.problem(f"The employment is incomplete: {', '.join(missing)} missing.")
        else:
            ctx.note(f"W19: hire accepted without {', '.join(missing)}")
            issues.append(f"incomplete hire: missing {', '.join(missing)}")
    if party is not None and not party.inserted:
        linked = [e for e in ctx.tenant.find("employees", BcCo=party.bcco) if not e.get("_deleted")]
        if linked and linked[0]["EmId"] != em_id:
            ctx.problem(f"Person '{party.bcco}' is already employee '{linked[0]['EmId']}'.")
    rows = _plan_rows(ctx, root, em_id, issues, default_action="insert", hire=True)
    calculated = _balance_calculated(ctx, root)
    if not calculated:
        issues.append("balance not calculated: not in the payroll preview")
    party = ctx.settled(party)
    record: Record = {
        "EmId": em_id,
        "BcCo": party.bcco,
        "Bl": bool(own.pop("Bl", False) or False),
        "LgId": own.pop("LgId", None),
        **own,
        "_deleted": False,
        "_payroll_issues": tuple(dict.fromkeys(issues)),
        "_in_payroll_preview": calculated and not missing,
    }
    if merge:
        ctx.note(f"W9: employee code {em_id} was generated for a parallel insert too; merged")
        ctx.changes.merge("employees", record, (em_id,))
    else:
        ctx.changes.insert("employees", record, (em_id,))
    for planned in rows:
        (ctx.changes.merge if merge else ctx.changes.insert)(
            planned.table, planned.row, planned.key
        )
    results.add(EmId=em_id)


def update(ctx: WriteContext, root: Element, results: Results, *, default_action: str) -> None:
    """Plan changes to an existing employee (PUT, or POST on a sub-object URL)."""
    em_id = _text(root.key("EmId"))
    if em_id is None:
        ctx.missing("Employee")
    em_id = ctx.settled(em_id)
    current = ctx.tenant.get("employees", em_id)
    if current is not None and current.get("_deleted"):
        current = None
    if current is None:
        ctx.unknown("Employee", em_id)
    current = ctx.settled(current)
    own = ctx.values(root, skip=_OWN_FIELDS_SKIP)
    changed = {k: v for k, v in own.items() if current.get(k) != v}
    person_element = root.child("KnPerson")
    if person_element is not None:
        bcco = _text(person_element.key("BcCo"))
        if bcco is not None and bcco != current["BcCo"]:
            ctx.problem(f"Person '{bcco}' is not the person of employee '{em_id}'.")
        else:
            person_element.fields.setdefault("BcCo", current["BcCo"])
            person_element.fields.setdefault("MatchPer", "0")
            before_person = len(ctx.changes.ops)
            party = person(ctx, person_element, must_exist=True)
            if party is not None and party.bcco != current["BcCo"]:
                ctx.problem(f"Person '{party.bcco}' is not the person of employee '{em_id}'.")
            elif len(ctx.changes.ops) > before_person:
                ctx.changes.child_changed("employees", em_id)
    issues = list(current.get("_payroll_issues", ()))
    before = len(issues)
    rows = _plan_rows(ctx, root, em_id, issues, default_action=default_action, hire=False)
    ctx.check()
    if changed:
        ctx.changes.update("employees", em_id, changed)
    for planned in rows:
        if planned.kind == "delete":
            ctx.changes.delete(planned.table, planned.key)
        elif planned.kind == "insert":
            ctx.changes.insert(planned.table, planned.row, planned.key)
        else:
            ctx.changes.update(planned.table, planned.key, planned.row)
        ctx.changes.child_changed("employees", em_id)
    if len(issues) > before:
        # The payroll flags are the simulator's bookkeeping: they never move ModifiedDate.
        flags = {"_payroll_issues": tuple(dict.fromkeys(issues))}
        ctx.changes.update("employees", em_id, flags, touch=False)
    results.add(EmId=em_id)


def _plan_rows(
    ctx: WriteContext,
    root: Element,
    em_id: str,
    issues: list[str],
    *,
    default_action: str,
    hire: bool,
) -> list[PlannedRow]:
    """Validate every dated sub-object row and plan what it does to the tenant."""
    planned: list[PlannedRow] = []
    employer_of: dict[date, str | None] = {}
    for name, (table, key_field) in SUB_OBJECTS.items():
        for element in root.children(name):
            start = ctx.value(element, key_field, attribute=True)
            if not isinstance(start, date):
                ctx.missing("Start date")
                continue
            key = (em_id, start)
            existing = None if hire else ctx.tenant.get(table, key)
            action = element.action or ("update" if existing is not None else default_action)
            if hire and action != "insert":
                ctx.problem(f"A new employee's {name} can only be inserted.")
                continue
            if action == "insert" and existing is not None:
                ctx.problem(f"{name} of employee '{em_id}' starting {start} already exists.")
                continue
            if action in ("update", "delete") and existing is None:
                ctx.problem(f"{name} of employee '{em_id}' starting {start} does not exist.")
                continue
            if action == "delete":
                planned.append(PlannedRow("delete", table, key, {}))
                continue
            employer = _employer_for(ctx, em_id, start, employer_of)
            row = _row(ctx, name, element, employer, existing, issues)
            if row is None:
                continue
            if name == "AfasContract" and "CmId" in row:
                employer_of[start] = row["CmId"]
                employer = row["CmId"]
            if existing is not None:
                planned.append(PlannedRow("update", table, key, row))
                continue
            row = {"EmId": em_id, key_field: start, **dict.fromkeys(_ROW_FIELDS[table]), **row}
            if name == "AfasContract":
                row["DvSn"] = row["DvSn"] or _employment_seq(ctx, em_id)
            if name == "AfasAgencyFiscus":
                row = _fiscal(ctx, row, employer)
            if not hire and employer is not None and name in ("AfasContract", "AfasSalary"):
                payroll.closed_period(ctx, employer, row.get("PtId"), start, issues)
            planned.append(PlannedRow("insert", table, key, row))
    for name in root.objects:
        if name not in SUB_OBJECTS and name != "KnPerson":
            ctx.ignored.append(f"AfasEmployee.{name}")
    if hire and employer_of:
        first = min(employer_of)
        employer = employer_of[first]
        salary = next((p.row for p in planned if p.table == "salaries"), None)
        if employer is not None:
            payroll.closed_period(ctx, employer, salary["PtId"] if salary else None, first, issues)
    return planned


def _row(
    ctx: WriteContext,
    name: str,
    element: Element,
    employer: str | None,
    existing: Record | None,
    issues: list[str],
) -> Record | None:
    values = ctx.values(element, skip=frozenset({"DaBe", "DaBg", "AyId", "PtId"}))
    inserting = existing is None
    if name == "AfasContract":
        if inserting or "CmId" in element.fields:
            values["CmId"] = payroll.employer(ctx, element.fields.get("CmId"))
        start = ctx.value(element, "DaBe", attribute=True)
        end = values.get("DaEn")
        if isinstance(end, date) and isinstance(start, date) and end < start:
            ctx.problem("The end date of the contract lies before its start date.")
    elif name == "AfasOrgunitFunction":
        if inserting or "DpId" in values:
            payroll.org_unit(ctx, values.get("DpId"))
        if inserting or "FuId" in element.fields:
            values["FuId"] = payroll.function(ctx, employer, element.fields.get("FuId"))
        payroll.cost_centre(ctx, employer, values.get("CcId"))
    elif name == "AfasTimeTable":
        hours = values.get("HrWk")
        if inserting and isinstance(hours, Decimal) and "DyWk" not in values:
            values["DyWk"] = min(Decimal(5), (hours / 8).to_integral_value(ROUND_CEILING))
    elif name == "AfasSalary":
        if inserting and not values.get("SaPe"):
            ctx.missing("Salary kind")
        if inserting or "PtId" in element.fields:
            ok, pt_id = payroll.period_table(ctx, element.fields.get("PtId"), employer, issues)
            if not ok:
                return None
            values["PtId"] = pt_id
    elif name == "AfasAgencyFiscus":
        values["AyId"] = str(element.key("AyId") or (existing or {}).get("AyId") or "F")
    return values


def _employer_for(
    ctx: WriteContext, em_id: str, day: date, planned: dict[date, str | None]
) -> str | None:
    """The employer of the contract in force on `day`: this body's first, else the tenant's."""
    earlier = [d for d in planned if d <= day]
    if earlier:
        return planned[max(earlier)]
    if planned:
        return planned[min(planned)]
    contracts = sorted(ctx.tenant.find("contracts", EmId=em_id), key=lambda c: c["DaBe"])
    in_force = [c for c in contracts if c["DaBe"] <= day] or contracts
    return in_force[-1]["CmId"] if in_force else None


def _employment_seq(ctx: WriteContext, em_id: str) -> int:
    contracts = ctx.tenant.find("contracts", EmId=em_id)
    return max((c["DvSn"] or 1 for c in contracts), default=1)


def _fiscal(ctx: WriteContext, row: Record, employer: str | None) -> Record:
    record = ctx.tenant.get("employers", employer) if employer else None
    row["ErId"] = employer
    row["WageTaxNumber"] = record.get("WageTaxNumber") if record else None
    return row


def _employee_code(ctx: WriteContext, root: Element) -> tuple[str, bool]:
    """The code of a new employee: as sent (`@EmId`), or generated (W9 may share it)."""
    given = _text(root.key("EmId"))
    if given is not None:
        if ctx.tenant.get("employees", given) is not None:
            ctx.problem(f"Employee '{given}' already exists.")
            ctx.check()
        return given, False
    if ctx.reserved_employee is not None:
        em_id, shared = ctx.reserved_employee
        return em_id, shared and ctx.tenant.get("employees", em_id) is not None
    return ctx.new_number("EmId", "employees"), False


def _balance_calculated(ctx: WriteContext, root: Element) -> bool:
    """W5: without `@CalculateBalance` true the new employee stays out of the payroll preview."""
    raw = root.attribute("CalculateBalance")
    try:
        calculated = raw is not None and to_bool(raw, "CalculateBalance")
    except BadValue:
        calculated = False
    if calculated or not ctx.on("W5_balance_not_recalculated_by_default"):
        return True
    ctx.note("W5: no @CalculateBalance true; the employee is left out of the payroll preview")
    return False


def delete(ctx: WriteContext, em_id: str) -> None:
    """Delete an employee and its dated rows; refused when leave or hours are booked on it."""
    if ctx.tenant.get("employees", em_id) is None:
        ctx.unknown("Employee", em_id)
        ctx.check()
    booked = ctx.tenant.find("absences", EmId=em_id) or ctx.tenant.find("realizations", EmId=em_id)
    if booked:
        ctx.problem(f"Employee '{em_id}' has leave or hours booked and cannot be deleted.")
        ctx.check()
    for table, _key in SUB_OBJECTS.values():
        for row in ctx.tenant.find(table, EmId=em_id):
            ctx.changes.delete(table, (em_id, row["DaBe"] if "DaBe" in row else row["DaBg"]))
    ctx.changes.delete("employees", em_id)


def _text(raw: Any) -> str | None:
    return None if raw in (None, "") else str(raw)
