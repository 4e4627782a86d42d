"""GetConnector paging, sorting and filtering, with only documented behaviour switched on."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from simulator.testing import SimulatorHandle

Row = dict[str, Any]


@pytest.fixture
def api(docs_sim: SimulatorHandle, client: httpx.Client) -> httpx.Client:
    return client


def _functions(sim: SimulatorHandle) -> list[Row]:
    return sim.tenant.table("functions").records()


def _rows(api: httpx.Client, connector: str, **params: Any) -> list[Row]:
    response = api.get(f"/connectors/{connector}", params={"skip": -1, "take": -1, **params})
    assert response.status_code == 200, response.text
    return list(response.json()["rows"])


def _filter(field: str, operator: int | str, value: str) -> dict[str, str]:
    return {"filterfieldids": field, "operatortypes": str(operator), "filtervalues": value}


def _ids(rows: list[Row]) -> set[tuple[str, str]]:
    return {(row["Employer"], row["FunctionId"]) for row in rows}


OPERATORS: list[tuple[int, str, str, Callable[[str], bool]]] = [
    (1, "FunctionId", "mgr", lambda v: v == "MGR"),
    (2, "Employer", "03", lambda v: v >= "03"),
    (3, "Employer", "02", lambda v: v <= "02"),
    (4, "Employer", "03", lambda v: v > "03"),
    (5, "Employer", "02", lambda v: v < "02"),
    (6, "FunctionDesc", "MONTEUR", lambda v: "monteur" in v.lower()),
    (7, "FunctionId", "MGR", lambda v: v != "MGR"),
    (10, "FunctionId", "m", lambda v: v.lower().startswith("m")),
    (11, "FunctionDesc", "eur", lambda v: "eur" not in v.lower()),
    (12, "FunctionId", "M", lambda v: not v.lower().startswith("m")),
    (13, "FunctionDesc", "EUR", lambda v: v.lower().endswith("eur")),
    (14, "FunctionDesc", "eur", lambda v: not v.lower().endswith("eur")),
    (15, "FunctionDesc", "plan", lambda v: "plan" in v.lower()),
]


@pytest.mark.parametrize(("operator", "field", "value", "expected"), OPERATORS)
def test_every_value_operator_selects_what_the_official_table_says(
    docs_sim: SimulatorHandle,
    api: httpx.Client,
    operator: int,
    field: str,
    value: str,
    expected: Callable[[str], bool],
) -> None:
    rows = _rows(api, "Profit_Functions", **_filter(field, operator, value))
    wanted = {(f["Employer"], f["FunctionId"]) for f in _functions(docs_sim) if expected(f[field])}
    assert wanted and _ids(rows) == wanted


@pytest.mark.parametrize(("operator", "placeholder"), [(8, '""'), (8, "[is leeg]"), (9, "x")])
def test_empty_and_not_empty_ignore_the_value(
    api: httpx.Client, operator: int, placeholder: str
) -> None:
    rows = _rows(api, "AfasMcp_Contracts", **_filter("DateEnd", operator, placeholder))
    assert rows and all((row["DateEnd"] is None) == (operator == 8) for row in rows)


def test_comma_is_and_within_a_group_and_semicolon_is_or_between_groups(
    docs_sim: SimulatorHandle, api: httpx.Client
) -> None:
    rows = _rows(
        api,
        "Profit_Functions",
        filterfieldids="Employer,Blocked;FunctionId",
        filtervalues="01,true;CHF",
        operatortypes="1,1;1",
    )
    wanted = {
        (f["Employer"], f["FunctionId"])
        for f in _functions(docs_sim)
        if (f["Employer"] == "01" and f["Blocked"]) or f["FunctionId"] == "CHF"
    }
    assert _ids(rows) == wanted == {("01", "OUD"), ("04", "CHF")}


@pytest.mark.parametrize("operator_type", ["1", 1])
def test_json_filter_ors_filters_and_ands_fields_with_string_or_number_operators(
    api: httpx.Client, operator_type: str | int
) -> None:
    document = {
        "Filters": {
            "Filter": [
                {
                    "@FilterId": "Filter 1",
                    "Field": [
                        {"@FieldId": "Employer", "@OperatorType": operator_type, "#text": "04"},
                        {"@FieldId": "FunctionId", "@OperatorType": "10", "#text": "M"},
                    ],
                },
                {
                    "@FilterId": "Filter 2",
                    "Field": {"@FieldId": "FunctionId", "@OperatorType": 1, "#text": "DIR"},
                },
            ]
        }
    }
    rows = _rows(api, "Profit_Functions", filterjson=json.dumps(document))
    assert _ids(rows) == {("04", "MGR"), ("04", "MAG"), ("01", "DIR")}


def test_filters_compare_ints_decimals_booleans_and_dates_by_type(api: httpx.Client) -> None:
    assert [
        r["AdminId"] for r in _rows(api, "Profit_Administrations", **_filter("AdminId", 1, "2"))
    ] == [2]
    high = _rows(api, "AfasMcp_Salaries", **_filter("Salary", 2, "5000.50"))
    assert high and all(row["Salary"] >= 5000.5 for row in high)
    blocked = _rows(api, "Profit_Functions", **_filter("Blocked", 1, "1"))
    assert blocked and all(row["Blocked"] is True for row in blocked)
    since = _rows(api, "AfasMcp_Contracts", **_filter("DateStart", 2, "2020-01-01T00:00:00"))
    assert since and all(row["DateStart"] >= "2020-01-01" for row in since)
    date_only = _rows(api, "AfasMcp_Contracts", **_filter("DateStart", 2, "2020-01-01"))
    assert sorted(map(str, date_only)) == sorted(map(str, since))


@pytest.mark.parametrize(
    ("connector", "field", "value"),
    [
        ("AfasMcp_Contracts", "DateStart", "2020-01-01T00:00:00Z"),
        ("Profit_Administrations", "AdminId", "one"),
        ("AfasMcp_Salaries", "Salary", "5.000.50"),
        ("Profit_Functions", "Blocked", "ja"),
    ],
)
def test_a_value_that_does_not_fit_the_field_type_is_a_500(
    api: httpx.Client, connector: str, field: str, value: str
) -> None:
    response = api.get(f"/connectors/{connector}", params=_filter(field, 1, value))
    assert response.status_code == 500
    assert field in response.json()["externalMessage"]


def test_an_unknown_filter_field_is_a_500_naming_it(api: httpx.Client) -> None:
    response = api.get("/connectors/Profit_Functions", params=_filter("Functie", 1, "MGR"))
    assert response.status_code == 500
    assert response.json()["externalMessage"] == "Connector field 'Functie' not found"


def test_an_unknown_operator_number_is_a_500(api: httpx.Client) -> None:
    response = api.get("/connectors/Profit_Functions", params=_filter("FunctionId", 16, "MGR"))
    assert response.status_code == 500


def test_filter_lists_of_different_shapes_are_a_500(api: httpx.Client) -> None:
    response = api.get(
        "/connectors/Profit_Functions",
        params={
            "filterfieldids": "Employer,FunctionId",
            "filtervalues": "01",
            "operatortypes": "1,1",
        },
    )
    assert response.status_code == 500


def test_operator_types_default_to_equal(api: httpx.Client) -> None:
    rows = _rows(api, "Profit_Functions", filterfieldids="FunctionId", filtervalues="CHF")
    assert _ids(rows) == {("04", "CHF")}


def test_order_by_sorts_descending_with_a_minus_and_by_several_fields(api: httpx.Client) -> None:
    rows = _rows(api, "Profit_Functions", orderbyfieldids="-Employer,FunctionId")
    keys = [(row["Employer"], row["FunctionId"]) for row in rows]
    assert keys == sorted(keys, key=lambda k: (-int(k[0]), k[1]))


def test_an_unknown_order_by_field_is_a_500_naming_it(api: httpx.Client) -> None:
    response = api.get("/connectors/Profit_Functions", params={"orderbyfieldids": "-Nope"})
    assert response.status_code == 500
    assert response.json()["externalMessage"] == "Connector field 'Nope' not found"


def test_skip_and_take_minus_one_return_everything_and_echo_minus_one(
    docs_sim: SimulatorHandle, api: httpx.Client
) -> None:
    body = api.get("/connectors/AfasMcp_PayrollPeriods", params={"skip": -1, "take": -1}).json()
    assert (body["skip"], body["take"]) == (-1, -1)
    assert len(body["rows"]) == len(docs_sim.tenant.table("payroll_periods"))


@pytest.mark.parametrize("skip", ["abc", "-5", ""])
def test_a_non_numeric_or_too_small_skip_counts_as_zero(api: httpx.Client, skip: str) -> None:
    params = {"orderbyfieldids": "EmployeeId", "take": 3}
    expected = api.get("/connectors/AfasMcp_Employees", params={**params, "skip": 0}).json()
    body = api.get("/connectors/AfasMcp_Employees", params={**params, "skip": skip}).json()
    assert body["rows"] == expected["rows"]


@pytest.mark.parametrize("take", ["abc", "-2"])
def test_a_non_numeric_or_negative_take_is_a_500(api: httpx.Client, take: str) -> None:
    assert api.get("/connectors/Profit_Functions", params={"take": take}).status_code == 500


def test_take_zero_returns_no_rows(api: httpx.Client) -> None:
    body = api.get("/connectors/Profit_Functions", params={"take": 0}).json()
    assert (body["take"], body["rows"]) == (0, [])


def test_a_page_past_the_end_is_empty(api: httpx.Client) -> None:
    body = api.get("/connectors/Profit_Administrations", params={"skip": 2, "take": 10}).json()
    assert body["rows"] == []


def test_query_parameter_names_are_matched_without_regard_to_case(api: httpx.Client) -> None:
    body = api.get("/connectors/Profit_Functions", params={"Skip": 1, "Take": 2}).json()
    assert (body["skip"], body["take"], len(body["rows"])) == (1, 2, 2)


def test_an_unknown_connector_is_a_500_saying_it_is_not_supported(api: httpx.Client) -> None:
    response = api.get("/connectors/Profit_Nope")
    assert response.status_code == 500
    assert "not supported" in response.json()["externalMessage"]


def test_an_unknown_path_is_a_404_with_an_empty_body(api: httpx.Client) -> None:
    response = api.get("/somethingelse")
    assert (response.status_code, response.content) == (404, b"")


def test_every_row_carries_every_field_with_nulls_for_empty_values(
    api: httpx.Client,
) -> None:
    fields = [f["id"] for f in api.get("/metainfo/get/Profit_Employees").json()["fields"]]
    rows = _rows(api, "Profit_Employees")
    assert all(list(row) == fields for row in rows)
    assert any(row["DateDeceased"] is None for row in rows)
