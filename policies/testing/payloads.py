"""Reference UpdateConnector bodies built from facts: each passes every check on the tenant.

They show the payload shape the policies expect (field ids from `policies.afas_fields`, values
through `policies.values`), and they are what tests start from before breaking one thing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date, time
from typing import Any

from policies import afas_fields as af
from policies.facts import (
    ActivityFacts,
    EmployeeField,
    EmployeeUpdateFacts,
    HireFacts,
    HoursFacts,
    JournalEntryFacts,
    LeaveFacts,
    PersonMatch,
    RelationFacts,
    RelationKind,
    RelationRole,
)
from policies.rules import packaged_rules
from policies.values import adapt_fields, split_house_number, to_afas_value


def _fields(
    object_name: str, fields: Mapping[str, object], *, clear: frozenset[str] = frozenset()
) -> dict[str, Any]:
    return adapt_fields(
        object_name, fields, legacy_formats=packaged_rules().legacy_formats, clear=clear
    )


def _element(
    object_name: str,
    fields: Mapping[str, object],
    *,
    clear: frozenset[str] = frozenset(),
    **keys: object,
) -> dict[str, Any]:
    element: dict[str, Any] = {f"@{key}": value for key, value in keys.items()}
    element["Fields"] = _fields(object_name, fields, clear=clear)
    return {object_name: {"Element": element}}


_MATCH_CODE = {
    PersonMatch.EXISTING_PERSON: af.MatchPer.BY_PERSON_ID,
    PersonMatch.BSN: af.MatchPer.BY_BSN,
    PersonMatch.ALWAYS_NEW: af.MatchPer.ALWAYS_NEW,
}


def hire_body(facts: HireFacts) -> dict[str, Any]:
    """A complete start-of-employment `KnEmployee` body (W19) for the hire."""
    start = facts.start_date.isoformat()
    person = _fields(
        af.PERSON_OBJECT,
        {
            "MatchPer": str(int(_MATCH_CODE[facts.person_match])),
            "BcCo": facts.person_id,
            "SoSe": facts.bsn,
            "AutoNum": facts.person_match is not PersonMatch.EXISTING_PERSON,
            "FiNm": facts.first_name,
            "In": facts.initials,
            "Is": facts.name_prefix,
            "LaNm": facts.last_name,
            "SpNm": False,
            "ViGe": facts.gender,
            "DaBi": facts.birth_date,
            "EmAd": facts.email,
        },
    )
    person_element: dict[str, Any] = {"Fields": person}
    if facts.address is not None:
        number = split_house_number(facts.address.house_number)
        person_element["Objects"] = [
            _element(
                "KnBasicAddressAdr",
                {
                    "Ad": facts.address.street,
                    "HmNr": number.number,
                    "HmAd": number.addition or facts.address.house_number_addition,
                    "ZpCd": facts.address.postal_code,
                    "Rs": facts.address.city,
                    "CoId": facts.address.country,
                    "BeginDate": facts.start_date,
                },
            )
        ]
    contract = {
        "CmId": facts.employer_id,
        "ApCo": "O" if facts.contract_end is None else "B",
        "ClId": "basis",
        "WcId": "basis",
        "EmMt": "1",
        "ViEt": "V",
        "WrCt": True,
        "DaEn": facts.contract_end,
    }
    fiscal = {"ViIn": "15", "ViLk": "1", "ViZv": "K", "YnZW": "1", "YnWW": "1", "YWAO": "1"}
    root: dict[str, Any] = {"@Action": "insert", "@CalculateBalance": True}
    if facts.employee_id:
        root["@EmId"] = facts.employee_id
    root["Fields"] = {"ViSe": "I", "LgId": "001"}
    root["Objects"] = [
        {af.PERSON_OBJECT: {"Element": person_element}},
        _element("AfasContract", contract, Action="insert", DaBe=start),
        _element(
            "AfasOrgunitFunction",
            {"DpId": facts.org_unit, "FuId": facts.function_id},
            Action="insert",
            DaBe=start,
        ),
        _element("AfasTimeTable", {"HrWk": facts.hours_per_week}, Action="insert", DaBg=start),
        _element(
            "AfasSalary",
            {"SaPe": "V", "EmSa": facts.salary, "PtId": facts.period_table_id, "TtPy": False},
            Action="insert",
            DaBe=start,
        ),
        _element("AfasAgencyFiscus", fiscal, Action="insert", DaBe=start, AyId="F"),
    ]
    return {af.EMPLOYEE_ROOT: {"Element": root}}


def _update_value(field: EmployeeField, value: object) -> object:
    if field is EmployeeField.HOUSE_NUMBER:
        return split_house_number(str(value)).number
    return value


def update_body(facts: EmployeeUpdateFacts) -> dict[str, Any]:
    """A `KnEmployee` update: person and address fields in place, payroll rows as new rows."""
    by_object: dict[str, dict[str, object]] = defaultdict(dict)
    clear: dict[str, set[str]] = defaultdict(set)
    for field, value in facts.changes.items():
        ref = af.EMPLOYEE_FIELDS[field]
        by_object[ref.object_name][ref.field_id] = _update_value(field, value)
    if EmployeeField.HOUSE_NUMBER in facts.changes:
        addition = split_house_number(str(facts.changes[EmployeeField.HOUSE_NUMBER])).addition
        if addition is not None:
            by_object[af.HOUSE_NUMBER_ADDITION.object_name][af.HOUSE_NUMBER_ADDITION.field_id] = (
                addition
            )
    for field in facts.cleared:
        ref = af.EMPLOYEE_FIELDS[field]
        by_object[ref.object_name][ref.field_id] = ""
        clear[ref.object_name].add(ref.field_id)
    objects: list[dict[str, Any]] = []
    person_fields = by_object.pop(af.PERSON_OBJECT, {})
    address_fields = by_object.pop("KnBasicAddressAdr", {})
    if person_fields or address_fields:
        person: dict[str, Any] = {
            "@Action": "update",
            "Fields": {"MatchPer": "0", "BcCo": facts.person_id}
            | _fields(af.PERSON_OBJECT, person_fields, clear=frozenset(clear[af.PERSON_OBJECT])),
        }
        if address_fields:
            address = _fields(
                "KnBasicAddressAdr", address_fields, clear=frozenset(clear["KnBasicAddressAdr"])
            )
            person["Objects"] = [{"KnBasicAddressAdr": {"Element": {"Fields": address}}}]
        objects.append({af.PERSON_OBJECT: {"Element": person}})
    start = None if facts.effective_date is None else facts.effective_date.isoformat()
    for object_name, fields in by_object.items():
        if object_name == af.EMPLOYER.object_name:
            fields = {af.EMPLOYER.field_id: facts.employer_id, **fields}
        if object_name == af.PERIOD_TABLE.object_name:
            fields = {"SaPe": "V", af.PERIOD_TABLE.field_id: facts.target_period_table_id, **fields}
        key = af.HIRE_SUB_OBJECTS[object_name].lstrip("@")
        cleared = frozenset(clear[object_name])
        objects.append(
            _element(object_name, fields, clear=cleared, Action="insert", **{key: start})
        )
    root = {"@Action": "update", "@EmId": facts.employee_id, "Objects": objects}
    return {af.EMPLOYEE_ROOT: {"Element": root}}


def journal_body(
    facts: JournalEntryFacts, *, year: int | None = None, period: int | None = None
) -> dict[str, Any]:
    """A `FiEntries` body; year and period default to the entry date's (monthly periods)."""
    lines = []
    for line in facts.lines:
        element: dict[str, Any] = {
            "Fields": _fields(
                af.JOURNAL_LINES,
                {
                    "VaAs": af.ACCOUNT_KIND_CODE[line.account_kind],
                    "AcNr": line.account,
                    "EnDa": facts.entry_date,
                    "AmDe": line.debit,
                    "AmCr": line.credit,
                    "VaId": line.vat_code,
                    "Ds": line.description,
                },
            )
        }
        extra = []
        if line.cost_centre:
            extra.append(_element(af.LINE_ALLOCATION, {"DiC1": line.cost_centre}))
        if line.project_id:
            project = {"PrId": line.project_id, "ItCd": line.project_item}
            extra.append(_element("FiPrjEntries", project))
        if extra:
            element["Objects"] = extra
        lines.append(element)
    header = {
        "Year": str(year or facts.entry_date.year),
        "Peri": str(period or facts.entry_date.month),
        "UnId": str(facts.administration_id),
        "JoCo": facts.journal_id,
    }
    return {
        af.JOURNAL_ROOT: {
            "Element": {"Fields": header, "Objects": [{af.JOURNAL_LINES: {"Element": lines}}]}
        }
    }


def relation_body(facts: RelationFacts) -> dict[str, Any]:
    """A `KnSalesRelation*` or `KnPurchaseRelation*` insert for a new debtor or creditor."""
    connector = af.RELATION_CONNECTOR[(facts.role, facts.kind)]
    sub_objects: list[dict[str, Any]] = []
    if facts.address is not None:
        number = split_house_number(facts.address.house_number)
        address = {
            "Ad": facts.address.street,
            "HmNr": number.number,
            "HmAd": number.addition or facts.address.house_number_addition,
            "ZpCd": facts.address.postal_code,
            "Rs": facts.address.city,
            "CoId": facts.address.country,
            "PbAd": False,
        }
        sub_objects.append(_element("KnBasicAddressAdr", address))
    if facts.iban is not None:
        bank = {"CoId": facts.iban[:2], "Iban": facts.iban, "IbCk": True}
        sub_objects.append(_element(af.IBAN.object_name, bank))
    if facts.kind is RelationKind.ORGANISATION:
        # MatchOga 6 inserts a new organisation; the duplicate policy stands in for matching.
        party_name = af.ORGANISATION_OBJECT
        party = {
            "MatchOga": "6",
            "AutoNum": True,
            "PadAdr": True,
            "Nm": facts.name,
            "CcNr": facts.kvk_number,
            "EmAd": facts.email,
        }
    else:
        party_name = af.PERSON_OBJECT
        party = {
            "MatchPer": "7",
            "AutoNum": True,
            "PadAdr": True,
            "FiNm": facts.first_name,
            "In": facts.initials,
            "Is": facts.name_prefix,
            "LaNm": facts.last_name,
            "SpNm": False,
            "EmAd": facts.email,
        }
    party_element: dict[str, Any] = {"Fields": _fields(party_name, party)}
    if sub_objects:
        party_element["Objects"] = sub_objects
    flag = "IsDb" if facts.role is RelationRole.DEBTOR else "IsCr"
    own = _fields(connector, {"CuId": "EUR", flag: True, "VaId": facts.vat_number})
    element = {"Fields": own, "Objects": [{party_name: {"Element": party_element}}]}
    return {connector: {"Element": element}}


def hours_body(facts: HoursFacts) -> dict[str, Any]:
    """A one-row `PtRealization` insert."""
    row = {
        "DaTi": facts.work_date,
        "VaIt": "1",
        "ItCd": facts.work_type,
        "Qu": facts.hours,
        "EmId": facts.employee_id,
        "PrId": facts.project_id,
        "Ds": facts.description,
    }
    return {af.HOURS_ROOT: {"Element": {"Fields": _fields(af.HOURS_ROOT, row)}}}


def _moment(day: date, at: time | None) -> str:
    return f"{day.isoformat()}T{(at or time(0)).isoformat(timespec='seconds')}"


def leave_body(facts: LeaveFacts) -> dict[str, Any]:
    """An `HrAbsence` insert: whole days from midnight, or part of one day between its times."""
    row = {
        "EmId": facts.employee_id,
        "ViAt": facts.leave_type,
        "DaBe": _moment(facts.start, facts.from_time),
        "DaEn": _moment(facts.end, facts.until_time),
        "LeDt": facts.partial,
        "Re": facts.reason,
    }
    return {af.LEAVE_ROOT: {"Element": {"Fields": _fields(af.LEAVE_ROOT, row)}}}


def activity_body(facts: ActivityFacts) -> dict[str, Any]:
    """A `KnSubject` insert linked to one organisation or person."""
    subject = {
        "StId": facts.subject_type,
        "Ds": facts.subject,
        "SbTx": facts.text,
        "Da": to_afas_value(facts.activity_date),
    }
    link = _element("KnSubjectLink", {"ToBC": True, "BcId": facts.relation_id})
    element = {"Fields": _fields(af.SUBJECT_ROOT, subject), "Objects": [link]}
    return {af.SUBJECT_ROOT: {"Element": element}}
