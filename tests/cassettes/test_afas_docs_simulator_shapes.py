"""The simulator (docs profile) answers AFAS's published requests in AFAS's published shapes.

For each example family in cassettes/afas-docs/ the same request goes to the simulator and the
two answers are compared as shapes: the same keys, the same JSON types, the same structure;
values may differ. Where they differ in shape, the difference is listed here exactly
(`KNOWN`) and pinned, so a change on either side is noticed; each entry says who is right.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import httpx
import pytest

from server.afas import AfasClient, AfasUnavailable, RetryPolicy
from server.config import load_settings
from simulator.testing import SimulatorHandle, start_simulator
from tests.cassettes.cassette_support import DOCS, stored

pytestmark = pytest.mark.anyio

REFERENCE_DAY = date(2026, 3, 16)  # March 2026 is open in the simulator's books, January blocked
DATE_Z = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
LOG_REFERENCE = re.compile(r"[0-9A-F]{32}")

# Shape differences between AFAS's published examples and the simulator, family by family.
KNOWN = {
    # AFAS's page nests each value in {"example": ...}, an artefact of its spec generator; the
    # simulator sends plain strings. The client reads both (see the 503 test). Neither is a bug.
    "503": [
        ("error.code", "{example: str}", "str"),
        ("error.message", "{example: str}", "str"),
    ],
    # Three published forms of one answer. The simulator sends the one a real capture shows
    # (afas-api.md 5.4); the how-to drops the "results" wrapper and the spec keys it by the
    # connector and spells InID. The client reads all four alike.
    "fientries": {
        "howto": "no results wrapper",
        "spec": "results.FiEntries with InID instead of results.FiEntryPar with InId",
    },
}


def shape(value: Any) -> Any:
    """The JSON type of every value; lists by the set of their items' shapes."""
    if isinstance(value, dict):
        return {key: shape(inner) for key, inner in value.items()}
    if isinstance(value, list):
        kinds: list[Any] = []
        for item in value:
            if shape(item) not in kinds:
                kinds.append(shape(item))
        return kinds
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "date" if DATE_Z.fullmatch(value) else "str"
    raise TypeError(type(value).__name__)


def docs_interaction(name: str, index: int = -1) -> dict[str, Any]:
    item: dict[str, Any] = stored(DOCS / name)["interactions"][index]
    return item


def docs_body(name: str, index: int = -1, *, part: str = "response") -> Any:
    return docs_interaction(name, index)[part]["body"].get("json")


@pytest.fixture(scope="module")
def simulator() -> Iterator[SimulatorHandle]:
    with start_simulator(profile="docs", seed=1, reference_date=REFERENCE_DAY) as handle:
        yield handle


@pytest.fixture
def sim(simulator: SimulatorHandle) -> Iterator[SimulatorHandle]:
    simulator.reset()
    yield simulator
    simulator.reset()


def send(
    sim: SimulatorHandle, method: str, path: str, *, label: str = "full", **kwargs: Any
) -> httpx.Response:
    headers = {"Authorization": sim.auth_header(label), "Accept": "application/json"}
    return httpx.request(method, f"{sim.base_url}{path}", headers=headers, timeout=10, **kwargs)


# --- metainfo ---------------------------------------------------------------------------------


def test_metainfo_has_the_shape_of_afas_example(sim: SimulatorHandle) -> None:
    answer = send(sim, "GET", "/metainfo").json()
    docs = docs_body("metainfo.json")
    assert shape(answer) == shape(docs)
    for envid in (answer["info"]["envid"], docs["info"]["envid"]):
        assert re.fullmatch(r"[OTA]\d+[A-Z]+", envid)


@pytest.mark.parametrize(
    ("cassette", "connector"),
    [
        ("metainfo-get-profit-administrations.json", "Profit_Administrations"),
        ("metainfo-get-profit-accounts.json", "Profit_Accounts"),
    ],
)
def test_getconnector_metainfo_has_the_shape_and_types_of_afas_example(
    sim: SimulatorHandle, cassette: str, connector: str
) -> None:
    answer = send(sim, "GET", f"/metainfo/get/{connector}").json()
    docs = docs_body(cassette)
    assert shape(answer) == shape(docs)
    published = {f["id"]: f for f in docs["fields"]}
    served = {f["id"]: f for f in answer["fields"]}
    for field_id, field in published.items():
        assert served[field_id]["dataType"] == field["dataType"], field_id
        assert served[field_id]["fieldId"] == field["fieldId"], field_id


def test_update_metainfo_field_entries_have_the_keys_and_types_of_afas_custom_field(
    sim: SimulatorHandle,
) -> None:
    answer = send(sim, "GET", "/metainfo/update/KnPerson").json()
    (published,) = docs_body("metainfo-update-knperson.json")["fields"]
    for field in answer["fields"]:
        entry = dict(field)
        if entry["values"] is not None:  # a code table: [{"id", "description"}, ...]
            assert shape(entry["values"]) == [{"id": "str", "description": "str"}]
            entry["values"] = None
        assert shape(entry) == shape(published), field["fieldId"]
    assert answer["name"] == "KnPerson"


# --- GetConnector rows ------------------------------------------------------------------------


def kinds_by_type(meta: dict[str, Any], rows: list[dict[str, Any]]) -> dict[str, set[str]]:
    """dataType -> the JSON kinds its non-empty values came as (decimals as `number`)."""
    types = {f["id"]: f["dataType"] for f in meta["fields"]}
    found: dict[str, set[str]] = {}
    for row in rows:
        for name, value in row.items():
            if value is None:
                continue
            kind = shape(value)
            if types[name] == "decimal" and kind in ("int", "number"):
                kind = "number"
            found.setdefault(types[name], set()).add(kind)
    return found


def test_rows_carry_each_data_type_as_the_published_rows_do(sim: SimulatorHandle) -> None:
    published: dict[str, set[str]] = {}
    for name in (
        "get-rows-profit-address.json",
        "get-rows-or-filter.json",
        "get-rows-payroll-transactions.json",
    ):
        meta, rows = docs_body(name, 0), docs_body(name, 1)
        assert set(rows) == {"skip", "take", "rows"}
        for data_type, kinds in kinds_by_type(meta, rows["rows"]).items():
            published.setdefault(data_type, set()).update(kinds)
    served: dict[str, set[str]] = {}
    # The simulator has no Profit_Address or SH_AUDIT connectors: the same data types are read
    # from connectors it has, the same way the client reads them.
    for connector, key in (("AfasMcp_Employees", "EmployeeId"), ("Profit_Debtor", "DebtorId")):
        meta = send(sim, "GET", f"/metainfo/get/{connector}").json()
        answer = send(
            sim, "GET", f"/connectors/{connector}?skip=0&take=50&orderbyfieldids={key}"
        ).json()
        assert shape({k: v for k, v in answer.items() if k != "rows"}) == {
            "skip": "int",
            "take": "int",
        }
        for data_type, kinds in kinds_by_type(meta, answer["rows"]).items():
            served.setdefault(data_type, set()).update(kinds)
    assert published == {
        "int": {"int"},
        "boolean": {"bool"},
        "string": {"str"},
        "date": {"date"},
        "decimal": {"number"},
    }
    for data_type, kinds in published.items():
        assert served[data_type] == kinds, data_type


def test_the_published_or_filter_in_its_semicolon_form_is_understood(sim: SimulatorHandle) -> None:
    # howto-medewerker-ad.md's request, on the simulator's field names and a day in its data:
    # (EmploymentEnd < 2026-03-16 AND Mail != 'P') OR (Mail is empty)
    query = (
        "filterfieldids=EmploymentEnd%2CMail%3BMail"
        "&filtervalues=2026-03-16T00%3A00%3A00%2CP%3B%5Bis%20leeg%5D&operatortypes=5%2C7%3B8"
    )
    response = send(
        sim,
        "GET",
        f"/connectors/AfasMcp_Employees?skip=-1&take=-1&orderbyfieldids=EmployeeId&{query}",
    )
    assert response.status_code == 200
    rows = response.json()["rows"]
    assert rows, "the tenant has employees who left before 2026-03-16 or have no mail"
    for row in rows:
        ended = row["EmploymentEnd"] is not None and row["EmploymentEnd"] < "2026-03-16"
        assert (ended and row["Mail"] != "P") or row["Mail"] is None, row["EmployeeId"]
    assert {shape(row["EmploymentEnd"]) for row in rows} <= {"date", "null"}


def test_the_published_and_filter_form_narrows_rows_of_the_same_shape(sim: SimulatorHandle) -> None:
    # howto-la-sa.md: filterfieldids=Employer,Year,Period&filtervalues=01,2024,10 (operators 1,1,1)
    query = "filterfieldids=EmployerId,Year,Period&filtervalues=01,2026,3&operatortypes=1,1,1"
    answer = send(
        sim,
        "GET",
        f"/connectors/AfasMcp_PayrollPeriods?skip=0&take=20&orderbyfieldids=PeriodTableId&{query}",
    ).json()
    assert answer["rows"] and all(
        (r["EmployerId"], r["Year"], r["Period"]) == ("01", 2026, 3) for r in answer["rows"]
    )
    assert {k: shape(answer["rows"][0][k]) for k in ("EmployerId", "Year", "Period")} == {
        "EmployerId": "str",
        "Year": "int",
        "Period": "int",
    }


# --- UpdateConnector 201 results --------------------------------------------------------------


def fin_entry(*, period: int, day: str) -> dict[str, Any]:
    """howto-finance-mutation.md's entry, on accounts, a debtor and a period the simulator has."""
    body = copy.deepcopy(docs_body("update-201-fientries.json", 0, part="request"))
    element = body["FiEntryPar"]["Element"]
    element["Fields"].update({"Year": str(REFERENCE_DAY.year), "Peri": str(period)})
    lines = element["Objects"]["FiEntries"]["Element"]
    for line, account in zip(lines, ("10000", "8000", "1510"), strict=True):
        line["Fields"].update({"AcNr": account, "EnDa": day, "BpDa": day})
    return body


def test_knsubject_201_has_the_shape_of_the_published_result(sim: SimulatorHandle) -> None:
    body = docs_body("update-201-knsubject.json", part="request")
    # Sent as published, dossier item type 4 included: the simulator knows AFAS's example types.
    answer = send(sim, "POST", "/connectors/KnSubject", json=body)
    assert answer.status_code == 201
    assert shape(answer.json()) == shape(docs_body("update-201-knsubject.json"))


def test_fientries_201_has_the_shape_of_the_captured_form_and_differs_from_the_others(
    sim: SimulatorHandle,
) -> None:
    answer = send(sim, "POST", "/connectors/FiEntries", json=fin_entry(period=3, day="2026-03-02"))
    assert answer.status_code == 201, answer.text
    howto, spec, captured = (docs_body("update-201-fientries.json", i) for i in range(3))
    served = shape(answer.json())
    assert served == {"results": {"FiEntryPar": {"UnId": "str", "EnNo": "str", "InId": "str"}}}
    assert set(served["results"]["FiEntryPar"]) >= set(captured["results"]["FiEntryPar"])
    assert served["results"] == shape(howto), KNOWN["fientries"]["howto"]
    assert set(spec["results"]) == {"FiEntries"} and "InID" in spec["results"]["FiEntries"], KNOWN[
        "fientries"
    ]["spec"]


def test_knemployee_201_has_the_shape_of_the_published_result(sim: SimulatorHandle) -> None:
    body = docs_body("update-201-knemployee.json", part="request")
    body["AfasEmployee"]["Element"]["@EmId"] = "100001"  # AFAS's 1234568774 is not in the tenant
    answer = send(sim, "POST", "/connectors/KnEmployee", json=body)
    assert answer.status_code == 201, answer.text
    assert shape(answer.json()) == shape(docs_body("update-201-knemployee.json"))


# --- errors -----------------------------------------------------------------------------------


def assert_error_body(served: dict[str, Any], published: dict[str, Any]) -> None:
    assert set(published) <= set(served) == {"externalMessage", "errorNumber", "profitLogReference"}
    assert shape({k: served[k] for k in published}) == shape(published)
    assert LOG_REFERENCE.fullmatch(served["profitLogReference"])


def test_500_for_skip_2_take_minus_1_is_the_published_body(sim: SimulatorHandle) -> None:
    answer = send(sim, "GET", "/connectors/Profit_Functions?skip=2&take=-1")
    published = docs_body("error-500-unexpected.json")
    assert answer.status_code == 500
    assert_error_body(answer.json(), published)
    assert answer.json()["externalMessage"] == published["externalMessage"]
    assert answer.json()["errorNumber"] == published["errorNumber"]


def test_500_for_an_unknown_employee_has_the_published_message_and_number(
    sim: SimulatorHandle,
) -> None:
    body = docs_body("error-500-employee-does-not-exist.json", part="request")
    answer = send(sim, "POST", "/connectors/HrAbsence", json=body)
    published = docs_body("error-500-employee-does-not-exist.json")
    assert answer.status_code == 500
    assert_error_body(answer.json(), published)
    assert answer.json()["errorNumber"] == published["errorNumber"]
    # Word for word: the simulator once added the value it could not find ("(andreo)").
    assert answer.json()["externalMessage"] == published["externalMessage"]


def test_500_for_a_blocked_period_has_the_published_message_form(sim: SimulatorHandle) -> None:
    answer = send(sim, "POST", "/connectors/FiEntries", json=fin_entry(period=1, day="2026-01-02"))
    published = docs_body("error-500-fientries-blocked-period.json")
    assert answer.status_code == 500
    assert_error_body(answer.json(), published)
    form = re.compile(
        r"Date '\d{1,2}-\d{1,2}-\d{4}' belongs to a blocked period \| "
        r"For this administration, period \d+ of the year \d{4} is blocked\."
    )
    assert form.fullmatch(published["externalMessage"])
    assert form.fullmatch(answer.json()["externalMessage"]), answer.json()["externalMessage"]


async def test_503_differs_only_by_the_published_example_nesting_and_reads_the_same(
    sim: SimulatorHandle,
) -> None:
    sim.set_maintenance(True, retry_after=7200)
    answer = send(sim, "GET", "/metainfo")
    published = docs_body("error-503-retry-after.json")
    assert answer.status_code == 503 and answer.headers["Retry-After"] == "7200"
    served, docs = shape(answer.json()), shape(published)
    assert served["retry_after"] == docs["retry_after"] == "int"
    differences = [
        (
            f"error.{key}",
            "{example: str}" if docs["error"][key] == {"example": "str"} else docs["error"][key],
            served["error"][key],
        )
        for key in ("code", "message")
        if docs["error"][key] != served["error"][key]
    ]
    assert differences == KNOWN["503"]
    env = sim.env() | {"AFAS_RATE_LIMIT_PER_MINUTE": "0", "HOME": "/nonexistent"}
    async with AfasClient(load_settings(env).afas, retry=RetryPolicy(attempts=1)) as afas:
        with pytest.raises(AfasUnavailable) as caught:
            await afas.metainfo()
    assert caught.value.retry_after == 7200


def test_401_is_an_empty_body_as_published(sim: SimulatorHandle) -> None:
    sim.revoke_token()
    answer = send(sim, "GET", "/metainfo")
    assert (answer.status_code, answer.content) == (401, b"")
    published = docs_interaction("error-401-empty.json")["response"]
    assert published["status"]["code"] == 401 and published["body"] == {"text": ""}


def test_403_is_an_empty_body_as_published(sim: SimulatorHandle) -> None:
    answer = send(sim, "GET", "/connectors/Profit_Accounts?skip=0&take=1", label="restricted")
    assert (answer.status_code, answer.content) == (403, b"")
    assert docs_interaction("error-403-empty.json")["response"]["body"] == {"text": ""}
