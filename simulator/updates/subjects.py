"""KnSubject: dossier items, linked to a relation, employee or project, with attachments.

`StId` (a known dossier item type: the seeded ones and those AFAS's own examples use, on POST
and PUT) and `Ds` are mandatory. `KnSubjectLink` says what the item is for: `ToBC`+`BcId` (or
`BcCo`) an organisation/person, `ToSR`/`ToPR`/`ToPu`/`ToEm` mark it for the sales relation,
purchase relation or employee of that relation, `SfTp`+`SfId` name a destination by type
(2 employee, 3 organisation/person, 4 debtor), `PjId`/`PrId` a project. Each
`KnSubjectAttachment` needs a file name and Base64 content.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from simulator.tenant.store import Record
from simulator.tenant.work import SUBJECT_TYPES
from simulator.updates.context import Results, WriteContext
from simulator.updates.envelope import DeleteTarget, Element
from simulator.updates.values import BadValue, to_int

_EDITABLE = ("StId", "Ds", "SbTx", "Da", "UsId", "St", "Done")
_TYPE_CODES = frozenset(code for code, _ in SUBJECT_TYPES)


def post(ctx: WriteContext, element: Element, results: Results) -> None:
    """Plan a new dossier item."""
    values = ctx.values(element, skip=frozenset({"SbId"}))
    subject_type = values.get("StId")
    if subject_type is None:
        ctx.missing("Subject type")
    else:
        _check_type(ctx, subject_type)
    if not values.get("Ds"):
        ctx.missing("Subject")
    links: Record = {
        "BcCo": None,
        "ToDebtor": False,
        "ToCreditor": False,
        "ToEmployee": False,
        "PrId": None,
    }
    for link in element.children("KnSubjectLink"):
        _link(ctx, link, links)
    attachments = [_attachment(ctx, item) for item in element.children("KnSubjectAttachment")]
    for name in element.objects:
        if name not in ("KnSubjectLink", "KnSubjectAttachment"):
            ctx.ignored.append(f"KnSubject.{name}")
    number = _subject_id(ctx, element)
    ctx.check()
    done = bool(values.get("Done"))
    record: Record = {
        "SbId": number,
        "StId": subject_type,
        "Ds": values.get("Ds"),
        "SbTx": values.get("SbTx"),
        "Da": values.get("Da") or ctx.today,
        "UsId": values.get("UsId"),
        "St": values.get("St") or ("Afgehandeld" if done else "Open"),
        "Done": done,
        "DaDone": ctx.today if done else None,
        **links,
        "_attachments": tuple(attachments),
    }
    ctx.changes.insert("subjects", record, (number,))
    results.add(SbId=number)


def put(ctx: WriteContext, element: Element, results: Results) -> None:
    """Plan changes to the dossier item named by `@SbId`."""
    number = _number(ctx, element.key("SbId"))
    current = ctx.tenant.get("subjects", number) if number is not None else None
    if current is None:
        ctx.unknown("Dossier item", element.key("SbId"))
    current = ctx.settled(current)
    values = ctx.values(element, skip=frozenset({"SbId"}))
    changes = {n: values[n] for n in _EDITABLE if n in values and values[n] != current.get(n)}
    if changes.get("StId") is not None:
        _check_type(ctx, changes["StId"])
    if changes.get("Done") and not current.get("Done"):
        changes["DaDone"] = ctx.today
    ctx.check()
    ctx.changes.update("subjects", current["SbId"], changes)
    results.add(SbId=current["SbId"])


def delete(ctx: WriteContext, targets: list[DeleteTarget]) -> None:
    """`/KnSubject/KnSubject/@SbId/{SbId}`."""
    raw = targets[0].keys.get("SbId") if len(targets) == 1 else None
    number = _number(ctx, raw)
    if number is None or ctx.tenant.get("subjects", number) is None:
        ctx.unknown("Dossier item", raw)
    ctx.changes.delete("subjects", ctx.settled(number))


def _check_type(ctx: WriteContext, subject_type: Any) -> None:
    if subject_type not in _TYPE_CODES:
        ctx.unknown("Subject type", subject_type)


def _link(ctx: WriteContext, link: Element, links: Record) -> None:
    values = ctx.values(link)
    relation = values.get("BcId") or values.get("BcCo")
    if relation:
        if not any(ctx.tenant.get(t, str(relation)) for t in ("persons", "organisations")):
            ctx.unknown("Organisation/person", relation)
        links["BcCo"] = str(relation)
    for flag, target in (
        ("ToSR", "ToDebtor"),
        ("ToPR", "ToCreditor"),
        ("ToPu", "ToCreditor"),
        ("ToEm", "ToEmployee"),
    ):
        if values.get(flag) is True:
            links[target] = True
    _destination(ctx, link.fields.get("SfTp"), link.fields.get("SfId"), links)
    project = values.get("PjId") or values.get("PrId")
    if project:
        if ctx.tenant.get("projects", str(project)) is None:
            ctx.unknown("Project", project)
        links["PrId"] = str(project)


def _destination(ctx: WriteContext, kind: Any, target: Any, links: Record) -> None:
    if kind in (None, "") or target in (None, ""):
        return
    code, key = str(kind), str(target)
    if code == "2":
        employee = ctx.tenant.get("employees", key)
        if employee is None:
            ctx.unknown("Employee", key)
        else:
            links.update(BcCo=employee["BcCo"], ToEmployee=True)
    elif code == "3":
        if not any(ctx.tenant.get(t, key) for t in ("persons", "organisations")):
            ctx.unknown("Organisation/person", key)
        links["BcCo"] = key
    elif code == "4":
        debtor = ctx.tenant.get("debtors", key)
        if debtor is None:
            ctx.unknown("Debtor", key)
        else:
            links.update(BcCo=debtor["BcCo"], ToDebtor=True)
    else:
        ctx.ignored.append(f"KnSubjectLink.SfTp={code}")


def _attachment(ctx: WriteContext, item: Element) -> str:
    name = str(item.fields.get("FileName") or "")
    if not name:
        ctx.missing("File name")
    try:
        base64.b64decode(str(item.fields.get("FileStream") or ""), validate=True)
    except (binascii.Error, ValueError):
        ctx.problem(f"The content of attachment '{name}' is not valid Base64.")
    return name


def _subject_id(ctx: WriteContext, element: Element) -> int:
    given = _number(ctx, element.key("SbId"))
    if given is not None:
        if ctx.tenant.get("subjects", given) is not None:
            ctx.problem(f"Dossier item {given} already exists.")
        return given
    while True:
        number = ctx.tenant.next_number("SbId")
        if ctx.tenant.get("subjects", number) is None:
            return number


def _number(ctx: WriteContext, raw: Any) -> int | None:
    if raw in (None, ""):
        return None
    try:
        return to_int(raw, "SbId")
    except BadValue as bad:
        ctx.problem(str(bad))
        return None
