"""onboard_employee end to end: the hire quirks W1-W5, W7-W10, W12, W13, W19 through MCP calls.

Each test drives the tool through the in-memory MCP client against the simulator in the
`realistic` and the `hostile` profile, and looks at what reached the simulator (its write journal
and request log) and what the tenant holds afterwards. A hire always waits for a person (the
rules), so a good hire is approved the way the review page does it, then sent and read back.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from test_writes_support import (
    APPROVER,
    approve,
    closed_period,
    hire,
    objects,
    open_start,
    product,
    settings_for,
    update_calls,
    valid_bsn,
    values,
    writes,
)
from tool_helpers import call, refused

from server.afas.client import AfasClient
from server.afas.values import AMSTERDAM
from server.config import Settings
from server.review.actions import ReviewResult
from server.store import WriteStatus
from server.writes.options import load_write_options
from server.writes.wiring import build_pipeline, open_store
from simulator.testing import SimulatorHandle
from simulator.updates import WriteRecord, write_side
from tools import write_kinds

pytestmark = pytest.mark.anyio


@pytest.fixture
def sim(fresh_profile_sim: SimulatorHandle) -> SimulatorHandle:
    """Each test in the realistic and the hostile profile, on a tenant reset before and after."""
    return fresh_profile_sim


async def applied_hire(
    sim: SimulatorHandle, tmp_path: Path, connect: Any, **overrides: Any
) -> tuple[dict[str, Any], ReviewResult, WriteRecord]:
    """Hire through the tool, approve as a person; the result, the decision, what AFAS got."""
    settings = settings_for(sim, tmp_path)
    async with connect(product(settings)) as client:
        held = await call(client, "onboard_employee", hire(sim) | overrides)
    assert held["status"] == "pending_review", held
    assert update_calls(sim) == []
    decided = await approve(settings, held["write_id"])
    (record,) = writes(sim, "KnEmployee")
    return held, decided, record


def fields_of(body: dict[str, Any], name: str) -> dict[str, Any]:
    (element,) = objects(body, name)
    found: dict[str, Any] = {k: v for k, v in element.items() if k.startswith("@")}
    return found | element["Fields"]


# --- W19: complete, or refused naming what is missing ---------------------------------------------


async def test_W19_the_hire_payload_is_complete_and_a_dry_run_sends_nothing(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    async with connect(product(settings_for(sim, tmp_path))) as client:
        result = await call(client, "onboard_employee", hire(sim) | {"dry_run": True})
    assert result["status"] == "dry_run" and result["write_id"] is None
    verdicts = {v["policy"]: v["outcome"] for v in result["verdicts"]}
    assert verdicts["hire_payload_complete"] == "allow"
    assert result["decision"] == "review"  # hires always go to a person (rules.toml)
    body = result["payload"]
    for name, required in {
        "AfasContract": ("@DaBe", "CmId", "ApCo", "ClId", "WcId", "EmMt", "ViEt"),
        "AfasOrgunitFunction": ("@DaBe", "DpId", "FuId"),
        "AfasTimeTable": ("@DaBg", "HrWk"),
        "AfasSalary": ("@DaBe", "SaPe", "EmSa", "PtId"),
        "AfasAgencyFiscus": ("@DaBe", "@AyId", "ViIn", "ViLk", "ViZv", "YnZW", "YnWW", "YWAO"),
    }.items():
        row = fields_of(body, name)
        assert set(required) <= set(row), (name, row)
    assert update_calls(sim) == [] and writes(sim) == []


@pytest.mark.parametrize("missing", ["salary", "hours_per_week", "function_id", "start_date"])
async def test_W19_a_hire_without_a_required_input_is_refused_naming_it(
    sim: SimulatorHandle, tmp_path: Path, connect: Any, missing: str
) -> None:
    arguments = hire(sim)
    del arguments[missing]
    async with connect(product(settings_for(sim, tmp_path))) as client:
        text = await refused(client, "onboard_employee", arguments)
    assert f"`{missing}`: Field required" in text
    assert update_calls(sim) == []


# --- W1: the employer -------------------------------------------------------------------------


async def test_W1_a_hire_without_an_employer_is_refused(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    arguments = hire(sim)
    del arguments["employer_id"]
    async with connect(product(settings_for(sim, tmp_path))) as client:
        missing = await refused(client, "onboard_employee", arguments)
        empty = await refused(client, "onboard_employee", arguments | {"employer_id": ""})
    assert "`employer_id`: Field required" in missing
    assert "`employer_id`" in empty
    assert update_calls(sim) == []


async def test_W1_a_hire_under_an_unknown_employer_is_refused_naming_the_employers(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    async with connect(product(settings_for(sim, tmp_path))) as client:
        text = await refused(client, "onboard_employee", hire(sim, employer_id="99"))
    assert "employer '99' does not exist" in text
    assert "list_employers and pass one of: 01, 02, 03, 04" in text
    assert "nothing was sent to AFAS" in text
    assert writes(sim) == []


async def test_W1_the_employer_reaches_afas_as_CmId_and_reads_back(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    _held, decided, record = await applied_hire(sim, tmp_path, connect)
    assert fields_of(record.request, "AfasContract")["CmId"] == "02"
    assert [row["CmId"] for row in record.rows("contracts")] == ["02"]
    assert record.quirk("W1") == []
    assert decided.status is WriteStatus.VERIFIED and decided.read_back == "match"


# --- W2, W3, W12: the payroll period and period table ----------------------------------------


async def test_W2_a_hire_starting_in_a_closed_payroll_period_is_refused_naming_it(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    period = closed_period(sim, "03")  # this employer closed its current period already
    arguments = hire(
        sim,
        employer_id="03",
        function_id="SRV",
        period_table="VIERWEKEN",
        start_date=period["DateFrom"].isoformat(),
    )
    async with connect(product(settings_for(sim, tmp_path))) as client:
        text = await refused(client, "onboard_employee", arguments)
    assert f"payroll period {period['Year']}/{period['Period']}" in text
    assert "of employer '03' is closed" in text
    assert "list_open_payroll_periods" in text
    assert writes(sim) == []


async def test_W2_a_hire_in_an_open_period_is_applied_verified_and_in_the_payroll_run(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    _held, decided, record = await applied_hire(sim, tmp_path, connect)
    assert decided.status is WriteStatus.VERIFIED and decided.read_back == "match"
    employee_id = record.results["results"]["KnEmployee"]["EmId"]
    state = write_side(sim).payroll_state(employee_id)
    assert state.issues == () and state.in_preview
    assert record.quirk("W2") == []


async def test_W3_a_period_table_the_employer_does_not_use_is_refused_naming_both_codes(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    """VIERWEKEN is employer 02's table, not 01's: a real code, refused only by W3 (and W2)."""
    arguments = hire(
        sim,
        employer_id="01",
        function_id="ADM",
        period_table="VIERWEKEN",
        start_date=open_start(sim, "01", 5).isoformat(),
    )
    async with connect(product(settings_for(sim, tmp_path))) as client:
        text = await refused(client, "onboard_employee", arguments)
        preview = await call(client, "onboard_employee", arguments | {"dry_run": True})
    assert (
        "policy period_table_used_by_employer, quirk W3: period table VIERWEKEN (6) is not used "
        "by employer '01', which uses MAAND (5); payroll would drop the row"
    ) in text
    assert "Pass the employer's period table: MAAND." in text
    assert (
        "policy payroll_period_open, quirk W2: employer '01' has no payroll periods in period "
        "table VIERWEKEN (6) (it uses MAAND (5))"
    ) in text
    assert "the calendar covers nothing" not in text
    verdicts = {v["policy"]: v for v in preview["verdicts"]}
    assert verdicts["period_table_code_valid"]["outcome"] == "allow"  # a code AFAS knows (W12)
    assert "period_table_code_valid" not in text
    assert writes(sim) == []


async def test_W12_a_short_period_code_is_refused_with_the_valid_codes(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    async with connect(product(settings_for(sim, tmp_path))) as client:
        text = await refused(client, "onboard_employee", hire(sim, period_table="MND"))
    assert (
        "policy period_table_code_valid, quirk W12: period table code 'MND' is not one the "
        "payroll calendar knows (it knows MAAND, VIERWEKEN, WEEK); AFAS accepts short codes "
        "and the payroll run ignores them"
    ) in text
    assert "employer '02' uses MAAND, VIERWEKEN" in text
    assert writes(sim) == []


# --- W4: one person, found by key or BSN --------------------------------------------------------


async def test_W4_a_rerun_of_the_same_hire_does_not_create_a_second_person(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    arguments = hire(sim)
    held, decided, _record = await applied_hire(sim, tmp_path, connect)
    assert decided.status is WriteStatus.VERIFIED
    async with connect(product(settings_for(sim, tmp_path))) as client:
        again = await call(client, "onboard_employee", arguments)
        retried = await call(client, "onboard_employee", arguments | {"hours_per_week": "36"})
    assert again["duplicate_of"] == held["write_id"]  # the same request: nothing new
    assert retried["status"] == "pending_review"  # a changed one: a person decides
    assert any("already an employee" in v["reason"] for v in retried["verdicts"])
    assert len(writes(sim, "KnEmployee")) == 1
    assert len(sim.tenant.find("persons", SoSe=arguments["bsn"])) == 1


async def test_W4_the_server_chooses_the_match_mode_and_7_only_in_a_test_environment(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    person = next(iter(sim.tenant.table("persons")))
    without_bsn = {k: v for k, v in hire(sim).items() if k != "bsn"} | {"dry_run": True}
    async with connect(product(settings_for(sim, tmp_path))) as client:
        by_bsn = await call(client, "onboard_employee", hire(sim) | {"dry_run": True})
        by_key = await call(
            client, "onboard_employee", without_bsn | {"existing_person_id": person["BcCo"]}
        )
        in_test = await call(client, "onboard_employee", without_bsn)
        chosen = await refused(client, "onboard_employee", hire(sim) | {"MatchPer": "7"})
    assert fields_of(by_bsn["payload"], "KnPerson")["MatchPer"] == "1"
    assert fields_of(by_key["payload"], "KnPerson") == {"MatchPer": "0", "BcCo": person["BcCo"]}
    assert fields_of(in_test["payload"], "KnPerson")["MatchPer"] == "7"  # sim is a test env
    assert "`MatchPer`: unknown argument" in chosen
    production = settings_for(sim, tmp_path, AFAS_ENVIRONMENT_TYPE="production")
    async with connect(product(production)) as client:
        text = await refused(client, "onboard_employee", without_bsn)
    assert "`bsn`: a hire needs the employee's BSN" in text
    assert writes(sim) == []


# --- W5, W7, W8, W13: what reaches AFAS and how it is stored -------------------------------------


async def test_W5_calculate_balance_reaches_afas_and_the_hire_shows_in_the_payroll_preview(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    _held, decided, record = await applied_hire(sim, tmp_path, connect)
    (posted,) = [e for e in sim.request_log.entries if e.method == "POST"]
    assert '"@CalculateBalance": true' in posted.body
    assert decided.read_back == "match"
    employee_id = record.results["results"]["KnEmployee"]["EmId"]
    assert write_side(sim).payroll_state(employee_id).in_preview
    assert record.quirk("W5") == []


async def test_W7_legacy_formats_reach_afas_and_are_stored_right(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    start = open_start(sim, "02", 5)
    # Day 4 of month 5: an ISO date read as yyyy-dd-MM would land on 5 April instead (W7).
    end = start.replace(year=start.year + 1, month=5, day=4)
    _held, decided, record = await applied_hire(
        sim, tmp_path, connect, contract_end=end.isoformat()
    )
    assert fields_of(record.request, "AfasContract")["WrCt"] == "1"
    assert fields_of(record.request, "AfasContract")["DaEn"] == end.strftime("%d-%m-%Y")
    assert fields_of(record.request, "AfasSalary")["TtPy"] == "0"
    assert fields_of(record.request, "KnPerson")["SpNm"] == "0"
    assert [row["DaEn"] for row in record.rows("contracts")] == [end]
    assert record.quirk("W7") == []
    assert decided.read_back == "match"


async def test_W8_house_number_12A_is_split_and_reads_back_with_its_addition(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    _held, decided, record = await applied_hire(sim, tmp_path, connect)
    address = fields_of(record.request, "KnBasicAddressAdr")
    assert (address["HmNr"], address["HmAd"]) == (12, "A")
    (person,) = record.rows("persons")
    assert (person["HmNr"], person["HmAd"]) == (12, "A")
    assert record.quirk("W8") == []
    assert decided.read_back == "match"


async def test_W13_an_optional_field_left_empty_is_omitted_never_sent_empty(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    arguments = hire(sim, initials="", name_prefix="  ")
    del arguments["email"]
    async with connect(product(settings_for(sim, tmp_path))) as client:
        preview = await call(client, "onboard_employee", arguments | {"dry_run": True})
    assert "" not in list(values(preview["payload"]))
    person = fields_of(preview["payload"], "KnPerson")
    assert not {"In", "Is", "EmAd"} & set(person)
    _held, decided, record = await applied_hire(
        sim, tmp_path, connect, initials="", name_prefix="  ", email=None
    )
    (stored,) = record.rows("persons")
    assert stored.get("In") is None and stored.get("Is") is None and stored.get("EmAd") is None
    assert decided.read_back == "match"


# --- W9, W10 -----------------------------------------------------------------------------------


async def _two_held_hires(
    sim: SimulatorHandle, settings: Settings, connect: Any
) -> tuple[str, str]:
    async with connect(product(settings)) as client:
        first = await call(client, "onboard_employee", hire(sim, n=1))
        second = await call(client, "onboard_employee", hire(sim, n=2, bsn=valid_bsn(20)))
    return first["write_id"], second["write_id"]


async def test_W9_parallel_onboardings_sent_by_the_pipeline_become_two_distinct_employees(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    settings = settings_for(sim, tmp_path)
    first, second = await _two_held_hires(sim, settings, connect)
    options = load_write_options(settings)
    with open_store(settings, options) as store:
        async with AfasClient(settings.afas) as afas:

            async def client() -> AfasClient:
                return afas

            pipeline = build_pipeline(
                settings,
                afas=client,
                store=store,
                kinds=write_kinds(),
                options=options,
                clock=lambda: datetime.now(AMSTERDAM),
            )
            decided = await asyncio.gather(
                pipeline.approve(first, approver=APPROVER),
                pipeline.approve(second, approver=APPROVER),
            )
    assert [d.status for d in decided] == [WriteStatus.VERIFIED, WriteStatus.VERIFIED]
    keys = {r.results["results"]["KnEmployee"]["EmId"] for r in writes(sim, "KnEmployee")}
    assert len(keys) == 2
    assert write_side(sim).journal.with_quirk("W9") == []


async def test_W9_a_shared_employee_id_is_never_silent_when_two_people_approve_at_once(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    settings = settings_for(sim, tmp_path)
    first, second = await _two_held_hires(sim, settings, connect)
    await asyncio.gather(approve(settings, first), approve(settings, second))
    async with connect(product(settings)) as client:
        statuses = [
            await call(client, "get_write_status", {"write_id": write_id})
            for write_id in (first, second)
        ]
    keys = [status["afas_key"]["EmId"] for status in statuses]
    if len(set(keys)) == 2:  # sent one after the other: two employees, both verified
        assert [s["status"] for s in statuses] == ["verified", "verified"]
        return
    # AFAS gave both hires one id (W9): the write that got a key seen before waits for a person.
    flagged = [s for s in statuses if s["status"] == "drift"]
    assert flagged, statuses
    assert any(d["field"] == "afas_key" for s in flagged for d in s["read_back"]["diffs"])


@pytest.mark.parametrize(
    ("function_id", "reason"),
    [
        ("CHF", "function 'CHF' is not in employer '02''s function table"),
        ("OUD", "function 'OUD' is blocked for employer '02'"),
    ],
)
async def test_W10_a_function_the_employer_cannot_use_is_refused(
    sim: SimulatorHandle, tmp_path: Path, connect: Any, function_id: str, reason: str
) -> None:
    async with connect(product(settings_for(sim, tmp_path))) as client:
        text = await refused(client, "onboard_employee", hire(sim, function_id=function_id))
    assert reason in text
    assert "INST" in text  # the hint names the functions the employer does have
    assert writes(sim) == []


async def test_onboard_employee_is_held_for_a_person_with_a_review_url(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    async with connect(product(settings_for(sim, tmp_path))) as client:
        held = await call(client, "onboard_employee", hire(sim))
    assert held["status"] == "pending_review"
    assert held["review_url"].endswith(f"/writes/{held['write_id']}")
    assert held["payload"] is None and held["afas_key"] is None
    assert update_calls(sim) == []


async def test_W16_a_hire_whose_answer_was_lost_is_found_by_its_bsn_and_never_sent_twice(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    """AFAS stores the hire and the connection drops before its answer (W16)."""
    settings = settings_for(sim, tmp_path)
    async with connect(product(settings)) as client:
        held = await call(client, "onboard_employee", hire(sim))
    sim.faults.add("POST", "/connectors/KnEmployee*", "drop_after_apply", times=1)
    decided = await approve(settings, held["write_id"])
    assert decided.status is WriteStatus.VERIFIED and decided.read_back == "match"
    (record,) = writes(sim, "KnEmployee")
    assert record.status is None  # stored, but no answer reached the product
    async with connect(product(settings)) as client:
        status = await call(client, "get_write_status", {"write_id": held["write_id"]})
    (employee,) = record.rows("employees")
    assert status["afas_key"] == {"EmId": employee["EmId"]}  # found by the lookup, not the answer
    assert [c for c in update_calls(sim) if c.startswith("POST")] == [
        "POST /ProfitRestServices/connectors/KnEmployee"
    ]
