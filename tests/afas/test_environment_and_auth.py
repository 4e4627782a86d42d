"""The environment pin (R10), credentials (R11, W6), headers (W21) and secrecy of the token."""

from __future__ import annotations

import base64
import logging
import socket
import traceback

import pytest

from server.afas import (
    AfasAuthError,
    AfasConnectionError,
    AfasEnvironmentMismatch,
    AfasError,
    AfasValidationError,
    element,
    envelope,
)
from server.afas._token import token_header
from simulator.testing import SimulatorHandle
from tests.afas.conftest import FakeTime, client_for

pytestmark = pytest.mark.anyio

DEBTORS = "Profit_Debtor"


def paths(sim: SimulatorHandle) -> list[str]:
    return [e.path.removeprefix("/ProfitRestServices") for e in sim.request_log.entries]


async def test_R10_the_pin_is_checked_against_afas_before_the_first_read(
    sim: SimulatorHandle,
) -> None:
    async with client_for(sim) as afas:
        await afas.rows(DEBTORS, key=("DebtorId",), limit=1).collect()
        info = await afas.verify_environment()
    assert paths(sim)[0] == "/metainfo"
    assert info.envid == sim.environment_name
    assert info.environment_id == sim.environment_id


async def test_R10_a_token_valid_in_another_environment_stops_every_call(
    sim: SimulatorHandle,
) -> None:
    sim.quirks.enable("R10_token_valid_in_sibling_environment")
    async with client_for(sim, env={"AFAS_BASE_URL": sim.sibling_base_url}) as afas:
        with pytest.raises(AfasEnvironmentMismatch) as caught:
            await afas.rows(DEBTORS, key=("DebtorId",)).collect()
        assert caught.value.reported == sim.sim.sibling.name
        assert sim.environment_id in caught.value.expected
        for later in (
            afas.metainfo(),
            afas.get_connector_meta(DEBTORS),
            afas.fetch_page(DEBTORS, key=("DebtorId",), take=1),
            afas.insert("KnSubject", envelope("KnSubject", element(fields={"Ds": "x"}))),
            afas.verify_environment(),
        ):
            with pytest.raises(AfasEnvironmentMismatch):
                await later
    (only,) = paths(sim)  # one look at the environment, then nothing
    assert only.endswith("/ProfitRestServices/metainfo")


async def test_R10_the_environment_type_is_part_of_the_pin(sim: SimulatorHandle) -> None:
    async with client_for(sim, env={"AFAS_ENVIRONMENT_TYPE": "production"}) as afas:
        with pytest.raises(AfasEnvironmentMismatch, match="test environment"):
            await afas.verify_environment()


async def test_R11_a_revoked_token_fails_at_once_and_is_not_retried(
    sim: SimulatorHandle, fake_time: FakeTime
) -> None:
    sim.revoke_token()
    async with client_for(sim, fake=fake_time) as afas:
        with pytest.raises(AfasAuthError, match="Not retried"):
            await afas.verify_environment()
        with pytest.raises(AfasAuthError):
            await afas.verify_environment()
    entries = sim.request_log.entries
    assert [e.status for e in entries] == [401, 401]  # one call per attempt, no retries
    assert fake_time.sleeps == []


async def test_R11_oauth_client_credentials_get_a_bearer_token_cached_until_expiry(
    sim: SimulatorHandle, fake_time: FakeTime
) -> None:
    env = {k: v for k, v in sim.env(auth="oauth").items()}
    async with client_for(sim, env={**env, "AFAS_TOKEN": ""}, fake=fake_time) as afas:
        await afas.rows(DEBTORS, key=("DebtorId",), limit=5).collect()
        await afas.get_connector_meta("Profit_Creditor")
        assert afas.oauth_expires_in == 3600
        fake_time.now += 3600  # the access token expires; the next call fetches a new one
        await afas.metainfo(refresh=True)
    token_calls = [p for p in paths(sim) if p == "/oauth/token"]
    assert len(token_calls) == 2
    others = [e for e in sim.request_log.entries if not e.path.endswith("/oauth/token")]
    assert {e.headers.get("authorization") for e in others} == {"Bearer <redacted>"}


async def test_R11_refused_oauth_credentials_raise_an_auth_error_without_the_secret(
    sim: SimulatorHandle,
) -> None:
    wrong = "this-is-the-wrong-secret-0123456789"
    env = {**sim.env(auth="oauth"), "AFAS_TOKEN": "", "AFAS_OAUTH_CLIENT_SECRET": wrong}
    async with client_for(sim, env=env) as afas:
        with pytest.raises(AfasAuthError) as caught:
            await afas.verify_environment()
    assert "AFAS_OAUTH_CLIENT_SECRET" in str(caught.value)
    assert wrong not in str(caught.value) and wrong not in repr(caught.value)


@pytest.mark.parametrize("form", ["xml", "data", "base64"])
async def test_W6_every_token_form_authenticates(sim: SimulatorHandle, form: str) -> None:
    xml = sim.token_xml
    given = {
        "xml": xml,
        "data": xml.partition("<data>")[2].partition("</data>")[0],
        "base64": base64.b64encode(xml.encode()).decode(),
    }[form]
    async with client_for(sim, env={"AFAS_TOKEN": given}) as afas:
        info = await afas.verify_environment()
    assert info.envid == sim.environment_name


async def test_W21_integration_id_goes_on_every_call(sim: SimulatorHandle) -> None:
    sim.quirks.enable("W21_integration_id_required")
    async with client_for(sim, env={"AFAS_INTEGRATION_ID": "12345_678900"}) as afas:
        await afas.rows(DEBTORS, key=("DebtorId",), limit=3).collect()
    assert {e.integration_id for e in sim.request_log.entries} == {"12345_678900"}
    sim.reset()
    sim.quirks.enable("W21_integration_id_required")
    async with client_for(sim) as afas:
        with pytest.raises(AfasValidationError, match="IntegrationId"):
            await afas.verify_environment()


async def test_accept_language_is_sent_and_can_be_left_to_the_environment(
    sim: SimulatorHandle,
) -> None:
    async with client_for(sim, env={"AFAS_LANGUAGE": "nl-NL"}) as afas:
        await afas.verify_environment()
    async with client_for(sim, env={"AFAS_LANGUAGE": "base"}) as afas:
        await afas.verify_environment()
    assert [e.accept_language for e in sim.request_log.entries] == ["nl-nl", None]


async def test_metainfo_is_cached_for_its_ttl(sim: SimulatorHandle, fake_time: FakeTime) -> None:
    async with client_for(sim, fake=fake_time, meta_ttl=60) as afas:
        await afas.get_connector_meta(DEBTORS)
        await afas.get_connector_meta(DEBTORS)
        fake_time.now += 61
        await afas.get_connector_meta(DEBTORS)
    assert paths(sim).count(f"/metainfo/get/{DEBTORS}") == 2


def secret_forms(sim: SimulatorHandle) -> list[str]:
    header = token_header(sim.token_xml)
    data = sim.token_xml.partition("<data>")[2].partition("</data>")[0]
    return [header, header.removeprefix("AfasToken "), data, sim.oauth_client_secret]


def everything_said(error: BaseException) -> str:
    return "\n".join(
        [str(error), repr(error), "".join(traceback.format_exception(error))]
        + [f"{k}={v!r}" for k, v in vars(error).items()]
    )


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


async def test_the_token_never_appears_in_logs_or_errors_of_failing_calls(
    sim: SimulatorHandle, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, httpx and httpcore included
    failures: list[AfasError] = []
    sim.faults.add("GET", "/connectors/Profit_Debtor", "error_500", message="Kapot.")
    async with client_for(sim) as afas:
        with pytest.raises(AfasValidationError) as server_error:
            await afas.rows(DEBTORS, key=("DebtorId",)).collect()
        failures.append(server_error.value)
        sim.revoke_token()
        with pytest.raises(AfasAuthError) as auth_error:
            await afas.metainfo(refresh=True)
        failures.append(auth_error.value)
    dead = f"http://127.0.0.1:{closed_port()}/ProfitRestServices"
    async with client_for(sim, env={"AFAS_BASE_URL": dead}) as afas:
        with pytest.raises(AfasConnectionError) as connection_error:
            await afas.verify_environment()
        failures.append(connection_error.value)
        assert "AfasToken" not in repr(afas)
    said = caplog.text + "\n".join(everything_said(e) for e in failures)
    assert "Kapot." in said and "401" in said  # the failures were described...
    for secret in secret_forms(sim):
        assert secret not in said  # ...without the token
