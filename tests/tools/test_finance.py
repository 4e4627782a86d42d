"""The finance toolset through the in-memory MCP client against the simulator (realistic)."""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import tool_helpers
from tool_helpers import UNPACED, call, codes, every_page, refused

from simulator.testing import SimulatorHandle

pytestmark = pytest.mark.anyio

product_server = partial(tool_helpers.product_server, **UNPACED)


# --- list_open_booking_periods ----------------------------------------------------------------


def tenant_periods(sim: SimulatorHandle, unit: int, year: int) -> list[dict[str, Any]]:
    return [
        r for r in sim.tenant.table("booking_periods") if r["Unit"] == unit and r["Year"] == year
    ]


async def test_open_booking_periods_are_the_unblocked_periods_with_their_amsterdam_days(
    connect, mode, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    year = fresh_sim.tenant.today().year
    async with connect(product_server(fresh_sim, tmp_path), mode=mode) as client:
        result = await call(
            client, "list_open_booking_periods", {"administration_id": 1, "year": year}
        )
    truth = tenant_periods(fresh_sim, 1, year)
    assert result["administration_name"] == "Hanzestad Holding en installatie"
    assert result["open_periods"] == [
        {
            "period": r["Period"],
            "description": r["PeriodDesc"],
            "first_day": r["DateFrom"].isoformat(),
            "last_day": r["DateTo"].isoformat(),
        }
        for r in truth
        if not r["Blocked"]
    ]
    assert result["blocked_periods"] == [r["Period"] for r in truth if r["Blocked"]]
    assert result["open_periods"] and result["warnings"] == []


async def test_an_unknown_administration_is_an_error_that_lists_the_valid_ones(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        text = await refused(
            client, "list_open_booking_periods", {"administration_id": 7, "year": 2026}
        )
    assert "No administration with id '7'" in text
    assert "1 (Hanzestad Holding en installatie), 2 (Hanzestad Service en logistiek)" in text
    assert "Change the arguments" in text


async def test_a_year_without_booking_periods_is_an_error_naming_the_years_that_have_them(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    year = fresh_sim.tenant.today().year
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        text = await refused(
            client, "list_open_booking_periods", {"administration_id": 2, "year": year + 5}
        )
    assert f"no booking periods for {year + 5}" in text
    assert f"Years with booking periods: {year - 1}, {year}, {year + 1}" in text


async def test_a_year_whose_periods_are_all_blocked_says_so_instead_of_an_empty_list(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    year = fresh_sim.tenant.today().year - 1
    if not all(r["Blocked"] for r in tenant_periods(fresh_sim, 1, year)):
        pytest.skip("in January last December is still open")
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        result = await call(
            client, "list_open_booking_periods", {"administration_id": 1, "year": year}
        )
    assert result["open_periods"] == []
    assert result["blocked_periods"] == list(range(1, 13))
    assert codes(result) == ["no_open_periods"]
    assert f"refuses journal entries dated in {year}" in result["warnings"][0]["message"]


@pytest.mark.parametrize(
    "arguments",
    [
        {"administration_id": 0, "year": 2026},
        {"administration_id": 1, "year": 26},
        {"administration_id": 1},
        {"administration_id": 1, "year": 2026, "period": 3},
    ],
)
async def test_invalid_booking_period_arguments_are_refused_before_afas_is_asked(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path, arguments: dict[str, Any]
) -> None:
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        text = await refused(client, "list_open_booking_periods", arguments)
    assert "Invalid arguments" in text
    assert fresh_sim.request_log.find(path_contains="/connectors/") == []


# --- list_ledger_accounts ---------------------------------------------------------------------


async def test_ledger_accounts_say_what_an_entry_line_on_them_needs(
    connect, mode, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    async with connect(product_server(fresh_sim, tmp_path), mode=mode) as client:
        result = await call(client, "list_ledger_accounts", {"limit": 500})
    accounts = {a["account_number"]: a for a in result["accounts"]}
    assert accounts["4600"]["requires_allocation"] is True
    assert accounts["4600"]["allocation_axes"] == ["KPL"]
    assert accounts["4800"]["requires_project"] is True
    assert accounts["4800"]["project_posting"] == "Verplicht"
    assert accounts["1300"]["collective_account"] is True
    assert accounts["1100"] | {"description": None} == {
        "account_number": "1100",
        "description": None,
        "account_type": "Balans",
        "blocked": False,
        "collective_account": False,
        "collective_for": None,
        "vat_allowed": False,
        "default_vat_code": None,
        "requires_allocation": False,
        "allocation_axes": [],
        "requires_project": False,
        "project_posting": None,
    }
    truth = fresh_sim.tenant.table("ledger_accounts")
    assert list(accounts) == [r["Account"] for r in truth if not r["Blocked"]]
    assert result["next_cursor"] is None and result["warnings"] == []


async def test_blocked_ledger_accounts_are_left_out_unless_asked_for(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        default = await call(client, "list_ledger_accounts", {"search": "vervallen"})
        included = await call(
            client, "list_ledger_accounts", {"search": "vervallen", "include_blocked": True}
        )
    assert default["accounts"] == []
    assert [(a["account_number"], a["blocked"]) for a in included["accounts"]] == [
        ("0900", True),
        ("4999", True),
    ]


async def test_ledger_account_search_matches_the_name_or_the_start_of_the_number(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        by_name = await call(client, "list_ledger_accounts", {"search": "KOSTEN"})
        by_number = await call(client, "list_ledger_accounts", {"search": "15"})
    assert [a["account_number"] for a in by_name["accounts"]] == ["4500", "4600", "4700", "4800"]
    assert [a["account_number"] for a in by_number["accounts"]] == ["1510", "1520", "1530"]


async def test_ledger_account_pages_follow_each_other_without_gaps_or_repeats(
    connect, mode, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    async with connect(product_server(fresh_sim, tmp_path), mode=mode) as client:
        whole = await call(client, "list_ledger_accounts", {"limit": 500})
        paged = await every_page(client, "list_ledger_accounts", {"limit": 4}, "accounts")
    assert paged == whole["accounts"]


async def test_a_cursor_only_continues_the_question_it_came_from(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        first = await call(client, "list_ledger_accounts", {"limit": 2})
        cursor = first["next_cursor"]
        other = await refused(
            client, "list_ledger_accounts", {"search": "kas", "limit": 2, "cursor": cursor}
        )
        forged = await refused(client, "list_ledger_accounts", {"cursor": "bm90LWEtY3Vyc29y"})
        more = await call(client, "list_ledger_accounts", {"limit": 3, "cursor": cursor})
    assert "belongs to a list_ledger_accounts call with other arguments" in other
    assert "not one this tool handed out" in forged
    assert more["accounts"][0]["account_number"] > first["accounts"][-1]["account_number"]


@pytest.mark.parametrize(
    "arguments",
    [{"limit": 501}, {"limit": 0}, {"search": "4%"}, {"search": ""}, {"searh": "kas"}],
)
async def test_invalid_ledger_account_arguments_say_what_to_change(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path, arguments: dict[str, Any]
) -> None:
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        text = await refused(client, "list_ledger_accounts", arguments)
    assert "Invalid arguments" in text
    assert next(iter(arguments)) in text


# --- list_vat_codes ---------------------------------------------------------------------------


async def test_R4_vat_percentages_are_exact_decimal_strings(
    connect, mode, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    async with connect(product_server(fresh_sim, tmp_path), mode=mode) as client:
        result = await call(client, "list_vat_codes", {})
    truth = {r["VatCode"]: r for r in fresh_sim.tenant.table("vat_codes") if not r["Blocked"]}
    codes_ = {c["vat_code"]: c for c in result["vat_codes"]}
    assert list(codes_) == list(truth)
    assert all(Decimal(codes_[k]["percentage"]) == r["VatPerc"] for k, r in truth.items())
    assert codes_["1"] == {
        "vat_code": "1",
        "description": "Btw hoog verkoop",
        "percentage": "21",
        "vat_type": "Verkoop",
        "vat_account": "1510",
        "vat_duty": "Btw-plichtig",
        "blocked": False,
    }


async def test_blocked_vat_codes_are_listed_only_on_request(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        every = await call(client, "list_vat_codes", {"include_blocked": True, "limit": 3})
        rest = await every_page(
            client, "list_vat_codes", {"include_blocked": True, "limit": 3}, "vat_codes"
        )
    assert [c["vat_code"] for c in rest] == ["0", "1", "2", "3", "4", "5", "6"]
    assert rest[-1]["blocked"] is True and rest[-1]["percentage"] == "19"
    assert every["next_cursor"]


async def test_R6_a_vat_connector_without_its_percentage_fails_loudly_naming_the_field(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        await call(client, "list_vat_codes", {})  # metainfo cached before the change
        fresh_sim.trigger_drift("Profit_VAT_code", remove=["VatPerc"])
        text = await refused(client, "list_vat_codes", {})
    assert "Profit_VAT_code" in text
    assert "VatPerc" in text
    assert "changed shape" in text


async def test_R6_a_vat_connector_without_an_optional_field_warns_and_shows_null(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        fresh_sim.trigger_drift("Profit_VAT_code", remove=["VatType"])
        result = await call(client, "list_vat_codes", {})
    assert all(c["vat_type"] is None for c in result["vat_codes"])
    (warning,) = [w for w in result["warnings"] if w["code"] == "field_missing"]
    assert "Profit_VAT_code no longer has field(s) VatType" in warning["message"]
    assert "vat_type" in warning["message"]


# --- list_cost_centres ------------------------------------------------------------------------


async def test_cost_centres_of_one_employer_leave_blocked_ones_out(
    connect, mode, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    async with connect(product_server(fresh_sim, tmp_path), mode=mode) as client:
        result = await call(client, "list_cost_centres", {"employer_id": "02"})
        blocked = await call(
            client, "list_cost_centres", {"employer_id": "02", "include_blocked": True}
        )
    truth = [r for r in fresh_sim.tenant.table("cost_centres") if r["EmployerId"] == "02"]
    assert [c["cost_centre"] for c in result["cost_centres"]] == [
        r["CostCentre"] for r in truth if not r["Blocked"]
    ]
    assert [c["cost_centre"] for c in blocked["cost_centres"]] == [r["CostCentre"] for r in truth]
    first = result["cost_centres"][0]
    assert first["employer_id"] == "02" and first["modified"].startswith(
        truth[0]["_modified"].isoformat()
    )


async def test_cost_centres_of_every_employer_page_in_employer_order(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        paged = await every_page(client, "list_cost_centres", {"limit": 7}, "cost_centres")
    truth = [
        (r["EmployerId"], r["CostCentre"])
        for r in fresh_sim.tenant.table("cost_centres")
        if not r["Blocked"]
    ]
    assert [(c["employer_id"], c["cost_centre"]) for c in paged] == sorted(truth)


async def test_an_unknown_employer_is_an_error_that_lists_the_valid_codes(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        text = await refused(client, "list_cost_centres", {"employer_id": "99"})
    assert "No employer with id '99'" in text
    assert "Valid employer codes: 01, 02, 03, 04" in text


# --- values AFAS left empty or worded unexpectedly ------------------------------------------------


async def test_a_vat_code_without_a_percentage_is_named_in_warnings_not_shown_as_zero(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    fresh_sim.tenant.update("vat_codes", "2", {"VatPerc": None})
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        result = await call(client, "list_vat_codes", {})
    code = next(c for c in result["vat_codes"] if c["vat_code"] == "2")
    assert code["percentage"] is None
    (warning,) = result["warnings"]
    assert warning["code"] == "missing_value"
    assert "1 VAT code record(s) have no percentage in AFAS: 2" in warning["message"]


async def test_a_project_setting_not_understood_is_null_with_a_warning(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    fresh_sim.tenant.update("ledger_accounts", "4700", {"ToProject": "Soms"})
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        result = await call(client, "list_ledger_accounts", {"search": "4700"})
    (account,) = result["accounts"]
    assert (account["requires_project"], account["project_posting"]) == (None, "Soms")
    (warning,) = result["warnings"]
    assert warning["code"] == "unrecognised_value" and "4700 ('Soms')" in warning["message"]


async def test_a_period_without_blocked_status_or_end_is_never_offered_silently(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    year = fresh_sim.tenant.today().year + 1
    fresh_sim.tenant.update("booking_periods", (1, year, 3), {"Blocked": None})
    fresh_sim.tenant.update("booking_periods", (1, year, 4), {"DateTo": None})
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        result = await call(
            client, "list_open_booking_periods", {"administration_id": 1, "year": year}
        )
    assert 3 not in [p["period"] for p in result["open_periods"]]
    assert 3 not in result["blocked_periods"]
    april = next(p for p in result["open_periods"] if p["period"] == 4)
    assert april["last_day"] is None
    messages = {w["code"]: w["message"] for w in result["warnings"]}
    assert "period(s) 3; they are not listed as open" in messages["blocked_status_unknown"]
    assert "booking period record(s) have no last day in AFAS: 4" in messages["missing_value"]


@pytest.mark.parametrize(
    ("tool", "arguments"),
    [
        ("list_vat_codes", {"limit": 0}),
        ("list_vat_codes", {"include_blocked": "sometimes"}),
        ("list_cost_centres", {"employer_id": ""}),
        ("list_cost_centres", {"employer": "01"}),
    ],
)
async def test_invalid_vat_code_and_cost_centre_arguments_say_what_to_change(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path, tool: str, arguments: dict[str, Any]
) -> None:
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        text = await refused(client, tool, arguments)
    assert "Invalid arguments" in text and next(iter(arguments)) in text
    assert fresh_sim.request_log.find(path_contains="/connectors/") == []


async def test_an_employer_without_cost_centres_gets_an_empty_list_that_says_so(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    for record in list(fresh_sim.tenant.table("cost_centres")):
        if record["EmployerId"] == "04":
            fresh_sim.tenant.delete("cost_centres", ("04", record["CostCentre"]))
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        result = await call(client, "list_cost_centres", {"employer_id": "04"})
    assert result["cost_centres"] == [] and result["next_cursor"] is None
    assert [w["message"] for w in result["warnings"]] == ["employer 04 has no cost centres in AFAS"]
