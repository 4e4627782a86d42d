"""Filters on the wire, against the simulator: the compact `,`/`;` form and filterjson."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from urllib.parse import parse_qs

import pytest

import server.afas._reader as reader_module
from server.afas import Filter, FilterGroup, Operator
from server.afas.filters import filterjson, query_string
from simulator.testing import SimulatorHandle
from tests.afas.conftest import client_for, connector_calls, ground_truth

pytestmark = pytest.mark.anyio

EMPLOYEES = "AfasMcp_Employees"
DEBTORS = "Profit_Debtor"


def params(entry: object) -> dict[str, str]:
    query = getattr(entry, "query")  # noqa: B009 - LoggedRequest, typed loosely here
    return {k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()}


def json_only(groups: Sequence[FilterGroup], types: Mapping[str, str]) -> list[tuple[str, str]]:
    """The client's encoding before the compact form: every OR-filter as filterjson."""
    return [("filterjson", filterjson(groups, types))] if groups else []


async def test_or_filters_go_out_in_the_compact_form_and_match_what_filterjson_matches(
    sim: SimulatorHandle,
) -> None:
    groups = [
        FilterGroup(
            Filter("DebtorName", Operator.CONTAINS, "bv"),
            Filter("Blocked", Operator.EQUALS, False),
        ),
        FilterGroup(Filter("DebtorName", Operator.STARTS_WITH, "de")),
        FilterGroup(
            Filter("VatNr", Operator.IS_EMPTY), Filter("CreditLimit", Operator.LESS_THAN, 0)
        ),
    ]
    async with client_for(sim) as afas:
        types = (await afas.get_connector_meta(DEBTORS)).types
        rows = await afas.rows(DEBTORS, key=("DebtorId",), filters=groups).collect()
    verbose = query_string([("filterjson", filterjson(groups, types))])
    expected = ground_truth(sim, DEBTORS, ("DebtorId",), verbose)
    assert expected
    assert sorted(r.key for r in rows) == sorted(expected)
    (call,) = connector_calls(sim, DEBTORS)
    sent = params(call)
    assert "filterjson" not in sent
    assert sent["filterfieldids"] == "DebtorName,Blocked;DebtorName;VatNr,CreditLimit"
    assert sent["operatortypes"] == "6,1;10;8,5"
    assert sent["filtervalues"] == "bv,0;de;[is leeg],0"


@pytest.mark.parametrize("separator", [",", ";"])
async def test_values_holding_a_comma_or_semicolon_go_out_as_filterjson_and_still_match(
    sim: SimulatorHandle, separator: str
) -> None:
    (first, second) = sorted(k for (k,) in ground_truth(sim, DEBTORS, ("DebtorId",)))[:2]
    relation = sim.tenant.get("debtors", first)["BcCo"]
    name = f"Graaf{separator} Logistiek{separator} V.O.F."
    sim.tenant.update("organisations", relation, {"Nm": name})
    groups = [
        FilterGroup(Filter("DebtorName", Operator.EQUALS, name)),
        FilterGroup(Filter("DebtorId", Operator.EQUALS, second)),
    ]
    async with client_for(sim) as afas:
        rows = await afas.rows(DEBTORS, key=("DebtorId",), filters=groups).collect()
    assert sorted(r.key for r in rows) == [(first,), (second,)]
    assert rows[0].values["DebtorName"] == name
    (call,) = connector_calls(sim, DEBTORS)
    assert set(params(call)) >= {"filterjson"}
    assert "filterfieldids" not in params(call)


async def test_R16_the_compact_form_fits_five_times_more_conditions_in_one_call(
    sim: SimulatorHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    wanted = sorted(k for (k,) in ground_truth(sim, EMPLOYEES, ("EmployeeId",)))[::4][:200]
    groups = [FilterGroup(Filter("EmployeeId", Operator.EQUALS, w)) for w in wanted]

    async def calls_to_read() -> int:
        sim.request_log.clear()
        async with client_for(sim) as afas:
            rows = await afas.rows(EMPLOYEES, key=("EmployeeId",), filters=groups).collect()
        assert sorted(r.values["EmployeeId"] for r in rows) == wanted
        calls = connector_calls(sim, EMPLOYEES)
        assert all(len(c.query) + 1 <= 2049 and c.status == 200 for c in calls)
        return len(calls)

    compact = await calls_to_read()
    monkeypatch.setattr(reader_module, "encode_filters", json_only)
    verbose = await calls_to_read()
    assert compact <= 3
    assert verbose >= 5 * compact
