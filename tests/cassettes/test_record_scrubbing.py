"""`afas-mcp record` against a tenant full of personal data: nothing real reaches a cassette byte.

The simulator's tenant has names, BSNs, IBANs, addresses, e-mail addresses and phone numbers.
Recordings of employees, fiscal records, debtors, creditors, persons and one write are made with
the real command (in-process), then every byte of every cassette is searched for the token, the
environment number and the tenant's personal data. The cassettes must still replay through the
client, and an employee must have the same fake code in two cassettes (joins survive).
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from server.afas import AfasClient, Filter, Operator
from server.config import load_settings
from server.record import main
from simulator.tenant import pools
from simulator.tenant.ids import eleven_check
from simulator.testing import SimulatorHandle, start_simulator
from tests.cassettes.cassette_support import REPLAY_TOKEN, replay, stored

SALT = "a salt the user keeps out of the repository"
WRITE_PERSON = {
    "FiNm": "Gerda",
    "LaNm": "Zwanenburg",
    "In": "G.",
    "ViGe": "V",
    "DaBi": "1970-02-03",
    "SoSe": "111222333",
    "EmAd": "gerda.zwanenburg@example.net",
    "MbNr": "06-98765432",
}
WRITE_ADDRESS = {
    "Ad": "Zonnebloemstraat",
    "HmNr": 7,
    "ZpCd": "8261 AB",
    "Rs": "Kampen",
    "CoId": "NL",
}


@pytest.fixture(scope="module")
def sim() -> Iterator[SimulatorHandle]:
    with start_simulator(profile="docs", seed=3, size=60) as handle:
        yield handle


@pytest.fixture(scope="module")
def recorded(sim: SimulatorHandle, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Record once for the module: three cassettes, two with the same salt (and one secret file)."""
    out = tmp_path_factory.mktemp("cassettes")
    salt_file = tmp_path_factory.mktemp("secret") / "salt"
    salt_file.write_text(SALT)
    employee = next(
        e["EmId"] for e in sim.tenant.table("employees") if not e.get("_deleted") and not e["Bl"]
    )
    person = {
        "KnPerson": {
            "Element": {
                "Fields": {"MatchPer": "7", "AutoNum": True, "PadAdr": True, **WRITE_PERSON},
                "Objects": {"KnBasicAddressAdr": {"Element": {"Fields": WRITE_ADDRESS}}},
            }
        }
    }
    (out.parent / "person.json").write_text(json.dumps(person))
    calls = out.parent / "calls.toml"
    calls.write_text(
        """
        [[read]]
        connector = "Profit_Employees"
        take = 20
        key = ["EmployeeId"]
        [[read]]
        connector = "Profit_OrgPer"
        take = 20
        [[read]]
        connector = "Profit_Debtor"
        take = 20
        [[read]]
        connector = "Profit_Creditor"
        take = 20
        [[read]]
        connector = "AfasMcp_Employees"
        filter = ["BSN ![] x"]
        take = 20
        [[write]]
        connector = "KnPerson"
        method = "POST"
        body_file = "person.json"
        """
    )
    env = sim.env() | {"AFAS_RATE_LIMIT_PER_MINUTE": "0", "HOME": "/nonexistent"}
    codes = {}
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        common = ["--environment-type", "test", "--salt-file", str(salt_file)]
        codes["employee"] = main(
            [
                *common,
                "--connector",
                "AfasMcp_Employees",
                "--filter",
                f"EmployeeId = {employee}",
                "--out",
                str(out / "employee.json"),
            ]
        )
        codes["fiscal"] = main(
            [
                *common,
                "--connector",
                "AfasMcp_EmployeeFiscal",
                "--filter",
                f"EmployeeId = {employee}",
                "--out",
                str(out / "fiscal.json"),
            ]
        )
        codes["mixed"] = main(
            [*common, "--calls", str(calls), "--allow-writes", "--out", str(out / "mixed.json")]
        )
    return {"out": out, "codes": codes, "employee": employee, "salt_file": salt_file}


def cassette_text(recorded: dict[str, Any]) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(recorded["out"].glob("*.json")))


def rows_of(path: Path, connector: str) -> list[dict[str, Any]]:
    found = []
    for item in stored(path)["interactions"]:
        if f"/connectors/{connector}?" in item["request"]["uri"]:
            found += item["response"]["body"]["json"]["rows"]
    return found


def as_word(value: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![A-Za-z]){re.escape(value)}(?![A-Za-z])", re.IGNORECASE)


# --- the recordings ---------------------------------------------------------------------------


def test_every_recording_succeeded_and_wrote_its_cassette(recorded: dict[str, Any]) -> None:
    assert recorded["codes"] == {"employee": 0, "fiscal": 0, "mixed": 0}
    assert sorted(p.name for p in recorded["out"].glob("*.json")) == [
        "employee.json",
        "fiscal.json",
        "mixed.json",
    ]
    mixed = stored(recorded["out"] / "mixed.json")
    methods = [item["request"]["method"] for item in mixed["interactions"]]
    assert methods.count("POST") == 1  # the write, recorded with --allow-writes
    assert mixed["metadata"]["environment"]["type"] == "test"


def test_no_token_in_any_form_is_in_any_cassette_byte(
    sim: SimulatorHandle, recorded: dict[str, Any]
) -> None:
    text = cassette_text(recorded)
    xml = sim.token_xml
    data = xml.partition("<data>")[2].partition("</data>")[0]
    for form in (
        xml,
        base64.b64encode(xml.encode()).decode(),
        sim.auth_header(),
        data,
        data.lower(),
    ):
        assert form not in text
    assert "AfasToken" not in text and "authorization" not in text.lower()


def test_the_environment_number_is_in_no_cassette_byte(
    sim: SimulatorHandle, recorded: dict[str, Any]
) -> None:
    text = cassette_text(recorded)
    number = sim.environment_id
    assert sim.environment_name not in text
    # As a number of its own: five digits also occur inside longer numbers (amounts, fake
    # codes) by chance, and those are not the environment number.
    assert not re.search(rf"(?<!\d){number}(?!\d)", text)
    fake = stored(recorded["out"] / "employee.json")["metadata"]["environment"]["id"]
    assert fake != number and f"T{fake}AA" in text


def test_no_bsn_iban_surname_street_or_email_of_the_tenant_is_in_any_cassette_byte(
    sim: SimulatorHandle, recorded: dict[str, Any]
) -> None:
    text = cassette_text(recorded)
    tenant = sim.tenant
    people = [*tenant.table("persons"), *tenant.table("organisations")]
    bsns = [p["SoSe"] for p in people if p.get("SoSe")] + [WRITE_PERSON["SoSe"]]
    ibans = [
        r["Iban"] for r in (*tenant.table("debtors"), *tenant.table("creditors")) if r.get("Iban")
    ]
    emails = [p["EmAd"] for p in people if p.get("EmAd")] + [WRITE_PERSON["EmAd"]]
    assert len(bsns) > 50 and len(ibans) > 20 and len(emails) > 50
    assert [v for v in bsns + ibans + emails if v in text] == []
    words = [
        *pools.LAST_NAMES,
        *pools.STREETS,
        WRITE_PERSON["LaNm"],
        WRITE_ADDRESS["Ad"],
        WRITE_ADDRESS["Rs"],
    ]
    assert [w for w in words if as_word(w).search(text)] == []
    assert "8261 AB" not in text and WRITE_PERSON["MbNr"] not in text


def test_the_recorded_data_was_personal_before_scrubbing(
    sim: SimulatorHandle, recorded: dict[str, Any]
) -> None:
    # Guard against a vacuous pass: the calls really returned people, now with fake values.
    rows = rows_of(recorded["out"] / "mixed.json", "Profit_Employees")
    assert len(rows) == 21  # the client asks one row more than the page, to know if more exist
    assert all(eleven_check(r["BSN"]) for r in rows if r["BSN"])
    real = {p["SoSe"] for p in sim.tenant.table("persons")}
    assert not {r["BSN"] for r in rows} & real


# --- replays and joins ------------------------------------------------------------------------


def test_the_same_employee_has_the_same_fake_code_in_two_cassettes(
    recorded: dict[str, Any],
) -> None:
    (employee,) = rows_of(recorded["out"] / "employee.json", "AfasMcp_Employees")
    fiscal = rows_of(recorded["out"] / "fiscal.json", "AfasMcp_EmployeeFiscal")
    assert fiscal and {row["EmployeeId"] for row in fiscal} == {employee["EmployeeId"]}
    assert employee["EmployeeId"] != recorded["employee"]


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("cassette", "connector", "key"),
    [
        ("employee.json", "AfasMcp_Employees", ("EmployeeId",)),
        ("fiscal.json", "AfasMcp_EmployeeFiscal", ("EmployeeId", "DateStart")),
    ],
)
async def test_a_recorded_cassette_replays_through_the_client_with_the_fake_values(
    recorded: dict[str, Any], cassette: str, connector: str, key: tuple[str, ...]
) -> None:
    path = recorded["out"] / cassette
    environment = stored(path)["metadata"]["environment"]
    (fake,) = {row["EmployeeId"] for row in rows_of(path, connector)}
    settings = load_settings(
        {
            "AFAS_ENVIRONMENT_ID": environment["id"],
            "AFAS_ENVIRONMENT_TYPE": environment["type"],
            "AFAS_TOKEN": REPLAY_TOKEN,
            "AFAS_RATE_LIMIT_PER_MINUTE": "0",
            "HOME": "/nonexistent",
        }
    ).afas
    async with AfasClient(settings) as afas:
        with replay(path):
            page = await afas.fetch_page(
                connector, key=key, filters=Filter("EmployeeId", Operator.EQUALS, fake), take=5
            )
    assert page.rows and {row.values["EmployeeId"] for row in page.rows} == {fake}


# --- what is refused ---------------------------------------------------------------------------


def run_record(sim: SimulatorHandle, args: list[str], **env: str) -> int:
    with pytest.MonkeyPatch.context() as patch:
        for name, value in (sim.env() | {"HOME": "/nonexistent"} | env).items():
            patch.setenv(name, value)
        return main(args)


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["--environment-type", "production"], {}),
        (["--environment-type", "test"], {"AFAS_ENVIRONMENT_TYPE": "production"}),
        (
            ["--environment-type", "test"],
            {"AFAS_BASE_URL": "https://17919.rest.afas.online/ProfitRestServices"},
        ),
    ],
    ids=["asked_for", "configured", "production_host"],
)
def test_production_is_refused_before_any_call(
    sim: SimulatorHandle,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    env: dict[str, str],
) -> None:
    sim.request_log.clear()
    out = tmp_path / "x.json"
    code = run_record(sim, [*args, "--connector", "Profit_Debtor", "--out", str(out)], **env)
    assert code == 2 and not out.exists()
    assert "production" in capsys.readouterr().err
    assert sim.request_log.entries == []


def test_an_environment_that_reports_itself_as_production_is_refused(
    sim: SimulatorHandle,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import httpx

    import server.record

    def production_metainfo(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"info": {"envid": f"O{sim.environment_id}AA"}})

    real = server.record.CapturingTransport
    monkeypatch.setattr(
        server.record, "CapturingTransport", lambda: real(httpx.MockTransport(production_metainfo))
    )
    out = tmp_path / "x.json"
    code = run_record(
        sim, ["--environment-type", "test", "--connector", "Profit_Debtor", "--out", str(out)]
    )
    assert code != 0 and not out.exists()
    assert "production" in capsys.readouterr().err


def test_writes_are_refused_without_allow_writes(
    sim: SimulatorHandle, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    calls = tmp_path / "calls.toml"
    calls.write_text(
        '[[write]]\nconnector = "KnSubject"\n'
        'body = { KnSubject = { Element = { Fields = { StId = 1, Ds = "x" } } } }\n'
    )
    sim.request_log.clear()
    out = tmp_path / "x.json"
    code = run_record(sim, ["--environment-type", "test", "--calls", str(calls), "--out", str(out)])
    assert code == 2 and not out.exists()
    assert "--allow-writes" in capsys.readouterr().err
    assert sim.request_log.entries == []


def test_the_oauth_token_call_and_its_secrets_are_never_recorded(
    sim: SimulatorHandle, tmp_path: Path
) -> None:
    out = tmp_path / "oauth.json"
    env = {
        "AFAS_MCP_CASSETTE_SALT": SALT,
        "AFAS_TOKEN": "",
        "AFAS_OAUTH_CLIENT_ID": sim.oauth_client_id,
        "AFAS_OAUTH_CLIENT_SECRET": sim.oauth_client_secret,
    }
    code = run_record(
        sim,
        [
            "--environment-type",
            "test",
            "--connector",
            "Profit_Debtor",
            "--take",
            "2",
            "--out",
            str(out),
        ],
        **env,
    )
    assert code == 0
    text = out.read_text()
    assert "oauth" not in text.lower() and sim.oauth_client_secret not in text
    assert "access_token" not in text and "Bearer" not in text


def test_a_calls_file_that_is_not_as_documented_is_refused_before_any_call(
    sim: SimulatorHandle, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    calls = tmp_path / "calls.toml"
    calls.write_text('[[read]]\nfilter = ["City = Utrecht"]\n')  # no connector
    sim.request_log.clear()
    out = tmp_path / "x.json"
    code = run_record(sim, ["--environment-type", "test", "--calls", str(calls), "--out", str(out)])
    assert code == 2 and not out.exists()
    assert "not as documented" in capsys.readouterr().err
    assert sim.request_log.entries == []
