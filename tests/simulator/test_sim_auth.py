"""Classic tokens, the restricted App Connector, OAuth client credentials and revocation."""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator
from datetime import date

import httpx
import pytest
from sim_helpers import get

from simulator.testing import SimulatorHandle, start_simulator


def _token(sim: SimulatorHandle, **form: str) -> httpx.Response:
    data = {
        "grant_type": "client_credentials",
        "client_id": sim.oauth_client_id,
        "client_secret": sim.oauth_client_secret,
        **form,
    }
    return httpx.post(f"{sim.base_url}/oauth/token", data=data)


def test_a_classic_token_as_base64_of_the_whole_xml_is_accepted(sim: SimulatorHandle) -> None:
    assert get(sim, "/metainfo").status_code == 200


@pytest.mark.parametrize(
    "header",
    [None, "", "AfasToken", "Basic dXNlcjpwYXNz", "AfasToken !!!", "AfasToken " + "A" * 64],
)
def test_missing_or_malformed_credentials_are_401_with_an_empty_body(
    sim: SimulatorHandle, header: str | None
) -> None:
    headers = {"Authorization": header} if header is not None else {}
    response = httpx.get(f"{sim.base_url}/metainfo", headers=headers)
    assert (response.status_code, response.content) == (401, b"")


def test_a_well_formed_token_of_another_installation_is_401(sim: SimulatorHandle) -> None:
    stranger = "<token><version>1</version><data>" + "AB" * 32 + "</data></token>"
    header = "AfasToken " + base64.b64encode(stranger.encode()).decode()
    response = httpx.get(f"{sim.base_url}/metainfo", headers={"Authorization": header})
    assert response.status_code == 401


def test_the_restricted_token_sees_only_its_linked_connectors_in_metainfo(
    sim: SimulatorHandle,
) -> None:
    body = get(sim, "/metainfo", label="restricted").json()
    get_ids = {entry["id"] for entry in body["getConnectors"]}
    assert "AfasMcp_Salaries" not in get_ids and "AfasMcp_Employees" in get_ids
    assert [entry["id"] for entry in body["updateConnectors"]] == ["KnSubject"]
    assert get(sim, "/metainfo/get/AfasMcp_Salaries", label="restricted").status_code == 403
    assert get(sim, "/metainfo/update/KnEmployee", label="restricted").status_code == 403
    assert get(sim, "/connectors/AfasMcp_Employees", label="restricted").status_code == 200


def test_R11_a_revoked_token_is_401_from_the_next_call_on(sim: SimulatorHandle) -> None:
    assert get(sim, "/metainfo").status_code == 200
    sim.revoke_token("full")
    assert get(sim, "/metainfo").status_code == 401
    assert get(sim, "/metainfo", label="restricted").status_code == 200
    sim.reset()
    assert get(sim, "/metainfo").status_code == 200


@pytest.fixture(scope="module")
def after_phase_out_announced() -> Iterator[SimulatorHandle]:
    """A simulator whose today lies after AFAS started dating classic tokens (September 2026)."""
    with start_simulator(
        profile="realistic", seed=1, size=20, reference_date=date(2026, 11, 21)
    ) as sim:
        yield sim


def _token_expiry(sim: SimulatorHandle, authorization: str) -> object:
    response = httpx.get(f"{sim.base_url}/metainfo", headers={"Authorization": authorization})
    assert response.status_code == 200, response.text
    return response.json()["info"]["tokenExpiry"]


def test_R11_from_september_2026_classic_tokens_report_their_end_on_1_may_2027(
    after_phase_out_announced: SimulatorHandle,
) -> None:
    sim = after_phase_out_announced
    for label in ("full", "restricted"):
        assert _token_expiry(sim, sim.auth_header(label)) == "2027-05-01T00:00:00"


def test_R11_before_september_2026_classic_tokens_report_no_expiry(sim: SimulatorHandle) -> None:
    assert sim.tenant.today() == date(2026, 3, 18)
    assert _token_expiry(sim, sim.auth_header()) == "0"


def test_R11_a_bearer_token_reports_no_expiry_in_metainfo_its_end_is_expires_in(
    after_phase_out_announced: SimulatorHandle,
) -> None:
    issued = _token(after_phase_out_announced).json()
    assert issued["expires_in"] == 3600
    bearer = f"Bearer {issued['access_token']}"
    assert _token_expiry(after_phase_out_announced, bearer) == "0"


def test_oauth_client_credentials_give_a_bearer_token_that_reads(sim: SimulatorHandle) -> None:
    response = _token(sim)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in"}
    assert (body["token_type"], body["expires_in"]) == ("Bearer", 3600)
    read = httpx.get(
        f"{sim.base_url}/connectors/Profit_Administrations",
        headers={"Authorization": f"Bearer {body['access_token']}"},
    )
    assert read.status_code == 200 and len(read.json()["rows"]) == 2


def test_oauth_accepts_client_secret_basic(sim: SimulatorHandle) -> None:
    response = httpx.post(
        f"{sim.base_url}/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(sim.oauth_client_id, sim.oauth_client_secret),
    )
    assert response.status_code == 200


def test_a_bearer_token_stops_working_when_it_expires(sim: SimulatorHandle) -> None:
    sim.settings.oauth_token_lifetime_seconds = 0.2
    token = _token(sim).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert httpx.get(f"{sim.base_url}/metainfo", headers=headers).status_code == 200
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        response = httpx.get(f"{sim.base_url}/metainfo", headers=headers)
        if response.status_code == 401:
            break
        time.sleep(0.05)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'


def test_a_revoked_client_gets_no_token_and_its_bearer_tokens_die(sim: SimulatorHandle) -> None:
    token = _token(sim).json()["access_token"]
    sim.revoke_token("full")
    assert _token(sim).status_code == 400
    response = httpx.get(f"{sim.base_url}/metainfo", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("form", "status", "error"),
    [
        ({"client_secret": "wrong"}, 400, "invalid_client"),
        ({"client_id": ""}, 400, "invalid_request"),
        ({"grant_type": "password"}, 400, "unsupported_grant_type"),
        ({"grant_type": ""}, 400, "invalid_request"),
    ],
)
def test_bad_oauth_requests_get_the_documented_errors(
    sim: SimulatorHandle, form: dict[str, str], status: int, error: str
) -> None:
    response = _token(sim, **form)
    assert (response.status_code, response.json()) == (status, {"error": error})


def test_failed_basic_client_authentication_is_401_with_a_basic_challenge(
    sim: SimulatorHandle,
) -> None:
    response = httpx.post(
        f"{sim.base_url}/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(sim.oauth_client_id, "wrong"),
    )
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Basic"


def test_credentials_are_deterministic_from_the_seed(sim: SimulatorHandle) -> None:
    from simulator.auth import Credentials

    again = Credentials(seed=1, environment_name=sim.environment_name).by_label["full"]
    other = Credentials(seed=2, environment_name=sim.environment_name).by_label["full"]
    assert again.token_xml == sim.token_xml and other.token_xml != sim.token_xml
    assert again.client_secret == sim.oauth_client_secret
