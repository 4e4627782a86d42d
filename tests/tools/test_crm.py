"""The crm toolset through the in-memory MCP client against the simulator (realistic)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import tool_helpers
from tool_helpers import UNPACED, call, every_page, refused

from server.afas.values import AMSTERDAM
from simulator.tenant.people import full_name
from simulator.testing import SimulatorHandle

pytestmark = pytest.mark.anyio

product_server = partial(tool_helpers.product_server, **UNPACED)


def relations(sim: SimulatorHandle, table: str, key: str) -> dict[str, dict[str, Any]]:
    """Debtors or creditors by number, each with the name AFAS shows for it."""
    organisations, persons = sim.tenant.table("organisations"), sim.tenant.table("persons")
    found = {}
    for record in sim.tenant.table(table):
        relation = organisations.get((record["BcCo"],)) or persons.get((record["BcCo"],)) or {}
        found[record[key]] = record | {
            "name": relation.get("Nm") or full_name(relation),
            "city": relation.get("Rs") or "",
        }
    return found


def usable(records: dict[str, dict[str, Any]]) -> list[str]:
    return [k for k, r in records.items() if not r["Bl"] and not r["_deleted"]]


# --- get_debtor -------------------------------------------------------------------------------


async def test_a_debtor_is_shown_with_plain_english_fields_and_a_masked_iban(
    connect, mode, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    truth = relations(fresh_sim, "debtors", "DbId")["10000"]
    async with connect(product_server(fresh_sim, tmp_path), mode=mode) as client:
        result = await call(client, "get_debtor", {"debtor_id": " 10000 "})
    debtor = result["debtor"]
    assert result["status"] == "active" and result["warnings"] == []
    assert debtor["debtor_id"] == "10000"
    assert debtor["name"] == truth["name"]
    assert debtor["relation_id"] == truth["BcCo"]
    assert debtor["iban_masked"] == truth["Iban"][:2] + "*" * 12 + truth["Iban"][-4:]
    assert truth["Iban"] not in str(result)
    assert datetime.fromisoformat(debtor["created"]) == truth["_created"].replace(tzinfo=AMSTERDAM)
    assert debtor["collective_account"] == "1300" and debtor["currency"] == "EUR"


async def test_R4_credit_limit_in_dutch_format_is_returned_as_exact_decimal(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    truth = relations(fresh_sim, "debtors", "DbId")
    number = next(k for k in usable(truth) if truth[k]["CreditLimit"] >= 1000)
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        result = await call(client, "get_debtor", {"debtor_id": number})
    (answer,) = [
        e.response_json["rows"][0]
        for e in fresh_sim.request_log.find(path_contains="/connectors/Profit_Debtor")
    ]
    assert isinstance(answer["CreditLimit"], str) and answer["CreditLimit"].endswith(",00")
    assert "." in answer["CreditLimit"]  # "2.500,00": AFAS's Dutch thousands separator
    assert result["debtor"]["credit_limit"] == f"{truth[number]['CreditLimit']}.00"


async def test_R5_blocked_debtor_is_reported_as_blocked_not_as_empty_record(
    connect, mode, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    truth = relations(fresh_sim, "debtors", "DbId")
    blocked = next(k for k, r in truth.items() if r["Bl"])
    async with connect(product_server(fresh_sim, tmp_path), mode=mode) as client:
        result = await call(client, "get_debtor", {"debtor_id": blocked})
    assert result["status"] == "blocked_or_deleted"
    assert result["debtor"] is None
    (warning,) = result["warnings"]
    assert warning["code"] == "record_is_shell"
    assert f"debtor {blocked}" in warning["message"] and "must not be used" in warning["message"]


async def test_R5_a_deleted_debtor_returned_as_a_shell_is_not_a_record_either(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    truth = relations(fresh_sim, "debtors", "DbId")
    deleted = next(k for k, r in truth.items() if r["_deleted"])
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        result = await call(client, "get_debtor", {"debtor_id": deleted})
    assert (result["status"], result["debtor"]) == ("blocked_or_deleted", None)


async def test_without_shells_a_blocked_debtor_comes_in_full_and_says_blocked(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    fresh_sim.quirks.disable("R5_shell_rows")  # AFAS as documented: blocked rows in full
    truth = relations(fresh_sim, "debtors", "DbId")
    blocked = next(k for k, r in truth.items() if r["Bl"])
    deleted = next(k for k, r in truth.items() if r["_deleted"])
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        result = await call(client, "get_debtor", {"debtor_id": blocked})
        gone = await refused(client, "get_debtor", {"debtor_id": deleted})
    assert result["status"] == "blocked"
    assert result["debtor"]["blocked"] is True
    assert result["debtor"]["name"] == truth[blocked]["name"]
    assert f"No debtor with id '{deleted}'" in gone


async def test_an_unknown_debtor_is_an_error_that_points_to_search_debtors(
    connect, mode, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    async with connect(product_server(fresh_sim, tmp_path), mode=mode) as client:
        text = await refused(client, "get_debtor", {"debtor_id": "99999"})
    assert "No debtor with id '99999' exists in AFAS" in text
    assert "search_debtors" in text


@pytest.mark.parametrize(
    "arguments", [{"debtor_id": ""}, {"debtor_id": "1" * 17}, {}, {"id": "10000"}]
)
async def test_invalid_debtor_numbers_are_refused_before_afas_is_asked(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path, arguments: dict[str, Any]
) -> None:
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        text = await refused(client, "get_debtor", arguments)
    assert "Invalid arguments" in text
    assert fresh_sim.request_log.find(path_contains="/connectors/") == []


async def test_R6_a_debtor_connector_without_the_name_fails_loudly_naming_it(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        await call(client, "get_debtor", {"debtor_id": "10000"})  # metainfo cached
        fresh_sim.trigger_drift("Profit_Debtor", rename={"DebtorName": "Naam"})
        text = await refused(client, "get_debtor", {"debtor_id": "10000"})
    assert "Profit_Debtor" in text and "DebtorName" in text
    assert "changed shape" in text


async def test_R6_a_debtor_connector_without_the_phone_shows_null_and_says_why(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        await call(client, "get_debtor", {"debtor_id": "10000"})
        fresh_sim.trigger_drift("Profit_Debtor", remove=["TelNr", "IBAN"])
        result = await call(client, "get_debtor", {"debtor_id": "10000"})
    assert result["debtor"]["phone"] is None and result["debtor"]["iban_masked"] is None
    messages = [w["message"] for w in result["warnings"] if w["code"] == "field_missing"]
    assert messages == [
        "Profit_Debtor no longer has field(s) IBAN, TelNr (an AFAS administrator changed the "
        "GetConnector, R6); iban_masked, phone are shown as null although AFAS may hold values"
    ]


async def test_R2_a_name_search_after_the_name_field_was_removed_is_an_error_not_empty(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    fresh_sim.quirks.enable("R2_bad_filter_empty_200")  # AFAS answers the filter with []
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        await call(client, "search_debtors", {"name": "b.v."})  # metainfo cached
        fresh_sim.trigger_drift("Profit_Debtor", remove=["DebtorName"])
        text = await refused(client, "search_debtors", {"name": "b.v."})
    assert "Profit_Debtor" in text and "DebtorName" in text


# --- search_debtors ---------------------------------------------------------------------------


async def test_R5_search_leaves_blocked_and_deleted_shells_out_and_counts_them(
    connect, mode, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    truth = relations(fresh_sim, "debtors", "DbId")
    shells = [k for k, r in truth.items() if r["Bl"] or r["_deleted"]]
    async with connect(product_server(fresh_sim, tmp_path), mode=mode) as client:
        result = await call(client, "search_debtors", {"limit": 200})
    assert [d["debtor_id"] for d in result["debtors"]] == usable(truth)
    assert all(d["name"] and d["address"] for d in result["debtors"])
    (warning,) = result["warnings"]
    assert warning["code"] == "shell_rows_left_out"
    assert warning["count"] == len(shells)
    assert all(number in warning["message"] for number in shells)


async def test_debtor_pages_follow_each_other_and_fill_up_past_left_out_shells(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    truth = relations(fresh_sim, "debtors", "DbId")
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        first = await call(client, "search_debtors", {"limit": 5})
        paged = await every_page(client, "search_debtors", {"limit": 5}, "debtors")
    assert len(first["debtors"]) == 5  # a shell on the page is replaced, not just dropped
    assert [d["debtor_id"] for d in paged] == usable(truth)


async def test_debtor_search_by_name_and_city_matches_parts_without_regard_to_case(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    truth = relations(fresh_sim, "debtors", "DbId")
    target = truth[usable(truth)[1]]
    part, city = target["name"].split()[0].lower(), target["city"].lower()
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        result = await call(client, "search_debtors", {"name": part, "city": city})
    expected = [
        k
        for k in usable(truth)
        if part in truth[k]["name"].lower() and city in truth[k]["city"].lower()
    ]
    assert [d["debtor_id"] for d in result["debtors"]] == expected
    assert target["DbId"] in expected


async def test_a_name_search_with_blocked_included_warns_that_shells_cannot_match(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        included = await call(client, "search_debtors", {"name": "a", "include_blocked": True})
        default = await call(client, "search_debtors", {"name": "a"})
    assert "blocked_records_not_searchable" in [w["code"] for w in included["warnings"]]
    assert "blocked_records_not_searchable" not in [w["code"] for w in default["warnings"]]


async def test_a_search_that_matches_nothing_is_an_empty_list_without_warnings(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        result = await call(client, "search_debtors", {"name": "Zzyzx"})
    assert result == {"debtors": [], "next_cursor": None, "warnings": []}


@pytest.mark.parametrize(
    "arguments", [{"name": "Jan*"}, {"limit": 201}, {"city": "x" * 81}, {"blocked": True}]
)
async def test_invalid_search_arguments_say_what_to_change(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path, arguments: dict[str, Any]
) -> None:
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        text = await refused(client, "search_debtors", arguments)
    assert "Invalid arguments" in text and next(iter(arguments)) in text


# --- creditors ------------------------------------------------------------------------------------


async def test_a_creditor_is_shown_with_its_payment_hold_and_exact_credit_limit(
    connect, mode, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    truth = relations(fresh_sim, "creditors", "CrId")
    number = usable(truth)[0]
    async with connect(product_server(fresh_sim, tmp_path), mode=mode) as client:
        result = await call(client, "get_creditor", {"creditor_id": number})
    creditor = result["creditor"]
    assert result["status"] == "active"
    assert creditor["creditor_id"] == number and creditor["name"] == truth[number]["name"]
    assert Decimal(creditor["credit_limit"]) == truth[number]["CreditLimit"]
    assert creditor["credit_limit"].endswith((".00", ".50"))
    assert creditor["temporarily_blocked"] is truth[number]["TempBlocked"]
    assert creditor["payment_condition"] == truth[number]["PaCd"]


async def test_R5_blocked_creditor_is_reported_as_blocked_not_as_empty_record(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    truth = relations(fresh_sim, "creditors", "CrId")
    blocked = next(k for k, r in truth.items() if r["Bl"])
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        result = await call(client, "get_creditor", {"creditor_id": blocked})
    assert (result["status"], result["creditor"]) == ("blocked_or_deleted", None)
    assert [w["code"] for w in result["warnings"]] == ["record_is_shell"]


async def test_an_unknown_creditor_is_an_error_that_points_to_search_creditors(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        text = await refused(client, "get_creditor", {"creditor_id": "10000"})
    assert "No creditor with id '10000'" in text and "search_creditors" in text


async def test_creditor_pages_list_every_usable_creditor_once_and_count_the_shells(
    connect, mode, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    truth = relations(fresh_sim, "creditors", "CrId")
    async with connect(product_server(fresh_sim, tmp_path), mode=mode) as client:
        paged = await every_page(client, "search_creditors", {"limit": 3}, "creditors")
        whole = await call(client, "search_creditors", {"limit": 200})
    assert [c["creditor_id"] for c in paged] == usable(truth)
    shells = sum(w["count"] for w in whole["warnings"] if w["code"] == "shell_rows_left_out")
    assert shells == len(truth) - len(usable(truth))


async def test_a_debtor_cursor_does_not_continue_a_creditor_search(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        debtors = await call(client, "search_debtors", {"limit": 2})
        text = await refused(client, "search_creditors", {"cursor": debtors["next_cursor"]})
    assert "search_creditors call with other arguments" in text


async def test_a_debtor_whose_name_afas_left_empty_is_listed_with_a_warning(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    truth = relations(fresh_sim, "debtors", "DbId")
    number = next(
        k for k in usable(truth) if fresh_sim.tenant.get("organisations", truth[k]["BcCo"])
    )
    fresh_sim.tenant.update("organisations", truth[number]["BcCo"], {"Nm": None})
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        result = await call(client, "get_debtor", {"debtor_id": number})
    assert result["status"] == "active" and result["debtor"]["name"] is None
    assert result["debtor"]["address"]  # the rest is there: not a shell
    (warning,) = result["warnings"]
    assert warning["code"] == "missing_value"
    assert f"have no name in AFAS: {number}" in warning["message"]


async def test_creditor_search_by_name_finds_parts_of_names(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    truth = relations(fresh_sim, "creditors", "CrId")
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        result = await call(client, "search_creditors", {"name": "GROOTHANDEL"})
    expected = [k for k in usable(truth) if "groothandel" in truth[k]["name"].lower()]
    assert [c["creditor_id"] for c in result["creditors"]] == expected and expected


@pytest.mark.parametrize(
    ("tool", "arguments"),
    [
        ("get_creditor", {"creditor_id": " "}),
        ("get_creditor", {"debtor_id": "70000"}),
        ("search_creditors", {"name": "%groot"}),
        ("search_creditors", {"limit": 1000}),
    ],
)
async def test_invalid_creditor_arguments_say_what_to_change(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path, tool: str, arguments: dict[str, Any]
) -> None:
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        text = await refused(client, tool, arguments)
    assert "Invalid arguments" in text and next(iter(arguments)) in text
    assert fresh_sim.request_log.find(path_contains="/connectors/") == []


async def test_an_afas_error_reaches_the_agent_with_afas_message_and_log_reference(
    connect, fresh_sim: SimulatorHandle, tmp_path: Path
) -> None:
    async with connect(product_server(fresh_sim, tmp_path)) as client:
        fresh_sim.block_connector("Profit_Debtor")
        text = await refused(client, "search_debtors", {})
    (answer,) = fresh_sim.request_log.find(path_contains="/connectors/Profit_Debtor")
    assert answer.response_json["externalMessage"] in text
    assert answer.response_json["profitLogReference"] in text
