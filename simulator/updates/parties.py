"""KnPerson and KnOrganisation: matching, inserting or updating a relation, with its address.

Used on their own (KnPerson) and nested in employees, debtors and creditors. Matching follows
afas-api.md 5.3: the match mode decides between update and insert, whatever the method.

- `MatchPer` 0 by `BcCo`, 1 by BSN, 2-6 by name, prefix, initials and gender (plus work e-mail,
  work mobile, work phone or birth date), 7 always insert. `MatchOga` 0 by `BcCo`, 1 KvK number,
  2 fiscal number, 3 name, 4/5 address, 6 always insert. No mode: by `BcCo` when one is sent,
  else insert.
- A match updates that relation; no match inserts one (numbered from the `BcCo` sequence unless
  `AutoNum` is off and a `BcCo` is sent). Several matches are an error. A PUT of KnPerson itself
  must hit an existing person.
- W4 on: `MatchPer` 7 inserts even when the same person exists (a rerun makes a duplicate); off,
  an existing person with the same BSN, or the same last name, initials and birth date, is
  refused.
- W20 on: updating an existing person with an unchanged e-mail, portal e-mail or BSN fails,
  unless that field is what the match mode found the person by (the BSN under `MatchPer` 1,
  the work e-mail under 3).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Any

from simulator.tenant.ids import eleven_check, iban_is_valid
from simulator.tenant.store import Record
from simulator.updates.context import WriteContext
from simulator.updates.envelope import Element
from simulator.updates.values import BadValue, house_number, to_bool, to_int

CONTROL_FIELDS = frozenset({"MatchPer", "MatchOga", "AutoNum", "PadAdr", "BcCo", "BcId"})
ADDRESS_FIELDS = ("Ad", "HmNr", "HmAd", "ZpCd", "Rs", "CoId", "PbAd", "ResZip", "BeginDate", "AdAd")
UNIQUE_PERSON_FIELDS = {"EmAd": "E-mail work", "EmailPortal": "E-mail portal", "SoSe": "BSN"}
_PERSON_MATCH = {
    2: ("LaNm", "Is", "In", "ViGe"),
    3: ("LaNm", "Is", "In", "ViGe", "EmAd"),
    4: ("LaNm", "Is", "In", "ViGe", "MbNr"),
    5: ("LaNm", "Is", "In", "ViGe", "TeNr"),
    6: ("LaNm", "Is", "In", "ViGe", "DaBi"),
}
_ORGANISATION_MATCH = {
    1: ("CcNr",),
    2: ("FiNr",),
    3: ("Nm",),
    4: ("Ad", "HmNr", "ZpCd"),
    5: ("Ad", "HmNr", "ZpCd"),
}


@dataclass
class Party:
    """The person or organisation a body resolved to, as it will be after the commit."""

    table: str  # "persons" or "organisations"
    bcco: str
    bcid: str
    inserted: bool
    record: Record
    iban: str | None = None


def person(ctx: WriteContext, element: Element, *, must_exist: bool = False) -> Party | None:
    """Match, insert or update the person of a KnPerson element (None after a problem)."""
    return _party(ctx, element, "persons", must_exist=must_exist)


def organisation(ctx: WriteContext, element: Element, *, must_exist: bool = False) -> Party | None:
    """Match, insert or update the organisation of a KnOrganisation element."""
    return _party(ctx, element, "organisations", must_exist=must_exist)


def _party(ctx: WriteContext, element: Element, table: str, *, must_exist: bool) -> Party | None:
    is_person = table == "persons"
    fields = ctx.values(element, skip=CONTROL_FIELDS)
    fields.update(address(ctx, element))
    iban = bank_account(ctx, element)
    if is_person:
        _check_person_fields(ctx, fields)
    mode = _match_mode(ctx, element, "MatchPer" if is_person else "MatchOga")
    bcco = _text(element.key("BcCo"))
    if ctx.problems:
        return None
    existing = _find(ctx, table, mode, bcco, fields, is_person=is_person)
    if ctx.problems:
        return None
    if existing is not None:
        found_by = _match_fields(mode, is_person=is_person)
        return _update(ctx, table, existing, fields, iban, found_by=found_by)
    if must_exist:
        ctx.unknown("Organisation/person", bcco)
        return None
    return _insert(ctx, element, table, bcco, fields, iban)


def _find(
    ctx: WriteContext,
    table: str,
    mode: int | None,
    bcco: str | None,
    fields: Record,
    *,
    is_person: bool,
) -> Record | None:
    always_new = 7 if is_person else 6
    if mode == always_new:
        if is_person and not ctx.on("W4_matchper_7_always_inserts"):
            twin = _twin(ctx, fields)
            if twin is not None:
                ctx.problem(
                    f"The person already exists (number {twin['BcCo']}); match on it instead."
                )
        elif is_person:
            twin = _twin(ctx, fields)
            if twin is not None:
                ctx.note(
                    f"W4: MatchPer 7 inserted a new person although {twin['BcCo']} is the same"
                )
        return None
    if mode in (0, None):
        if not bcco:
            if mode == 0 and ctx.method == "PUT":
                ctx.missing("Number")
            return None
        found = ctx.tenant.get(table, bcco)
        return found if found is not None and not found.get("_deleted") else None
    if is_person and mode == 1:
        if not fields.get("SoSe"):
            ctx.missing("BSN")
            return None
        return _one(ctx, _live(ctx, table, {"SoSe": fields["SoSe"]}))
    criteria = (_PERSON_MATCH if is_person else _ORGANISATION_MATCH)[mode]
    wanted = {name: fields.get(name) for name in criteria}
    return _one(ctx, _live(ctx, table, wanted))


def _match_fields(mode: int | None, *, is_person: bool) -> frozenset[str]:
    """The fields a match mode finds the relation by (`BcCo` is a control field, never stored)."""
    if mode in (0, None):
        return frozenset({"BcCo"})
    if is_person and mode == 1:
        return frozenset({"SoSe"})
    criteria = (_PERSON_MATCH if is_person else _ORGANISATION_MATCH).get(mode, ())
    return frozenset(criteria)


def _twin(ctx: WriteContext, fields: Record) -> Record | None:
    """An existing person that is obviously the same one (same BSN, or name and birth date)."""
    if fields.get("SoSe"):
        matches = _live(ctx, "persons", {"SoSe": fields["SoSe"]})
    elif fields.get("DaBi") and fields.get("LaNm"):
        matches = _live(ctx, "persons", {name: fields.get(name) for name in ("LaNm", "In", "DaBi")})
    else:
        return None
    return matches[0] if matches else None


def _live(ctx: WriteContext, table: str, criteria: dict[str, Any]) -> list[Record]:
    def same(stored: Any, wanted: Any) -> bool:
        if isinstance(stored, str) and isinstance(wanted, str):
            return stored.casefold() == wanted.casefold()
        return bool(stored == wanted)

    target = ctx.tenant.table(table)
    candidates: Iterable[Record] = target
    for name, wanted in criteria.items():
        if name in target.lookups and _exact(wanted):
            # An index finds the few candidates instead of a scan of 100,000 persons.
            candidates = target.records_by(name, wanted)
            break
    return [
        record
        for record in candidates
        if not record.get("_deleted") and all(same(record.get(k), v) for k, v in criteria.items())
    ]


def _exact(wanted: Any) -> bool:
    """Whether equality finds every value `same` accepts: no text with letters (case) in it.

    No character but an ASCII digit casefolds to one, so for a BSN or KvK number the
    case-blind comparison and equality agree.
    """
    if wanted is None:
        return False
    if isinstance(wanted, str):
        return wanted.isascii() and wanted.isdigit()
    return isinstance(wanted, Hashable)


def _one(ctx: WriteContext, matches: list[Record]) -> Record | None:
    if len(matches) > 1:
        numbers = ", ".join(str(m["BcCo"]) for m in matches[:5])
        ctx.problem(f"More than one relation matches ({numbers}); match on the number instead.")
        return None
    return dict(matches[0]) if matches else None


def _insert(
    ctx: WriteContext,
    element: Element,
    table: str,
    bcco: str | None,
    fields: Record,
    iban: str | None,
) -> Party | None:
    mandatory, label = ("LaNm", "Last name") if table == "persons" else ("Nm", "Name")
    if not fields.get(mandatory):
        ctx.missing(label)
        return None
    auto = element.fields.get("AutoNum")
    numbered = _flag(ctx, auto) if auto is not None else not bcco
    if bcco and not numbered:
        if _taken(ctx, bcco):
            ctx.problem(f"The number '{bcco}' is already in use.")
            return None
        number = bcco
    else:
        number = str(ctx.tenant.next_number("BcCo"))
        while _taken(ctx, number):
            number = str(ctx.tenant.next_number("BcCo"))
    bcid = str(ctx.tenant.next_number("BcId"))
    record: Record = {"BcCo": number, "BcId": bcid, **fields, "_deleted": False}
    record.setdefault("SeNm", str(fields[mandatory]).upper().replace(" ", "")[:50])
    ctx.changes.insert(table, record, (number,))
    return Party(table, number, bcid, True, record, iban)


def _taken(ctx: WriteContext, bcco: str) -> bool:
    """BcCo numbers are shared by persons and organisations."""
    return any(ctx.tenant.get(t, bcco) is not None for t in ("persons", "organisations"))


def _update(
    ctx: WriteContext,
    table: str,
    existing: Record,
    fields: Record,
    iban: str | None,
    *,
    found_by: frozenset[str],
) -> Party:
    if table == "persons" and ctx.on("W20_unchanged_value_update_fails"):
        # The match key (the BSN under MatchPer 1, ...) is how the person was found, not a
        # re-sent value: only the other unique fields can trip W20.
        for name, label in UNIQUE_PERSON_FIELDS.items():
            if (
                name in fields
                and name not in found_by
                and fields[name] not in (None, "")
                and fields[name] == existing.get(name)
            ):
                ctx.problem(f"The value '{fields[name]}' for '{label}' is already in use.")
    changes = {k: v for k, v in fields.items() if existing.get(k) != v}
    bcid = existing.get("BcId")
    if bcid is None:
        bcid = str(ctx.tenant.next_number("BcId"))
        changes["BcId"] = bcid
    if changes:
        ctx.changes.update(table, existing["BcCo"], changes)
    return Party(table, existing["BcCo"], str(bcid), False, {**existing, **changes}, iban)


def _check_person_fields(ctx: WriteContext, fields: Record) -> None:
    bsn = fields.get("SoSe")
    if bsn and not eleven_check(str(bsn)):
        ctx.problem(f"The BSN '{bsn}' is not valid: it does not pass the 11-test.")
    gender = fields.get("ViGe")
    if gender:
        if str(gender).upper() not in ("M", "V", "O", "X"):
            ctx.unknown("Gender", gender)
        else:
            fields["ViGe"] = str(gender).upper()


def address(ctx: WriteContext, parent: Element) -> Record:
    """The street address fields to store on the relation (postal address: checked only)."""
    padr = parent.fields.get("PadAdr")
    postal = parent.child("KnBasicAddressPad")
    if postal is not None and not (padr is not None and _flag(ctx, padr)):
        _address_fields(ctx, postal)
    element = parent.child("KnBasicAddressAdr")
    return _address_fields(ctx, element) if element is not None else {}


def _address_fields(ctx: WriteContext, element: Element) -> Record:
    fields = ctx.values(element, skip=frozenset({"HmNr"}))
    if not fields.get("CoId"):
        ctx.missing("Country")
    raw = element.fields.get("HmNr")
    if raw is not None and raw != "":
        try:
            number, addition = house_number(raw)
        except BadValue as bad:
            ctx.problem(str(bad))
            return fields
        if addition is not None:
            if not ctx.on("W8_house_number_addition_dropped"):
                ctx.problem(
                    f"The house number '{raw}' is not numeric; send the addition in 'HmAd'."
                )
            else:
                ctx.note(f"W8: HmNr {raw!r} stored as {number}; the addition {addition!r} is lost")
        fields["HmNr"] = number
    elif raw == "":
        fields["HmNr"] = None
    return {name: value for name, value in fields.items() if name in ADDRESS_FIELDS}


def bank_account(ctx: WriteContext, parent: Element) -> str | None:
    """The IBAN of a KnBankAccount sub-object (checked when `IbCk` is on)."""
    account = parent.child("KnBankAccount")
    if account is None:
        return None
    values = ctx.values(account)
    if not values.get("CoId"):
        ctx.missing("Country")
    iban = values.get("Iban")
    if not iban:
        return None
    electronic = str(iban).replace(" ", "").upper()
    if values.get("IbCk") and not iban_is_valid(electronic):
        ctx.problem(f"The IBAN '{iban}' is not valid.")
    return electronic


def _match_mode(ctx: WriteContext, element: Element, name: str) -> int | None:
    raw = element.fields.get(name)
    if raw is None or raw == "":
        return None
    highest = 7 if name == "MatchPer" else 6
    try:
        mode = to_int(raw, name)
    except BadValue:
        mode = -1
    if not 0 <= mode <= highest:
        ctx.unknown(name, raw)
        return None
    return mode


def _flag(ctx: WriteContext, raw: Any) -> bool:
    try:
        return to_bool(raw, "flag")
    except BadValue:
        return False


def _text(raw: Any) -> str | None:
    if raw is None or raw == "":
        return None
    return str(raw)
