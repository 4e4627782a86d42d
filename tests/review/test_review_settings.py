"""Review settings from the environment and the TOML file; approver secrets; the review link."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from review_helpers import ALICE, ALICE_SECRET, HASHES

from server.config import ConfigError, ReviewSettings, check_bind, load_review_settings
from server.review.passwords import BadSecretHash, hash_secret, verify_secret

ANY_ADDRESS = "0.0.0.0"  # noqa: S104  # only checked against the rule, never bound


def test_defaults_bind_to_loopback_with_no_approvers(tmp_path: Path) -> None:
    settings = load_review_settings({"XDG_DATA_HOME": str(tmp_path)})

    assert settings.host == "127.0.0.1" and settings.port == 8766
    assert settings.base_url == "http://127.0.0.1:8766/review"
    assert settings.approvers == () and settings.session_secret is None
    assert settings.approval_ttl == timedelta(hours=72)
    assert settings.database == tmp_path / "afas-mcp" / "afas-mcp.sqlite"


def test_approvers_come_from_the_environment_as_name_equals_hash() -> None:
    env = {"AFAS_MCP_REVIEWERS": f" {ALICE}={HASHES[ALICE]} , fin:bob={HASHES['fin:bob']}"}

    settings = load_review_settings(env)

    assert [a.name for a in settings.approvers] == [ALICE, "fin:bob"]
    found = settings.approver("HR:Alice")
    assert found is not None and verify_secret(ALICE_SECRET, found.secret_hash)
    assert HASHES[ALICE] not in repr(settings)


def test_the_toml_review_table_is_read_and_the_environment_wins(tmp_path: Path) -> None:
    config = tmp_path / "afas-mcp.toml"
    config.write_text(
        f"""
[mcp]
database = "queue.sqlite"

[review]
url = "https://hr.example.nl/afas/review"
port = 9000
ttl_hours = 24
secret = "{"s" * 40}"

[review.approvers]
"{ALICE}" = "{HASHES[ALICE]}"
""",
        encoding="utf-8",
    )

    settings = load_review_settings(
        {"AFAS_MCP_CONFIG": str(config), "AFAS_MCP_REVIEW_PORT": "9100"}
    )

    assert settings.base_url == "https://hr.example.nl/afas/review" and settings.secure_cookies
    assert settings.port == 9100
    assert settings.approval_ttl == timedelta(hours=24)
    assert settings.database == tmp_path / "queue.sqlite"
    assert [a.name for a in settings.approvers] == [ALICE]


def test_every_problem_is_reported_at_once_naming_its_variable() -> None:
    env = {
        "AFAS_MCP_REVIEWERS": "hr:alice=plaintext-password,bad name=x,hr:carol",
        "AFAS_MCP_REVIEW_SECRET": "short",
        "AFAS_MCP_REVIEW_HOST": ANY_ADDRESS,
        "AFAS_MCP_REVIEW_URL": "http://hr.example.nl/review",
        "AFAS_MCP_REVIEW_PORT": "http",
    }

    with pytest.raises(ConfigError) as caught:
        load_review_settings(env)

    problems = caught.value.problems
    assert any(
        p.startswith("AFAS_MCP_REVIEWERS: approver hr:alice: must be a hash") for p in problems
    )
    assert any("approver name 'bad name'" in p for p in problems)
    assert any("approver hr:carol has no secret hash" in p for p in problems)
    assert any(p.startswith("AFAS_MCP_REVIEW_SECRET: must be at least 32") for p in problems)
    assert any(p.startswith("AFAS_MCP_REVIEW_HOST: 0.0.0.0 is not a loopback") for p in problems)
    assert any(p.startswith("AFAS_MCP_REVIEW_URL: must use https") for p in problems)
    assert any(p.startswith("AFAS_MCP_REVIEW_PORT: must be a whole number") for p in problems)
    assert "plaintext-password" not in str(caught.value)  # a secret in the wrong place stays out


def test_an_unknown_key_in_the_review_table_is_named(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text("[review]\napprover = 'x'\n", encoding="utf-8")

    with pytest.raises(ConfigError, match=r"TOML key review\.approver in .*unknown setting"):
        load_review_settings({"AFAS_MCP_CONFIG": str(config)})


def test_binding_beyond_loopback_needs_explicit_permission() -> None:
    assert check_bind("127.0.0.1", allow_remote=False) is None
    assert check_bind("::1", allow_remote=False) is None
    assert check_bind("localhost", allow_remote=False) is None
    assert "AFAS_MCP_REVIEW_ALLOW_REMOTE=true" in (
        check_bind(ANY_ADDRESS, allow_remote=False) or ""
    )
    assert check_bind(ANY_ADDRESS, allow_remote=True) is None
    env = {"AFAS_MCP_REVIEW_HOST": "10.0.0.5", "AFAS_MCP_REVIEW_ALLOW_REMOTE": "true"}
    assert load_review_settings(env).host == "10.0.0.5"


def test_review_url_points_at_the_write_under_the_configured_base() -> None:
    assert ReviewSettings(base_url="http://127.0.0.1:8766/review").write_url("w_abc") == (
        "http://127.0.0.1:8766/review/writes/w_abc"
    )
    assert ReviewSettings(base_url="https://hr.example.nl/review/").write_url("w_abc") == (
        "https://hr.example.nl/review/writes/w_abc"
    )
    assert load_review_settings({}).base_url == "http://127.0.0.1:8766/review"
    assert load_review_settings({"AFAS_MCP_REVIEW_URL": "https://x.example/r"}).base_url == (
        "https://x.example/r"
    )


def test_review_url_comes_from_the_environment_and_escapes_the_id() -> None:
    settings = load_review_settings({"AFAS_MCP_REVIEW_URL": "https://hr.example.nl/review"})

    assert settings.write_url("w_x/y") == "https://hr.example.nl/review/writes/w_x%2Fy"


def test_a_secret_verifies_only_against_its_own_hash() -> None:
    encoded = hash_secret("a-long-enough-secret")

    assert encoded.startswith("scrypt$15$8$1$")
    assert verify_secret("a-long-enough-secret", encoded)
    assert not verify_secret("a-long-enough-secreT", encoded)
    assert hash_secret("a-long-enough-secret") != encoded  # salted


def test_short_secrets_and_weak_or_damaged_hashes_are_refused() -> None:
    with pytest.raises(ValueError, match="at least 12"):
        hash_secret("short")
    weak = HASHES[ALICE].replace("scrypt$15$", "scrypt$10$")
    for bad in ("md5$abc", weak, "scrypt$15$8$1$!!$??"):
        with pytest.raises(BadSecretHash):
            verify_secret("whatever", bad)
