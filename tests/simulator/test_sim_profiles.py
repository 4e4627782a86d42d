"""The switch registry and the three profiles."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from sim_helpers import get

from simulator.quirks import (
    BY_ID,
    REGISTRY,
    QuirkSwitches,
    UnknownQuirk,
    profile_switches,
)
from simulator.testing import SimulatorHandle

REALISTIC_SEED_QUIRKS = {"R1", "R3", "R4", "R5", "R6", "R9", "W1", "W2", "W3", "W4", "W5", "W7",
                         "W8", "W9", "W10", "W12", "W13"}  # fmt: skip


def _quirk_id(switch: str) -> str:
    return switch.split("_", 1)[0]


def test_every_read_and_write_quirk_has_at_least_one_switch() -> None:
    covered = {_quirk_id(q.id) for q in REGISTRY}
    expected = {f"R{n}" for n in range(1, 19)} | {f"W{n}" for n in range(1, 22)}
    assert covered == expected


def test_switch_ids_are_unique_and_described() -> None:
    assert len(BY_ID) == len(REGISTRY)
    assert all(q.description and q.source for q in REGISTRY)


def test_hostile_switches_everything_on() -> None:
    assert profile_switches("hostile") == frozenset(BY_ID)


def test_docs_switches_on_only_documented_behaviour() -> None:
    docs = profile_switches("docs")
    assert all("doc" in BY_ID[switch].source for switch in docs)
    assert {
        "R12_one_indexed_skip",
        "R13_take_capped_at_1000",
        "R2_bad_filter_empty_200",
        "R14_string_operator_unfiltered",
        "W6_hex_only_token_accepted",
    }.isdisjoint(docs)
    assert {
        "R7_local_time_with_z",
        "R15_unstable_order_without_orderby",
        "R16_long_query_404",
        "W6_plain_token_500",
        "R18_x_profit_error_header",
    } <= docs


def test_realistic_is_docs_plus_the_seed_quirks_believed_real() -> None:
    realistic = profile_switches("realistic")
    assert profile_switches("docs") <= realistic
    undocumented = {_quirk_id(s) for s in realistic if not BY_ID[s].documented}
    assert undocumented == REALISTIC_SEED_QUIRKS - {"W4", "W13"}  # those two are documented too
    assert {_quirk_id(s) for s in realistic} >= REALISTIC_SEED_QUIRKS


def test_the_seed_claims_that_contradict_the_docs_are_hostile_only() -> None:
    for switch in (
        "R12_one_indexed_skip",
        "R13_take_capped_at_1000",
        "R2_bad_filter_empty_200",
        "R14_string_operator_unfiltered",
    ):
        assert BY_ID[switch].profiles == {"hostile"}


def test_an_unknown_switch_or_profile_is_refused() -> None:
    switches = QuirkSwitches()
    with pytest.raises(UnknownQuirk):
        switches.enable("R99_nonsense")
    with pytest.raises(ValueError, match="unknown profile"):
        switches.use_profile("lenient")  # type: ignore[arg-type]


def test_switches_change_at_run_time_and_reset_to_the_profile() -> None:
    switches = QuirkSwitches("docs")
    switches.enable("R12_one_indexed_skip")
    assert switches.is_on("R12_one_indexed_skip")
    switches.use_profile("hostile")
    switches.reset()
    assert not switches.is_on("R12_one_indexed_skip") and switches.profile == "docs"


@pytest.mark.parametrize(
    ("profile", "skip_one_starts_at"),
    [("docs", 1), ("realistic", 1), ("hostile", 0)],
)
def test_R12_profiles_decide_how_skip_counts(
    sim: SimulatorHandle, profile: str, skip_one_starts_at: int
) -> None:
    sim.quirks.use_profile(profile)  # type: ignore[arg-type]
    # hostile also demands an IntegrationId (W21)
    headers = {"Authorization": sim.auth_header(), "IntegrationId": "12345_678900"}
    with httpx.Client(base_url=sim.base_url, headers=headers) as http:
        params = {"orderbyfieldids": "Employer,FunctionId"}
        ordered = http.get("/connectors/Profit_Functions", params={**params, "take": 5}).json()
        page = http.get("/connectors/Profit_Functions", params={**params, "skip": 1, "take": 1})
    assert page.json()["rows"] == [ordered["rows"][skip_one_starts_at]]


def test_R5_the_realistic_profile_shows_shells_and_docs_does_not(sim: SimulatorHandle) -> None:
    blocked = next(e["EmId"] for e in sim.tenant.table("employees") if e["Bl"])
    params = {"filterfieldids": "EmployeeId", "filtervalues": blocked, "operatortypes": 1}
    shell = get(sim, "/connectors/AfasMcp_Employees", **params).json()["rows"][0]
    assert shell["BirthName"] is None
    sim.quirks.use_profile("docs")
    full = get(sim, "/connectors/AfasMcp_Employees", **params).json()["rows"][0]
    assert full["BirthName"] and full["Blocked"] is True


def test_docs_simulator_md_lists_every_switch_with_its_profiles() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "simulator.md").read_text()
    for quirk in REGISTRY:
        line = next((row for row in doc.splitlines() if row.startswith(f"| `{quirk.id}` |")), None)
        assert line is not None, quirk.id
        marks = [cell.strip() for cell in line.strip("|").split("|")][-3:]
        assert marks == [
            "on" if p in quirk.profiles else "" for p in ("docs", "realistic", "hostile")
        ]
