from __future__ import annotations

from decimal import Decimal

import pytest

from policies import afas_fields as af
from policies.facts import (
    FACTS_TYPE,
    AccountKind,
    EmployeeField,
    JournalLine,
    WriteTool,
)
from policies.testing import journal_facts, update_facts


@pytest.mark.parametrize(
    ("changes", "cleared", "touches"),
    [
        ({EmployeeField.EMAIL: "a@b.nl"}, frozenset(), False),
        ({EmployeeField.SALARY: Decimal(1)}, frozenset(), True),
        ({}, frozenset({EmployeeField.CONTRACT_END}), True),
        ({EmployeeField.CITY: "Leusden"}, frozenset({EmployeeField.PHONE}), False),
    ],
    ids=[
        "an e-mail change leaves payroll alone",
        "a salary change touches payroll",
        "clearing the contract end touches payroll",
        "address and phone changes leave payroll alone",
    ],
)
def test_an_update_knows_whether_it_touches_payroll(
    changes: dict[EmployeeField, object], cleared: frozenset[EmployeeField], touches: bool
) -> None:
    assert update_facts(changes=changes, cleared=cleared).touches_payroll is touches


@pytest.mark.parametrize(
    ("new", "expected"),
    [(None, 5), (7, 7), ("9", 9)],
    ids=[
        "no change keeps the current period table",
        "a numeric change is the new table",
        "a numeric string is the new table",
    ],
)
def test_the_target_period_table_is_the_new_one_or_the_current(new: object, expected: int) -> None:
    changes = {} if new is None else {EmployeeField.PERIOD_TABLE: new}
    assert update_facts(changes=changes).target_period_table_id == expected


@pytest.mark.parametrize("new", ["MAAND", True], ids=["a code", "a flag"])
def test_a_period_table_change_must_be_numeric(new: object) -> None:
    with pytest.raises(ValueError, match="numeric PtId"):
        _ = update_facts(changes={EmployeeField.PERIOD_TABLE: new}).target_period_table_id


def test_journal_totals_add_up_the_lines_as_decimals() -> None:
    facts = journal_facts(
        lines=(
            JournalLine(AccountKind.LEDGER, "1100", debit=Decimal("0.10")),
            JournalLine(AccountKind.LEDGER, "1100", debit=Decimal("0.20")),
            JournalLine(AccountKind.LEDGER, "8000", credit=Decimal("0.30")),
        )
    )
    assert facts.total_debit == Decimal("0.30") == facts.total_credit


def test_an_entry_without_lines_totals_zero() -> None:
    facts = journal_facts(lines=())
    assert facts.total_debit == 0 == facts.total_credit


def test_every_tool_has_a_facts_type_and_a_target() -> None:
    assert set(FACTS_TYPE) == set(WriteTool) == set(af.TOOL_TARGETS)


def test_every_employee_field_maps_to_an_afas_field() -> None:
    assert set(af.EMPLOYEE_FIELDS) == set(EmployeeField)


def test_seed_terms_map_to_the_official_fields() -> None:
    assert af.EMPLOYER.path == "AfasContract.CmId"  # Wg
    assert af.PERIOD_TABLE.path == "AfasSalary.PtId"  # PvCd
    assert af.CONTRACT_START.path == "AfasContract.@DaBe"  # Vp follows from this date
    assert af.EMPLOYER_ON_PAYROLL_MUTATION.path == "HrCompMut.@ErId"


@pytest.mark.parametrize(
    ("connector", "root"),
    [("KnEmployee", "AfasEmployee"), ("FiEntries", "FiEntryPar"), ("KnSubject", "KnSubject")],
    ids=[
        "KnEmployee's root is AfasEmployee",
        "FiEntries' root is FiEntryPar",
        "others are themselves",
    ],
)
def test_root_objects_follow_the_documented_exceptions(connector: str, root: str) -> None:
    assert af.root_object_of(connector) == root


def test_payroll_objects_all_have_a_start_key() -> None:
    assert af.PAYROLL_OBJECTS.issubset(af.HIRE_SUB_OBJECTS)
