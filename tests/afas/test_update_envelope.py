from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from server.afas.envelope import delete_path, dumps, element, envelope, parse_results
from server.afas.errors import AfasRequestRefused, AfasUnexpectedResponse


def test_element_puts_keys_as_attributes_and_leaves_out_empty_fields() -> None:
    built = element(
        keys={"DbId": "20021"},
        action="insert",
        fields={"CuId": "EUR", "IsDb": True, "PaCd": None, "Ds": ""},
        objects={"KnPerson": element(fields={"MatchPer": "0", "BcCo": "1000348"})},
    )
    assert built == {
        "@DbId": "20021",
        "@Action": "insert",
        "Fields": {"CuId": "EUR", "IsDb": True, "Ds": ""},  # "" is an explicit clear (W13)
        "Objects": [{"KnPerson": {"Element": {"Fields": {"MatchPer": "0", "BcCo": "1000348"}}}}],
    }


def test_envelope_wraps_one_or_several_elements_in_the_root() -> None:
    one = element(fields={"Ds": "x"})
    assert envelope("KnSubject", one) == {"KnSubject": {"Element": one}}
    assert envelope("PtRealization", [one, one]) == {"PtRealization": {"Element": [one, one]}}


def test_nested_lists_of_elements_become_an_element_array() -> None:
    lines = [element(fields={"AmDe": Decimal("100.00")}), element(fields={"AmCr": Decimal(100)})]
    built = element(fields={"JoCo": "20"}, objects={"FiEntries": lines})
    assert built["Objects"] == [{"FiEntries": {"Element": lines}}]


def test_payload_json_is_utf8_with_decimals_and_dates_as_afas_wants() -> None:
    body = envelope("HrAbsence", element(fields={"Re": "Café", "DaBe": date(2024, 7, 11)}))
    body["HrAbsence"]["Element"]["Fields"]["Qu"] = Decimal("4.00")
    raw = dumps(body)
    assert "Café".encode() in raw
    assert json.loads(raw)["HrAbsence"]["Element"]["Fields"] == {
        "Re": "Café",
        "DaBe": "2024-07-11",
        "Qu": "4.00",
    }


@pytest.mark.parametrize(
    ("body", "keys", "name"),
    [
        (b'{"results":{"KnSubject":{"SbId":"999999"}}}', {"SbId": "999999"}, "KnSubject"),
        (
            b'{"results":{"FiEntryPar":{"UnId":"4","EnNo":54605}}}',
            {"UnId": "4", "EnNo": "54605"},
            "FiEntryPar",
        ),
        (
            b'{"FiEntryPar":{"UnId":"1","EnNo":"48227"}}',
            {"UnId": "1", "EnNo": "48227"},
            "FiEntryPar",
        ),
        (b'{"results":{"KnEmployee":{"EmId":"E1"}}}', {"EmId": "E1"}, "KnEmployee"),
        (b'{"results":{"KnSubject":"123"}}', {"KnSubject": "123"}, "KnSubject"),
    ],
    ids=["connector-name", "root-name", "no-results-wrapper", "employee", "bare-value"],
)
def test_results_are_read_whatever_name_afas_puts_them_under(
    body: bytes, keys: dict[str, str], name: str
) -> None:
    result = parse_results(body, connector="KnEmployee", status_code=201, root="AfasEmployee")
    assert dict(result.keys) == keys
    assert result.object_name == name


def test_results_as_a_list_are_all_kept() -> None:
    body = b'{"results":{"KnCustomK01":[{"SqNo":"4"},{"SqNo":"5"}]}}'
    result = parse_results(body, connector="KnCustomK01", status_code=201)
    assert [dict(r) for r in result.results] == [{"SqNo": "4"}, {"SqNo": "5"}]
    assert dict(result.keys) == {"SqNo": "4"}


def test_an_empty_body_is_a_result_without_keys() -> None:
    for body in (b"", b"  ", b"{}", b'{"results":{}}'):
        result = parse_results(body, connector="KnUser", status_code=201)
        assert result.keys == {}
        assert result.status_code == 201


def test_unreadable_results_raise() -> None:
    with pytest.raises(AfasUnexpectedResponse):
        parse_results(b"<html>", connector="X", status_code=201)
    with pytest.raises(AfasUnexpectedResponse):
        parse_results(b'{"results":{"A":{},"B":{}}}', connector="X", status_code=201)


def test_delete_path_follows_the_documented_grammar() -> None:
    assert (
        delete_path("HrAbsenceID", "HrAbsenceID", {"Id": "1724", "@EmId": "andre o"})
        == "/connectors/HrAbsenceID/HrAbsenceID/@Id,@EmId/1724,andre%20o"
    )


def test_delete_refuses_values_that_would_break_the_path() -> None:
    with pytest.raises(AfasRequestRefused):
        delete_path("KnSubject", "KnSubject", {"SbId": "1,2"})
    with pytest.raises(AfasRequestRefused):
        delete_path("KnSubject", "KnSubject", {})
