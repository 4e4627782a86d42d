"""Tool scenarios replayed from cassettes/scenarios/, without starting the simulator.

The product's tools run through the in-memory MCP client; only the product's outgoing AFAS HTTP
comes from the cassette (matched on method, path, query and body, not host or port). A cassette
holds, besides the calls, the arguments and the expected answer as the simulator's tenant had
them when it was recorded, so a replay still checks the tools against ground truth.

Re-record every scenario (after a change to the client or a tool alters the requests, or to the
simulator's contract) with one command:

    AFAS_MCP_RECORD=1 .venv/bin/pytest tests/cassettes/test_scenarios.py
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

import pytest
from mcp import Client
from vcr.cassette import Cassette

from server.afas import AfasClient
from server.afas.values import AMSTERDAM
from server.app import build_server
from server.cassette_scrub import Scrubber
from server.config import Settings, load_settings
from simulator.testing import SimulatorHandle, start_simulator
from tests.cassettes.cassette_support import (
    REPLAY_TOKEN,
    SCENARIOS,
    assert_all_played,
    make_vcr,
    stored,
)
from tests.tools.tool_helpers import call, refused
from tools import resolve_toolsets
from tools.deps import AfasGate, ToolDeps

pytestmark = pytest.mark.anyio

RECORDING = os.environ.get("AFAS_MCP_RECORD") == "1"
RECORD_COMMAND = "AFAS_MCP_RECORD=1 .venv/bin/pytest tests/cassettes/test_scenarios.py"
NOW = datetime(2026, 3, 16, 10, 0, tzinfo=AMSTERDAM)  # the tools' clock, and the tenant's today
PROFILE, SEED = "docs", 1
QUIRKS = ("R1_wage_tax_blank_for_terminated",)  # on top of the docs profile
# The tenant is synthetic, so only the token and the environment number are scrubbed, with a
# salt that need not be secret; a user's own recordings use `afas-mcp record` instead.
SALT = b"afas-mcp scenarios"

T = TypeVar("T")


@dataclass
class Scenario:
    """One test's cassette, the product server over it, and (recording only) the simulator."""

    cassette: Cassette
    server: Any
    sim: SimulatorHandle | None

    def remember(self, key: str, compute: Callable[[SimulatorHandle], T]) -> T:
        """A value from the simulator when recording, stored in the cassette for replays."""
        if self.sim is not None:
            value = compute(self.sim)
            self.cassette.get_metadata(key, value)
            return value
        remembered: T = self.cassette.get_metadata(key, None)
        return remembered

    def requested_paths(self) -> list[str]:
        return [request.path for request in self.cassette.requests]


def product_server(settings: Settings) -> Any:
    """The product's read tools over one AFAS client, with the tools' clock pinned to NOW."""

    @asynccontextmanager
    async def deps() -> AsyncIterator[ToolDeps]:
        async with AfasClient(settings.afas) as client:
            yield ToolDeps(
                settings=settings,
                gate=AfasGate(client),
                connectors=dict(settings.connectors),
                clock=lambda: NOW,
            )

    return build_server(tools=resolve_toolsets(None, writes_enabled=False), deps_factory=deps)


def _settings(environment: dict[str, str], tmp: str, **extra: str) -> Settings:
    return load_settings(
        {
            "AFAS_ENVIRONMENT_ID": environment["id"],
            "AFAS_ENVIRONMENT_TYPE": environment["type"],
            "AFAS_MCP_DATABASE": f"{tmp}/db.sqlite",
            "AFAS_RATE_LIMIT_PER_MINUTE": "0",
            "HOME": "/nonexistent",
            **extra,
        }
    )


@pytest.fixture(scope="module")
def recording_sim() -> Iterator[SimulatorHandle | None]:
    if not RECORDING:
        yield None
        return
    with start_simulator(profile=PROFILE, seed=SEED, reference_date=NOW.date()) as sim:
        yield sim


def _recorder(sim: SimulatorHandle) -> tuple[Any, Scrubber]:
    secrets = load_settings(sim.env() | {"HOME": "/nonexistent"}).secret_values()
    scrubber = Scrubber(
        salt=SALT, environment_id=sim.environment_id, secrets=secrets, personal=False
    )

    def request(vcr_request: Any) -> Any:
        scrubbed = scrubber.request(
            {"method": vcr_request.method, "uri": vcr_request.uri, "body": vcr_request.body}
        )
        if scrubbed is None:
            return None
        vcr_request.uri, vcr_request.body = scrubbed["uri"], scrubbed["body"]
        return vcr_request

    recorder = make_vcr(
        record_mode="all",
        before_record_request=request,
        before_record_response=scrubber.response,
    )
    return recorder, scrubber


@pytest.fixture
def scenario(
    request: pytest.FixtureRequest, recording_sim: SimulatorHandle | None, tmp_path: Any
) -> Iterator[Scenario]:
    """The test's cassette (named after it) and the product server; fails if partly played."""
    path = SCENARIOS / f"{request.node.name.removeprefix('test_')}.json"
    if recording_sim is not None:
        recording_sim.reset()
        recording_sim.quirks.enable(*QUIRKS)
        path.unlink(missing_ok=True)
        recorder, scrubber = _recorder(recording_sim)
        environment = {"id": scrubber.fake_environment_id, "type": recording_sim.environment_type}
        real = {"id": recording_sim.environment_id, "type": recording_sim.environment_type}
        settings = _settings(
            real,
            str(tmp_path),
            AFAS_BASE_URL=recording_sim.base_url,
            AFAS_TOKEN=recording_sim.token_xml,
        )
    else:
        if not path.is_file():
            pytest.fail(f"no cassette {path.name}; record it with: {RECORD_COMMAND}")
        environment = stored(path)["metadata"]["environment"]
        recorder = make_vcr()
        settings = _settings(
            environment,
            str(tmp_path),
            AFAS_BASE_URL="http://127.0.0.1:9/ProfitRestServices",  # never reached: vcrpy answers
            AFAS_TOKEN=REPLAY_TOKEN,
        )
    with recorder.use_cassette(str(path), allow_playback_repeats=False) as cassette:
        if recording_sim is not None:
            cassette.get_metadata("recorded_by", RECORD_COMMAND)
            cassette.get_metadata(
                "simulator",
                {
                    "profile": PROFILE,
                    "seed": SEED,
                    "reference_date": NOW.date().isoformat(),
                    "quirks": list(QUIRKS),
                },
            )
            cassette.get_metadata("tools_clock", NOW.isoformat())
            cassette.get_metadata("environment", environment)
        yield Scenario(cassette, product_server(settings), recording_sim)
    if recording_sim is None:
        assert_all_played(cassette)


# --- ground truth, computed from the tenant when recording ------------------------------------


def terminated_employee(sim: SimulatorHandle) -> dict[str, str]:
    from tests.tools.test_hr_support import employees, pick

    employee_id = pick(sim, "terminated")
    return {
        "employee_id": employee_id,
        "wage_tax_number": employees(sim)[employee_id]["WageTaxNumber"],
    }


def debtors_named(fragment: str) -> Callable[[SimulatorHandle], list[str]]:
    def truth(sim: SimulatorHandle) -> list[str]:
        from simulator.catalogue import RowOptions
        from simulator.catalogue.fields import STATE
        from simulator.catalogue.finance import DEBTORS

        rows = DEBTORS.build(sim.tenant, RowOptions(today=sim.tenant.today()))
        return sorted(
            r["DebtorId"]
            for r in rows
            if r[STATE] is None and fragment.casefold() in (r["DebtorName"] or "").casefold()
        )

    return truth


def open_periods_of(employer_id: str, year: int) -> Callable[[SimulatorHandle], list[list[int]]]:
    def truth(sim: SimulatorHandle) -> list[list[int]]:
        from tests.tools.test_hr_support import open_periods

        return [list(p) for p in open_periods(sim, employer_id) if p[1] == year]

    return truth


def two_debtors(sim: SimulatorHandle) -> list[str]:
    from simulator.catalogue import RowOptions
    from simulator.catalogue.fields import STATE
    from simulator.catalogue.finance import DEBTORS

    rows = DEBTORS.build(sim.tenant, RowOptions(today=sim.tenant.today()))
    usable = sorted(r["DebtorId"] for r in rows if r[STATE] is None)
    return [usable[1], usable[-1]]


# --- scenarios --------------------------------------------------------------------------------


async def test_get_employee_of_a_terminated_employee_reads_wage_tax_number_from_fiscal_records(
    scenario: Scenario,
) -> None:
    truth = scenario.remember("expected", terminated_employee)
    async with Client(scenario.server) as client:
        got = await call(client, "get_employee", {"employee_id": truth["employee_id"]})
    assert (got["status"], got["active"]) == ("terminated", False)
    assert got["payroll"]["wage_tax_number"] == truth["wage_tax_number"]
    assert got["payroll"]["wage_tax_number_source"] == "fiscal_connector"  # R1
    assert "wage_tax_number_from_fiscal_connector" in [w["code"] for w in got["warnings"]]


async def test_search_debtors_pages_through_every_match_once(scenario: Scenario) -> None:
    expected = scenario.remember("expected", debtors_named("en"))
    arguments: dict[str, Any] = {"name": "en", "limit": 3}
    async with Client(scenario.server) as client:  # one session: AFAS is verified once
        page = await call(client, "search_debtors", arguments)
        found, pages = [d["debtor_id"] for d in page["debtors"]], 1
        while page["next_cursor"] is not None:
            more = arguments | {"cursor": page["next_cursor"]}
            page = await call(client, "search_debtors", more)
            found += [d["debtor_id"] for d in page["debtors"]]
            pages += 1
    assert pages >= 2
    assert found == expected


async def test_list_open_payroll_periods_lists_only_the_open_ones(scenario: Scenario) -> None:
    expected = scenario.remember("expected", open_periods_of("01", NOW.year))
    arguments = {"employer_id": "01", "year": NOW.year, "limit": 100}
    async with Client(scenario.server) as client:
        got = await call(client, "list_open_payroll_periods", arguments)
    assert [[p["period_table_id"], p["year"], p["period"]] for p in got["periods"]] == expected
    assert not any(p["closed"] for p in got["periods"])
    assert got["next_cursor"] is None


async def test_query_connector_with_an_or_filter_returns_rows_of_either_group(
    scenario: Scenario,
) -> None:
    first, second = scenario.remember("debtors", two_debtors)
    filters = [
        [{"field": "DebtorId", "op": "equals", "value": first}],
        [{"field": "DebtorId", "op": "equals", "value": second}],
    ]
    async with Client(scenario.server) as client:
        arguments = {"connector_id": "Profit_Debtor", "filters": filters}
        got = await call(client, "query_connector", arguments)
    assert [row["DebtorId"] for row in got["rows"]] == [first, second]
    (read,) = [
        r for r in scenario.cassette.requests if r.path.endswith("/connectors/Profit_Debtor")
    ]
    sent = dict(read.query)
    assert sent["filterfieldids"] == "DebtorId;DebtorId" and "filterjson" not in sent


async def test_query_connector_with_a_comma_in_a_value_sends_filterjson_and_applies_it_whole(
    scenario: Scenario,
) -> None:
    # AFAS documents no escape for ',' in the compact form, so this filter goes out as filterjson;
    # the second group matches nobody only if "no, such debtor" reaches AFAS as one value.
    first, second = scenario.remember("debtors", two_debtors)
    filters = [
        [{"field": "DebtorId", "op": "equals", "value": first}],
        [
            {"field": "DebtorId", "op": "equals", "value": second},
            {"field": "DebtorName", "op": "equals", "value": "no, such debtor"},
        ],
    ]
    async with Client(scenario.server) as client:
        arguments = {"connector_id": "Profit_Debtor", "filters": filters}
        got = await call(client, "query_connector", arguments)
    assert [row["DebtorId"] for row in got["rows"]] == [first]
    (read,) = [
        r for r in scenario.cassette.requests if r.path.endswith("/connectors/Profit_Debtor")
    ]
    sent = dict(read.query)
    assert "filterjson" in sent and "filterfieldids" not in sent
    assert '"#text":"no, such debtor"' in sent["filterjson"]


async def test_query_connector_refuses_an_unknown_filter_field_without_reading_rows(
    scenario: Scenario,
) -> None:
    arguments = {
        "connector_id": "Profit_Debtor",
        "filters": [{"field": "DebtorNaam", "op": "equals", "value": "Jansen"}],
    }
    async with Client(scenario.server) as client:
        text = await refused(client, "query_connector", arguments)
    assert "DebtorNaam" in text and "DebtorName" in text  # refused, with the likely field
    assert not [p for p in scenario.requested_paths() if "/connectors/" in p]


def test_the_scenario_cassettes_were_recorded_from_the_documented_simulator() -> None:
    for path in sorted(SCENARIOS.glob("*.json")):
        metadata = stored(path)["metadata"]
        assert metadata["recorded_by"] == RECORD_COMMAND, path.name
        assert metadata["simulator"]["profile"] == PROFILE
        assert metadata["environment"]["type"] == "test"
