from __future__ import annotations

import httpx
import pytest
from sim_helpers import REFERENCE_DATE

from simulator.testing import SimulatorHandle, start_simulator


def test_metainfo_lists_linked_connectors_and_the_environment_name(
    sim: SimulatorHandle, client: httpx.Client
) -> None:
    body = client.get("/metainfo").json()
    assert set(body) == {"updateConnectors", "getConnectors", "info"}
    get_ids = {entry["id"] for entry in body["getConnectors"]}
    assert {"AfasMcp_Employees", "Profit_Debtor", "Profit_Administrations"} <= get_ids
    assert {entry["id"] for entry in body["updateConnectors"]} >= {"KnEmployee", "FiEntries"}
    assert body["info"]["envid"] == sim.environment_name
    assert body["info"]["tokenExpiry"] == "0"


def test_paths_are_matched_without_regard_to_case(client: httpx.Client) -> None:
    root = str(client.base_url).replace("/ProfitRestServices", "")
    response = client.get(f"{root}/profitrestservices/CONNECTORS/profit_administrations")
    assert response.status_code == 200
    assert len(response.json()["rows"]) == 2


def test_get_connector_defaults_to_skip_0_and_take_100(client: httpx.Client) -> None:
    body = client.get("/connectors/AfasMcp_PayrollPeriods").json()
    assert (body["skip"], body["take"], len(body["rows"])) == (0, 100, 100)


def test_skip_and_take_page_through_rows_in_the_requested_order(client: httpx.Client) -> None:
    params = {"orderbyfieldids": "EmployeeId", "take": 10}
    first = client.get("/connectors/AfasMcp_Employees", params={**params, "skip": 0}).json()
    second = client.get("/connectors/AfasMcp_Employees", params={**params, "skip": 10}).json()
    ids = [row["EmployeeId"] for row in first["rows"] + second["rows"]]
    assert ids == sorted(ids)
    assert len(set(ids)) == 20


def test_take_minus_one_with_skip_zero_is_the_documented_500(client: httpx.Client) -> None:
    response = client.get("/connectors/Profit_Functions", params={"skip": 2, "take": -1})
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    body = response.json()
    assert body["externalMessage"] == "An unexpected error has occurred."
    assert body["errorNumber"] == -2147180999
    assert len(body["profitLogReference"]) == 32


def test_unknown_token_is_401_with_an_empty_body(sim: SimulatorHandle) -> None:
    response = httpx.get(
        f"{sim.base_url}/metainfo", headers={"Authorization": "AfasToken bm90IGEgdG9rZW4="}
    )
    assert (response.status_code, response.content) == (401, b"")


@pytest.mark.parametrize("connector", ["AfasMcp_Salaries", "Profit_Transactions"])
def test_restricted_token_gets_403_for_connectors_outside_its_app_connector(
    sim: SimulatorHandle, connector: str
) -> None:
    response = httpx.get(
        f"{sim.base_url}/connectors/{connector}",
        headers={"Authorization": sim.auth_header("restricted")},
    )
    assert (response.status_code, response.content) == (403, b"")


EMPTY_ERROR_HEADERS = {"content-length": "0", "content-type": "application/xml"}


@pytest.mark.parametrize(
    ("path", "authorization", "status"),
    [
        ("/metainfo", "AfasToken bm90IGEgdG9rZW4=", 401),
        ("/metainfo", "Bearer not-a-token", 401),
        ("/connectors/AfasMcp_Salaries", "restricted", 403),
        ("/no/such/route", "full", 404),
    ],
)
def test_empty_error_answers_declare_length_0_and_application_xml_as_published(
    sim: SimulatorHandle, path: str, authorization: str, status: int
) -> None:
    header = sim.auth_header(authorization) if " " not in authorization else authorization
    response = httpx.get(f"{sim.base_url}{path}", headers={"Authorization": header})
    assert (response.status_code, response.content) == (status, b"")
    assert {k: response.headers.get(k) for k in EMPTY_ERROR_HEADERS} == EMPTY_ERROR_HEADERS
    if authorization.startswith("Bearer"):  # OAuth's challenge stays
        assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'


def test_update_metainfo_nests_objects_under_the_root_object(client: httpx.Client) -> None:
    employee = client.get("/metainfo/update/KnEmployee").json()
    assert (employee["id"], employee["name"]) == ("KnEmployee", "AfasEmployee")
    objects = {obj["name"]: obj for obj in employee["objects"]}
    assert {"KnPerson", "AfasContract", "AfasOrgunitFunction", "AfasTimeTable", "AfasSalary",
            "AfasAgencyFiscus"} <= set(objects)  # fmt: skip
    contract_fields = {f["fieldId"]: f for f in objects["AfasContract"]["fields"]}
    assert contract_fields["DaBe"]["primaryKey"] and contract_fields["CmId"]["mandatory"]
    assert set(contract_fields["CmId"]) == {
        "fieldId", "primaryKey", "dataType", "label", "mandatory", "length", "decimals",
        "decimalFieldId", "notzero", "controlType", "values",
    }  # fmt: skip
    entries = client.get("/metainfo/update/FiEntries").json()
    assert entries["name"] == "FiEntryPar"
    assert entries["objects"][0]["name"] == "FiEntries"


def test_every_update_connector_in_metainfo_has_update_metainfo(client: httpx.Client) -> None:
    for entry in client.get("/metainfo").json()["updateConnectors"]:
        assert client.get(f"/metainfo/update/{entry['id']}").status_code == 200


def test_an_unknown_update_connector_is_a_500(client: httpx.Client) -> None:
    response = client.get("/metainfo/update/KnNothing")
    assert response.status_code == 500
    assert "not supported" in response.json()["externalMessage"]


def test_the_same_seed_serves_identical_rows_and_another_seed_other_rows(
    sim: SimulatorHandle,
) -> None:
    params = {"orderbyfieldids": "DebtorId", "take": 20}

    def debtors(seed: int) -> list[dict[str, object]]:
        with start_simulator(profile="docs", seed=seed, reference_date=REFERENCE_DATE) as other:
            response = httpx.get(
                f"{other.base_url}/connectors/Profit_Debtor",
                params=params,
                headers={"Authorization": other.auth_header()},
            )
            return list(response.json()["rows"])

    assert debtors(1) == debtors(1)
    assert debtors(1) != debtors(2)
