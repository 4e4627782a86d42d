"""`afas-mcp check` against the simulator: exit status, report and one-line reasons."""

from __future__ import annotations

import io
import socket
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from server.check import main
from server.review.passwords import hash_secret
from simulator.testing import SimulatorHandle, start_simulator


@pytest.fixture(scope="module")
def simulator() -> Iterator[SimulatorHandle]:
    with start_simulator(profile="realistic", seed=3) as sim:
        yield sim


@pytest.fixture
def sim(simulator: SimulatorHandle) -> SimulatorHandle:
    simulator.reset()
    return simulator


def run(environ: dict[str, str], *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), environ={"HOME": "/nonexistent", **environ}, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def token_data(sim: SimulatorHandle) -> str:
    return sim.token_xml.partition("<data>")[2].partition("</data>")[0]


def test_bad_configuration_exits_2_naming_the_variable_and_not_the_token() -> None:
    secret = "definitely-not-a-token-0123456789"
    code, out, err = run(
        {"AFAS_ENVIRONMENT_ID": "12345", "AFAS_ENVIRONMENT_TYPE": "test", "AFAS_TOKEN": secret}
    )
    assert code == 2
    assert out == ""
    assert err.startswith("afas-mcp check: FAILED: configuration: AFAS_TOKEN: ")
    assert secret not in err


def test_all_well_exits_0_with_the_report_and_no_secret(sim: SimulatorHandle) -> None:
    code, out, err = run(sim.env())
    assert (code, err) == (0, "")
    report = {k: v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}
    assert report["base URL"] == sim.base_url
    assert report["environment"] == f"{sim.environment_name} (test): matches the pin"
    # R11: from September 2026 AFAS reports the classic tokens' phase-out date.
    assert report["token expiry"] == "2027-05-01T00:00:00"
    assert "AfasMcp_Employees" in out and "MISSING" not in out
    assert out.endswith("OK: credentials, environment and connectors check out\n")
    assert token_data(sim) not in out
    assert sim.auth_header().removeprefix("AfasToken ") not in out


def test_R11_token_expiry_is_shown_when_afas_reports_it(sim: SimulatorHandle) -> None:
    sim.quirks.disable("R11_tokens_never_expire")
    code, out, _ = run(sim.env())
    assert code == 0
    expiry = next(line for line in out.splitlines() if line.startswith("token expiry:"))
    assert expiry.split(":", 1)[1].strip()[:2] == "20"  # a date, e.g. 2027-11-21


def test_R11_a_classic_token_before_september_2026_shows_none_reported() -> None:
    with start_simulator(profile="realistic", seed=3, reference_date=date(2026, 3, 18)) as sim:
        code, out, _ = run(sim.env())
    assert code == 0
    report = {k: v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}
    assert report["token expiry"] == "none reported by AFAS"


def test_R11_oauth_shows_the_access_token_lifetime(sim: SimulatorHandle) -> None:
    code, out, _ = run(sim.env(auth="oauth"))
    assert code == 0
    assert "OAuth client credentials" in out
    assert "access token valid for 3600 s" in out
    assert sim.oauth_client_secret not in out


def test_R11_a_revoked_token_exits_1_with_the_reason_on_one_line(sim: SimulatorHandle) -> None:
    sim.revoke_token()
    code, _, err = run(sim.env())
    assert code == 1
    assert err.count("\n") == 1
    assert err.startswith("afas-mcp check: FAILED: HTTP 401:")
    assert token_data(sim) not in err


def test_R10_an_environment_mismatch_exits_1(sim: SimulatorHandle) -> None:
    sim.quirks.enable("R10_token_valid_in_sibling_environment")
    code, _, err = run({**sim.env(), "AFAS_BASE_URL": sim.sibling_base_url})
    assert code == 1
    assert err.startswith("afas-mcp check: FAILED: environment mismatch: AFAS reports environment")


def test_unreachable_afas_exits_1(sim: SimulatorHandle) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    dead = f"http://127.0.0.1:{port}/ProfitRestServices"
    code, _, err = run({**sim.env(), "AFAS_BASE_URL": dead})
    assert code == 1
    assert "could not reach AFAS" in err


def test_connectors_the_product_needs_but_the_token_lacks_exit_1(sim: SimulatorHandle) -> None:
    env = {**sim.env(), "AFAS_TOKEN": sim.restricted_token_xml}
    code, out, err = run(env)
    assert code == 1
    assert "MISSING" in out
    assert "not linked" in err


def test_only_the_enabled_toolsets_connectors_are_required(sim: SimulatorHandle) -> None:
    env = {**sim.env(), "AFAS_TOKEN": sim.restricted_token_xml, "AFAS_MCP_TOOLSETS": "connectors"}
    code, out, _ = run(env)
    assert code == 0
    assert "AfasMcp_Employees" not in out.split("product connectors")[1]


def test_R6_a_connector_that_lost_its_key_field_exits_1(sim: SimulatorHandle) -> None:
    sim.trigger_drift("Profit_Debtor", rename={"DebtorId": "DebiteurId"})
    code, out, err = run(sim.env())
    assert code == 1
    assert "DRIFT: key field(s) DebtorId missing" in out
    assert "Profit_Debtor" in err


def test_help_exits_0() -> None:
    with pytest.raises(SystemExit) as caught:
        run({}, "--help")
    assert caught.value.code == 0


def test_the_write_mode_is_shown_without_secrets(sim: SimulatorHandle, tmp_path: Path) -> None:
    secret = "review-session-secret-0123456789abcdef"
    alice = hash_secret("alice-correct-horse-battery")
    code, out, err = run(
        sim.env()
        | {
            "AFAS_MCP_WRITES": "true",
            "AFAS_MCP_DATABASE": str(tmp_path / "queue.sqlite"),
            "AFAS_MCP_REVIEW_URL": "https://hr.example.nl/review",
            "AFAS_MCP_REVIEWERS": f"hr:alice={alice}",
            "AFAS_MCP_REVIEW_SECRET": secret,
        }
    )
    assert (code, err) == (0, "")
    report = {k: v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}
    assert report["writes"] == "on"
    assert report["database"] == str(tmp_path / "queue.sqlite")
    assert report["review page"] == "https://hr.example.nl/review"
    assert report["approvers"] == "1"
    assert report["policy rules"].endswith("rules.toml (packaged)")
    assert secret not in out and alice not in out and alice.split("$")[-1] not in out


def test_writes_on_without_approvers_is_warned(sim: SimulatorHandle) -> None:
    code, out, _ = run(sim.env() | {"AFAS_MCP_WRITES": "true"})
    assert code == 0
    assert "approvers:        0 - WARNING: nobody can approve a held write" in out


@pytest.mark.parametrize(
    ("variable", "value", "reason"),
    [
        ("AFAS_MCP_REVIEWERS", "hr:alice=plaintext-password", "approver hr:alice: must be a hash"),
        ("AFAS_MCP_REVIEW_URL", "http://hr.example.nl/review", "must use https"),
        ("AFAS_MCP_REQUESTER", "x", None),
        ("AFAS_MCP_DUPLICATE_WINDOW_MINUTES", "soon", "must be a whole number"),
        ("AFAS_MCP_POLICY_FILE", "/nonexistent/rules.toml", "cannot read the rules file"),
    ],
)
def test_every_section_is_checked_and_a_bad_value_exits_2_naming_it(
    sim: SimulatorHandle, variable: str, value: str, reason: str | None
) -> None:
    code, out, err = run(sim.env() | {variable: value})
    if reason is None:  # a good value: the check goes on to AFAS
        assert code == 0, err
        return
    assert code == 2
    assert out == ""
    assert err.startswith(f"afas-mcp check: FAILED: configuration: {variable}: ")
    assert reason in err
    assert "plaintext-password" not in err
