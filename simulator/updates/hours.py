"""PtRealization: registered hours (and other realisation rows), one row per element.

POST inserts each element (`DaTi`, `VaIt`, `ItCd` mandatory; `VaIt` 1 is a work type and its
`ItCd` must be one; employee, project and debtor must exist, the project must be open). PUT
changes the rows named by `Fields.Id`; DELETE `/PtRealization/PtRealization/@Id/{Id}`.
"""

from __future__ import annotations

from typing import Any

from simulator.tenant.store import Record
from simulator.tenant.work import WORK_TYPES
from simulator.updates.context import Results, WriteContext
from simulator.updates.envelope import DeleteTarget, Element
from simulator.updates.values import BadValue, to_int

_COLUMNS = ("DaTi", "EmId", "PrId", "VaIt", "ItCd", "Qu", "StId", "Ds", "Ch", "Ap", "Pr")


def post(ctx: WriteContext, element: Element, results: Results) -> None:
    """Plan one new realisation row."""
    values = ctx.values(element, skip=frozenset({"Id"}))
    for name, label in (("DaTi", "Date"), ("VaIt", "Item type"), ("ItCd", "Item code")):
        if values.get(name) in (None, ""):
            ctx.missing(label)
    _references(ctx, values)
    ctx.check()
    given = _line_number(ctx, element)
    if given is not None and ctx.tenant.get("realizations", given) is not None:
        ctx.problem(f"Line {given} already exists.")
        ctx.check()
    number = given if given is not None else _next_id(ctx)
    project = ctx.tenant.get("projects", str(values["PrId"])) if values.get("PrId") else None
    record: Record = {
        "Id": number,
        **dict.fromkeys(_COLUMNS),
        "Ch": bool(project["Chargeable"]) if project else False,
        "Ap": False,
        "Pr": False,
        **values,
    }
    ctx.changes.insert("realizations", record, (number,))
    results.add(Id=number, XpRe=values.get("XpRe"))


def put(ctx: WriteContext, element: Element, results: Results) -> None:
    """Plan changes to the row named by `Id`."""
    number = _line_number(ctx, element)
    if number is None:
        ctx.missing("Line number")
    number = ctx.settled(number)
    current = ctx.tenant.get("realizations", number)
    if current is None:
        ctx.unknown("Line number", number)
    current = ctx.settled(current)
    values = ctx.values(element, skip=frozenset({"Id"}))
    changes = {name: value for name, value in values.items() if current.get(name) != value}
    _references(ctx, changes)
    ctx.check()
    ctx.changes.update("realizations", number, changes)
    results.add(Id=number)


def delete(ctx: WriteContext, targets: list[DeleteTarget]) -> None:
    """Delete one row by `Id`."""
    raw = targets[0].keys.get("Id") if len(targets) == 1 else None
    number = int(raw) if raw is not None and raw.isdigit() else None
    if number is None or ctx.tenant.get("realizations", number) is None:
        ctx.unknown("Line number", raw)
    ctx.changes.delete("realizations", ctx.settled(number))


def _references(ctx: WriteContext, values: Record) -> None:
    item_type, item = values.get("VaIt"), values.get("ItCd")
    if str(item_type) == "1" and item and item not in {code for code, _ in WORK_TYPES}:
        ctx.unknown("Item code", item)
    employee = values.get("EmId")
    if employee:
        record = ctx.tenant.get("employees", str(employee))
        if record is None or record.get("_deleted"):
            ctx.unknown("Employee", employee)
    project_id = values.get("PrId")
    if project_id:
        project = ctx.tenant.get("projects", str(project_id))
        if project is None:
            ctx.unknown("Project", project_id)
        elif project["CheckedOut"]:
            ctx.problem(f"Project '{project_id}' is closed.")
    debtor = values.get("DbId")
    if debtor and ctx.tenant.get("debtors", str(debtor)) is None:
        ctx.unknown("Debtor", debtor)


def _line_number(ctx: WriteContext, element: Element) -> int | None:
    raw: Any = element.key("Id")
    if raw in (None, ""):
        return None
    try:
        return to_int(raw, "Id")
    except BadValue as bad:
        ctx.problem(str(bad))
        ctx.check()
    return None


def _next_id(ctx: WriteContext) -> int:
    while True:
        number = ctx.tenant.next_number("RealizationId")
        if ctx.tenant.get("realizations", number) is None:
            return number
