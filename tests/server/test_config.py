from __future__ import annotations

import logging
from pathlib import Path

import pytest

from server.config import (
    GET_CONNECTORS,
    READ_TOOLSETS,
    ConfigError,
    Settings,
    load_settings,
)

TOKEN_XML = (
    "<token><version>1</version><data>"
    "949C1A9CD9AE4797950D94F55A7A4D056770472D4963CB9A8D3800BEE0CCE6A2</data></token>"
)
TOKEN_DATA = "949C1A9CD9AE4797950D94F55A7A4D056770472D4963CB9A8D3800BEE0CCE6A2"
TOKEN_HEADER = (
    "AfasToken PHRva2VuPjx2ZXJzaW9uPjE8L3ZlcnNpb24+PGRhdGE+OTQ5QzFBOUNEOUFFNDc5Nzk1MEQ5NEY1NUE3QTR"
    "EMDU2NzcwNDcyRDQ5NjNDQjlBOEQzODAwQkVFMENDRTZBMjwvZGF0YT48L3Rva2VuPg=="
)
OAUTH_SECRET = "oauth-secret-value-that-must-not-leak"
HTTP_TOKEN = "http-bearer-token-that-must-not-leak-0123456789"


def base(**extra: str) -> dict[str, str]:
    env = {
        "AFAS_ENVIRONMENT_ID": "12345",
        "AFAS_ENVIRONMENT_TYPE": "test",
        "AFAS_TOKEN": TOKEN_XML,
        "HOME": "/home/tester",
    }
    env.update(extra)
    return env


def problems(env: dict[str, str]) -> tuple[str, ...]:
    with pytest.raises(ConfigError) as caught:
        load_settings(env)
    return caught.value.problems


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "afas-mcp.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_minimal_environment_gives_settings_with_documented_defaults() -> None:
    settings = load_settings(base())
    assert settings.afas.environment_id == "12345"
    assert settings.afas.base_url == "https://12345.resttest.afas.online/ProfitRestServices"
    assert settings.afas.token is not None
    assert settings.afas.token.get_secret_value() == TOKEN_HEADER
    assert settings.afas.max_parallel == 8
    assert settings.afas.credential == "token"
    assert settings.writes is False
    assert settings.toolsets == READ_TOOLSETS
    assert settings.database == Path("/home/tester/.local/share/afas-mcp/afas-mcp.sqlite")
    assert settings.connectors["employees"] == "AfasMcp_Employees"
    assert set(settings.connectors) == {spec.logical for spec in GET_CONNECTORS}


@pytest.mark.parametrize(
    ("kind", "host"),
    [("production", "rest"), ("test", "resttest"), ("accept", "restaccept")],
)
def test_environment_type_selects_the_documented_host(kind: str, host: str) -> None:
    settings = load_settings(base(AFAS_ENVIRONMENT_TYPE=kind.upper()))
    assert settings.afas.base_url == f"https://12345.{host}.afas.online/ProfitRestServices"


def test_W6_every_token_form_is_normalised_to_the_same_header() -> None:
    encoded = TOKEN_HEADER.removeprefix("AfasToken ")
    for form in (TOKEN_XML, TOKEN_DATA, encoded):
        token = load_settings(base(AFAS_TOKEN=form)).afas.token
        assert token is not None
        assert token.get_secret_value() == TOKEN_HEADER


def test_data_home_is_honoured_for_the_default_database() -> None:
    settings = load_settings(base(XDG_DATA_HOME="/data"))
    assert settings.database == Path("/data/afas-mcp/afas-mcp.sqlite")


def test_bad_token_names_the_variable_and_never_repeats_it() -> None:
    secret = "not-a-token-but-secret-0123456789"
    found = problems(base(AFAS_TOKEN=secret))
    assert len(found) == 1
    assert found[0].startswith("AFAS_TOKEN: ")
    assert secret not in found[0]


def test_every_problem_is_reported_at_once_each_naming_its_variable() -> None:
    found = problems(
        base(
            AFAS_ENVIRONMENT_ID="T12345AA",
            AFAS_ENVIRONMENT_TYPE="prod",
            AFAS_MAX_PARALLEL="12",
            AFAS_MCP_TOOLSETS="hr,bogus",
            AFAS_LANGUAGE="klingon",
        )
    )
    names = [p.split(":")[0] for p in found]
    assert names == [
        "AFAS_ENVIRONMENT_ID",
        "AFAS_ENVIRONMENT_TYPE",
        "AFAS_MAX_PARALLEL",
        "AFAS_LANGUAGE",
        "AFAS_MCP_TOOLSETS",
    ]
    assert "use 12345" in found[0]
    assert "at most 8 parallel" in found[2]


def test_missing_pin_says_how_to_set_it() -> None:
    env = base()
    del env["AFAS_ENVIRONMENT_ID"]
    assert problems(env) == (
        "AFAS_ENVIRONMENT_ID: not set; set the environment variable or "
        "afas.environment_id in the file",
    )


def test_no_credential_is_refused() -> None:
    env = base()
    del env["AFAS_TOKEN"]
    (found,) = problems(env)
    assert "AFAS_TOKEN" in found
    assert "AFAS_OAUTH_CLIENT_ID" in found


def test_R11_oauth_client_credentials_replace_the_token() -> None:
    env = base(AFAS_OAUTH_CLIENT_ID="afas-mcp", AFAS_OAUTH_CLIENT_SECRET=OAUTH_SECRET)
    del env["AFAS_TOKEN"]
    settings = load_settings(env)
    assert settings.afas.credential == "oauth"
    assert OAUTH_SECRET not in repr(settings)


def test_half_an_oauth_pair_names_the_missing_half() -> None:
    env = base(AFAS_OAUTH_CLIENT_ID="afas-mcp")
    del env["AFAS_TOKEN"]
    (found,) = problems(env)
    assert "AFAS_OAUTH_CLIENT_SECRET is not set" in found


def test_token_and_oauth_together_are_refused_as_ambiguous() -> None:
    (found,) = problems(base(AFAS_OAUTH_CLIENT_ID="x", AFAS_OAUTH_CLIENT_SECRET=OAUTH_SECRET))
    assert "choose one credential" in found


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://afas.example.com/ProfitRestServices", "https"),
        ("ftp://127.0.0.1/x", "http(s) URL"),
        ("https://user:pw@afas.example.com/x", "credentials"),
        ("https://afas.example.com/x?token=1", "query"),
    ],
)
def test_base_url_override_must_be_safe(url: str, reason: str) -> None:
    (found,) = problems(base(AFAS_BASE_URL=url))
    assert found.startswith("AFAS_BASE_URL: ")
    assert reason in found


def test_base_url_override_may_be_plain_http_on_loopback() -> None:
    settings = load_settings(base(AFAS_BASE_URL="http://127.0.0.1:8765/ProfitRestServices/"))
    assert settings.afas.base_url == "http://127.0.0.1:8765/ProfitRestServices"


def test_W21_integration_id_must_have_the_documented_shape() -> None:
    assert load_settings(base(AFAS_INTEGRATION_ID="12345_678900")).afas.integration_id
    (found,) = problems(base(AFAS_INTEGRATION_ID="my-app"))
    assert found.startswith("AFAS_INTEGRATION_ID: ")


def test_toml_file_is_read_and_environment_wins(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        [afas]
        environment_id = 12345
        environment_type = "production"
        rate_limit_per_minute = 50
        language = "nl-NL"

        [mcp]
        writes = true
        toolsets = ["hr", "payroll"]
        database = "state/afas.sqlite"

        [connectors]
        employees = "Custom_Employees"

        [demo]
        seed = 7
        """,
    )
    settings = load_settings(base(AFAS_MCP_CONFIG=str(path)))
    assert settings.afas.environment_type == "test"  # the environment variable wins
    assert settings.afas.rate_limit_per_minute == 50
    assert settings.afas.language == "nl-nl"
    assert settings.writes is True
    assert settings.toolsets == ("hr", "payroll")
    assert settings.database == tmp_path / "state" / "afas.sqlite"  # relative to the file
    assert settings.connector_id("employees") == "Custom_Employees"
    assert settings.connector_id("debtors") == "Profit_Debtor"
    assert settings.tables == {"demo": {"seed": 7}}  # a table no section owns is kept as it is
    assert settings.config_file == path


def test_problem_from_the_file_names_variable_key_and_file(tmp_path: Path) -> None:
    path = write(tmp_path, '[afas]\nmax_parallel = 20\n[mcp]\nhttp_port = "many"\n')
    found = problems(base(AFAS_MCP_CONFIG=str(path)))
    assert found[0].startswith(f"AFAS_MAX_PARALLEL (TOML key afas.max_parallel in {path}): ")
    assert found[1].startswith(f"AFAS_MCP_HTTP_PORT (TOML key mcp.http_port in {path}): ")


def test_unknown_keys_in_the_file_are_typos_not_silence(tmp_path: Path) -> None:
    path = write(tmp_path, '[afas]\nenvironmentid = "1"\n[connectors]\nemployes = "X"\n')
    found = problems(base(AFAS_MCP_CONFIG=str(path)))
    assert any("afas.environmentid" in p and "unknown setting" in p for p in found)
    assert any("connectors.employes" in p and "unknown logical connector" in p for p in found)


def test_missing_or_broken_file_names_AFAS_MCP_CONFIG(tmp_path: Path) -> None:
    (found,) = problems(base(AFAS_MCP_CONFIG=str(tmp_path / "absent.toml")))
    assert found.startswith("AFAS_MCP_CONFIG: ") and "does not exist" in found
    path = write(tmp_path, "[afas\n")
    (found,) = problems(base(AFAS_MCP_CONFIG=str(path)))
    assert found.startswith("AFAS_MCP_CONFIG: ") and "not valid TOML" in found


def test_secrets_never_appear_in_repr_str_or_logs(caplog: pytest.LogCaptureFixture) -> None:
    env = base(AFAS_MCP_HTTP_TOKEN=HTTP_TOKEN)
    settings = load_settings(env)
    with caplog.at_level(logging.DEBUG):
        logging.getLogger("test").info("settings: %s %r", settings, settings.afas)
    for text in (repr(settings), str(settings), caplog.text):
        for secret in (TOKEN_DATA, TOKEN_HEADER.removeprefix("AfasToken "), HTTP_TOKEN):
            assert secret not in text


def test_secret_values_cover_every_form_for_log_redaction() -> None:
    settings = load_settings(base(AFAS_MCP_HTTP_TOKEN=HTTP_TOKEN))
    values = settings.secret_values()
    assert TOKEN_DATA in values
    assert TOKEN_XML in values
    assert TOKEN_HEADER in values
    assert HTTP_TOKEN in values
    assert settings.http_token_value() == HTTP_TOKEN


def test_short_http_token_is_refused_as_guessable() -> None:
    (found,) = problems(base(AFAS_MCP_HTTP_TOKEN="short"))
    assert found.startswith("AFAS_MCP_HTTP_TOKEN: ")
    assert "short" not in found.split(":", 1)[1].replace("a short bearer", "")


def test_unknown_logical_connector_lookup_lists_the_known_ones() -> None:
    settings = load_settings(base())
    with pytest.raises(KeyError, match="employees"):
        settings.connector_id("nope")


def test_settings_are_frozen() -> None:
    settings = load_settings(base())
    with pytest.raises(ValueError, match="frozen"):
        settings.writes = True  # type: ignore[misc]
    assert isinstance(settings, Settings)
