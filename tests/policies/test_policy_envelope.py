from __future__ import annotations

from typing import Any

import pytest

from policies.afas_fields import EMPLOYER, FieldRef
from policies.envelope import (
    MalformedEnvelope,
    children_of,
    field_value,
    find_element,
    find_elements,
    iter_elements,
    root_name,
)

# The same employee in the two shapes AFAS's own examples use.
OBJECTS_AS_MAP: dict[str, Any] = {
    "AfasEmployee": {
        "Element": {
            "@Action": "insert",
            "Fields": {"ViSe": "I"},
            "Objects": {
                "KnPerson": {"Element": {"Fields": {"MatchPer": "1", "SoSe": "111222333"}}},
                "AfasContract": {"Element": {"@DaBe": "2026-04-01", "Fields": {"CmId": "01"}}},
            },
        }
    }
}
OBJECTS_AS_LIST: dict[str, Any] = {
    "AfasEmployee": {
        "Element": {
            "@Action": "insert",
            "Fields": {"ViSe": "I"},
            "Objects": [
                {"KnPerson": {"Element": {"Fields": {"MatchPer": "1", "SoSe": "111222333"}}}},
                {"AfasContract": {"Element": {"@DaBe": "2026-04-01", "Fields": {"CmId": "01"}}}},
            ],
        }
    }
}
JOURNAL: dict[str, Any] = {
    "FiEntryPar": {
        "Element": {
            "Fields": {"UnId": "1"},
            "Objects": [
                {
                    "FiEntries": {
                        "Element": [
                            {
                                "Fields": {"AcNr": "4000"},
                                "Objects": {"FiDimEntries": {"Element": {"Fields": {"DiC1": "A"}}}},
                            },
                            {
                                "Fields": {"AcNr": "8000"},
                                "Objects": {"FiDimEntries": {"Element": {"Fields": {"DiC1": "B"}}}},
                            },
                        ]
                    }
                }
            ],
        }
    }
}


@pytest.mark.parametrize(
    "body", [OBJECTS_AS_MAP, OBJECTS_AS_LIST], ids=["Objects as a map", "Objects as a list"]
)
def test_both_object_shapes_read_the_same(body: dict[str, Any]) -> None:
    assert [e.object_name for e in iter_elements(body)] == [
        "AfasEmployee",
        "KnPerson",
        "AfasContract",
    ]
    assert field_value(body, EMPLOYER) == "01"
    assert field_value(body, FieldRef("AfasContract", "@DaBe")) == "2026-04-01"
    assert field_value(body, FieldRef("KnPerson", "SoSe")) == "111222333"


def test_sub_objects_inherit_the_action_of_their_parent() -> None:
    contract = find_element(OBJECTS_AS_MAP, "AfasContract")
    assert contract is not None
    assert contract.action == "insert"
    assert contract.location == "AfasEmployee[0]/AfasContract[0]"


def test_an_action_inside_fields_counts_as_the_elements_action() -> None:
    body = {"AfasEmployee": {"Element": {"Fields": {"@Action": "update"}}}}
    employee = find_element(body, "AfasEmployee")
    assert employee is not None
    assert employee.action == "update"


def test_an_element_without_any_action_says_none() -> None:
    body = {"KnSubject": {"Element": {"Fields": {"Ds": "x"}}}}
    subject = find_element(body, "KnSubject")
    assert subject is not None
    assert subject.action is None


def test_key_fields_are_read_from_the_element_and_fields_from_fields() -> None:
    contract = find_element(OBJECTS_AS_LIST, "AfasContract")
    assert contract is not None
    assert contract.has("@DaBe") and contract.has("CmId")
    assert not contract.has("@EmId") and not contract.has("DaEn")
    assert contract.get("DaEn") is None
    assert contract.attributes() == {"@DaBe": "2026-04-01", "CmId": "01"}


def test_a_key_field_inside_fields_is_found_too() -> None:
    body = {"HrAbsence": {"Element": {"Fields": {"@Id": "7"}}}}
    absence = find_element(body, "HrAbsence")
    assert absence is not None
    assert absence.get("@Id") == "7" and absence.has("@Id")


def test_elements_in_a_list_keep_their_position() -> None:
    lines = find_elements(JOURNAL, "FiEntries")
    assert [line.index for line in lines] == [0, 1]
    assert lines[1].location == "FiEntryPar[0]/FiEntries[1]"


def test_children_of_tells_the_lines_apart() -> None:
    lines = find_elements(JOURNAL, "FiEntries")
    second = children_of(JOURNAL, lines[1])
    assert [c.get("DiC1") for c in second] == ["B"]
    header = find_element(JOURNAL, "FiEntryPar")
    assert header is not None
    assert [c.object_name for c in children_of(JOURNAL, header)] == ["FiEntries", "FiEntries"]


def test_find_element_refuses_an_object_that_occurs_twice() -> None:
    with pytest.raises(MalformedEnvelope, match="occurs 2 times"):
        find_element(JOURNAL, "FiEntries")


def test_find_element_and_field_value_say_none_for_an_absent_object() -> None:
    assert find_element(OBJECTS_AS_MAP, "AfasSalary") is None
    assert field_value(OBJECTS_AS_MAP, FieldRef("AfasSalary", "PtId")) is None


def test_root_name_is_the_one_root_object() -> None:
    assert root_name(JOURNAL) == "FiEntryPar"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "exactly one root object"),
        ({"A": {"Element": {}}, "B": {"Element": {}}}, "exactly one root object"),
        ({"KnSubject": {"Fields": {}}}, "must hold an Element"),
        ({"KnSubject": "x"}, "must hold an Element"),
        ({"KnSubject": {"Element": ["x"]}}, "an Element must be an object"),
        ({"KnSubject": {"Element": {"Fields": ["Ds"]}}}, "Fields must be an object"),
        (
            {"KnSubject": {"Element": {"Objects": "KnSubjectLink"}}},
            "Objects must be an object or a list",
        ),
        (
            {"KnSubject": {"Element": {"Objects": ["KnSubjectLink"]}}},
            "each Objects entry must be an object",
        ),
    ],
    ids=[
        "an empty body",
        "two roots",
        "an object without Element",
        "an object that is a string",
        "an element that is a string",
        "Fields that are a list",
        "Objects that are a string",
        "an Objects entry that is a string",
    ],
)
def test_a_body_breaking_the_grammar_raises_malformed_envelope(
    body: dict[str, Any], message: str
) -> None:
    with pytest.raises(MalformedEnvelope, match=message):
        for element in iter_elements(body):
            element.attributes()
