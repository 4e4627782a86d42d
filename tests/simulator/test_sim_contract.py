"""The wire contract against AFAS's published examples and specs (../shared/afas/official)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from simulator.auth import header_value
from simulator.catalogue import GET_CONNECTORS
from simulator.testing import SimulatorHandle

pytestmark = pytest.mark.shared
WIRE_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
OPENAPI_TYPES = {"string": "string", "integer": "int", "number": "decimal", "boolean": "boolean"}


def _specs(shared_dir: Path) -> list[dict[str, Any]]:
    folder = shared_dir / "afas" / "official" / "openapi"
    return [json.loads(path.read_text()) for path in sorted(folder.glob("*.json"))]


def _example(shared_dir: Path, path: str) -> Any:
    operation = _specs(shared_dir)[0]["paths"][path]["get"]
    examples = operation["responses"]["200"]["content"]["application/json"]["examples"]
    return next(iter(examples.values()))["value"]


def _row_schemas(shared_dir: Path) -> dict[str, dict[str, Any]]:
    schemas = {}
    for spec in _specs(shared_dir):
        for path, operations in spec["paths"].items():
            name = path.rsplit("/", 1)[-1]
            if path.startswith("/connectors/Profit") and "get" in operations:
                content = operations["get"]["responses"]["200"]["content"]["application/json"]
                schemas[name] = content["schema"]["properties"]["rows"]["items"]["properties"]
    return schemas


def test_metainfo_has_the_keys_of_the_published_example(
    shared_dir: Path, client: httpx.Client
) -> None:
    example = _example(shared_dir, "/MetaInfo")
    body = client.get("/metainfo").json()
    assert set(body) == set(example)
    assert set(body["info"]) == set(example["info"])
    assert set(body["getConnectors"][0]) == set(example["getConnectors"][0])
    assert set(body["updateConnectors"][0]) == set(example["updateConnectors"][0])


def test_profit_administrations_metainfo_equals_the_published_example(
    shared_dir: Path, client: httpx.Client
) -> None:
    example = _example(shared_dir, "/Metainfo/{Type}/{Endpoint}")
    assert client.get("/metainfo/get/Profit_Administrations").json() == example


def test_profit_accounts_metainfo_starts_with_the_documented_fields(
    shared_dir: Path, client: httpx.Client
) -> None:
    guide = (shared_dir / "afas" / "official" / "guides" / "get-connector.md").read_text()
    documented = json.loads(guide.split("```json Metainfo result")[1].split("```")[0])
    body = client.get("/metainfo/get/Profit_Accounts").json()
    assert (body["name"], body["description"]) == (documented["name"], documented["description"])
    assert body["fields"][:2] == documented["fields"]


def test_get_connector_response_has_the_published_shape(
    shared_dir: Path, client: httpx.Client
) -> None:
    example = _example(shared_dir, "/connectors/{Endpoint}")
    body = client.get("/connectors/AfasMcp_Contracts", params={"skip": 0, "take": 100}).json()
    assert set(body) == set(example)
    assert (body["skip"], body["take"]) == (example["skip"], example["take"])
    assert all(WIRE_DATE.match(row["DateStart"]) for row in body["rows"])
    assert any(row["DateEnd"] is None for row in body["rows"])


def test_profit_version_has_the_published_shape(shared_dir: Path, client: httpx.Client) -> None:
    assert set(client.get("/profitversion").json()) == set(_example(shared_dir, "/ProfitVersion"))


def test_standard_connectors_carry_the_official_field_ids_and_types(
    shared_dir: Path, client: httpx.Client
) -> None:
    schemas = _row_schemas(shared_dir)
    checked = 0
    for connector in GET_CONNECTORS.values():
        if connector.id not in schemas:
            continue
        checked += 1
        official = schemas[connector.id]
        fields = client.get(f"/metainfo/get/{connector.id}").json()["fields"]
        assert [f["id"] for f in fields] == list(official), connector.id
        for field in fields:
            openapi_type = official[field["id"]]["type"]
            expected = OPENAPI_TYPES[openapi_type]
            # The specs type dates as strings; metainfo says "date".
            assert field["dataType"] in (expected, "date" if expected == "string" else expected)
    assert checked >= 15


def test_the_docs_json_filter_url_works_as_published(
    shared_dir: Path, sim: SimulatorHandle
) -> None:
    guide = (shared_dir / "afas" / "official" / "guides" / "get-connector.md").read_text()
    url = re.search(r'"(https://12345\.rest\.afas\.online[^"]*filterjson=[^"]*)"', guide)
    assert url is not None
    path_and_query = url.group(1).split("/ProfitRestServices", 1)[1]
    response = httpx.get(
        sim.base_url + path_and_query, headers={"Authorization": sim.auth_header()}
    )
    assert response.status_code == 200
    # (AdminId=1 AND AdminNm contains 'Internet') OR (AdminId=3 AND AdminNm = 'Internet')
    assert response.json()["rows"] == []


# TV2 and TV3 of afas-api.md §2.2: token XML and the header AFAS's docs show for it.
TEST_VECTORS = [
    (
        "949C1A9CD9AE4797950D94F55A7A4D056770472D4963CB9A8D3800BEE0CCE6A2",
        "PHRva2VuPjx2ZXJzaW9uPjE8L3ZlcnNpb24+PGRhdGE+OTQ5QzFBOUNEOUFFNDc5Nzk1MEQ5NEY1NUE3QTREMDU2"
        "NzcwNDcyRDQ5NjNDQjlBOEQzODAwQkVFMENDRTZBMjwvZGF0YT48L3Rva2VuPg==",
    ),
    (
        "ADE370BE8DAF40D0A17FFB914E42675E9998C2D546A2F4FA3E4F3ABFA867B96F",
        "PHRva2VuPjx2ZXJzaW9uPjE8L3ZlcnNpb24+PGRhdGE+QURFMzcwQkU4REFGNDBEMEExN0ZGQjkxNEU0MjY3NUU5"
        "OTk4QzJENTQ2QTJGNEZBM0U0RjNBQkZBODY3Qjk2RjwvZGF0YT48L3Rva2VuPg==",
    ),
]


@pytest.mark.parametrize(("data", "encoded"), TEST_VECTORS)
def test_header_encoding_matches_afas_test_vectors(data: str, encoded: str) -> None:
    token_xml = f"<token><version>1</version><data>{data}</data></token>"
    assert header_value(token_xml) == f"AfasToken {encoded}"


def test_the_troubleshooting_skip_take_example_gets_the_documented_body(
    shared_dir: Path, client: httpx.Client
) -> None:
    guide = (shared_dir / "afas" / "official" / "guides" / "troubleshooting.md").read_text()
    after = guide.split("This results in an http 500 error")[1]
    block = after.split("```")[1]
    documented = json.loads(block.split("\n", 1)[1])
    response = client.get("/connectors/Profit_Functions?skip=2&take=-1")
    body = response.json()
    assert response.status_code == 500
    assert set(body) == set(documented)
    assert (body["externalMessage"], body["errorNumber"]) == (
        documented["externalMessage"],
        documented["errorNumber"],
    )
    assert re.fullmatch(r"[0-9A-F]{32}", body["profitLogReference"])
