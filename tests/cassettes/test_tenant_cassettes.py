"""Cassettes recorded from users' own test tenants (cassettes/mine/), replayed through the client.

Drop a cassette made with `afas-mcp record` into cassettes/mine/ and it joins the suite: every
call in it is made again through the real client, in the recorded order, and must match a
recorded request, parse (rows normalised by the recorded metainfo and checked against the
filter, write results read) and use up the cassette. So a tenant's own wire format, custom
connectors and quirks are pinned like AFAS's published examples are.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import pytest

from server.afas import AfasClient, AfasHTTPError, Filter, FilterGroup, Operator
from server.config import load_settings
from tests.cassettes.cassette_support import CASSETTES, REPLAY_TOKEN, replay, stored

pytestmark = pytest.mark.anyio

MINE = sorted((CASSETTES / "mine").glob("**/*.json"))


def filter_groups(params: dict[str, str]) -> list[FilterGroup]:
    """The filter of a recorded query, as the client takes it (both of AFAS's syntaxes)."""
    if "filterjson" in params:
        document = json.loads(params["filterjson"])
        return [
            FilterGroup(
                *(
                    _condition(f["@FieldId"], f["@OperatorType"], f.get("#text"))
                    for f in group["Field"]
                )
            )
            for group in document["Filters"]["Filter"]
        ]
    if "filterfieldids" not in params:
        return []
    fields = [g.split(",") for g in params["filterfieldids"].split(";")]
    values = [g.split(",") for g in params["filtervalues"].split(";")]
    operators = [g.split(",") for g in params.get("operatortypes", "").split(";")]
    return [
        FilterGroup(*(_condition(f, o or "1", v) for f, v, o in zip(*group, strict=True)))
        for group in zip(fields, values, operators, strict=True)
    ]


def _condition(field: str, operator: str, value: str | None) -> Filter:
    op = Operator(int(operator))
    return Filter(field, op, value if op.takes_value else None)


async def replay_calls(afas: AfasClient, interactions: list[dict[str, Any]]) -> list[str]:
    """Make every recorded call again through the client; return what each one gave."""
    outcomes = []
    for item in interactions:
        request = item["request"]
        parts = urlsplit(request["uri"])
        segments = [unquote(s) for s in parts.path.split("/") if s]
        lowered = [s.lower() for s in segments]
        try:
            if lowered[-1] == "metainfo":
                await afas.verify_environment()
            elif "metainfo" in lowered and lowered[-2] == "get":
                await afas.get_connector_meta(segments[-1])
            elif "metainfo" in lowered and lowered[-2] == "update":
                await afas.update_connector_meta(segments[-1])
            elif request["method"] == "GET":
                params = dict(parse_qsl(parts.query, keep_blank_values=True))
                page = await afas.fetch_page(
                    segments[-1],
                    key=tuple(params["orderbyfieldids"].split(",")),
                    filters=filter_groups(params),
                    take=int(params["take"]) - 1,
                )
                outcomes.append(f"{segments[-1]}: {len(page.rows)} rows")
            else:
                connector = segments[lowered.index("connectors") + 1]
                body = request["body"]["json"]
                write = afas.insert if request["method"] == "POST" else afas.update
                result = await write(connector, body)
                outcomes.append(f"{connector}: {result.status_code} {dict(result.keys)}")
        except AfasHTTPError as exc:  # a recorded refusal is behaviour too: it must still parse
            outcomes.append(f"{type(exc).__name__} {exc.status_code}")
    return outcomes


@pytest.mark.parametrize("path", MINE, ids=[p.stem for p in MINE])
async def test_a_tenant_cassette_replays_through_the_client_to_the_last_call(path: Path) -> None:
    document = stored(path)
    environment = document["metadata"]["environment"]
    assert environment["type"] in ("test", "accept"), "production is never recorded"
    settings = load_settings(
        {
            "AFAS_ENVIRONMENT_ID": environment["id"],
            "AFAS_ENVIRONMENT_TYPE": environment["type"],
            "AFAS_TOKEN": REPLAY_TOKEN,
            "AFAS_RATE_LIMIT_PER_MINUTE": "0",
            "HOME": "/nonexistent",
        }
    ).afas
    async with AfasClient(settings) as afas:
        with replay(path):
            outcomes = await replay_calls(afas, document["interactions"])
    assert outcomes


def test_tenant_cassettes_carry_no_credential_header() -> None:
    for path in MINE:
        text = path.read_text(encoding="utf-8").lower()
        assert "authorization" not in text and "afastoken" not in text, path.name
