"""Facts and intents that pass every check on the sample tenant, and ways to break them.

Each `*_facts(**changes)` returns sample facts with fields replaced; each `*_intent(facts, body=,
**fields)` wraps facts in a `WriteIntent` with the reference body (or the body given). The body
editors return a changed deep copy, so a test breaks exactly one thing:

    intent = hire_intent(body=with_field(hire_body(hire_facts()), "AfasContract", "CmId", "07"))
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any, cast

from policies import afas_fields as af
from policies.envelope import find_elements
from policies.facts import (
    AccountKind,
    ActivityFacts,
    Address,
    EmployeeField,
    EmployeeUpdateFacts,
    HireFacts,
    HoursFacts,
    JournalEntryFacts,
    JournalLine,
    LeaveFacts,
    PersonMatch,
    RelationFacts,
    RelationKind,
    RelationRole,
    WriteTool,
)
from policies.model import WriteIntent
from policies.testing import payloads
from policies.testing.tenant import MONTHLY

ADDRESS = Address("Raadhuislaan", "12A", "3833 LC", "Leusden")


def hire_facts(**changes: Any) -> HireFacts:
    """A hire at employer 01 (monthly) from 2026-04-01, an open period, matched by BSN."""
    facts = HireFacts(
        employer_id="01",
        start_date=date(2026, 4, 1),
        period_table_id=MONTHLY,
        period_table_code="MAAND",
        function_id="MEDLERA",
        org_unit="ADM",
        person_match=PersonMatch.BSN,
        first_name="Jan",
        last_name="Jansen",
        birth_date=date(1985, 12, 15),
        gender="M",
        hours_per_week=Decimal("32"),
        salary=Decimal("3500.00"),
        bsn="111222333",
        initials="J.",
        address=ADDRESS,
        email="jan.jansen@example.com",
    )
    return dataclasses.replace(facts, **changes)


def update_facts(**changes: Any) -> EmployeeUpdateFacts:
    """A new e-mail address and salary for employee 1000123 (employer 01) from 2026-04-01."""
    facts = EmployeeUpdateFacts(
        employee_id="1000123",
        employer_id="01",
        person_id="1000551",
        changes={
            EmployeeField.EMAIL: "j.jansen@example.com",
            EmployeeField.SALARY: Decimal("3600"),
        },
        current={EmployeeField.EMAIL: "jan@example.com", EmployeeField.SALARY: Decimal("3500")},
        effective_date=date(2026, 4, 1),
        period_table_id=MONTHLY,
    )
    return dataclasses.replace(facts, **changes)


def current_values_for(facts: EmployeeUpdateFacts) -> dict[str, object]:
    """`PolicyContext.current_values` for an update, from the facts' `current` (AFAS paths)."""
    return {af.EMPLOYEE_FIELDS[field].path: value for field, value in facts.current.items()}


def journal_facts(**changes: Any) -> JournalEntryFacts:
    """A sale of 1,000 + 21% VAT paid to the bank, administration 1, journal 20, 2026-03-05."""
    facts = JournalEntryFacts(
        administration_id=1,
        journal_id="20",
        entry_date=date(2026, 3, 5),
        lines=(
            JournalLine(AccountKind.LEDGER, "1100", debit=Decimal("1210.00")),
            JournalLine(AccountKind.LEDGER, "8000", credit=Decimal("1000.00"), vat_code="1"),
            JournalLine(AccountKind.LEDGER, "1500", credit=Decimal("210.00")),
        ),
        description="Verkoop maart",
    )
    return dataclasses.replace(facts, **changes)


def relation_facts(**changes: Any) -> RelationFacts:
    """A new organisation debtor with IBAN and KvK number."""
    facts = RelationFacts(
        role=RelationRole.DEBTOR,
        kind=RelationKind.ORGANISATION,
        name="Jansen Personeel B.V.",
        country="NL",
        address=Address("Haarlemseweg", "105", "3833 LC", "Leusden"),
        iban="NL91ABNA0417164300",
        kvk_number="93056589",
    )
    return dataclasses.replace(facts, **changes)


def person_relation_facts(**changes: Any) -> RelationFacts:
    """A new person debtor, her name in parts as AFAS stores it: Anna (A.) van der Berg."""
    facts = RelationFacts(
        role=RelationRole.DEBTOR,
        kind=RelationKind.PERSON,
        name="Anna van der Berg",
        country="NL",
        address=Address("Dorpsstraat", "7", "3833 LC", "Leusden"),
        iban="NL91ABNA0417164300",
        first_name="Anna",
        initials="A.",
        name_prefix="van der",
        last_name="Berg",
    )
    return dataclasses.replace(facts, **changes)


def hours_facts(**changes: Any) -> HoursFacts:
    """Eight hours of work type 300 on project P100 by employee 1000123, yesterday."""
    facts = HoursFacts(
        employee_id="1000123",
        project_id="P100",
        work_date=date(2026, 3, 9),
        hours=Decimal("8"),
        work_type="300",
    )
    return dataclasses.replace(facts, **changes)


def leave_facts(**changes: Any) -> LeaveFacts:
    """A week of holiday (V) for employee 1000123."""
    facts = LeaveFacts(
        employee_id="1000123", leave_type="V", start=date(2026, 4, 6), end=date(2026, 4, 10)
    )
    return dataclasses.replace(facts, **changes)


def activity_facts(**changes: Any) -> ActivityFacts:
    """A note on organisation 1000348."""
    facts = ActivityFacts(
        relation_id="1000348",
        subject="Telefoongesprek",
        text="Offerte besproken",
        subject_type="1",
        activity_date=date(2026, 3, 10),
    )
    return dataclasses.replace(facts, **changes)


def _intent(
    tool: WriteTool, connector: str, action: str, facts: object, body: Any, **fields: Any
) -> WriteIntent:
    values: dict[str, Any] = {
        "tool": tool.value,  # tools pass plain names
        "connector": connector,
        "action": action,
        "body": body,
        "facts": facts,
        "requester": "agent@test",
    }
    values.update(fields)
    return WriteIntent(**values)


def hire_intent(facts: HireFacts | None = None, *, body: Any = None, **fields: Any) -> WriteIntent:
    """An `onboard_employee` intent."""
    facts = facts or hire_facts()
    body = payloads.hire_body(facts) if body is None else body
    return _intent(WriteTool.ONBOARD_EMPLOYEE, "KnEmployee", "insert", facts, body, **fields)


def update_intent(
    facts: EmployeeUpdateFacts | None = None, *, body: Any = None, **fields: Any
) -> WriteIntent:
    """An `update_employee` intent targeting the facts' employee."""
    facts = facts or update_facts()
    body = payloads.update_body(facts) if body is None else body
    fields.setdefault("target", {"EmId": facts.employee_id})
    return _intent(WriteTool.UPDATE_EMPLOYEE, "KnEmployee", "update", facts, body, **fields)


def journal_intent(
    facts: JournalEntryFacts | None = None, *, body: Any = None, **fields: Any
) -> WriteIntent:
    """A `post_journal_entry` intent."""
    facts = facts or journal_facts()
    body = payloads.journal_body(facts) if body is None else body
    return _intent(WriteTool.POST_JOURNAL_ENTRY, "FiEntries", "insert", facts, body, **fields)


def relation_intent(
    facts: RelationFacts | None = None, *, body: Any = None, **fields: Any
) -> WriteIntent:
    """A `create_debtor` or `create_creditor` intent, after the facts' role."""
    facts = facts or relation_facts()
    body = payloads.relation_body(facts) if body is None else body
    tool = (
        WriteTool.CREATE_DEBTOR if facts.role is RelationRole.DEBTOR else WriteTool.CREATE_CREDITOR
    )
    connector = af.RELATION_CONNECTOR[(facts.role, facts.kind)]
    return _intent(tool, connector, "insert", facts, body, **fields)


def hours_intent(
    facts: HoursFacts | None = None, *, body: Any = None, **fields: Any
) -> WriteIntent:
    """A `register_hours` intent."""
    facts = facts or hours_facts()
    body = payloads.hours_body(facts) if body is None else body
    return _intent(WriteTool.REGISTER_HOURS, "PtRealization", "insert", facts, body, **fields)


def leave_intent(
    facts: LeaveFacts | None = None, *, body: Any = None, **fields: Any
) -> WriteIntent:
    """A `submit_leave_request` intent."""
    facts = facts or leave_facts()
    body = payloads.leave_body(facts) if body is None else body
    return _intent(WriteTool.SUBMIT_LEAVE_REQUEST, "HrAbsence", "insert", facts, body, **fields)


def activity_intent(
    facts: ActivityFacts | None = None, *, body: Any = None, **fields: Any
) -> WriteIntent:
    """A `log_activity` intent."""
    facts = facts or activity_facts()
    body = payloads.activity_body(facts) if body is None else body
    return _intent(WriteTool.LOG_ACTIVITY, "KnSubject", "insert", facts, body, **fields)


def with_field(
    body: Mapping[str, Any], object_name: str, field_id: str, value: Any, *, index: int = 0
) -> dict[str, Any]:
    """A copy of the body with one field set (an `@` key on the element, else in `Fields`)."""
    changed: dict[str, Any] = copy.deepcopy(dict(body))
    # A deep copy of a JSON body is made of dicts, so the view's raw element can be changed.
    raw = cast(dict[str, Any], find_elements(changed, object_name)[index].raw)
    if field_id.startswith("@"):
        raw[field_id] = value
    else:
        raw.setdefault("Fields", {})[field_id] = value
    return changed


def without_field(body: Mapping[str, Any], object_name: str, field_id: str) -> dict[str, Any]:
    """A copy of the body with a field removed from every element of the object."""
    changed: dict[str, Any] = copy.deepcopy(dict(body))
    for element in find_elements(changed, object_name):
        raw = cast(dict[str, Any], element.raw)
        raw.pop(field_id, None)
        raw.get("Fields", {}).pop(field_id, None)
    return changed


def without_object(body: Mapping[str, Any], object_name: str) -> dict[str, Any]:
    """A copy of the body with every occurrence of a sub-object removed."""
    changed: dict[str, Any] = copy.deepcopy(dict(body))
    _drop(changed, object_name)
    return changed


def _drop(node: Any, object_name: str) -> None:
    if isinstance(node, dict):
        objects = node.get("Objects")
        if isinstance(objects, dict):
            objects.pop(object_name, None)
        elif isinstance(objects, list):
            objects[:] = [entry for entry in objects if object_name not in entry]
        for value in node.values():
            _drop(value, object_name)
    elif isinstance(node, list):
        for value in node:
            _drop(value, object_name)
