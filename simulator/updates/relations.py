"""Debtors and creditors: KnSalesRelationPer/Org and KnPurchaseRelationPer/Org.

The relation's own fields (`CuId`, `PaCd`, `ColA`, `VaDu`, `IsDb`/`IsCr`, ...) go on the debtor or
creditor record; the nested `KnPerson` / `KnOrganisation` is matched, inserted or updated as in
parties.py, with its address and `KnBankAccount` (whose IBAN becomes the relation's). A relation
number sent as `@DbId`/`@CrId` is used; an empty or missing one is generated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simulator.tenant.store import Record
from simulator.updates.context import Results, WriteContext
from simulator.updates.envelope import DeleteTarget, Element
from simulator.updates.parties import Party, organisation, person
from simulator.updates.values import BadValue, to_bool, to_decimal


@dataclass(frozen=True)
class RelationKind:
    """How one relation connector maps onto the tenant."""

    table: str
    key: str
    party: str  # the nested object: KnPerson or KnOrganisation
    label: str
    collective: str  # default collective account


RELATIONS: dict[str, RelationKind] = {
    "KnSalesRelationPer": RelationKind("debtors", "DbId", "KnPerson", "Debtor", "1300"),
    "KnSalesRelationOrg": RelationKind("debtors", "DbId", "KnOrganisation", "Debtor", "1300"),
    "KnPurchaseRelationPer": RelationKind("creditors", "CrId", "KnPerson", "Creditor", "1600"),
    "KnPurchaseRelationOrg": RelationKind(
        "creditors", "CrId", "KnOrganisation", "Creditor", "1600"
    ),
}
_PARTY_FIELDS = frozenset({"VaId"})  # sent on the relation, read from the organisation/person


def post(ctx: WriteContext, connector: str, root: Element, results: Results) -> None:
    """Plan a new debtor or creditor and its person or organisation."""
    kind = RELATIONS[connector]
    number = _text(root.key(kind.key))
    if number is not None and ctx.tenant.get(kind.table, number) is not None:
        ctx.problem(f"{kind.label} '{number}' already exists.")
    own = _own_fields(ctx, root, kind)
    element = root.child(kind.party)
    party = None
    if element is None:
        ctx.problem(f"Enter the {kind.party} of the {kind.label.lower()}.")
    else:
        party = (person if kind.party == "KnPerson" else organisation)(ctx, element)
    if party is not None and not party.inserted:
        taken = [r for r in ctx.tenant.find(kind.table, BcCo=party.bcco) if not r.get("_deleted")]
        if taken:
            ctx.problem(
                f"Relation '{party.bcco}' is already {kind.label.lower()} '{taken[0][kind.key]}'."
            )
    party = ctx.settled(party)
    number = number or ctx.new_number(kind.key, kind.table)
    record: Record = {
        kind.key: number,
        "BcCo": party.bcco,
        "CuId": "EUR",
        "ColA": kind.collective,
        "PaCd": None,
        "VaDu": None,
        "Iban": party.iban,
        "CreditLimit": None,
        "AutoPayment": False,
        "TempBlocked": False,
        "Bl": False,
        **own,
        "_deleted": False,
    }
    if party.iban is None and own.get("Iban"):
        record["Iban"] = own["Iban"]
    ctx.changes.insert(kind.table, record, (number,))
    _party_fields(ctx, party, root)
    _result(results, kind, number, party.bcco)


def put(ctx: WriteContext, connector: str, root: Element, results: Results) -> None:
    """Plan changes to an existing debtor or creditor (and its person or organisation)."""
    kind = RELATIONS[connector]
    number = _text(root.key(kind.key))
    current = ctx.tenant.get(kind.table, number) if number else None
    if number is None:
        ctx.missing(kind.label)
    elif current is None or current.get("_deleted"):
        ctx.unknown(kind.label, number)
    number, current = ctx.settled(number), ctx.settled(current)
    own = _own_fields(ctx, root, kind, inserting=False)
    element = root.child(kind.party)
    party = None
    if element is not None:
        element.fields.setdefault("BcCo", current["BcCo"])
        element.fields.setdefault("MatchPer" if kind.party == "KnPerson" else "MatchOga", "0")
        party = (person if kind.party == "KnPerson" else organisation)(
            ctx, element, must_exist=True
        )
        if party is not None and party.bcco != current["BcCo"]:
            ctx.problem(
                f"Relation '{party.bcco}' is not the relation of {kind.label.lower()} '{number}'."
            )
    ctx.check()
    if party is not None and party.iban:
        own["Iban"] = party.iban
    changes = {name: value for name, value in own.items() if current.get(name) != value}
    ctx.changes.update(kind.table, number, changes)
    if party is not None:
        _party_fields(ctx, party, root)
    _result(results, kind, number, current["BcCo"])


def delete(ctx: WriteContext, connector: str, targets: list[DeleteTarget]) -> None:
    """`/{connector}/@DbId/{id}` (or `@CrId`): refused while entries or projects use it."""
    kind = RELATIONS[connector]
    number = targets[0].keys.get(kind.key) if len(targets) == 1 else None
    if number is None:
        ctx.problem(f"Delete a {kind.label.lower()} by {kind.key}.")
    number = ctx.settled(number)
    if ctx.tenant.get(kind.table, number) is None:
        ctx.unknown(kind.label, number)
        ctx.check()
    line_kind = "2" if kind.table == "debtors" else "3"
    used = ctx.tenant.find("entries", VaAs=line_kind, AcNr=number)
    if kind.table == "debtors":
        used += ctx.tenant.find("projects", DebtorId=number)
    if used:
        ctx.problem(f"{kind.label} '{number}' has entries or projects and cannot be deleted.")
        ctx.check()
    ctx.changes.delete(kind.table, number)


def _own_fields(
    ctx: WriteContext, root: Element, kind: RelationKind, *, inserting: bool = True
) -> Record:
    own = ctx.values(root, skip=frozenset({kind.key, *_PARTY_FIELDS, "Krli", "AuPa"}))
    collective = own.get("ColA")
    if collective and ctx.tenant.get("ledger_accounts", str(collective)) is None:
        ctx.unknown("Collective account", collective)
    limit = root.fields.get("Krli")
    if limit not in (None, "", False, True):
        try:
            own["CreditLimit"] = to_decimal(limit, "Krli")
        except BadValue as bad:
            ctx.problem(str(bad))
    auto = root.fields.get("AuPa")
    if auto not in (None, ""):
        try:
            own["AutoPayment"] = to_bool(auto, "AuPa")
        except BadValue as bad:
            ctx.problem(str(bad))
    return own


def _party_fields(ctx: WriteContext, party: Party, root: Element) -> None:
    """Fields sent on the relation that AFAS keeps on the organisation or person (VAT number)."""
    values: dict[str, Any] = {}
    for name in _PARTY_FIELDS:
        raw = root.fields.get(name)
        if raw not in (None, ""):
            values[name] = str(raw)
    changed = {k: v for k, v in values.items() if party.record.get(k) != v}
    if changed:
        ctx.changes.update(party.table, party.bcco, changed, touch=not party.inserted)


def _result(results: Results, kind: RelationKind, number: str, bcco: str) -> None:
    if kind.table == "debtors":
        results.add(DbId=number, BcCo=bcco)
    else:
        results.add(BcCo=bcco, CrId=number)


def _text(raw: Any) -> str | None:
    return None if raw in (None, "") else str(raw)
