"""Which handler plans a request: the connector table with methods, root objects and result names.

| connector | POST | PUT | DELETE path after the connector |
|---|---|---|---|
| KnEmployee | hire; `/KnEmployee/{SubObject}` adds rows | change | `AfasEmployee/@EmId/{EmId}` |
| KnPerson | match or insert | change | `KnPerson/@BcCo/{BcCo}` |
| FiEntries | post an entry | refused | `FiEntryPar/UnId,JoCo/{u},{j}/FiEntries/@EnNo/{n}` or InId |
| KnSalesRelationPer/Org | new debtor | change | `{connector}/@DbId/{DbId}` |
| KnPurchaseRelationPer/Org | new creditor | change | `{connector}/@CrId/{CrId}` |
| PtRealization | rows | rows by `Id` | `PtRealization/@Id/{Id}` |
| HrAbsence | bookings | by employee, type, day | refused (use HrAbsenceID) |
| HrAbsenceID | bookings | by `Id` | `HrAbsenceID/@Id,@EmId/{Id},{EmId}` |
| KnSubject | dossier items | by `@SbId` | `KnSubject/@SbId/{SbId}` |
"""

from __future__ import annotations

from simulator.errors import AfasError
from simulator.updates import employees, entries, hours, leave, relations, subjects
from simulator.updates.context import Results, WriteContext
from simulator.updates.envelope import Element, Envelope, parse_delete_path
from simulator.updates.parties import person
from simulator.updates.schema import root_object

# The name under `results`: the connector's, except FiEntries, whose one real capture (a Go
# client's) answers under the root object (afas-api.md 5.6).
RESULT_NAMES = {"FiEntries": "FiEntryPar"}


class NoSuchRoute(Exception):
    """A sub-object URL this connector does not have: 404 with an empty body."""


def expected_root(connector: str) -> str:
    """The object a connector's body starts with (metainfo/update `name`)."""
    return root_object(connector).name


def plan_write(
    ctx: WriteContext, connector: str, envelope: Envelope, sub_path: list[str]
) -> Results:
    """Validate the body and plan its changes into `ctx.changes`; returns the result keys."""
    root = expected_root(connector)
    if envelope.root.lower() != root.lower():
        raise AfasError(
            f"Object '{envelope.root}' does not belong to UpdateConnector '{connector}'; "
            f"the body must start with '{root}'."
        )
    if sub_path and (
        connector != "KnEmployee"
        or ctx.method != "POST"
        or len(sub_path) != 1
        or sub_path[0] not in employees.SUB_OBJECTS
    ):
        raise NoSuchRoute
    results = Results(RESULT_NAMES.get(connector, connector))
    for element in envelope.elements:
        _plan_element(ctx, connector, element, results, sub_object_url=bool(sub_path))
    ctx.check()
    return results


def _plan_element(
    ctx: WriteContext, connector: str, element: Element, results: Results, *, sub_object_url: bool
) -> None:
    method = ctx.method
    if connector == "KnEmployee":
        if sub_object_url or method == "PUT" or element.action == "update":
            employees.update(ctx, element, results, default_action="insert")
        else:
            employees.hire(ctx, element, results)
    elif connector == "KnPerson":
        before = len(ctx.changes.ops)
        party = ctx.settled(person(ctx, element, must_exist=method == "PUT"))
        if not party.inserted and len(ctx.changes.ops) > before:
            # The person is a child record of its employee (quirk R3 decides its date).
            for employee in ctx.tenant.find("employees", BcCo=party.bcco):
                ctx.changes.child_changed("employees", employee["EmId"])
        results.add(BcCo=party.bcco, BcId=party.bcid)
    elif connector == "FiEntries":
        if method == "PUT":
            raise AfasError(
                "Journal entries cannot be changed through FiEntries: delete the entry and post "
                "it again."
            )
        entries.post(ctx, element, results)
    elif connector in relations.RELATIONS:
        (relations.put if method == "PUT" else relations.post)(ctx, connector, element, results)
    elif connector == "PtRealization":
        (hours.put if method == "PUT" else hours.post)(ctx, element, results)
    elif connector in ("HrAbsence", "HrAbsenceID"):
        (leave.put if method == "PUT" else leave.post)(ctx, connector, element, results)
    elif connector == "KnSubject":
        (subjects.put if method == "PUT" else subjects.post)(ctx, element, results)
    else:
        raise AfasError(f"UpdateConnector '{connector}' is not supported by the simulator.")


def plan_delete(ctx: WriteContext, connector: str, sub_path: list[str]) -> None:
    """Validate a DELETE URL and plan the delete into `ctx.changes`."""
    targets = parse_delete_path(sub_path)
    root = expected_root(connector)
    if targets[0].object_name.lower() != root.lower():
        raise AfasError(f"Object '{targets[0].object_name}' does not belong to '{connector}'.")
    keys = targets[0].keys
    if connector == "KnEmployee":
        if "EmId" not in keys:
            raise AfasError("Delete an employee by EmId.")
        employees.delete(ctx, keys["EmId"])
    elif connector == "KnPerson":
        _delete_person(ctx, keys.get("BcCo"))
    elif connector == "FiEntries":
        entries.delete(ctx, targets)
    elif connector in relations.RELATIONS:
        relations.delete(ctx, connector, targets)
    elif connector == "PtRealization":
        hours.delete(ctx, targets)
    elif connector == "HrAbsenceID":
        leave.delete(ctx, targets)
    elif connector == "KnSubject":
        subjects.delete(ctx, targets)
    else:
        raise AfasError(f"UpdateConnector '{connector}' does not support DELETE; use HrAbsenceID.")
    ctx.check()


def _delete_person(ctx: WriteContext, bcco: str | None) -> None:
    if not bcco or ctx.tenant.get("persons", bcco) is None:
        ctx.unknown("Organisation/person", bcco)
    bcco = ctx.settled(bcco)
    for table in ("employees", "debtors", "creditors"):
        if ctx.tenant.find(table, BcCo=bcco):
            ctx.problem(f"Person '{bcco}' is in use ({table}) and cannot be deleted.")
            ctx.check()
    ctx.changes.delete("persons", bcco)
