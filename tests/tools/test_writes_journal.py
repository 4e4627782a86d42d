"""post_journal_entry end to end: W18 before sending, every line read back, W16 after a lost answer.

The W18 rules refuse what AFAS would refuse with a 500 or book wrongly; an applied entry is read
back line by line from `Profit_Transactions`; an answer lost after AFAS applied the entry is
settled by the voucher number the product stamped on every line, and never sent twice.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from test_writes_support import (
    blocked_booking_period,
    objects,
    open_booking_day,
    open_project,
    product,
    recorded_facts,
    settings_for,
    update_calls,
    writes,
)
from tool_helpers import call, refused

from policies.facts import JournalEntryFacts
from simulator.testing import SimulatorHandle

pytestmark = pytest.mark.anyio


@pytest.fixture
def sim(fresh_profile_sim: SimulatorHandle) -> SimulatorHandle:
    """Each test in the realistic and the hostile profile, on a tenant reset before and after."""
    return fresh_profile_sim


def sales_entry(sim: SimulatorHandle, **overrides: Any) -> dict[str, Any]:
    """A balanced sales invoice: debtor 121.00, turnover 100.00 at 21% VAT, VAT 21.00."""
    return {
        "administration_id": 1,
        "journal_id": "50",
        "entry_date": open_booking_day(sim, 1).isoformat(),
        "description": "Factuur 2026-0042",
        "lines": [
            {"account_kind": "debtor", "account": "10000", "debit": "121.00"},
            {"account_kind": "ledger", "account": "8000", "credit": "100.00", "vat_code": "1"},
            {"account_kind": "ledger", "account": "1510", "credit": "21.00"},
        ],
    } | overrides


def stored_lines(sim: SimulatorHandle, voucher: str) -> list[dict[str, Any]]:
    return [line for line in sim.tenant.table("entries") if line.get("BpNr") == voucher]


async def test_W18_a_balanced_entry_is_applied_and_every_line_reads_back(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    async with connect(product(settings_for(sim, tmp_path))) as client:
        result = await call(client, "post_journal_entry", sales_entry(sim))
    assert result["status"] == "applied", result["message"]
    assert result["read_back"] == {"result": "match", "diffs": [], "reason": None}
    (record,) = writes(sim, "FiEntries")
    voucher = record.request["FiEntryPar"]["Element"]["Objects"][0]["FiEntries"]["Element"][0][
        "Fields"
    ]["BpNr"]
    lines = stored_lines(sim, voucher)
    assert sorted((line["AcNr"], line["AmDe"], line["AmCr"]) for line in lines) == [
        ("10000", Decimal("121.00"), Decimal("0")),
        ("1510", Decimal("0"), Decimal("21.00")),
        ("8000", Decimal("0"), Decimal("100.00")),
    ]
    assert {line["EnNo"] for line in lines} == {int(result["afas_key"]["EnNo"])}


async def test_W18_an_unbalanced_entry_is_refused_with_the_difference(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    entry = sales_entry(sim)
    entry["lines"][2]["credit"] = "20.00"
    async with connect(product(settings_for(sim, tmp_path))) as client:
        text = await refused(client, "post_journal_entry", entry)
    assert "the entry does not balance: debit 121.00, credit 120.00" in text
    assert "Add a credit line of 1.00" in text
    assert writes(sim) == []


async def test_W18_more_than_1000_lines_is_refused_with_a_hint_to_split(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    lines = [{"account_kind": "ledger", "account": "1000", "debit": "1.00"}] * 1000
    lines = [*lines, {"account_kind": "ledger", "account": "1100", "credit": "1000.00"}]
    async with connect(product(settings_for(sim, tmp_path))) as client:
        text = await refused(client, "post_journal_entry", sales_entry(sim, lines=lines))
    assert "the entry has 1001 lines; at most 1000 are allowed in one entry" in text
    assert "split the entry" in text
    assert writes(sim) == []


async def test_W18_a_date_in_a_blocked_booking_period_is_refused_naming_it(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    period = blocked_booking_period(sim, 1)
    entry = sales_entry(sim, entry_date=period["DateFrom"].isoformat())
    async with connect(product(settings_for(sim, tmp_path))) as client:
        text = await refused(client, "post_journal_entry", entry)
    assert f"booking period {period['Year']}/{period['Period']} of administration 1 is blocked" in (
        text
    )
    assert "list_open_booking_periods(administration_id=1)" in text
    assert writes(sim) == []


async def test_W18_unknown_and_blocked_accounts_and_vat_codes_are_refused_all_at_once(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    lines = [
        {"account_kind": "ledger", "account": "9998", "debit": "10.00"},
        {"account_kind": "ledger", "account": "0900", "debit": "10.00", "vat_code": "77"},
        {"account_kind": "ledger", "account": "8000", "credit": "20.00", "vat_code": "6"},
    ]
    async with connect(product(settings_for(sim, tmp_path))) as client:
        text = await refused(client, "post_journal_entry", sales_entry(sim, lines=lines))
    assert "ledger account(s) do not exist: line 1 (9998)" in text
    assert "ledger account(s) are blocked: line 2 (0900)" in text
    assert "VAT code(s) do not exist: 77" in text
    assert "VAT code(s) are blocked: 6" in text
    assert writes(sim) == []


async def test_W18_an_account_that_demands_an_allocation_gets_one_or_is_refused(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    costs = {"account_kind": "ledger", "account": "4600", "debit": "50.00"}
    bank = {"account_kind": "ledger", "account": "1100", "credit": "50.00"}
    entry = sales_entry(sim, journal_id="20", lines=[costs, bank])
    async with connect(product(settings_for(sim, tmp_path))) as client:
        text = await refused(client, "post_journal_entry", entry)
        assert "account(s) demand an allocation (cost centre): line 1 (4600)" in text
        assert writes(sim) == []
        allocated = entry | {"lines": [costs | {"cost_centre": "200"}, bank]}
        result = await call(client, "post_journal_entry", allocated)
    assert result["status"] == "applied" and result["read_back"]["result"] == "match"
    (record,) = writes(sim, "FiEntries")
    assert [line["DimAx1"] for line in record.rows("entries")] == ["200", None]


async def test_W18_a_project_line_reaches_afas_with_its_project_and_cost_item(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    """The item code is a fact of the line, so the policies can see it is there."""
    project = open_project(sim)["ProjectId"]
    costs = {"account_kind": "ledger", "account": "4800", "debit": "80.00", "project_id": project}
    bank = {"account_kind": "ledger", "account": "1100", "credit": "80.00"}
    entry = sales_entry(sim, journal_id="20", lines=[costs, bank])
    settings = settings_for(sim, tmp_path)
    async with connect(product(settings)) as client:
        text = await refused(client, "post_journal_entry", entry)
        assert "`lines.0.project_item`: a project line needs the cost item code" in text
        with_item = entry | {"lines": [costs | {"project_item": "K01"}, bank]}
        result = await call(client, "post_journal_entry", with_item)
    assert result["status"] == "applied" and result["read_back"]["result"] == "match"
    (record,) = writes(sim, "FiEntries")
    (sent,) = objects(record.request, "FiPrjEntries")
    assert sent["Fields"] == {"PrId": project, "ItCd": "K01"}
    assert [line["PrId"] for line in record.rows("entries")] == [project, None]
    facts = recorded_facts(settings, result["write_id"], JournalEntryFacts)
    assert (facts.lines[0].project_id, facts.lines[0].project_item) == (project, "K01")


async def test_post_journal_entry_dry_run_returns_verdicts_and_payload_and_sends_nothing(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    async with connect(product(settings_for(sim, tmp_path))) as client:
        preview = await call(client, "post_journal_entry", sales_entry(sim) | {"dry_run": True})
    assert preview["status"] == "dry_run" and preview["decision"] == "allow"
    assert {v["policy"] for v in preview["verdicts"]} >= {"journal_balanced", "booking_period_open"}
    header = preview["payload"]["FiEntryPar"]["Element"]["Fields"]
    day = open_booking_day(sim, 1)
    assert header == {"Year": day.year, "Peri": day.month, "UnId": 1, "JoCo": "50"}
    assert update_calls(sim) == [] and writes(sim) == []


async def test_a_large_entry_is_held_for_a_controller_with_a_review_url(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    lines = [
        {"account_kind": "ledger", "account": "0200", "debit": "30000.00"},
        {"account_kind": "ledger", "account": "1100", "credit": "30000.00"},
    ]
    entry = sales_entry(sim, journal_id="90", lines=lines)
    async with connect(product(settings_for(sim, tmp_path))) as client:
        held = await call(client, "post_journal_entry", entry)
    assert held["status"] == "pending_review"
    assert held["review_url"].endswith(f"/writes/{held['write_id']}")
    assert update_calls(sim) == []


async def test_W16_a_lost_answer_is_found_by_its_voucher_number_and_never_sent_twice(
    sim: SimulatorHandle, tmp_path: Path, connect: Any
) -> None:
    """AFAS applies the entry and the connection drops before the answer (W16)."""
    sim.faults.add("POST", "/connectors/FiEntries*", "drop_after_apply", times=1)
    entry = sales_entry(sim)
    async with connect(product(settings_for(sim, tmp_path))) as client:
        first = await call(client, "post_journal_entry", entry)
        again = await call(client, "post_journal_entry", entry)
    assert first["status"] == "applied", first["message"]
    assert first["read_back"]["result"] == "match"
    assert again["duplicate_of"] == first["write_id"]  # the agent's retry sends nothing
    (record,) = writes(sim, "FiEntries")
    assert record.status is None  # the simulator stored it but sent no answer
    voucher = record.request["FiEntryPar"]["Element"]["Objects"][0]["FiEntries"]["Element"][0][
        "Fields"
    ]["BpNr"]
    lines = stored_lines(sim, voucher)
    assert len(lines) == 3
    assert first["afas_key"] == {"UnId": "1", "EnNo": str(lines[0]["EnNo"])}
    assert [c for c in update_calls(sim) if c.startswith("POST")] == [
        "POST /ProfitRestServices/connectors/FiEntries"
    ]
