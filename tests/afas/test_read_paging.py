"""Paged reads against the simulator: nothing lost, nothing twice, whatever AFAS does."""

from __future__ import annotations

import json
from urllib.parse import parse_qs

import httpx
import pytest

import server.afas._stream as stream_module
from server.afas import (
    AfasPagingError,
    AfasQueryTooLong,
    AfasRequestRefused,
    Filter,
    FilterGroup,
    Operator,
)
from simulator.testing import SimulatorHandle
from tests.afas.conftest import client_for, connector_calls, ground_truth

pytestmark = pytest.mark.anyio

EMPLOYEES = "AfasMcp_Employees"
DEBTORS = "Profit_Debtor"


def params(entry: object) -> dict[str, str]:
    query = getattr(entry, "query")  # noqa: B009 - LoggedRequest, typed loosely here
    return {k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()}


async def test_R8_exact_multiple_of_the_page_size_reads_on_to_a_short_page(
    sim: SimulatorHandle,
) -> None:
    expected = ground_truth(sim, DEBTORS, ("DebtorId",))
    assert len(expected) % 100 == 0  # the case that ends naive readers one page early
    async with client_for(sim) as afas:
        rows = await afas.rows(DEBTORS, key=("DebtorId",), page_size=100).collect()
    assert sorted(r.key for r in rows) == sorted(expected)
    calls = connector_calls(sim, DEBTORS)
    assert len(calls[-1].response_json["rows"]) < int(params(calls[-1])["take"])
    assert all(len(c.response_json["rows"]) == int(params(c)["take"]) for c in calls[:-1])


async def test_R12_one_indexed_skip_overlap_is_deduplicated_and_reported(
    sim: SimulatorHandle,
) -> None:
    sim.quirks.enable("R12_one_indexed_skip")
    expected = ground_truth(sim, EMPLOYEES, ("EmployeeId",))
    async with client_for(sim) as afas:
        stream = afas.rows(EMPLOYEES, key=("EmployeeId",), page_size=150)
        rows = await stream.collect()
    keys = [r.key for r in rows]
    assert len(keys) == len(set(keys)) == len(expected)
    assert set(keys) == set(expected)
    assert "overlap_deduplicated" in {w.code for w in stream.warnings}


async def test_R12_rows_shifting_between_pages_are_caught_and_read_on_by_key(
    sim: SimulatorHandle,
) -> None:
    expected = set(ground_truth(sim, DEBTORS, ("DebtorId",)))
    async with client_for(sim) as afas:
        stream = afas.rows(DEBTORS, key=("DebtorId",), page_size=50)
        first = [await anext(stream) for _ in range(50)]
        # A record before the read position is deleted in AFAS: every later row moves up one
        # place, so a naive skip of 50 would silently pass over one row.
        gone = first[10].key
        sim.tenant.delete("debtors", str(gone[0]))
        rest = [row async for row in stream]
    keys = [r.key for r in first + rest]
    assert len(keys) == len(set(keys))
    assert set(keys) == expected
    assert "paging_shifted" in {w.code for w in stream.warnings}


async def test_R12_shifted_rows_fail_loudly_when_the_order_is_not_the_key(
    sim: SimulatorHandle,
) -> None:
    async with client_for(sim) as afas:
        stream = afas.rows(DEBTORS, key=("DebtorId",), order_by=("DebtorName",), page_size=50)
        first = [await anext(stream) for _ in range(50)]
        named = [row for row in first if row.values["DebtorName"]]
        sim.tenant.delete("debtors", str(named[5].key[0]))
        with pytest.raises(AfasPagingError, match="may be missing"):
            [row async for row in stream]


async def test_R13_take_cap_never_ends_a_read_early(sim: SimulatorHandle) -> None:
    sim.quirks.enable("R13_take_capped_at_1000")
    expected = ground_truth(sim, EMPLOYEES, ("EmployeeId",))
    assert len(expected) > 1000
    async with client_for(sim) as afas:
        stream = afas.rows(EMPLOYEES, key=("EmployeeId",), page_size=5000)
        rows = await stream.collect()
    assert {r.key for r in rows} == set(expected)
    assert len(rows) == len(expected)
    assert all(int(params(c)["take"]) <= 1000 for c in connector_calls(sim, EMPLOYEES))
    assert "page_size_clamped" in {w.code for w in stream.warnings}


async def test_R13_out_of_memory_shrinks_the_page_and_reads_on(sim: SimulatorHandle) -> None:
    assert sim.quirks.is_on("R13_out_of_memory_over_cell_budget")
    expected = ground_truth(sim, EMPLOYEES, ("EmployeeId",))
    sim.settings.cell_budget = 29 * 200  # 29 columns: pages above 200 rows run out of memory
    async with client_for(sim) as afas:
        stream = afas.rows(EMPLOYEES, key=("EmployeeId",), page_size=900)
        rows = await stream.collect()
    assert {r.key for r in rows} == set(expected)
    assert len(rows) == len(expected)
    statuses = [c.status for c in connector_calls(sim, EMPLOYEES)]
    assert 500 in statuses and statuses[-1] == 200
    assert "page_shrunk" in {w.code for w in stream.warnings}


async def test_R15_every_read_is_ordered_ending_with_the_key(sim: SimulatorHandle) -> None:
    assert sim.quirks.is_on("R15_unstable_order_without_orderby")
    async with client_for(sim) as afas:
        rows = await afas.rows(
            DEBTORS, key=("DebtorId",), order_by=("-CreditLimit",), page_size=40
        ).collect()
        one = await afas.rows(DEBTORS, key=("DebtorId",), limit=1).collect()
    assert len({r.key for r in rows}) == len(rows) == len(ground_truth(sim, DEBTORS, ("DebtorId",)))
    assert len(one) == 1
    orders = {params(c)["orderbyfieldids"] for c in connector_calls(sim, DEBTORS)}
    assert orders == {"-CreditLimit,DebtorId", "DebtorId"}


async def test_R16_long_or_filter_is_split_into_several_calls_with_the_right_result(
    sim: SimulatorHandle,
) -> None:
    assert sim.quirks.is_on("R16_long_query_404")
    wanted = sorted(k for (k,) in ground_truth(sim, EMPLOYEES, ("EmployeeId",)))[::3][:250]
    groups = [FilterGroup(Filter("EmployeeId", Operator.EQUALS, w)) for w in wanted]
    async with client_for(sim) as afas:
        stream = afas.rows(EMPLOYEES, key=("EmployeeId",), filters=groups)
        rows = await stream.collect()
    assert sorted(r.values["EmployeeId"] for r in rows) == wanted
    calls = connector_calls(sim, EMPLOYEES)
    assert len(calls) > 1
    assert all(len(c.query) + 1 <= 2049 and c.status == 200 for c in calls)
    assert "query_split" in {w.code for w in stream.warnings}


async def test_R16_one_group_too_long_for_any_query_string_is_refused_before_sending(
    sim: SimulatorHandle,
) -> None:
    long_value = "x" * 2100
    async with client_for(sim) as afas:
        with pytest.raises(AfasQueryTooLong, match="2049"):
            await afas.rows(
                EMPLOYEES,
                key=("EmployeeId",),
                filters=Filter("Mail", Operator.CONTAINS, long_value),
            ).collect()
    assert connector_calls(sim, EMPLOYEES) == []


async def test_R16_fetch_page_splits_a_long_or_filter_and_returns_the_right_page(
    sim: SimulatorHandle,
) -> None:
    wanted = sorted(k for (k,) in ground_truth(sim, EMPLOYEES, ("EmployeeId",)))[::3][:250]
    groups = [FilterGroup(Filter("EmployeeId", Operator.EQUALS, w)) for w in reversed(wanted)]
    pages: list[list[object]] = []
    warnings: set[str] = set()
    cursor = None
    async with client_for(sim) as afas:
        while True:
            page = await afas.fetch_page(
                EMPLOYEES, key=("EmployeeId",), filters=groups, take=70, after=cursor
            )
            pages.append([r.values["EmployeeId"] for r in page.rows])
            warnings |= {w.code for w in page.warnings}
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
    assert [len(p) for p in pages] == [70, 70, 70, 40]
    assert [code for p in pages for code in p] == wanted  # in key order, none lost or twice
    calls = connector_calls(sim, EMPLOYEES)
    assert len(calls) > 2 * len(pages)
    assert all(len(c.query) + 1 <= 2049 and c.status == 200 for c in calls)
    assert "query_split" in warnings


class RowsReversed(httpx.AsyncBaseTransport):
    """A database whose collation orders keys the other way round from the client's."""

    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        if "/connectors/" not in request.url.path:
            return response
        body = json.loads(await response.aread())
        body["rows"].reverse()
        return httpx.Response(response.status_code, json=body)

    async def aclose(self) -> None:
        await self._inner.aclose()


async def test_R16_fetch_page_refuses_to_merge_parts_whose_key_order_it_cannot_reproduce(
    sim: SimulatorHandle,
) -> None:
    wanted = sorted(k for (k,) in ground_truth(sim, EMPLOYEES, ("EmployeeId",)))[:250]
    groups = [FilterGroup(Filter("EmployeeId", Operator.EQUALS, w)) for w in wanted]
    async with client_for(sim, transport=RowsReversed()) as afas:
        with pytest.raises(AfasPagingError, match="orders this key differently"):
            await afas.fetch_page(EMPLOYEES, key=("EmployeeId",), filters=groups, take=10)


async def test_R16_fetch_page_in_another_order_than_the_key_refuses_a_filter_too_long_for_one_call(
    sim: SimulatorHandle,
) -> None:
    wanted = sorted(k for (k,) in ground_truth(sim, EMPLOYEES, ("EmployeeId",)))[:250]
    groups = [FilterGroup(Filter("EmployeeId", Operator.EQUALS, w)) for w in wanted]
    async with client_for(sim) as afas:
        with pytest.raises(AfasQueryTooLong, match="order by the key alone"):
            await afas.fetch_page(
                EMPLOYEES, key=("EmployeeId",), order_by=("BirthName",), filters=groups, take=10
            )
    assert connector_calls(sim, EMPLOYEES) == []


async def test_R17_past_the_skip_limit_the_read_continues_by_key_range(
    sim: SimulatorHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stream_module, "SKIP_LIMIT", 300)  # AFAS's 100,000, scaled down
    expected = ground_truth(sim, EMPLOYEES, ("EmployeeId",))
    async with client_for(sim) as afas:
        stream = afas.rows(EMPLOYEES, key=("EmployeeId",), page_size=100)
        rows = await stream.collect()
    assert sorted(r.key for r in rows) == sorted(expected)
    calls = connector_calls(sim, EMPLOYEES)
    assert max(int(params(c)["skip"]) for c in calls) <= 300
    keyed = [params(c) for c in calls if "filterfieldids" in params(c)]
    assert keyed and all(p["operatortypes"] == "4" and p["skip"] == "0" for p in keyed)
    assert "keyset_continuation" in {w.code for w in stream.warnings}


async def test_R17_composite_keys_continue_by_key_range_too(
    sim: SimulatorHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stream_module, "SKIP_LIMIT", 500)
    key = ("EmployeeId", "DateStart")
    expected = ground_truth(sim, "AfasMcp_Salaries", key)
    async with client_for(sim) as afas:
        rows = await afas.rows("AfasMcp_Salaries", key=key, page_size=200).collect()
    assert len(rows) == len(expected) == len({r.key for r in rows})
    # k1 > v1 OR (k1 = v1 AND k2 > v2): an OR of key ranges, in the compact `;` form.
    ranges = [params(c).get("filterfieldids") for c in connector_calls(sim, "AfasMcp_Salaries")]
    assert "EmployeeId;EmployeeId,DateStart" in ranges


async def test_a_read_without_a_page_size_never_warns_that_it_lowered_one(
    sim: SimulatorHandle,
) -> None:
    async with client_for(sim) as afas:
        assert len((await afas.get_connector_meta(EMPLOYEES)).fields) < 150  # 150,000 cells: >999
        stream = afas.rows(EMPLOYEES, key=("EmployeeId",))
        rows = await stream.collect()
    assert len(rows) > 999
    assert "page_size_clamped" not in {w.code for w in stream.warnings}
    assert {params(c)["take"] for c in connector_calls(sim, EMPLOYEES)} == {"999", "1000"}


async def test_limit_stops_the_read_and_asks_for_no_more_than_needed(sim: SimulatorHandle) -> None:
    async with client_for(sim) as afas:
        rows = await afas.rows(EMPLOYEES, key=("EmployeeId",), limit=7).collect()
    assert len(rows) == 7
    (call,) = connector_calls(sim, EMPLOYEES)
    assert params(call)["take"] == "7"


async def test_fetch_page_walks_every_row_by_keyset_cursor(sim: SimulatorHandle) -> None:
    sim.quirks.enable("R12_one_indexed_skip")  # a keyset cursor never uses skip
    expected = ground_truth(sim, DEBTORS, ("DebtorId",))
    seen: list[tuple[object, ...]] = []
    cursor = None
    async with client_for(sim) as afas:
        while True:
            page = await afas.fetch_page(DEBTORS, key=("DebtorId",), take=70, after=cursor)
            seen += [r.key for r in page.rows]
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
    assert seen == sorted(expected)
    assert all(params(c)["skip"] == "0" for c in connector_calls(sim, DEBTORS))


async def test_R12_fetch_page_with_a_skip_cursor_reports_the_overlap(sim: SimulatorHandle) -> None:
    sim.quirks.enable("R12_one_indexed_skip")
    seen: list[tuple[object, ...]] = []
    warnings: set[str] = set()
    cursor = None
    async with client_for(sim) as afas:
        while True:
            page = await afas.fetch_page(
                DEBTORS, key=("DebtorId",), order_by=("DebtorName",), take=70, after=cursor
            )
            seen += [r.key for r in page.rows]
            warnings |= {w.code for w in page.warnings}
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
    assert len(seen) == len(set(seen)) == len(ground_truth(sim, DEBTORS, ("DebtorId",)))
    assert "overlap_deduplicated" in warnings


async def test_a_cursor_from_another_query_is_refused(sim: SimulatorHandle) -> None:
    async with client_for(sim) as afas:
        page = await afas.fetch_page(DEBTORS, key=("DebtorId",), take=5)
        assert page.next_cursor is not None
        with pytest.raises(AfasRequestRefused, match="another query"):
            await afas.fetch_page(
                DEBTORS,
                key=("DebtorId",),
                take=5,
                after=page.next_cursor,
                filters=Filter("Blocked", Operator.EQUALS, False),
            )
        with pytest.raises(AfasRequestRefused):
            await afas.fetch_page(DEBTORS, key=("DebtorId",), take=5, after="garbage!")


async def test_hostile_profile_every_read_quirk_at_once_loses_nothing(
    sim: SimulatorHandle,
) -> None:
    expected = ground_truth(sim, EMPLOYEES, ("EmployeeId",))
    sim.quirks.use_profile("hostile")  # R12 R13 R15 R4 R5 R7 R9 W11 W21 ... all on
    env = {"AFAS_INTEGRATION_ID": "12345_678900"}
    async with client_for(sim, env=env) as afas:
        stream = afas.rows(EMPLOYEES, key=("EmployeeId",), page_size=5000)
        rows = await stream.collect()
        page = await afas.fetch_page(EMPLOYEES, key=("EmployeeId",), take=300)
    assert sorted(r.key for r in rows) == sorted(expected)
    assert [r.key for r in page.rows] == sorted(expected)[:300]
    assert all(c.status == 200 for c in connector_calls(sim, EMPLOYEES))
