"""The hostile matrix: every hr and payroll read tool against the simulator's `hostile` profile.

Every quirk switch is on (R1-R18, W1-W21). For each of R1-R16 that can affect a tool, the tool's
answer is compared with the tenant's ground truth: it must be right, or carry an error or a
warning that names the problem. A silently wrong answer fails. The tenant is large (1,100
employees) so that the child-connector reads of changed_since span several pages, where one-
indexed skip (R12), the missing total (R8) and long OR-lookups (R16) can bite.

    quirk  get_employee   search_employees  get_leave_balance  list_employers  list_open_...
    R1     right+warned   n/a               n/a                n/a             n/a
    R2     errored        errored           errored            errored         errored
    R3     n/a            right             n/a                n/a             n/a
    R4     right          n/a               n/a                n/a             n/a
    R5     warned         right+warned      warned             n/a             n/a
    R6     errored        errored           errored            errored         errored
    R7     right          right             n/a                right           right
    R8     right          right             right              right           right
    R9     right          right             right              right           right
    R10    errored        errored           errored            errored         errored
    R11    errored        errored           errored            errored         errored
    R12    right          right+warned      right              right           right
    R13    right          right+warned      right              right+warned    right+warned
    R14    right          right             right              right           right
    R15    right          right             right              right           right
    R16    right          right             right              right           right

right: equal to the tenant's ground truth. warned: a warning names the problem (blocked or
deleted records left out or shown as such, wage-tax number read from the fiscal connector,
overlapping pages de-duplicated, pages shrunk after "Out of memory"). errored: the call fails
and the message names the connector and field, the environment, or the credentials. n/a: the
tool reads no field the quirk touches (no decimals in a leave balance, no shell rows in the
employer or calendar connectors of the simulator; the code still leaves them out with a
warning). R2 errored: a filter on a field removed since metainfo was cached, which AFAS answers
with an empty 200 (or a 500 when the field is also sorted on); misspelt fields cannot occur, the
tools send only field ids checked against metainfo.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import anyio
import pytest
import tool_helpers
from test_hr_support import (
    day,
    employees,
    employer_truth,
    leave_truth,
    money,
    open_periods,
    pick,
    search_truth,
    today,
)
from tool_helpers import INTEGRATION_ID, call, codes, refused

from server.afas.values import AMSTERDAM
from simulator.testing import SimulatorHandle, start_simulator

pytestmark = pytest.mark.anyio

# The hostile profile demands an IntegrationId (W21); the hr and payroll tests always send one.
product_server = partial(tool_helpers.product_server, **INTEGRATION_ID)

TOOLS = (
    "get_employee",
    "search_employees",
    "get_leave_balance",
    "list_employers",
    "list_open_payroll_periods",
)
AMOUNTS = ("start_balance", "entitlement", "extra_entitlement", "taken", "balance")
KINDS = ("active", "terminated", "not_started", "addition", "rehired", "blocked", "deleted")


@pytest.fixture(scope="module")
def hostile() -> Iterator[SimulatorHandle]:
    with start_simulator(profile="hostile", seed=3, size=1100) as handle:
        yield handle


@pytest.fixture
def sim(hostile: SimulatorHandle) -> Iterator[SimulatorHandle]:
    hostile.reset()
    assert hostile.quirks.profile == "hostile"
    yield hostile
    hostile.reset()


def one_call_per_tool(sim: SimulatorHandle) -> list[tuple[str, dict[str, Any]]]:
    active = pick(sim, "active")
    return [
        ("get_employee", {"employee_id": active}),
        ("search_employees", {"name": "a", "active": True, "limit": 50}),
        ("get_leave_balance", {"employee_id": active}),
        ("list_employers", {}),
        ("list_open_payroll_periods", {"employer_id": "02"}),
    ]


def expected_employee(sim: SimulatorHandle, employee_id: str) -> dict[str, Any]:
    """The parts of get_employee's answer the ground truth fixes."""
    row = employees(sim)[employee_id]
    on = today(sim)
    if row["_state"] is not None:
        return {"status": "blocked_or_deleted", "person": None, "payroll": None}
    end, start = day(row["EmploymentEnd"]), day(row["EmploymentStart"])
    status = (
        "terminated"
        if end is not None and end < on.isoformat()
        else "not_started"
        if start is not None and start > on.isoformat()
        else "active"
    )
    return {
        "status": status,
        "person": {
            "first_name": row["FirstName"],
            "birth_name": row["BirthName"],
            "date_of_birth": day(row["DateOfBirth"]),
        },
        "address": {
            "house_number": row["HouseNumber"],
            "house_number_addition": row["AddNumber"],
        },
        "employment": {
            "employer_id": row["EmployerId"],
            "start_date": start,
            "end_date": end,
            "employment_sequence": row["EmploymentSeq"],
            "hours_per_week": money(row["HoursPerWeek"]),
        },
        "salary": money(row["Salary"]),
        "wage_tax_number": row["WageTaxNumber"],
        "modified_date": row["ModifiedDate"].replace(tzinfo=AMSTERDAM).isoformat(),
        "period_table": row["PeriodTableId"],
    }


def check_employee(got: dict[str, Any], want: dict[str, Any]) -> None:
    assert got["status"] == want["status"]
    if want["status"] == "blocked_or_deleted":
        assert got["person"] is None and got["payroll"] is None  # R5: no nulls posing as data
        assert "blocked_or_deleted" in codes(got)
        return
    for part in ("person", "address", "employment"):
        assert {k: got[part][k] for k in want[part]} == want[part], part
    assert got["payroll"]["salary"] == want["salary"]  # R4
    assert got["payroll"]["wage_tax_number"] == want["wage_tax_number"]  # R1
    assert got["modified_date"] == want["modified_date"]  # R7
    assert got["payroll"]["period_table"]["id"] == want["period_table"]
    if got["status"] == "terminated":
        assert got["payroll"]["wage_tax_number_source"] == "fiscal_connector"
        assert "wage_tax_number_from_fiscal_connector" in codes(got)


def changed_truth(sim: SimulatorHandle, since: datetime) -> dict[str, list[str]]:
    """Employee code -> which of its records changed at or after `since` (naive Amsterdam)."""
    kinds: dict[str, list[str]] = {}
    for employee in sim.tenant.table("employees"):
        if employee["_modified"] >= since:
            kinds.setdefault(employee["EmId"], []).append("employee")
    for table, kind in (("contracts", "contract"), ("salaries", "salary")):
        for code in sorted({r["EmId"] for r in sim.tenant.table(table) if r["_modified"] >= since}):
            kinds.setdefault(code, []).append(kind)
    usable = {e for e, row in employees(sim).items() if row["_state"] is None}
    return {code: kinds[code] for code in sorted(kinds) if code in usable}


async def every_page(client: Any, tool: str, arguments: dict[str, Any]) -> list[dict[str, Any]]:
    pages = [await call(client, tool, arguments)]
    while pages[-1]["next_cursor"]:
        pages.append(await call(client, tool, arguments | {"cursor": pages[-1]["next_cursor"]}))
    return pages


def wire(sim: SimulatorHandle) -> list[dict[str, list[str]]]:
    """The query of every GetConnector call, parsed."""
    return [parse_qs(e.query) for e in sim.request_log.find(path_contains="/connectors/")]


# --- right answers (R1, R3, R4, R5, R7, R8, R12, R13, R14, R15, R16) --------------------------


async def test_hostile_get_employee_is_right_for_every_kind_of_employee(
    connect, sim: SimulatorHandle, tmp_path: Path
) -> None:
    chosen = {kind: pick(sim, kind) for kind in KINDS}
    async with connect(product_server(sim, tmp_path)) as client:
        for kind, employee_id in chosen.items():
            got = await call(client, "get_employee", {"employee_id": employee_id})
            assert got["employee_id"] == employee_id, kind
            check_employee(got, expected_employee(sim, employee_id))


async def test_hostile_search_employees_pages_match_the_ground_truth(
    connect, sim: SimulatorHandle, tmp_path: Path
) -> None:
    async with connect(product_server(sim, tmp_path)) as client:
        everyone = await every_page(client, "search_employees", {"limit": 200})
        filtered = await every_page(
            client, "search_employees", {"name": "an", "active": True, "limit": 40}
        )
    found = [e["employee_id"] for page in everyone for e in page["employees"]]
    assert found == search_truth(sim)
    notes = [w for page in everyone for w in page["warnings"] if w["code"] == "shell_rows_left_out"]
    shells = [row for row in employees(sim).values() if row["_state"] is not None]
    assert sum(w["count"] for w in notes) == len(shells)  # R5: left out, and said so
    found = [e["employee_id"] for page in filtered for e in page["employees"]]
    assert found == search_truth(sim, name="an", active=True)


async def test_hostile_R3_changed_since_finds_every_change_across_many_pages(
    connect, sim: SimulatorHandle, tmp_path: Path
) -> None:
    since = datetime.combine(today(sim) - timedelta(days=400), datetime.min.time())
    raised = search_truth(sim, active=True)[::2]
    for code in raised:  # child-only changes, spread over the whole table
        latest = max(sim.tenant.find("salaries", EmId=code), key=lambda r: r["DaBe"])
        sim.tenant.update("salaries", (code, latest["DaBe"]), {"EmSa": latest["EmSa"] + 1})
    truth = changed_truth(sim, since)
    changed_salaries = [r for r in sim.tenant.table("salaries") if r["_modified"] >= since]
    assert len(changed_salaries) > 500  # two pages of 500 rows: R8 and R12 are in play
    arguments = {"changed_since": since.isoformat(), "limit": 200}
    async with connect(product_server(sim, tmp_path)) as client:
        pages = await every_page(client, "search_employees", arguments)
    found = {e["employee_id"]: e["changed"] for page in pages for e in page["employees"]}
    assert list(found) == list(truth)
    assert found == truth
    queries = sim.request_log.find(path_contains="/connectors/")
    assert max(len(e.query) for e in queries) + 1 <= 2049  # R16: split, never a 404
    assert any(int(parse_qs(e.query)["skip"][0]) > 0 for e in queries)  # R8/R12 were in play


async def test_hostile_get_leave_balance_is_right_or_warned(
    connect, sim: SimulatorHandle, tmp_path: Path
) -> None:
    year = today(sim).year
    async with connect(product_server(sim, tmp_path)) as client:
        for kind in ("active", "addition", "rehired", "blocked"):
            employee_id = pick(sim, kind)
            got = await call(client, "get_leave_balance", {"employee_id": employee_id})
            shown = {b["leave_type"]: {k: b[k] for k in AMOUNTS} for b in got["balances"]}
            assert shown == leave_truth(sim, employee_id, year), kind
            if kind == "blocked":
                assert "blocked_or_deleted" in codes(got)
        unknown = await refused(client, "get_leave_balance", {"employee_id": "9999999"})
    assert "No employee" in unknown


async def test_hostile_payroll_tools_match_the_calendar(
    connect, sim: SimulatorHandle, tmp_path: Path
) -> None:
    truth = employer_truth(sim)
    async with connect(product_server(sim, tmp_path)) as client:
        employers = await every_page(client, "list_employers", {"limit": 3})
        listed = {e["employer_id"]: e for page in employers for e in page["employers"]}
        periods = {
            employer_id: await every_page(
                client, "list_open_payroll_periods", {"employer_id": employer_id, "limit": 25}
            )
            for employer_id in truth
        }
    assert sorted(listed) == sorted(truth)
    for employer_id, want in truth.items():
        tables = {t["period_table_id"]: t["code"] for t in listed[employer_id]["period_tables"]}
        assert tables == want["tables"]
        assert listed[employer_id]["administration_id"] == want["administration_id"]
        found = [
            (p["period_table_id"], p["year"], p["period"])
            for page in periods[employer_id]
            for p in page["periods"]
        ]
        assert found == open_periods(sim, employer_id)


async def test_hostile_R13_out_of_memory_shrinks_pages_and_every_answer_stays_right(
    connect, sim: SimulatorHandle, tmp_path: Path
) -> None:
    sim.settings.cell_budget = 1200  # rows x columns above this: 500 "Out of memory"
    employee_id = pick(sim, "terminated")
    async with connect(product_server(sim, tmp_path)) as client:
        got = await call(client, "get_employee", {"employee_id": employee_id})
        periods = await call(
            client, "list_open_payroll_periods", {"employer_id": "04", "limit": 500}
        )
        page = await call(client, "search_employees", {"limit": 120})
        employers = await call(client, "list_employers", {})
        leave = await call(client, "get_leave_balance", {"employee_id": employee_id})
    check_employee(got, expected_employee(sim, employee_id))
    listed = {e["employer_id"]: e for e in employers["employers"]}
    assert "page_shrunk" in codes(employers)
    for employer_id, want in employer_truth(sim).items():
        tables = {t["period_table_id"]: t["code"] for t in listed[employer_id]["period_tables"]}
        assert tables == want["tables"]
    shown = {b["leave_type"]: {k: b[k] for k in AMOUNTS} for b in leave["balances"]}
    assert shown == leave_truth(sim, employee_id, today(sim).year)
    found = [(p["period_table_id"], p["year"], p["period"]) for p in periods["periods"]]
    assert found == open_periods(sim, "04")
    assert "page_shrunk" in codes(periods)
    assert [e["employee_id"] for e in page["employees"]] == search_truth(sim)[
        : len(page["employees"])
    ]
    assert "page_shrunk" in codes(page)


async def test_hostile_R9_concurrent_calls_each_get_their_own_right_answer(
    connect, sim: SimulatorHandle, tmp_path: Path
) -> None:
    codes_ = [pick(sim, kind) for kind in ("active", "terminated", "addition", "rehired")]
    calls = [("get_employee", {"employee_id": code}) for code in codes_] + one_call_per_tool(sim)
    together: dict[int, dict[str, Any]] = {}
    async with connect(product_server(sim, tmp_path)) as client:

        async def run(index: int, tool: str, arguments: dict[str, Any]) -> None:
            together[index] = await call(client, tool, arguments)

        async with anyio.create_task_group() as group:
            for index, (tool, arguments) in enumerate(calls):
                group.start_soon(run, index, tool, arguments)
        alone = [await call(client, tool, arguments) for tool, arguments in calls]
    for index, employee_id in enumerate(codes_):
        check_employee(together[index], expected_employee(sim, employee_id))
    assert [together[index] for index in range(len(calls))] == alone


async def test_hostile_reads_never_send_what_afas_misreads(
    connect, sim: SimulatorHandle, tmp_path: Path
) -> None:
    async with connect(product_server(sim, tmp_path)) as client:
        for tool, arguments in one_call_per_tool(sim):
            await call(client, tool, arguments)
    queries = wire(sim)
    assert queries
    for query in queries:
        assert query["orderbyfieldids"]  # R15: always a stable order
        assert int(query["take"][0]) <= 1000  # R13: never a take some tenants cap silently
        for operators in query.get("operatortypes", []):
            codes_ = operators.replace(";", ",").split(",")  # `,` AND, `;` OR
            assert all(op.isdigit() for op in codes_)  # R14: integer codes only


# --- errors that name the problem (R2, R6, R10, R11) -------------------------------------------


DRIFTS = [
    ("get_employee", "AfasMcp_Employees", "Salary"),
    ("get_employee", "AfasMcp_EmployeeFiscal", "WageTaxNumber"),
    ("search_employees", "AfasMcp_Employees", "BirthName"),
    ("get_leave_balance", "Profit_LeaveBalance", "Taken"),
    ("list_employers", "Profit_Employers", "Name"),
    ("list_employers", "AfasMcp_PayrollPeriods", "PeriodTableCode"),
    ("list_open_payroll_periods", "AfasMcp_PayrollPeriods", "Closed"),
]


@pytest.mark.parametrize(("tool", "connector", "field"), DRIFTS)
async def test_hostile_R6_a_field_removed_at_run_time_fails_naming_connector_and_field(
    connect, sim: SimulatorHandle, tmp_path: Path, tool: str, connector: str, field: str
) -> None:
    arguments = dict(one_call_per_tool(sim))[tool]
    if connector == "AfasMcp_EmployeeFiscal":
        arguments = {"employee_id": pick(sim, "terminated")}
    async with connect(product_server(sim, tmp_path)) as client:
        await call(client, tool, arguments)  # the connector's metainfo is now cached
        sim.trigger_drift(connector, remove=[field])
        text = await refused(client, tool, arguments)
    assert connector in text
    assert field in text


FILTER_DRIFTS = [
    # (tool, arguments, connector, field, AFAS answers the vanished field with an empty 200)
    ("search_employees", {"name": "jan"}, "AfasMcp_Employees", "FirstName", True),
    ("search_employees", {"changed_since": "2026-01-01"}, "AfasMcp_Contracts", "ModifiedDate",
     True),
    ("search_employees", {"active": False}, "AfasMcp_Employees", "EmploymentEnd", True),
    # Fields that are also sorted on: AFAS answers 500 "field not found" whatever R2 says.
    ("get_employee", {"employee_id": "100001"}, "AfasMcp_Employees", "EmployeeId", False),
    ("get_leave_balance", {"employee_id": "100001"}, "Profit_LeaveBalance", "Year", False),
    ("list_employers", {}, "AfasMcp_PayrollPeriods", "Year", False),
    ("list_open_payroll_periods", {"employer_id": "01"}, "AfasMcp_PayrollPeriods", "EmployerId",
     False),
]  # fmt: skip


@pytest.mark.parametrize(("tool", "arguments", "connector", "field", "empty_200"), FILTER_DRIFTS)
async def test_hostile_R2_a_filter_on_a_vanished_field_is_an_error_not_an_empty_answer(
    connect,
    sim: SimulatorHandle,
    tmp_path: Path,
    tool: str,
    arguments: dict[str, Any],
    connector: str,
    field: str,
    empty_200: bool,
) -> None:
    async with connect(product_server(sim, tmp_path)) as client:
        await call(client, tool, arguments)  # metainfo cached: the client would send the filter
        sim.trigger_drift(connector, remove=[field])
        text = await refused(client, tool, arguments)
    assert connector in text and field in text
    calls = sim.request_log.find(path_contains=f"/connectors/{connector}")
    assert any("R2 empty 200" in e.notes for e in calls) is empty_200


@pytest.mark.parametrize("tool", TOOLS)
async def test_hostile_R10_the_sibling_environment_is_refused_by_every_tool(
    connect, sim: SimulatorHandle, tmp_path: Path, tool: str
) -> None:
    arguments = dict(one_call_per_tool(sim))[tool]
    server = product_server(sim, tmp_path, AFAS_BASE_URL=sim.sibling_base_url)
    async with connect(server) as client:
        text = await refused(client, tool, arguments)
    assert "another environment" in text


@pytest.mark.parametrize("tool", TOOLS)
async def test_hostile_R11_a_revoked_token_is_an_error_at_once_never_an_empty_answer(
    connect, sim: SimulatorHandle, tmp_path: Path, tool: str
) -> None:
    arguments = dict(one_call_per_tool(sim))[tool]
    async with connect(product_server(sim, tmp_path)) as client:
        await call(client, tool, arguments)
        sim.revoke_token()
        before = len(sim.request_log)
        text = await refused(client, tool, arguments)
    assert "credentials" in text or "401" in text
    assert len(sim.request_log) - before <= 2  # surfaced at once, not retried in a loop
