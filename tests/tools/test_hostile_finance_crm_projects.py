"""The finance, crm and projects tools against the simulator's `hostile` profile.

Every quirk switch is on. For each tool and each read quirk that can touch it, the answer is
compared with the tenant's ground truth, or must be an error or warning that names the problem.

| quirk | how it reaches these tools | proven by |
|---|---|---|
| R1 wage tax blank | employee connectors only | n/a |
| R2 bad filter, empty 200 | filter on a field dropped since metainfo was read | `test_R2_R6_...` |
| R3 child dates | employee child records only | n/a |
| R4 Dutch decimals | debtor credit limits come as "12.500,00" | `test_*_answers_like_the_tenant` |
| R5 shells | blocked and deleted debtors and creditors | `test_*_answers_like_the_tenant` |
| R6 drift | any connector, at run time | `test_R6_...`, `test_R2_R6_...` |
| R7 local time with Z | every date and timestamp | `test_*_answers_like_the_tenant` |
| R8 no total count | every paged list; a page that ends exactly | `test_R8_...`, paging tests |
| R9 stale cache | concurrent calls on one connector | `test_R9_...` |
| R10 sibling environment | every tool | `test_R10_...` |
| R11 revoked token | every tool | `test_R11_...` |
| R12 one-indexed skip | paged reads | paging tests, `test_R13_...` (many small pages) |
| R13 take cap, out of memory | page sizes; a low cell budget | wire checks, `test_R13_...` |
| R14 string operator | every filter | wire checks |
| R15 unstable order | every read | wire checks |
| R16 long query 404 | the longest text filters, split by the client | `test_R16_...` |
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import anyio
import pytest
import tool_helpers
from tool_helpers import INTEGRATION_ID, UNPACED, call, refused

from server.afas.values import AMSTERDAM
from simulator.tenant.people import full_name
from simulator.testing import SimulatorHandle, start_simulator

pytestmark = pytest.mark.anyio

# The hostile simulator demands an IntegrationId.
product_server = partial(tool_helpers.product_server, **UNPACED, **INTEGRATION_ID)

# Every tool once, with arguments that reach AFAS; for the checks that apply to all of them.
ONE_CALL_EACH: list[tuple[str, dict[str, Any]]] = [
    ("list_open_booking_periods", {"administration_id": 1, "year": 2026}),
    ("list_ledger_accounts", {"search": "kosten"}),
    ("list_vat_codes", {}),
    ("list_cost_centres", {"employer_id": "01"}),
    ("get_debtor", {"debtor_id": "10000"}),
    ("search_debtors", {"name": "b"}),
    ("get_creditor", {"creditor_id": "70000"}),
    ("search_creditors", {"city": "e"}),
    ("get_project", {"project_id": "910001"}),
    ("search_projects", {"text": "a"}),
]


@pytest.fixture(scope="module")
def sim() -> Iterator[SimulatorHandle]:
    # 500 employees: 125 debtors (8 of them shells), 62 creditors, 20 projects.
    with start_simulator(profile="hostile", seed=1, size=500) as handle:
        yield handle


@pytest.fixture
def hostile(fresh_sim: SimulatorHandle) -> SimulatorHandle:
    """The hostile tenant, reset before and after the test."""
    return fresh_sim


async def pages(
    client: Any, tool: str, arguments: dict[str, Any], items: str
) -> tuple[list[Any], list[dict[str, Any]]]:
    """Every item of every page, and every warning, following next_cursor to the end."""
    found: list[Any] = []
    warnings: list[dict[str, Any]] = []
    cursor = None
    for _ in range(200):
        page = await call(client, tool, arguments | ({"cursor": cursor} if cursor else {}))
        found += page[items]
        warnings += page["warnings"]
        cursor = page["next_cursor"]
        if cursor is None:
            return found, warnings
    raise AssertionError("more than 200 pages")


def assert_wire_discipline(sim: SimulatorHandle) -> None:
    """R13, R14, R15: every GetConnector call is ordered, asks at most 1000 rows, and uses
    AFAS's integer operator codes; no call was answered with a stale payload (R9) or a 404."""
    reads = [e for e in sim.request_log.find(method="GET", path_contains="/connectors/") if e.query]
    assert reads
    for entry in reads:
        query = {k.lower(): v[0] for k, v in parse_qs(entry.query).items()}
        assert query.get("orderbyfieldids"), entry.query  # R15
        assert int(query["take"]) <= 1000, entry.query  # R13
        operators = query.get("operatortypes", "").replace(";", ",")
        assert all(o.isdigit() for o in operators.split(",") if o), entry.query  # R14
        assert '"@OperatorType":"' not in query.get("filterjson", "x") or all(
            part.split('"')[0].isdigit()
            for part in query["filterjson"].split('"@OperatorType":"')[1:]
        ), entry.query
        assert "R9 stale payload" not in entry.notes  # R9
        assert entry.status != 404, entry.query  # R16


async def logged(sim: SimulatorHandle, count: int) -> None:
    """Wait (at most two seconds) until the request log holds `count` calls.

    The simulator logs a call when its body is sent; an answer without a body (a 401) can reach
    the client first.
    """
    with anyio.fail_after(2):
        while len(sim.request_log.entries) < count:
            await anyio.sleep(0.01)


def relations(sim: SimulatorHandle, table: str, key: str) -> dict[str, dict[str, Any]]:
    """Debtors or creditors by number, with the name AFAS shows for each."""
    organisations, persons = sim.tenant.table("organisations"), sim.tenant.table("persons")
    found = {}
    for record in sim.tenant.table(table):
        relation = organisations.get((record["BcCo"],)) or persons.get((record["BcCo"],)) or {}
        found[record[key]] = record | {"name": relation.get("Nm") or full_name(relation)}
    return found


def usable(records: dict[str, dict[str, Any]]) -> list[str]:
    return [k for k, r in records.items() if not r["Bl"] and not r["_deleted"]]


def local(stamp: datetime) -> datetime:
    return stamp.replace(tzinfo=AMSTERDAM)


def shells_counted(warnings: list[dict[str, Any]]) -> int:
    return sum(w["count"] for w in warnings if w["code"] == "shell_rows_left_out")


# --- each tool answers like the tenant (R4, R5, R7, R8, R12-R15 all on) ---------------------------


async def test_hostile_debtor_search_answers_like_the_tenant(
    connect, hostile: SimulatorHandle, tmp_path: Path
) -> None:
    truth = relations(hostile, "debtors", "DbId")
    async with connect(product_server(hostile, tmp_path)) as client:
        debtors, warnings = await pages(client, "search_debtors", {"limit": 7}, "debtors")
    assert [d["debtor_id"] for d in debtors] == usable(truth)  # R5, R8, R12
    assert shells_counted(warnings) == len(truth) - len(usable(truth))  # R5
    for debtor in debtors:
        record = truth[debtor["debtor_id"]]
        assert debtor["name"] == record["name"]
        assert Decimal(debtor["credit_limit"]) == record["CreditLimit"]  # R4
        assert datetime.fromisoformat(debtor["created"]) == local(record["_created"])  # R7
        assert datetime.fromisoformat(debtor["modified"]) == local(record["_modified"])  # R7
    assert_wire_discipline(hostile)


async def test_hostile_get_debtor_answers_like_the_tenant(
    connect, hostile: SimulatorHandle, tmp_path: Path
) -> None:
    truth = relations(hostile, "debtors", "DbId")
    rich = max(usable(truth), key=lambda k: truth[k]["CreditLimit"])  # "25.000,00" on the wire
    blocked = next(k for k, r in truth.items() if r["Bl"])
    deleted = next(k for k, r in truth.items() if r["_deleted"])
    async with connect(product_server(hostile, tmp_path)) as client:
        found = await call(client, "get_debtor", {"debtor_id": rich})
        shell_b = await call(client, "get_debtor", {"debtor_id": blocked})
        shell_d = await call(client, "get_debtor", {"debtor_id": deleted})
        unknown = await refused(client, "get_debtor", {"debtor_id": "19999"})
    assert found["status"] == "active"
    assert Decimal(found["debtor"]["credit_limit"]) == truth[rich]["CreditLimit"]  # R4
    assert found["debtor"]["credit_limit"] == format(truth[rich]["CreditLimit"], "f") + ".00"
    for shell in (shell_b, shell_d):  # R5: never a record with empty fields
        assert (shell["status"], shell["debtor"]) == ("blocked_or_deleted", None)
        assert [w["code"] for w in shell["warnings"]] == ["record_is_shell"]
    assert "No debtor with id '19999'" in unknown
    assert_wire_discipline(hostile)


async def test_hostile_creditors_answer_like_the_tenant(
    connect, hostile: SimulatorHandle, tmp_path: Path
) -> None:
    truth = relations(hostile, "creditors", "CrId")
    blocked = next(k for k, r in truth.items() if r["Bl"] or r["_deleted"])
    async with connect(product_server(hostile, tmp_path)) as client:
        creditors, warnings = await pages(client, "search_creditors", {"limit": 9}, "creditors")
        first = await call(client, "get_creditor", {"creditor_id": usable(truth)[0]})
        shell = await call(client, "get_creditor", {"creditor_id": blocked})
    assert [c["creditor_id"] for c in creditors] == usable(truth)
    assert shells_counted(warnings) == len(truth) - len(usable(truth))
    for creditor in creditors:
        record = truth[creditor["creditor_id"]]
        assert creditor["name"] == record["name"]
        assert Decimal(creditor["credit_limit"]) == record["CreditLimit"]
        assert creditor["temporarily_blocked"] is record["TempBlocked"]
        assert datetime.fromisoformat(creditor["created"]) == local(record["_created"])
    assert first["creditor"] == creditors[0]
    assert (shell["status"], shell["creditor"]) == ("blocked_or_deleted", None)
    assert_wire_discipline(hostile)


async def test_hostile_open_booking_periods_answer_like_the_tenant(
    connect, hostile: SimulatorHandle, tmp_path: Path
) -> None:
    year = hostile.tenant.today().year
    async with connect(product_server(hostile, tmp_path)) as client:
        for unit in (1, 2):
            for asked in (year - 1, year, year + 1):
                result = await call(
                    client, "list_open_booking_periods", {"administration_id": unit, "year": asked}
                )
                truth = [
                    r
                    for r in hostile.tenant.table("booking_periods")
                    if r["Unit"] == unit and r["Year"] == asked
                ]
                assert [
                    (p["period"], p["first_day"], p["last_day"]) for p in result["open_periods"]
                ] == [
                    (r["Period"], r["DateFrom"].isoformat(), r["DateTo"].isoformat())  # R7
                    for r in truth
                    if not r["Blocked"]
                ]
                assert result["blocked_periods"] == [r["Period"] for r in truth if r["Blocked"]]
                assert bool(result["open_periods"]) or result["warnings"]  # never silently none
    assert_wire_discipline(hostile)


async def test_hostile_ledger_accounts_answer_like_the_tenant(
    connect, hostile: SimulatorHandle, tmp_path: Path
) -> None:
    truth = {r["Account"]: r for r in hostile.tenant.table("ledger_accounts")}
    async with connect(product_server(hostile, tmp_path)) as client:
        accounts, warnings = await pages(
            client, "list_ledger_accounts", {"limit": 4, "include_blocked": True}, "accounts"
        )
        open_only, _ = await pages(client, "list_ledger_accounts", {"limit": 5}, "accounts")
    assert [a["account_number"] for a in accounts] == list(truth)
    assert [a["account_number"] for a in open_only] == [
        k for k, r in truth.items() if not r["Blocked"]
    ]
    for account in accounts:
        record = truth[account["account_number"]]
        assert account["requires_allocation"] is (record["DimAx1"] is not None)
        assert account["requires_project"] is (record["ToProject"] == "Verplicht")
        assert account["blocked"] is record["Blocked"]
    assert warnings == []
    assert_wire_discipline(hostile)


async def test_hostile_vat_codes_answer_like_the_tenant(
    connect, hostile: SimulatorHandle, tmp_path: Path
) -> None:
    truth = {r["VatCode"]: r for r in hostile.tenant.table("vat_codes")}
    async with connect(product_server(hostile, tmp_path)) as client:
        codes, warnings = await pages(
            client, "list_vat_codes", {"include_blocked": True, "limit": 2}, "vat_codes"
        )
    assert [c["vat_code"] for c in codes] == list(truth)
    assert all(Decimal(c["percentage"]) == truth[c["vat_code"]]["VatPerc"] for c in codes)
    assert all(c["blocked"] is truth[c["vat_code"]]["Blocked"] for c in codes)
    assert warnings == []
    assert_wire_discipline(hostile)


async def test_hostile_cost_centres_answer_like_the_tenant(
    connect, hostile: SimulatorHandle, tmp_path: Path
) -> None:
    truth = [r for r in hostile.tenant.table("cost_centres") if not r["Blocked"]]
    async with connect(product_server(hostile, tmp_path)) as client:
        centres, warnings = await pages(client, "list_cost_centres", {"limit": 5}, "cost_centres")
        one, _ = await pages(client, "list_cost_centres", {"employer_id": "03"}, "cost_centres")
    key = sorted((r["EmployerId"], r["CostCentre"]) for r in truth)
    assert [(c["employer_id"], c["cost_centre"]) for c in centres] == key
    assert [c["cost_centre"] for c in one] == [k[1] for k in key if k[0] == "03"]
    by_key = {(r["EmployerId"], r["CostCentre"]): r for r in truth}
    for centre in centres:
        record = by_key[(centre["employer_id"], centre["cost_centre"])]
        assert datetime.fromisoformat(centre["modified"]) == local(record["_modified"])  # R7
    assert warnings == []
    assert_wire_discipline(hostile)


async def test_hostile_projects_answer_like_the_tenant(
    connect, hostile: SimulatorHandle, tmp_path: Path
) -> None:
    truth = {r["ProjectId"]: r for r in hostile.tenant.table("projects")}
    sample = list(truth)[::4]
    async with connect(product_server(hostile, tmp_path)) as client:
        listed, warnings = await pages(
            client, "search_projects", {"state": "any", "limit": 3}, "projects"
        )
        active, _ = await pages(client, "search_projects", {"limit": 6}, "projects")
        got = [await call(client, "get_project", {"project_id": k}) for k in sample]
    assert [p["project_id"] for p in listed] == list(truth)
    assert [p["project_id"] for p in active] == [k for k, r in truth.items() if not r["CheckedOut"]]
    for project in listed:
        record = truth[project["project_id"]]
        assert project["start_date"] == record["DateStart"].isoformat()  # R7
        ready = record["DateReady"]
        assert project["ready_date"] == (ready.isoformat() if ready else None)
        assert project["completed"] is record["CheckedOut"]
        assert project["debtor_id"] == record["DebtorId"]
    for result, number in zip(got, sample, strict=True):
        expected = "completed" if truth[number]["CheckedOut"] else "active"
        assert result["status"] == expected
        assert result["project"] == next(p for p in listed if p["project_id"] == number)
    assert warnings == []
    assert_wire_discipline(hostile)


# --- quirk by quirk ------------------------------------------------------------------------------


# (tool, arguments, connector, the filtered field an administrator removes)
FILTERING: list[tuple[str, dict[str, Any], str, str]] = [
    ("get_debtor", {"debtor_id": "10000"}, "Profit_Debtor", "DebtorId"),
    ("search_debtors", {"name": "b"}, "Profit_Debtor", "DebtorName"),
    ("search_debtors", {"city": "e"}, "Profit_Debtor", "AdressLine3"),
    ("get_creditor", {"creditor_id": "70000"}, "Profit_Creditor", "CreditorId"),
    ("search_creditors", {"city": "e"}, "Profit_Creditor", "Adressline3"),
    ("get_project", {"project_id": "910001"}, "Profit_Projects", "ProjectId"),
    ("search_projects", {"debtor_id": "10000"}, "Profit_Projects", "DebtorId"),
    ("list_ledger_accounts", {"search": "kosten"}, "Profit_Accounts", "Description"),
    ("list_cost_centres", {"employer_id": "01"}, "Profit_CostCentre", "EmployerId"),
    (
        "list_open_booking_periods",
        {"administration_id": 1, "year": 2026},
        "Profit_periods_per_administration",
        "Year",
    ),
]


@pytest.mark.parametrize(("tool", "arguments", "connector", "field"), FILTERING)
async def test_R2_R6_hostile_a_filter_on_a_field_removed_since_metainfo_was_read_is_an_error(
    connect,
    hostile: SimulatorHandle,
    tmp_path: Path,
    tool: str,
    arguments: dict[str, Any],
    connector: str,
    field: str,
) -> None:
    """AFAS answers a filter on an unknown field with an empty 200 (R2); after a drift (R6)
    that empty answer must not read as "nothing found"."""
    async with connect(product_server(hostile, tmp_path)) as client:
        await call(client, tool, arguments)  # metainfo cached
        hostile.trigger_drift(connector, remove=[field])
        text = await refused(client, tool, arguments)
    assert connector in text and field in text
    assert "changed shape" in text


async def test_R2_R6_hostile_a_next_page_after_the_filtered_field_was_dropped_is_no_end(
    connect, hostile: SimulatorHandle, tmp_path: Path
) -> None:
    """Page two repeats the filter; once the field is gone AFAS answers it with an empty 200,
    which must not read as "no more debtors"."""
    arguments = {"name": "b", "limit": 3}
    async with connect(product_server(hostile, tmp_path)) as client:
        first = await call(client, "search_debtors", arguments)
        hostile.trigger_drift("Profit_Debtor", remove=["DebtorName"])
        text = await refused(client, "search_debtors", arguments | {"cursor": first["next_cursor"]})
    assert "Profit_Debtor" in text and "DebtorName" in text and "changed shape" in text


@pytest.mark.parametrize(
    ("tool", "connector", "field"),
    [
        ("search_debtors", "Profit_Debtor", "AdressLine3"),
        ("search_creditors", "Profit_Creditor", "Adressline3"),
    ],
)
async def test_R6_hostile_a_field_the_tool_filters_on_gone_before_any_read_is_drift_not_the_agents(
    connect, hostile: SimulatorHandle, tmp_path: Path, tool: str, connector: str, field: str
) -> None:
    """The city field is the tool's choice, not the agent's: its absence is the connector's
    drift, never an unknown field the agent is told to correct."""
    hostile.trigger_drift(connector, remove=[field])
    async with connect(product_server(hostile, tmp_path)) as client:
        text = await refused(client, tool, {"city": "e"})
    assert connector in text and field in text and "changed shape" in text
    assert "not a field of this connector" not in text


# (tool, arguments, connector, a field the tool cannot answer without)
REQUIRED: list[tuple[str, dict[str, Any], str, str]] = [
    ("get_debtor", {"debtor_id": "10000"}, "Profit_Debtor", "Blocked"),
    ("search_debtors", {}, "Profit_Debtor", "BcCo"),
    ("get_creditor", {"creditor_id": "70000"}, "Profit_Creditor", "CreditorName"),
    ("search_creditors", {}, "Profit_Creditor", "Blocked"),
    ("get_project", {"project_id": "910001"}, "Profit_Projects", "UnitId"),
    ("search_projects", {}, "Profit_Projects", "CheckedOut"),
    ("list_ledger_accounts", {}, "Profit_Accounts", "Blocked"),
    ("list_vat_codes", {}, "Profit_VAT_code", "VatPerc"),
    ("list_cost_centres", {}, "Profit_CostCentre", "Blocked"),
    (
        "list_open_booking_periods",
        {"administration_id": 1, "year": 2026},
        "Profit_periods_per_administration",
        "Blocked",
    ),
    (
        "list_open_booking_periods",
        {"administration_id": 1, "year": 2026},
        "Profit_Administrations",
        "AdminNm",
    ),
]


@pytest.mark.parametrize(("tool", "arguments", "connector", "field"), REQUIRED)
async def test_R6_hostile_a_field_the_tool_needs_gone_at_run_time_fails_naming_it(
    connect,
    hostile: SimulatorHandle,
    tmp_path: Path,
    tool: str,
    arguments: dict[str, Any],
    connector: str,
    field: str,
) -> None:
    async with connect(product_server(hostile, tmp_path)) as client:
        await call(client, tool, arguments)
        hostile.trigger_drift(connector, rename={field: f"{field}_old"})
        text = await refused(client, tool, arguments)
    assert connector in text and field in text and "changed shape" in text


async def test_R6_hostile_an_optional_field_gone_is_null_with_a_warning_naming_it(
    connect, hostile: SimulatorHandle, tmp_path: Path
) -> None:
    async with connect(product_server(hostile, tmp_path)) as client:
        hostile.trigger_drift("Profit_Accounts", remove=["DimAx2", "ToProject"])
        accounts, warnings = await pages(client, "list_ledger_accounts", {}, "accounts")
    by_number = {a["account_number"]: a for a in accounts}
    assert by_number["4600"]["requires_allocation"] is True  # DimAx1 still says so
    assert by_number["1000"]["requires_allocation"] is None  # no longer knowable
    assert all(a["requires_project"] is None for a in accounts)
    (warning,) = [w for w in warnings if w["code"] == "field_missing"]
    assert "Profit_Accounts no longer has field(s) DimAx2, ToProject" in warning["message"]


async def test_R8_hostile_a_page_that_ends_exactly_at_the_last_row_has_no_cursor(
    connect, hostile: SimulatorHandle, tmp_path: Path
) -> None:
    truth = relations(hostile, "creditors", "CrId")
    count = len(usable(truth))
    async with connect(product_server(hostile, tmp_path)) as client:
        exact = await call(client, "search_creditors", {"limit": count})
        short = await call(client, "search_creditors", {"limit": count - 1})
        rest = await call(
            client, "search_creditors", {"limit": count - 1, "cursor": short["next_cursor"]}
        )
    assert [c["creditor_id"] for c in exact["creditors"]] == usable(truth)
    assert exact["next_cursor"] is None
    assert [c["creditor_id"] for c in short["creditors"] + rest["creditors"]] == usable(truth)
    assert rest["next_cursor"] is None


async def test_R9_hostile_concurrent_calls_each_get_their_own_fresh_answer(
    connect, hostile: SimulatorHandle, tmp_path: Path
) -> None:
    debtors = relations(hostile, "debtors", "DbId")
    wanted = usable(debtors)[:8]
    answers: dict[str, dict[str, Any]] = {}

    async with connect(product_server(hostile, tmp_path)) as client:

        async def one(number: str) -> None:
            answers[number] = await call(client, "get_debtor", {"debtor_id": number})

        async with anyio.create_task_group() as tasks:
            for number in wanted:
                tasks.start_soon(one, number)
    assert {k: v["debtor"]["name"] for k, v in answers.items()} == {
        k: debtors[k]["name"] for k in wanted
    }
    assert_wire_discipline(hostile)


@pytest.mark.parametrize(("tool", "arguments"), ONE_CALL_EACH)
async def test_R10_hostile_a_sibling_company_on_the_same_token_is_refused_by_every_tool(
    connect, hostile: SimulatorHandle, tmp_path: Path, tool: str, arguments: dict[str, Any]
) -> None:
    server = product_server(hostile, tmp_path, AFAS_BASE_URL=hostile.sibling_base_url)
    async with connect(server) as client:
        text = await refused(client, tool, arguments)
    assert "another environment" in text
    assert hostile.request_log.find(path_contains="/connectors/") == []


@pytest.mark.parametrize(("tool", "arguments"), ONE_CALL_EACH)
async def test_R11_hostile_a_revoked_token_is_reported_at_once_by_every_tool(
    connect, hostile: SimulatorHandle, tmp_path: Path, tool: str, arguments: dict[str, Any]
) -> None:
    async with connect(product_server(hostile, tmp_path)) as client:
        await call(client, "list_vat_codes", {})  # the environment is verified
        hostile.revoke_token()
        hostile.request_log.clear()
        text = await refused(client, tool, arguments)
        await logged(hostile, 1)
    assert "refused this server's credentials" in text
    assert [e.status for e in hostile.request_log.entries] == [401]  # never retried


async def test_R11_hostile_a_token_revoked_before_the_start_is_named_by_the_tools(
    connect, hostile: SimulatorHandle, tmp_path: Path
) -> None:
    hostile.revoke_token()
    async with connect(product_server(hostile, tmp_path)) as client:
        text = await refused(client, "search_projects", {})
    assert "401" in text and "refused the credentials" in text
    assert hostile.request_log.find(path_contains="/connectors/") == []


async def test_R13_hostile_out_of_memory_shrinks_pages_and_loses_nothing(
    connect, hostile: SimulatorHandle, tmp_path: Path
) -> None:
    creditors = relations(hostile, "creditors", "CrId")
    periods = [r for r in hostile.tenant.table("booking_periods") if r["Unit"] == 2]
    year = periods[0]["Year"]
    async with connect(product_server(hostile, tmp_path)) as client:
        hostile.settings.cell_budget = 20 * 8  # a creditor row has 20 fields: 8 rows per call
        found, warnings = await pages(client, "search_creditors", {"limit": 20}, "creditors")
        hostile.settings.cell_budget = 9 * 6  # a period row has 9 fields; a year has 12 rows
        booking = await call(
            client, "list_open_booking_periods", {"administration_id": 2, "year": year}
        )
    assert [c["creditor_id"] for c in found] == usable(creditors)
    assert "page_shrunk" in [w["code"] for w in warnings]
    assert booking["blocked_periods"] == [
        r["Period"] for r in periods if r["Year"] == year and r["Blocked"]
    ]
    assert "page_shrunk" in [w["code"] for w in booking["warnings"]]


async def test_R16_hostile_a_search_too_long_for_one_call_is_split_and_answers_like_the_tenant(
    connect, hostile: SimulatorHandle, tmp_path: Path
) -> None:
    """80 emoji are 960 characters a value once percent-encoded: with a customer as well, the
    name-or-number search no longer fits AFAS's 2049 characters (R16, a 404 in this profile).
    The client splits it; the answer is the tenant's, never a 404 read as "no projects"."""
    text = "\N{GRINNING FACE}" * 80
    projects = list(hostile.tenant.table("projects"))
    customer = projects[0]["DebtorId"]

    def truth(debtor: str | None) -> list[str]:
        return [
            r["ProjectId"]
            for r in projects
            if not r["CheckedOut"]
            and debtor in (None, r["DebtorId"])
            and (text in r["Description"] or r["ProjectId"].startswith(text))
        ]

    async with connect(product_server(hostile, tmp_path)) as client:
        alone = await call(client, "search_projects", {"text": text})
        hostile.request_log.clear()
        split = await call(client, "search_projects", {"text": text, "debtor_id": customer})
        reads = hostile.request_log.find(method="GET", path_contains="/connectors/Profit_Projects")
        longest = await call(client, "search_debtors", {"name": "x" * 80, "city": "y" * 80})
    assert [p["project_id"] for p in alone["projects"]] == truth(None)
    assert [p["project_id"] for p in split["projects"]] == truth(customer)
    assert len(reads) == 2  # the name and the number alternative, one call each
    assert alone["warnings"] == split["warnings"] == []  # the split is the client's business
    assert longest == {"debtors": [], "next_cursor": None, "warnings": []}
    assert_wire_discipline(hostile)
