"""The write kinds as pure functions: what must read back, how a lost write is found, one sentence.

And the builders' own promises: the same request always gets the same reference (so a repeat has
the same digest), an update's body follows from the facts alone, and every body passes the
policies on the sample tenant.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from decimal import Decimal

import pytest

from policies.facts import (
    FACTS_TYPE,
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
from policies.model import Outcome, WriteIntent
from policies.registry import check_all
from policies.testing.tenant import tenant_context
from policies.values import AMSTERDAM
from server.writes.diff import same
from server.writes.kinds import DisplayName, kinds_by_tool
from tools import write_kinds
from tools.payloads import readback_hr, readback_work
from tools.payloads._elements import reference
from tools.payloads.employee import CurrentRows, hire_body, update_body
from tools.payloads.journal import journal_body
from tools.payloads.leave import leave_body

START = date(2026, 4, 1)
ADDRESS = Address("Dorpsstraat", "12A", "1234 AB", "Leusden")


def a_hire(**overrides: object) -> HireFacts:
    fields: dict[str, object] = {
        "employer_id": "01",
        "start_date": START,
        "period_table_id": 5,
        "period_table_code": "MAAND",
        "function_id": "MEDLERA",
        "org_unit": "FIN",
        "person_match": PersonMatch.BSN,
        "first_name": "Jan",
        "last_name": "Jansen",
        "birth_date": date(1990, 1, 2),
        "gender": "M",
        "hours_per_week": Decimal("38"),
        "salary": Decimal("3500.00"),
        "bsn": "111222333",
        "address": ADDRESS,
    }
    return HireFacts(**(fields | overrides))  # type: ignore[arg-type]


ENTRY = JournalEntryFacts(
    1,
    "10",
    date(2026, 3, 5),
    (
        JournalLine(AccountKind.DEBTOR, "10001", debit=Decimal("121")),
        JournalLine(AccountKind.LEDGER, "8000", credit=Decimal("100"), vat_code="1"),
        JournalLine(AccountKind.LEDGER, "1500", credit=Decimal("21")),
    ),
    description="Factuur 42",
)


def test_every_write_tool_has_one_kind_with_the_facts_type_the_policies_expect() -> None:
    kinds = kinds_by_tool(write_kinds())
    assert set(kinds) == {str(tool) for tool in WriteTool}
    for tool, facts_type in FACTS_TYPE.items():
        assert kinds[str(tool)].facts_type is facts_type


def test_a_hire_reads_back_employer_period_table_start_function_address_and_name() -> None:
    facts = a_hire()
    employee, contract, salary = readback_hr.hire_expectations(
        facts, hire_body(facts), {"EmId": "7"}
    )
    assert employee.match == {"EmployeeId": "7"}
    assert employee.fields["EmployerId"] == "01" and employee.fields["PeriodTableId"] == 5
    assert employee.fields["EmploymentStart"] == START
    assert employee.fields["FunctionId"] == "MEDLERA"
    assert (employee.fields["HouseNumber"], employee.fields["AddNumber"]) == (12, "A")
    assert (employee.fields["FirstName"], employee.fields["BirthName"]) == ("Jan", "Jansen")
    assert contract.match == {"EmployeeId": "7", "DateStart": START}
    assert contract.fields == {"EmployerId": "01", "DateEnd": None}
    assert salary.fields == {"PeriodTableId": 5, "Salary": Decimal("3500.00"), "SalaryKind": "V"}


@pytest.mark.parametrize(
    ("facts", "matched_on"),
    [
        (a_hire(), {"BSN": "111222333"}),
        (
            a_hire(person_match=PersonMatch.EXISTING_PERSON, person_id="1000551", bsn=None),
            {"PersonId": "1000551"},
        ),
        (
            a_hire(person_match=PersonMatch.ALWAYS_NEW, bsn=None),
            {"BirthName": "Jansen", "DateOfBirth": date(1990, 1, 2)},
        ),
    ],
)
def test_a_lost_hire_is_found_by_what_its_person_was_matched_on(
    facts: HireFacts, matched_on: dict[str, object]
) -> None:
    (located,) = readback_hr.hire_locate(facts, hire_body(facts))
    assert located.match == {"EmployerId": "01", "EmploymentStart": START} | matched_on
    assert located.keys == {"EmId": "EmployeeId"}
    assert not set(located.match) & set(located.fields)


def test_a_hire_without_an_answer_is_read_back_by_locating_it() -> None:
    facts = a_hire()
    assert readback_hr.hire_expectations(facts, hire_body(facts), {}) == readback_hr.hire_locate(
        facts, hire_body(facts)
    )


def test_journal_lines_read_back_as_a_set_and_debtor_lines_without_their_account() -> None:
    body = journal_body(ENTRY, year=2026, period=3, voucher=reference(ENTRY))
    (lines,) = readback_work.journal_expectations(ENTRY, body, {"EnNo": "48"})
    assert lines.match == {"UnitId": 1, "EntryNo": 48}
    assert lines.rows is not None and len(lines.rows) == 3
    debtor, turnover, _vat = lines.rows
    assert "AccountNo" not in debtor  # Profit_Transactions shows the collective account there
    assert turnover["AccountNo"] == "8000" and turnover["VatCode"] == "1"
    assert {row["VoucherNo"] for row in lines.rows} == {reference(ENTRY)}
    assert {(row["Year"], row["Period"], row["JournalId"]) for row in lines.rows} == {
        (2026, 3, "10")
    }
    (located,) = readback_work.journal_locate(ENTRY, body)
    assert located.match == {"UnitId": 1, "JournalId": "10", "VoucherNo": reference(ENTRY)}
    assert located.keys == {"UnId": "UnitId", "EnNo": "EntryNo"}


def test_the_same_request_gets_the_same_reference_and_another_one_another() -> None:
    again = JournalEntryFacts(1, "10", date(2026, 3, 5), ENTRY.lines, description="Factuur 42")
    other = JournalEntryFacts(1, "10", date(2026, 3, 6), ENTRY.lines, description="Factuur 42")
    assert reference(ENTRY) == reference(again) != reference(other)
    assert len(reference(ENTRY)) <= 32  # BpNr holds 32 characters


def test_an_update_reads_back_what_changed_and_is_located_by_its_new_values() -> None:
    facts = EmployeeUpdateFacts(
        employee_id="1000123",
        employer_id="01",
        changes={EmployeeField.EMAIL: "nieuw@example.nl", EmployeeField.SALARY: Decimal("3600")},
        person_id="1000551",
        current={EmployeeField.EMAIL: "oud@example.nl", EmployeeField.SALARY: Decimal("3500")},
        effective_date=START,
        period_table_id=5,
    )
    body = update_body(facts, rows=CurrentRows(salary_kind="V"))
    employee, salary = readback_hr.update_expectations(facts, body, {})
    assert employee.fields == {"Mail": "nieuw@example.nl"}
    assert salary.match == {"EmployeeId": "1000123", "DateStart": START}
    assert salary.fields == {"PeriodTableId": 5, "Salary": Decimal("3600")}
    located = readback_hr.update_locate(facts, body)
    assert located[0].match == {"EmployeeId": "1000123", "Mail": "nieuw@example.nl"}


def test_leave_reads_back_the_moments_it_sent() -> None:
    facts = LeaveFacts("1000123", "V", START, START, from_time=time(13), until_time=time(17))
    body = leave_body(facts)
    (booking,) = readback_hr.leave_expectations(facts, body, {"Id": "12"})
    assert booking.match == {"LeaveId": 12}
    assert booking.fields["StartDate"] == datetime.combine(START, time(13), AMSTERDAM)
    assert booking.fields["EndDate"] == datetime.combine(START, time(17), AMSTERDAM)


def test_a_relation_reads_back_by_number_and_is_located_by_name_and_identifiers() -> None:
    facts = RelationFacts(
        RelationRole.CREDITOR,
        RelationKind.ORGANISATION,
        "Leverancier B.V.",
        "NL",
        iban="NL91 ABNA 0417 1643 00",
        kvk_number="12345678",
    )
    (creditor,) = readback_work.relation_expectations(facts, {}, {"CrId": "70042", "BcCo": "9"})
    assert creditor.match == {"CreditorId": "70042"}
    assert creditor.fields["IBAN"] == "NL91ABNA0417164300" and creditor.fields["BcCo"] == "9"
    (located,) = readback_work.relation_locate(facts, {})
    assert located.match == {
        "CreditorName": "Leverancier B.V.",
        "IBAN": "NL91ABNA0417164300",
        "ChOfCommNr": "12345678",
    }
    assert located.keys == {"CrId": "CreditorId", "BcCo": "BcCo"}


def test_a_person_relation_reads_its_name_back_by_words_an_organisation_exactly() -> None:
    person = RelationFacts(
        RelationRole.DEBTOR,
        RelationKind.PERSON,
        "Anna van der Berg",
        "NL",
        first_name="Anna",
        name_prefix="van der",
        last_name="Berg",
    )
    (debtor,) = readback_work.relation_expectations(person, {}, {"DbId": "10042"})
    assert isinstance(debtor.fields["DebtorName"], DisplayName)
    assert same(debtor.fields["DebtorName"], "Berg, Anna van der")
    organisation = replace(
        person,
        kind=RelationKind.ORGANISATION,
        name="Berg B.V.",
        first_name=None,
        name_prefix=None,
        last_name=None,
    )
    (company,) = readback_work.relation_expectations(organisation, {}, {"DbId": "10043"})
    assert not isinstance(company.fields["DebtorName"], DisplayName)
    assert not same(company.fields["DebtorName"], "B.V., Berg")


def test_hours_and_dossier_items_are_located_without_their_keys() -> None:
    hours = HoursFacts("1000123", "P100", START, Decimal("7.5"), "300")
    (row,) = readback_work.hours_locate(hours, {})
    assert row.match == {
        "EmployeeId": "1000123",
        "ProjectId": "P100",
        "DateTime": START,
        "ItemCodeId": "300",
    }
    activity = ActivityFacts("1000551", "Gebeld", "2", START)
    (item,) = readback_work.activity_locate(activity, {})
    assert item.match["OrgPersId"] == "1000551" and item.fields == {"Comment": None}


def test_each_kind_describes_its_write_in_one_sentence() -> None:
    sentences = [
        readback_hr.describe_hire(a_hire()),
        readback_work.describe_journal(ENTRY),
        readback_work.describe_relation(
            RelationFacts(
                RelationRole.DEBTOR,
                RelationKind.PERSON,
                "Piet Smit",
                "NL",
                iban="NL91ABNA0417164300",
                first_name="Piet",
                last_name="Smit",
            )
        ),
    ]
    assert sentences[0].startswith("Hire Jan Jansen at employer 01 from 2026-04-01")
    assert sentences[1] == (
        "Post a 3-line entry of 121 in journal 10 of administration 1 on 2026-03-05."
    )
    assert "ending 4300" in sentences[2] and "NL91" not in sentences[2]
    assert all(s.endswith(".") and "\n" not in s for s in sentences)


@pytest.mark.parametrize("environment", ["production", "test"])
def test_the_built_bodies_pass_every_policy_on_the_sample_tenant(environment: str) -> None:
    facts = a_hire()
    intent = WriteIntent(
        "onboard_employee", "KnEmployee", "insert", hire_body(facts), facts, "agent"
    )
    report = check_all(intent, tenant_context(environment=environment))
    assert report.denials == ()
    entry = WriteIntent(
        "post_journal_entry",
        "FiEntries",
        "insert",
        journal_body(ENTRY, year=2026, period=3, voucher=reference(ENTRY)),
        ENTRY,
        "agent",
    )
    assert check_all(entry, tenant_context(environment=environment)).outcome is Outcome.ALLOW
