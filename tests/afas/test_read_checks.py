"""What a read checks before sending and after receiving (R2, R4-R7, R14, R18)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest

from server.afas import (
    AfasClient,
    AfasConnectorDrift,
    AfasFilterIgnored,
    AfasInvalidFilter,
    AfasTooFewRows,
    AfasUnknownField,
    AfasValidationError,
    Filter,
    FilterGroup,
    Operator,
    Row,
)
from server.afas.filters import FilterSpec
from server.afas.values import AMSTERDAM
from simulator.testing import SimulatorHandle
from tests.afas.conftest import client_for, connector_calls, ground_truth

pytestmark = pytest.mark.anyio

DEBTORS = "Profit_Debtor"


def raw_rows(sim: SimulatorHandle, connector: str) -> list[dict[str, Any]]:
    url = f"{sim.base_url}/connectors/{connector}?skip=-1&take=-1"
    rows: list[dict[str, Any]] = httpx.get(
        url, headers={"Authorization": sim.auth_header()}, timeout=30
    ).json()["rows"]
    return rows


async def test_R2_unknown_filter_field_is_refused_before_sending(sim: SimulatorHandle) -> None:
    sim.quirks.enable("R2_bad_filter_empty_200")  # AFAS would answer an empty 200
    async with client_for(sim) as afas:
        with pytest.raises(AfasUnknownField) as caught:
            await afas.rows(
                DEBTORS, key=("DebtorId",), filters=Filter("DebtorNaam", Operator.EQUALS, "x")
            ).collect()
    assert caught.value.connector == DEBTORS
    assert caught.value.field == "DebtorNaam"
    assert "DebtorName" in caught.value.suggestions
    assert "nothing was sent" in str(caught.value)
    assert connector_calls(sim, DEBTORS) == []


async def test_R2_unknown_sort_and_key_fields_are_refused_before_sending(
    sim: SimulatorHandle,
) -> None:
    async with client_for(sim) as afas:
        with pytest.raises(AfasUnknownField, match="sort field 'Naam'"):
            await afas.rows(DEBTORS, key=("DebtorId",), order_by=("-Naam",)).collect()
        with pytest.raises(AfasUnknownField, match="key field 'Id'"):
            await afas.fetch_page(DEBTORS, key=("Id",), take=5)
    assert connector_calls(sim, DEBTORS) == []


@pytest.mark.parametrize(
    "bad",
    [
        Filter("CreditLimit", Operator.GREATER_THAN, "lots"),
        Filter("CreateDate", Operator.GREATER_THAN, "yesterday"),
        Filter("Blocked", Operator.GREATER_THAN, True),
        Filter("CreditLimit", Operator.CONTAINS, "5"),
        Filter("DebtorName", Operator.EQUALS),
    ],
    ids=["decimal-text", "date-text", "boolean-order", "contains-on-number", "no-value"],
)
async def test_R2_a_filter_that_cannot_match_is_refused_not_answered_empty(
    sim: SimulatorHandle, bad: Filter
) -> None:
    async with client_for(sim) as afas:
        with pytest.raises(AfasInvalidFilter):
            await afas.rows(DEBTORS, key=("DebtorId",), filters=bad).collect()
    assert connector_calls(sim, DEBTORS) == []


def metainfo_calls(sim: SimulatorHandle, connector: str) -> int:
    return len(sim.request_log.find(path_contains=f"/metainfo/get/{connector}"))


async def read_with(afas: AfasClient, how: str, filters: FilterSpec, **options: Any) -> list[Row]:
    """The rows of a read through `rows()` or through `fetch_page()`."""
    if how == "rows":
        return await afas.rows(DEBTORS, key=("DebtorId",), filters=filters, **options).collect()
    page = await afas.fetch_page(DEBTORS, key=("DebtorId",), filters=filters, take=50, **options)
    return list(page.rows)


@pytest.mark.parametrize("how", ["rows", "fetch_page"])
async def test_R2_a_filter_field_removed_after_metainfo_was_cached_is_an_error_not_an_empty_answer(
    sim: SimulatorHandle, how: str
) -> None:
    sim.quirks.enable("R2_bad_filter_empty_200")
    async with client_for(sim) as afas:
        await afas.get_connector_meta(DEBTORS)  # cached with the field present
        sim.trigger_drift(DEBTORS, remove=["SearchName"])
        with pytest.raises(AfasConnectorDrift) as caught:
            await read_with(afas, how, Filter("SearchName", Operator.STARTS_WITH, "G"))
    assert caught.value.connector == DEBTORS
    assert caught.value.fields == ("SearchName",)
    assert "not taken as 'nothing found'" in str(caught.value)
    (call,) = connector_calls(sim, DEBTORS)
    assert "R2 empty 200" in call.notes  # sent with the cached metainfo, answered empty
    assert metainfo_calls(sim, DEBTORS) == 2


@pytest.mark.parametrize("how", ["rows", "fetch_page"])
async def test_R2_an_empty_answer_is_believed_after_one_fresh_look_at_metainfo(
    sim: SimulatorHandle, how: str
) -> None:
    nobody = [
        FilterGroup(Filter("DebtorName", Operator.EQUALS, f"No Such Company {n} B.V."))
        for n in range(150)  # too long for one call: several empty answers, one check
    ]
    async with client_for(sim) as afas:
        assert await read_with(afas, how, nobody) == []
        assert await read_with(afas, how, None)  # unfiltered: nothing to check
    assert len(connector_calls(sim, DEBTORS)) > 2
    assert metainfo_calls(sim, DEBTORS) == 2


async def test_R2_fewer_rows_than_the_declared_floor_is_an_error(sim: SimulatorHandle) -> None:
    nobody = Filter("DebtorName", Operator.EQUALS, "No Such Company B.V.")
    async with client_for(sim) as afas:
        assert await afas.rows(DEBTORS, key=("DebtorId",), filters=nobody).collect() == []
        with pytest.raises(AfasTooFewRows, match="at least 1"):
            await afas.rows(DEBTORS, key=("DebtorId",), filters=nobody, min_rows=1).collect()


async def test_R4_dutch_decimal_strings_arrive_as_decimals(sim: SimulatorHandle) -> None:
    assert sim.quirks.is_on("R4_dutch_decimal_strings")
    raw = {r["DebtorId"]: r["CreditLimit"] for r in raw_rows(sim, DEBTORS)}
    dutch = {k: v for k, v in raw.items() if isinstance(v, str) and "," in v}
    assert dutch, "the simulator sends some credit limits as Dutch strings"
    async with client_for(sim) as afas:
        rows = await afas.rows(DEBTORS, key=("DebtorId",)).collect()
    for row in rows:
        if row.key[0] in dutch:
            text = dutch[str(row.key[0])]
            value = row.values["CreditLimit"]
            assert isinstance(value, Decimal)
            assert value == Decimal(text.replace(".", "").replace(",", "."))
    assert all(isinstance(r.values["CreditLimit"], Decimal | None) for r in rows)


async def test_R7_dates_are_amsterdam_local_time_despite_the_z(sim: SimulatorHandle) -> None:
    assert sim.quirks.is_on("R7_local_time_with_z")
    raw = {r["DebtorId"]: r["CreateDate"] for r in raw_rows(sim, DEBTORS) if r["CreateDate"]}
    async with client_for(sim) as afas:
        rows = await afas.rows(DEBTORS, key=("DebtorId",), limit=20).collect()
    for row in rows:
        stamp = row.values["CreateDate"]
        if stamp is None:
            continue
        assert isinstance(stamp, datetime)
        assert stamp.tzinfo is AMSTERDAM
        text = raw[str(row.key[0])]
        assert text.endswith("Z")
        assert stamp.strftime("%Y-%m-%dT%H:%M:%SZ") == text  # wall clock kept, zone Amsterdam
        assert stamp.utcoffset() in (timedelta(hours=1), timedelta(hours=2))


async def test_R7_a_date_filter_goes_out_as_local_time_and_matches(sim: SimulatorHandle) -> None:
    cut = datetime(2020, 1, 1, tzinfo=AMSTERDAM)
    async with client_for(sim) as afas:
        rows = await afas.rows(
            DEBTORS, key=("DebtorId",), filters=Filter("CreateDate", Operator.LESS_THAN, cut)
        ).collect()
    assert rows
    for row in rows:
        stamp = row.values["CreateDate"]
        assert isinstance(stamp, datetime) and stamp < cut
    (call,) = connector_calls(sim, DEBTORS)
    assert "filtervalues=2020-01-01T00%3A00%3A00" in call.query


async def test_R5_shell_rows_are_flagged_and_reported_never_passed_as_data(
    sim: SimulatorHandle,
) -> None:
    assert sim.quirks.is_on("R5_shell_rows")
    async with client_for(sim) as afas:
        stream = afas.rows(DEBTORS, key=("DebtorId",))
        rows = await stream.collect()
    shells = [r for r in rows if r.shell]
    assert shells
    assert all(all(v is None for k, v in r.values.items() if k != "DebtorId") for r in shells)
    assert not any(r.shell for r in rows if r.values["DebtorName"] is not None)
    (warning,) = [w for w in stream.warnings if w.code == "shell_rows"]
    assert warning.count == len(shells)


async def test_R6_a_required_field_gone_from_metainfo_fails_naming_connector_and_field(
    sim: SimulatorHandle,
) -> None:
    sim.trigger_drift(DEBTORS, remove=["CreditLimit"])
    async with client_for(sim) as afas:
        with pytest.raises(AfasConnectorDrift) as caught:
            await afas.rows(DEBTORS, key=("DebtorId",), required_fields=("CreditLimit",)).collect()
    assert caught.value.connector == DEBTORS
    assert caught.value.fields == ("CreditLimit",)
    assert "Profit_Debtor" in str(caught.value) and "CreditLimit" in str(caught.value)


@pytest.mark.parametrize("field", ["DebtorId", "DebtorName"], ids=["key", "filter"])
@pytest.mark.parametrize("how", ["rows", "fetch_page"])
async def test_R6_a_missing_key_field_is_reported_as_drift(
    sim: SimulatorHandle, how: str, field: str
) -> None:
    async with client_for(sim) as afas:
        await afas.get_connector_meta(DEBTORS)
        sim.trigger_drift(DEBTORS, remove=[field])
        await afas.get_connector_meta(DEBTORS, refresh=True)  # nothing declared: no complaint
        with pytest.raises(AfasConnectorDrift) as caught:
            await read_with(
                afas,
                how,
                Filter("DebtorName", Operator.CONTAINS, "a"),
                required_fields=("DebtorId", "DebtorName"),
            )
    assert caught.value.connector == DEBTORS
    assert caught.value.fields == (field,)
    assert "administrator changed" in str(caught.value)
    assert connector_calls(sim, DEBTORS) == []


async def test_R6_a_key_field_nobody_required_is_still_the_askers_unknown_field(
    sim: SimulatorHandle,
) -> None:
    async with client_for(sim) as afas:
        with pytest.raises(AfasUnknownField, match="key field 'DebtorNr'"):
            await afas.rows(DEBTORS, key=("DebtorNr",), required_fields=("DebtorName",)).collect()


async def test_R6_drift_after_metainfo_was_cached_is_caught_on_the_rows(
    sim: SimulatorHandle,
) -> None:
    async with client_for(sim) as afas:
        afas.declare_required_fields(DEBTORS, ["DebtorName"])
        await afas.get_connector_meta(DEBTORS)  # cached with the field present
        sim.trigger_drift(DEBTORS, remove=["DebtorName"])
        with pytest.raises(AfasConnectorDrift, match="DebtorName"):
            await afas.rows(DEBTORS, key=("DebtorId",)).collect()
        with pytest.raises(AfasConnectorDrift, match="DebtorName"):
            await afas.get_connector_meta(DEBTORS)  # the cache was dropped: fresh and checked


async def test_R6_metainfo_diffs_against_a_stored_snapshot(sim: SimulatorHandle) -> None:
    async with client_for(sim) as afas:
        snapshot = (await afas.get_connector_meta(DEBTORS)).snapshot()
        sim.trigger_drift(DEBTORS, remove=["TelNr"], rename={"Email": "EmailWork"})
        diff = await afas.check_drift(DEBTORS, snapshot=snapshot)
        assert diff.changed
        assert set(diff.removed) == {"TelNr", "Email"}
        assert diff.added == ("EmailWork",)
        afas.declare_required_fields(DEBTORS, ["Email"])
        with pytest.raises(AfasConnectorDrift, match="Email"):
            await afas.check_drift(DEBTORS, snapshot=snapshot)


class OperatorsAsStrings(httpx.AsyncBaseTransport):
    """A broken proxy: rewrites operator codes to words, as the seed's client sent them."""

    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        query = request.url.query.decode()
        if "operatortypes=" in query:
            parts = [
                p if not p.startswith("operatortypes=") else "operatortypes=eq"
                for p in query.split("&")
            ]
            request = httpx.Request(
                request.method,
                request.url.copy_with(query="&".join(parts).encode()),
                headers=request.headers,
            )
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


async def test_R14_an_unfiltered_answer_to_a_filtered_question_is_detected(
    sim: SimulatorHandle,
) -> None:
    sim.quirks.enable("R14_string_operator_unfiltered")
    wanted = Filter("DebtorName", Operator.CONTAINS, "Smit")
    async with client_for(sim, transport=OperatorsAsStrings()) as afas:
        with pytest.raises(AfasFilterIgnored, match="does not match the filter"):
            await afas.rows(DEBTORS, key=("DebtorId",), filters=wanted).collect()
    (call,) = connector_calls(sim, DEBTORS)
    assert "R14 unfiltered table" in call.notes


async def test_R14_an_unfiltered_answer_is_caught_on_rows_whose_filtered_field_is_null(
    sim: SimulatorHandle,
) -> None:
    # Every VAT number there is starts with NL; only the rows without one violate the filter.
    vat = [r["VatNr"] for r in raw_rows(sim, DEBTORS) if r["DebtorName"] is not None]
    assert None in vat and all(v.startswith("NL") for v in vat if v is not None)
    sim.quirks.enable("R14_string_operator_unfiltered")
    async with client_for(sim, transport=OperatorsAsStrings()) as afas:
        with pytest.raises(AfasFilterIgnored, match="does not match the filter"):
            await afas.rows(
                DEBTORS, key=("DebtorId",), filters=Filter("VatNr", Operator.STARTS_WITH, "NL")
            ).collect()


async def test_R5_shell_rows_answering_a_key_filter_pass_the_local_check(
    sim: SimulatorHandle,
) -> None:
    shells = [r["DebtorId"] for r in raw_rows(sim, DEBTORS) if r["DebtorName"] is None]
    groups = [FilterGroup(Filter("DebtorId", Operator.EQUALS, key)) for key in shells[:5]]
    async with client_for(sim) as afas:
        rows = await afas.rows(DEBTORS, key=("DebtorId",), filters=groups).collect()
    assert [r.key[0] for r in rows] == sorted(shells[:5]) and all(r.shell for r in rows)


async def test_R14_a_filtered_answer_passes_the_local_check(sim: SimulatorHandle) -> None:
    wanted = Filter("DebtorName", Operator.CONTAINS, "smit")
    async with client_for(sim) as afas:
        rows = await afas.rows(DEBTORS, key=("DebtorId",), filters=wanted).collect()
    assert rows
    assert all("smit" in str(r.values["DebtorName"]).lower() for r in rows)
    assert len(rows) < len(ground_truth(sim, DEBTORS, ("DebtorId",)))


async def test_R18_error_text_comes_from_the_body_not_the_obsolete_header(
    sim: SimulatorHandle,
) -> None:
    sim.quirks.enable("R18_x_profit_error_header")
    sim.faults.add("GET", "/connectors/Profit_Debtor", "error_500", message="Body says this.")
    raw = httpx.get(
        f"{sim.base_url}/connectors/{DEBTORS}", headers={"Authorization": sim.auth_header()}
    )
    header = raw.headers["X-PROFIT-ERROR"]  # present, and saying something else
    assert header and "Body says this." not in header
    async with client_for(sim) as afas:
        with pytest.raises(AfasValidationError) as caught:
            await afas.rows(DEBTORS, key=("DebtorId",)).collect()
    assert caught.value.external_message == "Body says this."
    assert caught.value.profit_log_reference
    assert "Body says this." in str(caught.value)
    assert header not in str(caught.value)
