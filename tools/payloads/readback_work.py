"""What must read back after a journal entry, a new relation, hours or a dossier item.

- Journal entry: every line in `Profit_Transactions` (by administration and entry number; after a
  lost answer by the voucher number the product stamped on every line, which also gives back the
  entry number), compared as an unordered
  set of account, debit, credit, VAT code and date. A debtor or creditor line shows its
  collective account there, not the relation's number, so those lines are compared by amounts.
- Debtor / creditor: `Profit_Debtor` / `Profit_Creditor` by number; name (a person's by its
  words, in any order), IBAN, KvK number.
- Hours: `Profit_Realization` by line number; after a lost answer by employee, project, day and
  work type (an identical row booked earlier makes that ambiguous, and the write stays unknown
  rather than being taken for applied).
- Dossier item: `Profit_Subjects` by id; after a lost answer by relation, subject and date.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from policies import afas_fields as af
from policies.envelope import find_element, find_elements
from policies.facts import (
    AccountKind,
    ActivityFacts,
    HoursFacts,
    JournalEntryFacts,
    RelationFacts,
    RelationKind,
    RelationRole,
)
from policies.values import normalise_iban
from server.writes.kinds import DisplayName, Expectation
from tools.payloads.relation import CURRENCY

# --- post_journal_entry --------------------------------------------------------------------------


def _header(body: Mapping[str, Any]) -> tuple[int, int, str]:
    """Year, period and the voucher number the body carries."""
    header = find_element(body, af.JOURNAL_ROOT)
    lines = find_elements(body, af.JOURNAL_LINES)
    if header is None or not lines:
        raise ValueError("the body has no FiEntryPar header or no lines")
    year = int(str(header.get(af.JOURNAL_YEAR.field_id)))
    period = int(str(header.get(af.JOURNAL_PERIOD.field_id)))
    return year, period, str(lines[0].get("BpNr"))


def _journal_rows(facts: JournalEntryFacts, voucher: str) -> tuple[Mapping[str, Any], ...]:
    rows = []
    for line in facts.lines:
        row: dict[str, Any] = {
            "AmtDebit": line.debit,
            "AmtCredit": line.credit,
            "VatCode": line.vat_code,
            "Description": line.description or facts.description,
            "EntryDate": facts.entry_date,
            "VoucherNo": voucher,
        }
        if line.account_kind is AccountKind.LEDGER:
            row["AccountNo"] = line.account
        rows.append(row)
    return tuple(rows)


def journal_expectations(
    facts: JournalEntryFacts, body: Mapping[str, Any], afas_keys: Mapping[str, str]
) -> Sequence[Expectation]:
    """Every line of the entry, in any order, and no other line under its entry number."""
    entry_no = afas_keys.get("EnNo")
    if not entry_no:
        return journal_locate(facts, body)
    year, period, voucher = _header(body)
    return (
        Expectation(
            label="journal entry",
            connector="transactions",
            match={"UnitId": facts.administration_id, "EntryNo": int(entry_no)},
            rows=tuple(
                {**row, "Year": year, "Period": period, "JournalId": facts.journal_id}
                for row in _journal_rows(facts, voucher)
            ),
        ),
    )


def journal_locate(facts: JournalEntryFacts, body: Mapping[str, Any]) -> Sequence[Expectation]:
    """The entry's lines by the voucher number the product stamped on each of them."""
    _year, _period, voucher = _header(body)
    return (
        Expectation(
            label="journal entry",
            connector="transactions",
            match={
                "UnitId": facts.administration_id,
                "JournalId": facts.journal_id,
                "VoucherNo": voucher,
            },
            rows=_journal_rows(facts, voucher),
            # Every line of one entry carries its number; two entries with this voucher would
            # carry two numbers, and the write stays unknown rather than being taken for either.
            keys={"UnId": "UnitId", "EnNo": "EntryNo"},
        ),
    )


def describe_journal(facts: JournalEntryFacts) -> str:
    """One sentence for the agent and the approver."""
    return (
        f"Post a {len(facts.lines)}-line entry of {facts.total_debit} in journal "
        f"{facts.journal_id} of administration {facts.administration_id} on {facts.entry_date}."
    )


# --- create_debtor / create_creditor -----------------------------------------------------------

# (connector, id field, name field, VAT number field, answer key) per role.
_RELATION_READ: Mapping[RelationRole, tuple[str, str, str, str, str]] = {
    RelationRole.DEBTOR: ("debtors", "DebtorId", "DebtorName", "VatNr", "DbId"),
    RelationRole.CREDITOR: ("creditors", "CreditorId", "CreditorName", "Btw-nummer", "CrId"),
}


def _relation_fields(facts: RelationFacts) -> dict[str, Any]:
    _c, _id, name_field, vat_field, _key = _RELATION_READ[facts.role]
    # AFAS builds a person's shown name from its parts, in an order the environment may set.
    person = facts.kind is RelationKind.PERSON
    fields: dict[str, Any] = {
        name_field: DisplayName(facts.name) if person else facts.name,
        "IBAN": normalise_iban(facts.iban) if facts.iban else None,
        "ChOfCommNr": facts.kvk_number,
        vat_field: facts.vat_number,
        "Email": facts.email,
    }
    if facts.role is RelationRole.DEBTOR:
        fields["CurrencyId"] = CURRENCY
    return fields


def relation_expectations(
    facts: RelationFacts, body: Mapping[str, Any], afas_keys: Mapping[str, str]
) -> Sequence[Expectation]:
    """The new debtor or creditor as its connector must show it."""
    connector, id_field, _name, _vat, key = _RELATION_READ[facts.role]
    number = afas_keys.get(key)
    if not number:
        return relation_locate(facts, body)
    fields = _relation_fields(facts)
    if afas_keys.get("BcCo"):
        fields["BcCo"] = afas_keys["BcCo"]
    return (
        Expectation(
            label=str(facts.role), connector=connector, match={id_field: number}, fields=fields
        ),
    )


def relation_locate(facts: RelationFacts, body: Mapping[str, Any]) -> Sequence[Expectation]:
    """The relation by its name and, where given, its IBAN and KvK number."""
    connector, id_field, name_field, _vat, key = _RELATION_READ[facts.role]
    fields = _relation_fields(facts)
    match = {name_field: fields.pop(name_field)}
    for identifier in ("IBAN", "ChOfCommNr"):
        if fields.get(identifier):
            match[identifier] = fields.pop(identifier)
    return (
        Expectation(
            label=str(facts.role),
            connector=connector,
            match=match,
            fields=fields,
            keys={key: id_field, "BcCo": "BcCo"},
        ),
    )


def describe_relation(facts: RelationFacts) -> str:
    """One sentence for the agent and the approver; the IBAN shows its last four only."""
    extras = []
    if facts.kvk_number:
        extras.append(f"KvK {facts.kvk_number}")
    if facts.iban:
        extras.append(f"IBAN ending {normalise_iban(facts.iban)[-4:]}")
    shown = f" ({', '.join(extras)})" if extras else ""
    return f"Create {facts.kind} {facts.role} {facts.name!r}{shown}."


# --- register_hours ------------------------------------------------------------------------------


def _hours_fields(facts: HoursFacts) -> dict[str, Any]:
    return {
        "EmployeeId": facts.employee_id,
        "ProjectId": facts.project_id,
        "DateTime": facts.work_date,
        "ItemType": "1",
        "ItemCodeId": facts.work_type,
        "QuantityUnit": Decimal(facts.hours),
        "Description": facts.description,
    }


def hours_expectations(
    facts: HoursFacts, body: Mapping[str, Any], afas_keys: Mapping[str, str]
) -> Sequence[Expectation]:
    """The hours row as `Profit_Realization` must show it."""
    line = afas_keys.get("Id")
    if not line:
        return hours_locate(facts, body)
    return (
        Expectation(
            label="hours",
            connector="realizations",
            match={"Identity": int(line)},
            fields=_hours_fields(facts),
        ),
    )


def hours_locate(facts: HoursFacts, body: Mapping[str, Any]) -> Sequence[Expectation]:
    """The row by employee, project, day and work type."""
    fields = _hours_fields(facts)
    match = {name: fields.pop(name) for name in ("EmployeeId", "ProjectId", "DateTime")}
    match["ItemCodeId"] = fields.pop("ItemCodeId")
    return (
        Expectation(
            label="hours",
            connector="realizations",
            match=match,
            fields=fields,
            keys={"Id": "Identity"},
        ),
    )


def describe_hours(facts: HoursFacts) -> str:
    """One sentence for the agent and the approver."""
    return (
        f"Register {facts.hours} hours of work type {facts.work_type} for employee "
        f"{facts.employee_id} on project {facts.project_id} on {facts.work_date}."
    )


# --- log_activity --------------------------------------------------------------------------------


def _subject_fields(facts: ActivityFacts) -> dict[str, Any]:
    return {
        "TypeId": int(facts.subject_type),
        "Subject": facts.subject,
        "Comment": facts.text or None,
        "OrgPersId": facts.relation_id,
        "DateCreated": facts.activity_date,
    }


def activity_expectations(
    facts: ActivityFacts, body: Mapping[str, Any], afas_keys: Mapping[str, str]
) -> Sequence[Expectation]:
    """The dossier item as `Profit_Subjects` must show it."""
    item = afas_keys.get("SbId")
    if not item:
        return activity_locate(facts, body)
    return (
        Expectation(
            label="dossier item",
            connector="subjects",
            match={"SubjectId": int(item)},
            fields=_subject_fields(facts),
        ),
    )


def activity_locate(facts: ActivityFacts, body: Mapping[str, Any]) -> Sequence[Expectation]:
    """The item by relation, subject, type and date."""
    fields = _subject_fields(facts)
    match = {name: fields.pop(name) for name in ("OrgPersId", "Subject", "TypeId", "DateCreated")}
    return (
        Expectation(
            label="dossier item",
            connector="subjects",
            match=match,
            fields=fields,
            keys={"SbId": "SubjectId"},
        ),
    )


def describe_activity(facts: ActivityFacts) -> str:
    """One sentence for the agent and the approver."""
    return (
        f"Log {facts.subject!r} in the dossier of relation {facts.relation_id} on "
        f"{facts.activity_date}."
    )
