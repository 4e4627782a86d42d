"""KnEmployee (root `AfasEmployee`): a complete hire, and an update that sends only what changes.

A hire is one start-of-employment message (W19): the person, and a contract, org unit and
function, timetable, salary and fiscal row, all starting on the same day. The employer travels
as `CmId` on the contract (W1), the period table as a numeric `PtId` on the salary (W3, W12), the
house number split into `HmNr` and `HmAd` (W8), and `@CalculateBalance` is on (W5).

An update sends the person's changed fields in place and the payroll changes as new rows from
the effective date; the current contract row is updated by its key when only its end changes or
is removed (`""` in the W7 date field `DaEn`, sent only because the agent asked to clear it).
AFAS has no public OpenAPI spec for KnEmployee; the shapes follow its start-of-employment examples
(afas-api.md 5.4).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from policies import afas_fields as af
from policies.facts import (
    Address,
    EmployeeField,
    EmployeeUpdateFacts,
    FieldValue,
    HireFacts,
    PersonMatch,
)
from policies.values import split_house_number
from tools.payloads._elements import Body, Legacy, element, envelope, sub_object

MATCH_CODE: Mapping[PersonMatch, af.MatchPer] = {
    PersonMatch.EXISTING_PERSON: af.MatchPer.BY_PERSON_ID,
    PersonMatch.BSN: af.MatchPer.BY_BSN,
    PersonMatch.ALWAYS_NEW: af.MatchPer.ALWAYS_NEW,
}

# The contract terms of AFAS's own start-of-employment example: the basic collective agreement
# and terms of employment, an ordinary employee in an employment relation, with a written
# contract. Payroll adjusts them where a CAO applies; hires are reviewed before they are sent.
CONTRACT_TERMS: Mapping[str, object] = {
    "ClId": "basis",  # collective agreement (CAO)
    "WcId": "basis",  # terms of employment
    "EmMt": "1",  # kind of employee: employee
    "ViEt": "V",  # employment relation: permanent staff
    "WrCt": True,  # written contract (a "1"/"0" field, W7)
}
OPEN_ENDED, FIXED_TERM = "O", "B"  # ApCo: indefinite or fixed-term contract

# Wage-tax settings of an ordinary employee, as in AFAS's example: income relation 15 (wages),
# wage-tax credit applied, Zvw employer levy, insured for ZW, WW and WAO/WIA.
FISCAL_SETTINGS: Mapping[str, object] = {
    "ViIn": "15",
    "ViLk": "1",
    "ViZv": "K",
    "YnZW": "1",
    "YnWW": "1",
    "YWAO": "1",
}
FISCAL_KIND = "F"  # @AyId: the tax authority ("Fiscus") agency row
FIXED_SALARY = "V"  # SaPe: a fixed salary per period (EmSa)


def address_element(
    address: Address,
    *,
    begins: date,
    action: str | None = None,
    legacy: Legacy | None = None,
    clear: frozenset[str] = frozenset(),
) -> Body:
    """A residential address, the house number split as AFAS stores it (W8)."""
    number = split_house_number(address.house_number)
    values = {
        "Ad": address.street,
        af.HOUSE_NUMBER.field_id: number.number,
        af.HOUSE_NUMBER_ADDITION.field_id: number.addition or address.house_number_addition,
        "ZpCd": address.postal_code,
        "Rs": address.city,
        "CoId": address.country,
        "PbAd": False,  # not a PO box
        "ResZip": False,  # keep the street as given; do not look it up from the postal code
        "BeginDate": begins,
    }
    return element("KnBasicAddressAdr", values, action=action, legacy=legacy, clear=clear)


def _person(facts: HireFacts, legacy: Legacy | None) -> Body:
    match = str(int(MATCH_CODE[facts.person_match]))
    objects = []
    if facts.address is not None:
        address = address_element(facts.address, begins=facts.start_date, legacy=legacy)
        objects.append(sub_object("KnBasicAddressAdr", address, as_list=False))
    if facts.person_match is PersonMatch.EXISTING_PERSON:
        # The person exists: match by key and leave its name and details as AFAS holds them.
        values: dict[str, object] = {
            af.PERSON_MATCH.field_id: match,
            af.PERSON_ID.field_id: facts.person_id,
        }
    else:
        values = {
            af.PERSON_MATCH.field_id: match,
            af.BSN.field_id: facts.bsn,
            "AutoNum": True,  # AFAS numbers the person when no match is found
            "PadAdr": True,  # the postal address is the residential address
            "FiNm": facts.first_name,
            "In": facts.initials,
            "Is": facts.name_prefix,
            "LaNm": facts.last_name,
            "SpNm": False,  # no partner name in use (a "1"/"0" field, W7)
            "ViGe": facts.gender,
            "DaBi": facts.birth_date,
            "EmAd": facts.email,
        }
    return element(af.PERSON_OBJECT, values, objects=objects, legacy=legacy)


def _dated(
    object_name: str,
    values: Mapping[str, object],
    start: date,
    *,
    action: str = "insert",
    extra_keys: Mapping[str, object] | None = None,
    legacy: Legacy | None,
    clear: frozenset[str] = frozenset(),
) -> Body:
    key = af.HIRE_SUB_OBJECTS[object_name]
    keys = {key: start, **(extra_keys or {})}
    row = element(object_name, values, keys=keys, action=action, legacy=legacy, clear=clear)
    return sub_object(object_name, row, as_list=False)


def hire_body(facts: HireFacts, *, legacy: Legacy | None = None) -> Body:
    """The complete start-of-employment body for a new employee (W19)."""
    start = facts.start_date
    contract = {
        af.EMPLOYER.field_id: facts.employer_id,
        "ApCo": OPEN_ENDED if facts.contract_end is None else FIXED_TERM,
        **CONTRACT_TERMS,
        af.CONTRACT_END.field_id: facts.contract_end,
    }
    function = {af.ORG_UNIT.field_id: facts.org_unit, af.FUNCTION.field_id: facts.function_id}
    timetable = {af.HOURS_PER_WEEK.field_id: facts.hours_per_week}
    fiscal_keys = {"AyId": FISCAL_KIND}
    salary = {
        "SaPe": FIXED_SALARY,
        af.SALARY.field_id: facts.salary,
        af.PERIOD_TABLE.field_id: facts.period_table_id,
        "TtPy": False,  # pay the salary, not the timetable hours (a "1"/"0" field, W7)
    }
    root: Body = {"@Action": "insert", af.CALCULATE_BALANCE.field_id: True}  # W5
    if facts.employee_id:
        root[af.EMPLOYEE_CODE.field_id] = facts.employee_id
    root["Objects"] = [
        sub_object(af.PERSON_OBJECT, _person(facts, legacy), as_list=False),
        _dated("AfasContract", contract, start, legacy=legacy),
        _dated("AfasOrgunitFunction", function, start, legacy=legacy),
        _dated("AfasTimeTable", timetable, start, legacy=legacy),
        _dated("AfasSalary", salary, start, legacy=legacy),
        _dated("AfasAgencyFiscus", FISCAL_SETTINGS, start, extra_keys=fiscal_keys, legacy=legacy),
    ]
    return envelope(af.EMPLOYEE_ROOT, root)


@dataclass(frozen=True)
class CurrentRows:
    """What an update's rows need from AFAS besides the facts: keys and untouched values."""

    contract_start: date | None = None
    """Start (`@DaBe`) of the contract in force, the key of the row whose end date changes."""
    salary_kind: str | None = None
    """`SaPe` of the salary in force, kept on a new salary row."""


_PERSON_FIELDS = frozenset({EmployeeField.EMAIL, EmployeeField.PHONE, EmployeeField.MOBILE})
_ADDRESS_FIELDS = frozenset(
    {
        EmployeeField.STREET,
        EmployeeField.HOUSE_NUMBER,
        EmployeeField.HOUSE_NUMBER_ADDITION,
        EmployeeField.POSTAL_CODE,
        EmployeeField.CITY,
        EmployeeField.COUNTRY,
    }
)


def _value(facts: EmployeeUpdateFacts, field: EmployeeField) -> FieldValue | None:
    """The value after the update: the change, else the current value."""
    if field in facts.cleared:
        return None
    return facts.changes.get(field, facts.current.get(field))


def new_address(facts: EmployeeUpdateFacts) -> Address:
    """The whole address after the update, for a new address row (AFAS keeps address history).

    Raises:
        ValueError: a part of the address is neither changed nor known.
    """
    parts = {field: _value(facts, field) for field in _ADDRESS_FIELDS}
    optional = EmployeeField.HOUSE_NUMBER_ADDITION
    missing = sorted(f for f, v in parts.items() if v is None and f is not optional)
    if missing:
        raise ValueError(f"the address has no current {', '.join(missing)}")
    addition = parts[EmployeeField.HOUSE_NUMBER_ADDITION]
    number = str(parts[EmployeeField.HOUSE_NUMBER])
    if EmployeeField.HOUSE_NUMBER in facts.changes:
        # A house number typed with its addition replaces the old addition as a whole.
        split = split_house_number(number)
        if EmployeeField.HOUSE_NUMBER_ADDITION not in facts.changes:
            addition = split.addition
        number = str(split.number)
    return Address(
        street=str(parts[EmployeeField.STREET]),
        house_number=number,
        postal_code=str(parts[EmployeeField.POSTAL_CODE]),
        city=str(parts[EmployeeField.CITY]),
        country=str(parts[EmployeeField.COUNTRY]),
        house_number_addition=None if addition is None else str(addition),
    )


def update_body(
    facts: EmployeeUpdateFacts, *, rows: CurrentRows | None = None, legacy: Legacy | None = None
) -> Body:
    """An update of an existing employee that sends only the changed fields (W20).

    Raises:
        ValueError: the update changes a payroll row without an effective date, ends a contract
            whose start is unknown, or changes part of an address whose rest is unknown.
    """
    rows = rows or CurrentRows()
    touched = set(facts.changes) | set(facts.cleared)
    objects: list[Body] = []
    person = _person_update(facts, touched, legacy)
    if person is not None:
        objects.append(person)
    objects.extend(_payroll_rows(facts, touched, rows, legacy))
    root: Body = {
        af.EMPLOYEE_CODE.field_id: facts.employee_id,
        "@Action": "update",
        "Objects": objects,
    }
    return envelope(af.EMPLOYEE_ROOT, root)


def _person_update(
    facts: EmployeeUpdateFacts, touched: set[EmployeeField], legacy: Legacy | None
) -> Body | None:
    person_fields = touched & _PERSON_FIELDS
    address_change = bool(touched & _ADDRESS_FIELDS)
    if not person_fields and not address_change:
        return None
    values: dict[str, object] = {
        af.PERSON_MATCH.field_id: str(int(af.MatchPer.BY_PERSON_ID)),
        af.PERSON_ID.field_id: facts.person_id,
    }
    clear: set[str] = set()
    for field in sorted(person_fields):
        ref = af.EMPLOYEE_FIELDS[field]
        values[ref.field_id] = facts.changes.get(field)
        if field in facts.cleared:
            clear.add(ref.field_id)
    objects = []
    if address_change:
        # A new address row from the effective date: AFAS keeps address history, and a whole
        # row is what it needs (a country with every address), not a partial overwrite.
        address = new_address(facts)
        begins = facts.effective_date
        if begins is None:
            raise ValueError("an address change needs the date it applies from")
        # An addition that goes away is emptied on purpose (the tool names it in `cleared`);
        # leaving it out would keep the old one.
        cleared = (
            frozenset({af.HOUSE_NUMBER_ADDITION.field_id})
            if EmployeeField.HOUSE_NUMBER_ADDITION in facts.cleared
            else frozenset()
        )
        row = address_element(address, begins=begins, action="insert", legacy=legacy, clear=cleared)
        objects.append(sub_object("KnBasicAddressAdr", row, as_list=False))
    person = element(
        af.PERSON_OBJECT,
        values,
        action="update",
        objects=objects,
        legacy=legacy,
        clear=frozenset(clear),
    )
    return sub_object(af.PERSON_OBJECT, person, as_list=False)


def _payroll_rows(
    facts: EmployeeUpdateFacts,
    touched: set[EmployeeField],
    rows: CurrentRows,
    legacy: Legacy | None,
) -> list[Body]:
    by_object: dict[str, set[EmployeeField]] = defaultdict(set)
    for field in touched:
        ref = af.EMPLOYEE_FIELDS[field]
        if ref.object_name in af.PAYROLL_OBJECTS:
            by_object[ref.object_name].add(field)
    if not by_object:
        return []
    start = facts.effective_date
    if start is None:
        raise ValueError("a payroll change needs the date it applies from")
    out: list[Body] = []
    for object_name in af.HIRE_SUB_OBJECTS:  # AFAS's order: contract first, salary last
        if object_name not in by_object:
            continue
        if object_name == "AfasContract":
            # Only the end date changes: update the contract in force, keyed by its start.
            if rows.contract_start is None:
                raise ValueError("the start of the contract in force is unknown")
            contract = {
                af.EMPLOYER.field_id: facts.employer_id,
                af.CONTRACT_END.field_id: _value(facts, EmployeeField.CONTRACT_END),
            }
            # An end the agent asked to remove goes as "" (W13: on purpose, never by omission).
            ends = (
                frozenset({af.CONTRACT_END.field_id})
                if EmployeeField.CONTRACT_END in facts.cleared
                else frozenset()
            )
            out.append(
                _dated(
                    object_name,
                    contract,
                    rows.contract_start,
                    action="update",
                    legacy=legacy,
                    clear=ends,
                )
            )
        elif object_name == "AfasOrgunitFunction":
            function = {
                af.ORG_UNIT.field_id: _value(facts, EmployeeField.ORG_UNIT),
                af.FUNCTION.field_id: _value(facts, EmployeeField.FUNCTION),
            }
            out.append(_dated(object_name, function, start, legacy=legacy))
        elif object_name == "AfasTimeTable":
            hours = {af.HOURS_PER_WEEK.field_id: _value(facts, EmployeeField.HOURS_PER_WEEK)}
            out.append(_dated(object_name, hours, start, legacy=legacy))
        else:
            salary: dict[str, Any] = {
                "SaPe": rows.salary_kind or FIXED_SALARY,
                af.SALARY.field_id: _value(facts, EmployeeField.SALARY),
                af.PERIOD_TABLE.field_id: facts.target_period_table_id,
            }
            out.append(_dated(object_name, salary, start, legacy=legacy))
    return out
