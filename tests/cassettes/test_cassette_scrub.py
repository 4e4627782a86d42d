"""Scrubbing recorded traffic: valid-looking deterministic fakes, and nothing real left behind."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

import pytest

from server.cassette_fakes import (
    FAKE_CITIES,
    FAKE_FIRST_NAMES,
    FAKE_LAST_NAMES,
    FAKE_STREETS,
    Faker,
    iban_check_digits,
)
from server.cassette_fields import kind_of
from server.cassette_scrub import SECRET, Scrubber
from simulator.tenant import pools
from simulator.tenant.ids import eleven_check, iban_is_valid

SALT = b"test salt"
BASE = "https://17919.resttest.afas.online/ProfitRestServices"


def call(
    uri: str, body: object, *, request_body: object = None, status: int = 200
) -> dict[str, Any]:
    return {
        "request": {
            "method": "GET" if request_body is None else "POST",
            "uri": uri,
            "headers": {
                "Authorization": ["AfasToken c2VjcmV0c2VjcmV0"],
                "Accept": ["application/json"],
            },
            "body": None if request_body is None else json.dumps(request_body),
        },
        "response": {
            "status": {"code": status, "message": "OK"},
            "headers": {"Content-Type": ["application/json"]},
            "body": {"string": json.dumps(body).encode()},
        },
    }


def scrub_all(items: list[dict[str, Any]], **options: Any) -> tuple[Scrubber, list[dict[str, Any]]]:
    scrubber = Scrubber(salt=SALT, environment_id="17919", **options)
    scrubber.learn(items)
    return scrubber, [s for item in items if (s := scrubber.interaction(item)) is not None]


def body(item: dict[str, Any]) -> Any:
    return json.loads(item["response"]["body"]["string"])


# --- fakes ------------------------------------------------------------------------------------


def test_a_fake_bsn_passes_the_eleven_check_and_is_the_same_for_the_same_salt() -> None:
    faker = Faker(SALT)
    for real in ("111222333", "123456782", "999999990"):
        fake = faker.bsn(real)
        assert eleven_check(fake) and fake != real
        assert Faker(SALT).bsn(real) == fake
        assert Faker(b"another salt").bsn(real) != fake


def test_a_fake_iban_has_valid_check_digits_and_keeps_country_length_and_grouping() -> None:
    faker = Faker(SALT)
    fake = faker.iban("NL91ABNA0417164300")
    assert iban_is_valid(fake) and fake[:2] == "NL" and len(fake) == 18
    grouped = faker.iban("NL91 ABNA 0417 1643 00")
    assert grouped.replace(" ", "") == fake and grouped.count(" ") == 4
    assert iban_check_digits("NL", "ABNA0417164300") == "91"


def test_a_fake_code_keeps_length_character_classes_and_leading_zeros() -> None:
    faker = Faker(SALT)
    fake = faker.identifier("identifier", "000001005")
    assert len(fake) == 9 and fake.startswith("00000") and fake[5] != "0" and fake.isdigit()
    word = faker.identifier("identifier", "ALLARDJ")
    assert len(word) == 7 and word.isupper() and word != "ALLARDJ"


def test_a_date_of_birth_gets_the_same_fake_day_in_a_row_and_in_a_filter() -> None:
    faker = Faker(SALT)
    row, wire = faker.birth_date("1985-12-15T00:00:00Z"), faker.birth_date("1985-12-15T00:00:00")
    assert row == wire + "Z" and row[:10] != "1985-12-15"


def test_names_are_faked_the_same_whatever_their_case() -> None:
    faker = Faker(SALT)
    assert faker.last_name("JANSEN") == faker.last_name("Jansen").upper()
    assert faker.postcode("3811 HN").replace(" ", "") == faker.postcode("3811HN")


def test_no_fake_word_contains_a_name_or_place_of_the_simulator_tenant() -> None:
    real = [
        *pools.FIRST_NAMES_M,
        *pools.FIRST_NAMES_V,
        *pools.LAST_NAMES,
        *pools.STREETS,
        *(city for city, _ in pools.CITIES),
    ]
    fakes = [*FAKE_FIRST_NAMES, *FAKE_LAST_NAMES, *FAKE_STREETS, *FAKE_CITIES]
    clashes = [(r, f) for r in real for f in fakes if r.lower() in f.lower()]
    assert clashes == []


# --- fields ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "connector", "labels", "kind"),
    [
        ("BSN", "AfasMcp_Employees", None, "bsn"),
        ("SoSe", "KnPerson", None, "bsn"),
        ("@AcId", "KnEmployee", None, "iban"),
        ("Number", "Profit_Address", None, "house_number"),
        ("Number", "Profit_Subjects", None, None),
        ("U1234", "Custom_Employees", {"U1234": "Achternaam"}, "last_name"),
        ("Geboren", "Custom_Employees", {"Geboren": "Geboortedatum"}, "birth_date"),
        ("HmAdd", "Custom", {"HmAdd": "Huisnummer toevoeging"}, None),
        ("Description", "Profit_Accounts", None, None),
    ],
)
def test_personal_fields_are_found_by_id_connector_and_label(
    field: str, connector: str, labels: dict[str, str] | None, kind: str | None
) -> None:
    assert kind_of(field, connector=connector, labels=labels) == kind


# --- the scrubber ---------------------------------------------------------------------------


def test_token_environment_number_and_loopback_port_go_even_without_personal_scrubbing() -> None:
    token_xml = "<token><version>1</version><data>" + "A" * 64 + "</data></token>"
    items = [
        call(
            "http://127.0.0.1:50123/ProfitRestServices/metainfo",
            {"info": {"envid": "T17919AA", "group": "Groep (17919.AFASMCP)"}, "echo": token_xml},
        )
    ]
    scrubber, (item,) = scrub_all(items, personal=False, secrets=["AfasToken c2VjcmV0c2VjcmV0"])
    text = json.dumps(item, default=bytes.decode)
    assert "17919" not in text and "c2VjcmV0" not in text and "A" * 64 not in text
    assert "Authorization" not in item["request"]["headers"]
    assert item["request"]["uri"] == "http://127.0.0.1/ProfitRestServices/metainfo"
    info = body(item)["info"]
    assert info["envid"] == f"T{scrubber.fake_environment_id}AA"
    assert info["group"] == f"Groep ({scrubber.fake_environment_id}.AFASMCP)"
    assert body(item)["echo"] == SECRET


def test_the_oauth_token_call_is_never_kept() -> None:
    items = [call(f"{BASE}/oauth/token", {"access_token": "abc", "token_type": "Bearer"})]
    assert scrub_all(items)[1] == []


def test_a_filter_value_and_the_rows_it_matched_get_the_same_fake() -> None:
    uri = (
        f"{BASE}/connectors/AfasMcp_Employees?skip=0&take=2&orderbyfieldids=EmployeeId"
        "&filterfieldids=BirthName%2CBSN&filtervalues=Jansen%2C123456782&operatortypes=1%2C1"
    )
    rows = {"rows": [{"EmployeeId": "100001", "BirthName": "Jansen", "BSN": "123456782"}]}
    _, (item,) = scrub_all([call(uri, rows)])
    params = dict(parse_qsl(urlsplit(item["request"]["uri"]).query))
    (row,) = body(item)["rows"]
    assert params["filtervalues"] == f"{row['BirthName']},{row['BSN']}"
    assert row["BirthName"] != "Jansen" and eleven_check(row["BSN"]) and row["BSN"] != "123456782"


def test_the_placeholder_of_is_empty_and_is_not_empty_stays_as_the_client_sends_it() -> None:
    uri = (
        f"{BASE}/connectors/AfasMcp_Employees?skip=0&take=2"
        "&filterfieldids=BSN%3BMail&filtervalues=%5Bis%20niet%20leeg%5D%3B%5Bis%20leeg%5D"
        "&operatortypes=9%3B8"
    )
    _, (item,) = scrub_all([call(uri, {"rows": []})])
    params = dict(parse_qsl(urlsplit(item["request"]["uri"]).query))
    assert params["filtervalues"] == "[is niet leeg];[is leeg]"


def test_a_filterjson_value_is_faked_by_its_field() -> None:
    document = {
        "Filters": {
            "Filter": [
                {
                    "@FilterId": "Filter 1",
                    "Field": [{"@FieldId": "EmployeeId", "@OperatorType": "1", "#text": "100001"}],
                }
            ]
        }
    }
    encoded = quote(json.dumps(document), safe="")
    uri = f"{BASE}/connectors/AfasMcp_Employees?skip=0&take=2&filterjson={encoded}"
    _, (item,) = scrub_all([call(uri, {"rows": [{"EmployeeId": "100001"}]})])
    sent = json.loads(dict(parse_qsl(urlsplit(item["request"]["uri"]).query))["filterjson"])
    assert (
        sent["Filters"]["Filter"][0]["Field"][0]["#text"]
        == body(item)["rows"][0]["EmployeeId"]
        != "100001"
    )


def test_a_value_learned_in_one_call_is_replaced_in_free_text_messages_and_paths_of_others() -> (
    None
):
    items = [
        call(
            f"{BASE}/connectors/Profit_Employees?skip=0&take=1",
            {"rows": [{"EmployeeId": "100001", "BirthName": "Hoekstra"}]},
        ),
        call(
            f"{BASE}/connectors/KnEmployee/AfasEmployee/@EmId/100001",
            {"externalMessage": "The value for 'Employee' does not exist. (100001) Hoekstra"},
            request_body=None,
            status=500,
        ),
    ]
    _, scrubbed = scrub_all(items)
    fake_id = body(scrubbed[0])["rows"][0]["EmployeeId"]
    assert scrubbed[1]["request"]["uri"].endswith(f"/@EmId/{fake_id}")
    message = body(scrubbed[1])["externalMessage"]
    assert "100001" not in message and "Hoekstra" not in message and fake_id in message


def test_skip_take_and_field_ids_stay_even_when_a_learned_code_has_the_same_digits() -> None:
    uri = f"{BASE}/connectors/Profit_Debtor?skip=10000&take=21&orderbyfieldids=DebtorId"
    _, (item,) = scrub_all([call(uri, {"rows": [{"DebtorId": "10000"}, {"DebtorId": "21"}]})])
    params = dict(parse_qsl(urlsplit(item["request"]["uri"]).query))
    assert params == {"skip": "10000", "take": "21", "orderbyfieldids": "DebtorId"}
    assert body(item)["rows"][0]["DebtorId"] != "10000"


def test_bsn_iban_and_email_are_found_by_pattern_in_fields_nobody_classified() -> None:
    rows = {"rows": [{"Remark": "BSN 123456782, IBAN NL91ABNA0417164300, mail jan@x.example"}]}
    _, (item,) = scrub_all([call(f"{BASE}/connectors/Custom_Notes?skip=0&take=1", rows)])
    remark = body(item)["rows"][0]["Remark"]
    assert not re.search(r"123456782|NL91ABNA0417164300|jan@x\.example", remark)
    assert "@example.org" in remark


def test_a_write_body_is_scrubbed_by_its_update_connector_field_codes() -> None:
    person = {
        "KnPerson": {
            "Element": {
                "Fields": {
                    "FiNm": "Gerda",
                    "LaNm": "Zwanenburg",
                    "SoSe": "123456782",
                    "EmAd": "g@z.example",
                    "DaBi": "1970-02-03",
                }
            }
        }
    }
    _, (item,) = scrub_all(
        [
            call(
                f"{BASE}/connectors/KnPerson",
                {"results": {"KnPerson": {"BcCo": "1000551"}}},
                request_body=person,
            )
        ]
    )
    sent = json.loads(item["request"]["body"])["KnPerson"]["Element"]["Fields"]
    assert sent["FiNm"] in FAKE_FIRST_NAMES and sent["LaNm"] in FAKE_LAST_NAMES
    assert eleven_check(sent["SoSe"]) and sent["EmAd"].endswith("@example.org")
    assert sent["DaBi"] != "1970-02-03"
    assert body(item)["results"]["KnPerson"]["BcCo"] != "1000551"


def test_metainfo_names_and_labels_are_not_taken_for_personal_data() -> None:
    meta = {"name": "AfasMcp_Employees", "fields": [{"id": "BirthName", "label": "Geboortenaam"}]}
    _, (item,) = scrub_all([call(f"{BASE}/metainfo/get/AfasMcp_Employees", meta)])
    assert body(item) == meta


def test_without_personal_scrubbing_names_stay_as_recorded() -> None:
    rows = {"rows": [{"BirthName": "Jansen"}]}
    _, (item,) = scrub_all(
        [call(f"{BASE}/connectors/AfasMcp_Employees?skip=0&take=1", rows)], personal=False
    )
    assert body(item) == rows
