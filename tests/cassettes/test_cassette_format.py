"""The afas-json cassette format: readable, stable, round-trips through vcrpy, and stale fails."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from vcr.errors import CannotOverwriteExistingCassetteException

from server import cassette_format
from tests.cassettes.cassette_support import DOCS, PartlyPlayed, replay

pytestmark = pytest.mark.anyio


def interaction(**response_body: object) -> dict[str, object]:
    return {
        "request": {
            "method": "POST",
            "uri": "https://12345.resttest.afas.online/ProfitRestServices/connectors/KnSubject",
            "body": '{"KnSubject": {"Element": {"Fields": {"StId": 1}}}}',
            "headers": {
                "Authorization": ["AfasToken c2VjcmV0"],
                "User-Agent": ["afas-mcp/0.1.0"],
                "Content-Type": ["application/json;charset=utf-8"],
                "Accept": ["application/json"],
            },
        },
        "response": {
            "status": {"code": 201, "message": "Created"},
            "headers": {
                "Date": ["Thu, 23 Nov 2023 12:11:06 GMT"],
                "Content-Type": ["application/json; charset=utf-8"],
                "Content-Length": ["44"],
                "Cache-Control": ["no-store, no-cache"],
            },
            "body": {"string": json.dumps(response_body).encode()},
        },
    }


def test_bodies_are_stored_as_indented_json_not_as_escaped_strings() -> None:
    text = cassette_format.SERIALIZER.serialize(
        {"version": 1, "interactions": [interaction(results={"KnSubject": {"SbId": "7"}})]}
    )
    stored = json.loads(text)["interactions"][0]
    assert stored["request"]["body"] == {
        "json": {"KnSubject": {"Element": {"Fields": {"StId": 1}}}}
    }
    assert stored["response"]["body"] == {"json": {"results": {"KnSubject": {"SbId": "7"}}}}
    assert '\n            "results": {\n' in text  # one key per line: diffs read like code


def test_authorization_user_agent_and_noisy_headers_never_reach_the_file() -> None:
    text = cassette_format.SERIALIZER.serialize({"interactions": [interaction(ok=True)]})
    stored = json.loads(text)["interactions"][0]
    assert list(stored["request"]["headers"]) == ["Accept", "Content-Type"]
    assert list(stored["response"]["headers"]) == ["Cache-Control", "Content-Type"]
    assert "c2VjcmV0" not in text and "Date" not in text


def test_serialising_twice_gives_the_same_bytes_and_a_fixed_key_order() -> None:
    data = {"version": 1, "interactions": [interaction(b=1, a=2)], "metadata": {"source": "x"}}
    first = cassette_format.SERIALIZER.serialize(data)
    again = cassette_format.SERIALIZER.serialize(cassette_format.SERIALIZER.deserialize(first))
    assert first == again
    assert list(json.loads(first)) == ["metadata", "interactions", "version"]
    # AFAS's own key order inside a body is kept, not sorted.
    assert list(json.loads(first)["interactions"][0]["response"]["body"]["json"]) == ["b", "a"]


def test_deserialised_bodies_are_the_compact_json_the_wire_carried() -> None:
    text = cassette_format.SERIALIZER.serialize({"interactions": [interaction(rows=[1, 2])]})
    loaded = cassette_format.SERIALIZER.deserialize(text)["interactions"][0]
    assert loaded["response"]["body"]["string"] == '{"rows":[1,2]}'
    assert json.loads(loaded["request"]["body"]) == {
        "KnSubject": {"Element": {"Fields": {"StId": 1}}}
    }


@pytest.mark.parametrize(
    ("body", "kept_as"),
    [
        ("Out of memory", {"text": "Out of memory"}),
        ("", {"text": ""}),
        (b"\xff\xfe", {"base64": "//4="}),
    ],
    ids=["text", "empty", "binary"],
)
def test_text_empty_and_binary_bodies_round_trip(
    body: str | bytes, kept_as: dict[str, str]
) -> None:
    item = interaction()
    item["response"]["body"] = {"string": body}  # type: ignore[index]
    text = cassette_format.SERIALIZER.serialize({"interactions": [item]})
    assert json.loads(text)["interactions"][0]["response"]["body"] == kept_as
    loaded = cassette_format.SERIALIZER.deserialize(text)["interactions"][0]
    assert loaded["response"]["body"]["string"] == body


def test_a_file_that_is_not_a_cassette_is_refused() -> None:
    with pytest.raises(ValueError, match="interactions"):
        cassette_format.SERIALIZER.deserialize('{"rows": []}')


async def test_a_cassette_played_only_in_part_fails_naming_what_was_not_asked_for(
    tmp_path: Path,
) -> None:
    # The FiEntries cassette holds three answers; asking for one leaves two unplayed.
    source = cassette_format.load(DOCS / "update-201-fientries.json")
    body = source["interactions"][0]["request"]["body"]["json"]
    with (
        pytest.raises(PartlyPlayed, match="partly played"),
        replay(DOCS / "update-201-fientries.json"),
    ):
        async with httpx.AsyncClient() as http:
            await http.post(
                "https://123456.restaccept.afas.online/ProfitRestServices/connectors/FiEntries",
                json=body,
            )


async def test_a_request_the_cassette_does_not_hold_fails_instead_of_reaching_the_network() -> None:
    with (
        pytest.raises(CannotOverwriteExistingCassetteException),
        replay(DOCS / "metainfo.json"),
    ):
        async with httpx.AsyncClient() as http:
            await http.get("https://123456.restaccept.afas.online/ProfitRestServices/profitversion")
