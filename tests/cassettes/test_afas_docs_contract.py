"""AFAS's own published examples, replayed through the real client (cassettes/afas-docs/).

Each cassette is an example from ../shared/afas/official/ transcribed as recorded HTTP; these
tests pin what the client makes of it: rows and their types, metainfo models, the keys of a 201,
the typed error with AFAS's message and log reference, `retry_after`, and that a 401 is never
retried. Every cassette must be played to the end (a stale interaction fails the test).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from server.afas import (
    AfasAuthError,
    AfasClient,
    AfasPermissionError,
    AfasTransientError,
    AfasUnavailable,
    AfasValidationError,
    Filter,
    FilterGroup,
    Operator,
    RetryPolicy,
)
from server.afas.values import AMSTERDAM
from tests.cassettes.cassette_support import DOCS, REPO, docs_settings, replay, stored

pytestmark = pytest.mark.anyio

CASSETTES = sorted(DOCS.glob("*.json"))
# howto-medewerker-ad.md's OR-filter, word for word as AFAS publishes it.
PUBLISHED_OR_FILTER = (
    "filterfieldids=EmploymentEndDate%2CEmailForDigitalDocuments%3BEmailForDigitalDocuments"
    "&filtervalues=2020-03-22T00%3A00%3A00%2CP%3B%5Bis%20leeg%5D&operatortypes=5%2C7%3B8"
)


class SentQueries(httpx.AsyncBaseTransport):
    """Keeps the query string of every request exactly as sent; vcrpy answers underneath."""

    def __init__(self) -> None:
        self.queries: list[str] = []
        self._inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.queries.append(request.url.query.decode("ascii"))
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


class Sleeps:
    """Records every wait the client asks for, and waits for none."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@asynccontextmanager
async def docs_client(
    *,
    verified: bool = True,
    sleep: Sleeps | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> AsyncIterator[AfasClient]:
    """The real client for AFAS's example environment; its pin checked against /metainfo."""
    retry = RetryPolicy(attempts=4, backoff=0.01, max_backoff=0.01)
    async with AfasClient(
        docs_settings(), sleep=sleep or Sleeps(), retry=retry, transport=transport
    ) as client:
        if verified:
            with replay(DOCS / "metainfo.json"):
                await client.verify_environment()
        yield client


def sources(path: Path) -> list[str]:
    document = stored(path)
    found = [document["metadata"].get(key) for key in ("source", "also")]
    for item in document["interactions"]:
        found += [item.get("source"), item.get("also")]
    return [name for name in found if name]


# --- every cassette names where it comes from ------------------------------------------------


@pytest.mark.parametrize("path", CASSETTES, ids=[p.stem for p in CASSETTES])
def test_every_docs_cassette_names_its_source_page_and_section(path: Path) -> None:
    metadata = stored(path)["metadata"]
    assert metadata["source"].startswith("../shared/afas/official/")
    assert metadata["section"]
    assert metadata["transcribed"]


@pytest.mark.shared
@pytest.mark.parametrize("path", CASSETTES, ids=[p.stem for p in CASSETTES])
def test_every_source_a_docs_cassette_names_exists(path: Path, shared_dir: Path) -> None:
    for name in sources(path):
        assert name.startswith("../shared/"), name
        assert (REPO / name).resolve().is_file(), f"{path.name} names {name}, which is missing"


def test_the_docs_cassettes_cover_every_published_example_family() -> None:
    names = {p.stem for p in CASSETTES}
    assert {
        "metainfo",
        "metainfo-get-profit-administrations",
        "metainfo-update-knperson",
        "get-rows-profit-address",
        "get-rows-or-filter",
        "get-rows-payroll-transactions",
        "update-201-knsubject",
        "update-201-fientries",
        "update-201-knemployee",
        "error-500-unexpected",
        "error-500-employee-does-not-exist",
        "error-500-fientries-blocked-period",
        "error-503-retry-after",
        "error-401-empty",
    } <= names


# --- metainfo ---------------------------------------------------------------------------------


async def test_metainfo_example_lists_the_connectors_and_pins_environment_A123456AC() -> None:
    async with docs_client(verified=False) as afas:
        with replay(DOCS / "metainfo.json"):
            info = await afas.verify_environment()
            meta = await afas.metainfo()  # cached: the one call is the one in the cassette
    assert (info.envid, info.environment_id, info.environment_type) == (
        "A123456AC",
        "123456",
        "accept",
    )
    assert info.token_expires is None  # "0" means no expiry
    assert [c.id for c in meta.get_connectors] == [
        "Profit_Fin_ChangedEntrydate",
        "Profit_Functions",
    ]
    assert [c.id for c in meta.update_connectors] == [
        "HrCreateApplicant",
        "FbSubscription",
        "KnAddress",
    ]
    assert meta.update_connectors[0].description == "Aanmaken sollicitatie"


async def test_getconnector_metainfo_example_gives_ids_codes_types_and_lengths() -> None:
    async with docs_client() as afas:
        with replay(DOCS / "metainfo-get-profit-administrations.json"):
            meta = await afas.get_connector_meta("Profit_Administrations")
    assert meta.name == "Profit_Administrations"
    assert meta.types == {"AdminId": "int", "AdminNm": "string", "AdminCd": "string"}
    admin_id = meta.get("AdminId")
    assert admin_id is not None
    assert (admin_id.field_id, admin_id.length, admin_id.control_type, admin_id.decimals) == (
        "U002",
        3,
        5,
        0,
    )
    assert admin_id.decimals_field_id == ""


async def test_profit_accounts_metainfo_example_from_the_getconnector_guide() -> None:
    async with docs_client() as afas:
        with replay(DOCS / "metainfo-get-profit-accounts.json"):
            meta = await afas.get_connector_meta("Profit_Accounts")
    assert meta.description == "Grootboekrekeningen (Financieel)"
    assert [(f.id, f.field_id, f.data_type, f.length) for f in meta.fields] == [
        ("Account", "U001", "string", 16),
        ("Description", "U002", "string", 50),
    ]


async def test_update_metainfo_custom_field_entry_parses_with_its_guid_field_id() -> None:
    async with docs_client() as afas:
        with replay(DOCS / "metainfo-update-knperson.json"):
            meta = await afas.update_connector_meta("KnPerson")
    assert meta.name == "KnPerson"
    (custom,) = meta.fields
    assert custom.field_id == "UC2DE284248374B083C966F9B4EEEE9E2"
    assert (custom.data_type, custom.length, custom.mandatory, custom.primary_key) == (
        "string",
        255,
        False,
        False,
    )
    assert custom.values is None


# --- GetConnector rows ------------------------------------------------------------------------


async def test_rows_example_reads_ints_booleans_nulls_and_dates_as_amsterdam_time() -> None:
    async with docs_client() as afas:
        with replay(DOCS / "get-rows-profit-address.json"):
            page = await afas.fetch_page("Profit_Address", key=("AddressId",), take=100)
    assert [row.key for row in page.rows] == [(1,), (2,)]
    first = page.rows[0].values
    assert first["AddressId"] == 1 and first["Number"] == 69
    assert first["PoBox"] is False
    assert first["AddressAdd"] is None and first["NumberAdd"] is None
    assert first["AddressLine"] == "Stadsring 69, 3811 HN  AMERSFOORT"
    # AFAS writes a Z, but the time is Amsterdam's: 09:49:49 local, not UTC.
    assert first["CreateDate"] == datetime(2012, 11, 22, 9, 49, 49, tzinfo=AMSTERDAM)
    assert first["ModifiedDate"] == datetime(2015, 1, 26, 16, 57, 43, tzinfo=AMSTERDAM)
    assert page.next_cursor is None
    assert not any(row.shell for row in page.rows)


async def test_or_filter_example_goes_out_in_the_published_compact_form_verbatim() -> None:
    # (EndDate < 2020-03-22 AND Email != 'P') OR (Email is empty), as in AFAS's how-to.
    groups = [
        FilterGroup(
            Filter("EmploymentEndDate", Operator.LESS_THAN, date(2020, 3, 22)),
            Filter("EmailForDigitalDocuments", Operator.NOT_EQUALS, "P"),
        ),
        FilterGroup(Filter("EmailForDigitalDocuments", Operator.IS_EMPTY)),
    ]
    sent = SentQueries()
    async with docs_client(transport=sent) as afas:
        with replay(DOCS / "get-rows-or-filter.json"):
            page = await afas.fetch_page(
                "Employee_offboarding", key=("EmployeeId",), filters=groups, take=100
            )
    # The cassette matches on the parsed query; the published string is checked byte for byte.
    assert sent.queries[-1] == f"skip=0&take=101&orderbyfieldids=EmployeeId&{PUBLISHED_OR_FILTER}"
    recorded = stored(DOCS / "get-rows-or-filter.json")["interactions"][1]["request"]["uri"]
    assert recorded.endswith(f"&{PUBLISHED_OR_FILTER}")
    assert [row.values["EmployeeId"] for row in page.rows] == ["ALLARDJ", "ANDRED"]
    assert page.rows[0].values["EmploymentEndDate"] == datetime(2024, 4, 30, tzinfo=AMSTERDAM)
    assert all(row.values["EmailForDigitalDocuments"] is None for row in page.rows)


async def test_payroll_rows_example_reads_decimals_exactly() -> None:
    filters = [
        Filter("planIdPaid", Operator.EQUALS, 839),
        Filter("employeeNumber", Operator.EQUALS, "JUDITHS"),
    ]
    async with docs_client() as afas:
        with replay(DOCS / "get-rows-payroll-transactions.json"):
            page = await afas.fetch_page(
                "SH_AUDIT_Transactions",
                key=("planIdPaid", "employeeNumber", "code"),
                filters=filters,
                take=20,
            )
    values = [row.values["value"] for row in page.rows]
    assert values == [Decimal("0"), Decimal("10000"), Decimal("3697")]
    assert all(isinstance(v, Decimal) for v in values)
    assert [row.values["code"] for row in page.rows] == [1174, 1225, 1314]
    assert page.rows[1].values["description"] == "Wage tax from previous employment"


# --- UpdateConnector 201 results --------------------------------------------------------------


def body_of(cassette: str, index: int = 0) -> dict[str, object]:
    request_body = stored(DOCS / cassette)["interactions"][index]["request"]["body"]
    document: dict[str, object] = request_body["json"]
    return document


async def test_knsubject_201_returns_the_new_dossier_item_key() -> None:
    async with docs_client() as afas:
        with replay(DOCS / "update-201-knsubject.json"):
            result = await afas.insert("KnSubject", body_of("update-201-knsubject.json"))
    assert (result.status_code, result.object_name) == (201, "KnSubject")
    assert result.keys == {"SbId": "999999"}


async def test_fientries_201_is_read_in_all_three_published_forms() -> None:
    body = body_of("update-201-fientries.json")
    async with docs_client() as afas:
        with replay(DOCS / "update-201-fientries.json"):
            howto = await afas.insert("FiEntries", body)
            spec = await afas.insert("FiEntries", body)
            captured = await afas.insert("FiEntries", body)
    # The how-to: no "results" wrapper, keyed by the root object.
    assert (howto.object_name, howto.keys) == (
        "FiEntryPar",
        {"UnId": "1", "EnNo": "48227", "InId": "IH001057X"},
    )
    # The OpenAPI spec: keyed by the connector, the invoice key spelled InID.
    assert spec.object_name == "FiEntries"
    assert set(spec.keys) == {"EnNo", "UnId", "InID"}
    # A real answer a public client captured: results keyed by the root object.
    assert (captured.object_name, captured.keys) == ("FiEntryPar", {"UnId": "4", "EnNo": "54605"})


async def test_knemployee_201_is_keyed_by_the_connector_not_the_root_object() -> None:
    async with docs_client() as afas:
        with replay(DOCS / "update-201-knemployee.json"):
            result = await afas.insert("KnEmployee", body_of("update-201-knemployee.json"))
    assert (result.object_name, set(result.keys)) == ("KnEmployee", {"EmId"})


# --- errors -----------------------------------------------------------------------------------


async def test_500_unexpected_error_carries_message_number_and_log_reference() -> None:
    async with docs_client() as afas:
        with (
            replay(DOCS / "error-500-unexpected.json"),
            pytest.raises(AfasValidationError) as caught,
        ):
            await afas.session.send(
                "GET",
                "/connectors/Profit_Functions",
                query="skip=2&take=-1",
                connector="Profit_Functions",
            )
    error = caught.value
    assert error.status_code == 500
    assert error.external_message == "An unexpected error has occurred."
    assert error.error_number == -2147180999
    assert error.profit_log_reference == "3A4CA18A611A4E07B429AC6BAFC6B8D1"
    assert "3A4CA18A611A4E07B429AC6BAFC6B8D1" in str(error)


async def test_500_unknown_employee_is_a_validation_error_that_is_not_retried() -> None:
    sleeps = Sleeps()
    body = body_of("error-500-employee-does-not-exist.json")
    async with docs_client(sleep=sleeps) as afas:
        with (
            replay(DOCS / "error-500-employee-does-not-exist.json"),
            pytest.raises(AfasValidationError) as caught,
        ):
            await afas.insert("HrAbsence", body)
    assert caught.value.external_message == "The entered value for 'Employee' does not exist."
    assert caught.value.error_number == -2147220469
    assert caught.value.profit_log_reference == "B8213AF1C3C54E579686406A8DE71C6C"
    assert sleeps.waits == []


async def test_500_blocked_period_is_a_validation_error_not_a_transient_lock() -> None:
    body = body_of("error-500-fientries-blocked-period.json")
    async with docs_client() as afas:
        with (
            replay(DOCS / "error-500-fientries-blocked-period.json"),
            pytest.raises(AfasValidationError) as caught,
        ):
            await afas.insert("FiEntries", body)
    assert not isinstance(caught.value, AfasTransientError)
    assert caught.value.external_message == (
        "Date '1-11-2024' belongs to a blocked period | "
        "For this administration, period 8 of the year 2024 is blocked."
    )
    # AFAS publishes this message without a number or log reference; the client copes.
    assert (caught.value.error_number, caught.value.profit_log_reference) == (None, None)


async def test_503_example_reports_retry_after_and_is_not_waited_out() -> None:
    sleeps = Sleeps()
    async with docs_client(verified=False, sleep=sleeps) as afas:
        with replay(DOCS / "error-503-retry-after.json"), pytest.raises(AfasUnavailable) as caught:
            await afas.metainfo()
    assert caught.value.retry_after == 7200
    assert "scheduled maintenance" in str(caught.value)  # read through the {"example": ...} nesting
    assert sleeps.waits == []  # two hours is beyond the client's bound: it reports, not waits


async def test_401_example_is_an_auth_error_and_is_never_retried() -> None:
    sleeps = Sleeps()
    async with docs_client(verified=False, sleep=sleeps) as afas:
        with (
            replay(DOCS / "error-401-empty.json") as cassette,
            pytest.raises(AfasAuthError) as caught,
        ):
            await afas.metainfo()
    assert caught.value.status_code == 401
    assert caught.value.external_message is None
    assert cassette.play_count == 1 and sleeps.waits == []


async def test_403_example_is_a_permission_error() -> None:
    async with docs_client(verified=False) as afas:
        with replay(DOCS / "error-403-empty.json"), pytest.raises(AfasPermissionError) as caught:
            await afas.metainfo()
    assert caught.value.status_code == 403
