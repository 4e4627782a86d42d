"""Pure units: the envelope parser, DELETE paths and value coercion (W7, W13)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest

from simulator.errors import AfasError
from simulator.updates.envelope import parse_delete_path, parse_envelope
from simulator.updates.values import BadValue, ValueRules, coerce, house_number

RULES = ValueRules(empty_string_stored=False, legacy_formats=False)
LEGACY = ValueRules(empty_string_stored=True, legacy_formats=True)


def test_element_may_be_one_object_or_a_list() -> None:
    one = parse_envelope({"KnSubject": {"Element": {"Fields": {"Ds": "a"}}}})
    many = parse_envelope({"KnSubject": {"Element": [{"Fields": {"Ds": "a"}}, {"Fields": {}}]}})
    assert (len(one.elements), len(many.elements)) == (1, 2)


def test_objects_may_be_a_map_or_a_list_of_one_key_maps() -> None:
    as_map = {"Element": {"Objects": {"A": {"Element": {}}, "B": {"Element": [{}, {}]}}}}
    as_list = {"Element": {"Objects": [{"A": {"Element": {}}}, {"B": {"Element": [{}, {}]}}]}}
    for body in (as_map, as_list):
        (root,) = parse_envelope({"X": body}).elements
        assert {name: len(items) for name, items in root.objects.items()} == {"A": 1, "B": 2}


def test_attributes_and_action_are_read_from_the_element_and_from_fields() -> None:
    (root,) = parse_envelope(
        {
            "AfasEmployee": {
                "Element": {
                    "@EmId": "1",
                    "Fields": {"@action": "UPDATE", "@CalculateBalance": "1", "LgId": "001"},
                }
            }
        }
    ).elements
    assert (root.action, root.key("EmId"), root.fields) == ("update", "1", {"LgId": "001"})
    assert root.attribute("calculatebalance") == "1"


def test_an_unknown_action_is_an_afas_error() -> None:
    with pytest.raises(AfasError, match="Invalid action 'upsert'"):
        parse_envelope({"X": {"Element": {"@Action": "upsert"}}})


@pytest.mark.parametrize("body", [[], {"A": {}, "B": {}}, {"A": {"Element": "x"}}])
def test_shapes_afas_cannot_read_are_afas_errors(body: Any) -> None:
    with pytest.raises(AfasError):
        parse_envelope(body)


def test_delete_paths_accept_keys_with_and_without_at_and_nested_levels() -> None:
    targets = parse_delete_path(["FiEntryPar", "UnId,JoCo", "1,90", "FiEntries", "@EnNo", "7"])
    assert [(t.object_name, t.keys) for t in targets] == [
        ("FiEntryPar", {"UnId": "1", "JoCo": "90"}),
        ("FiEntries", {"EnNo": "7"}),
    ]


@pytest.mark.parametrize(
    ("object_name", "field", "raw", "expected"),
    [
        ("AfasContract", "DvSn", "2", 2),
        ("AfasContract", "DvSn", 2.0, 2),
        ("FiEntries", "AmDe", "12100", Decimal("12100")),
        ("FiEntries", "AmDe", 0.1, Decimal("0.1")),
        ("KnPerson", "AutoNum", "True", True),
        ("KnPerson", "AutoNum", 0, False),
        ("KnPerson", "DaBi", "1985-12-15", date(1985, 12, 15)),
        ("KnPerson", "DaBi", "1985-12-15T00:00:00", date(1985, 12, 15)),
        ("HrAbsence", "DaBe", "2024-07-11T08:00:00", datetime(2024, 7, 11, 8)),  # noqa: DTZ001
        ("KnPerson", "LaNm", 12, "12"),
        ("KnPerson", "Unmodelled", {"kept": True}, {"kept": True}),
        ("KnPerson", "LaNm", "", None),
        ("AfasContract", "DaEn", "04-05-2026", date(2026, 5, 4)),
        ("AfasContract", "DaEn", "2026-05-04", date(2026, 5, 4)),
        ("AfasContract", "WrCt", True, True),
    ],
)
def test_values_are_coerced_by_data_type(
    object_name: str, field: str, raw: Any, expected: Any
) -> None:
    assert coerce(object_name, field, raw, RULES).value == expected


@pytest.mark.parametrize(
    ("field", "raw", "expected"),
    [("WrCt", True, "true"), ("WrCt", "1", True), ("DaEn", "2026-05-04", date(2026, 4, 5))],
)
def test_W7_legacy_fields_store_iso_and_boolean_forms_wrong_when_switch_on(
    field: str, raw: Any, expected: Any
) -> None:
    assert coerce("AfasContract", field, raw, LEGACY).value == expected


def test_W13_empty_string_is_kept_only_in_string_fields_when_switch_on() -> None:
    assert coerce("KnPerson", "EmAd", "", LEGACY).value == ""
    assert coerce("KnPerson", "DaBi", "", LEGACY).value is None


@pytest.mark.parametrize(
    ("field", "raw"),
    [("AmDe", "1.234,56"), ("AmDe", True), ("EnDa", "1-11-2024"), ("VaAs", None)],
)
def test_values_a_field_cannot_hold_are_refused(field: str, raw: Any) -> None:
    if raw is None:
        assert coerce("FiEntries", field, raw, RULES).value is None
        return
    with pytest.raises(BadValue):
        coerce("FiEntries", field, raw, RULES)


@pytest.mark.parametrize(
    ("raw", "expected"), [(12, (12, None)), ("12A", (12, "A")), ("12 - bis", (12, "bis"))]
)
def test_house_numbers_split_into_number_and_addition(raw: Any, expected: Any) -> None:
    assert house_number(raw) == expected


def test_a_house_number_without_digits_is_refused() -> None:
    with pytest.raises(BadValue):
        house_number("A12")
