from __future__ import annotations

from typing import Any

from policies.envelope import find_element, find_elements
from policies.testing import hire_body, hire_facts, with_field, without_field, without_object

BODY = hire_body(hire_facts())
AS_MAP: dict[str, Any] = {
    "KnSubject": {
        "Element": {
            "Fields": {"Ds": "x"},
            "Objects": {"KnSubjectLink": {"Element": {"Fields": {"SfId": "1"}}}},
        }
    }
}


def test_with_field_changes_a_copy_only() -> None:
    changed = with_field(BODY, "AfasContract", "CmId", "07")
    assert find_element(changed, "AfasContract").get("CmId") == "07"
    assert find_element(BODY, "AfasContract").get("CmId") == "01"


def test_with_field_sets_keys_on_the_element() -> None:
    changed = with_field(BODY, "AfasContract", "@DaBe", "2026-05-01")
    contract = find_element(changed, "AfasContract")
    assert contract is not None and contract.raw["@DaBe"] == "2026-05-01"


def test_with_field_adds_fields_to_an_element_without_them() -> None:
    body = {"KnSubject": {"Element": {}}}
    assert find_element(with_field(body, "KnSubject", "Ds", "x"), "KnSubject").fields == {"Ds": "x"}


def test_without_field_removes_keys_and_fields() -> None:
    changed = without_field(without_field(BODY, "AfasContract", "@DaBe"), "AfasContract", "CmId")
    contract = find_element(changed, "AfasContract")
    assert contract is not None and not contract.has("@DaBe") and not contract.has("CmId")


def test_without_object_removes_it_from_a_list_or_a_map() -> None:
    assert find_elements(without_object(BODY, "AfasSalary"), "AfasSalary") == ()
    assert find_elements(without_object(AS_MAP, "KnSubjectLink"), "KnSubjectLink") == ()
    assert find_elements(BODY, "AfasSalary") != ()


def test_a_hire_with_a_chosen_employee_code_sends_it_as_the_key() -> None:
    employee = find_element(hire_body(hire_facts(employee_id="Docu3")), "AfasEmployee")
    assert employee is not None and employee.raw["@EmId"] == "Docu3"
    assert "@EmId" not in BODY["AfasEmployee"]["Element"]
