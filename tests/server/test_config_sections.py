"""The write side's sections of the one configuration: `[pipeline]`, `[review]`, `[policies]`."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from policies import packaged_rules
from server.app import policy_file_for
from server.config import ConfigError, load_review_settings, load_settings
from server.config.rules import packaged_rules_file
from server.review.passwords import hash_secret
from server.writes.options import load_write_options

TOKEN_XML = (
    "<token><version>1</version><data>"
    "949C1A9CD9AE4797950D94F55A7A4D056770472D4963CB9A8D3800BEE0CCE6A2</data></token>"
)
ALICE_HASH = hash_secret("alice-correct-horse-battery")
SESSION_SECRET = "review-session-secret-0123456789abcdef"


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


def write(tmp_path: Path, text: str, name: str = "afas-mcp.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def rules_copy(tmp_path: Path, *, threshold: str = "0.75", name: str = "rules.toml") -> Path:
    """A copy of the packaged rules with another confidence threshold."""
    text = packaged_rules_file().read_text(encoding="utf-8")
    changed, count = re.subn(
        r"^default_threshold = .*$", f"default_threshold = {threshold}", text, flags=re.M
    )
    assert count == 1, "the packaged rules no longer hold one default_threshold"
    return write(tmp_path, changed, name)


# --- [pipeline] ------------------------------------------------------------------------------


def test_the_pipeline_section_has_documented_defaults() -> None:
    pipeline = load_settings(base()).pipeline
    assert pipeline.duplicate_window == timedelta(minutes=10)
    assert pipeline.requester == "agent"
    assert pipeline.settle_absent_after == timedelta(seconds=900)
    assert pipeline.reconcile_interval == timedelta(seconds=60)


def test_pipeline_values_come_from_the_file_and_the_environment_wins(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        [pipeline]
        duplicate_window_minutes = 30
        requester = "hr-bot"
        settle_absent_after_seconds = 1200
        reconcile_interval_seconds = 120
        """,
    )
    env = base(AFAS_MCP_CONFIG=str(path), AFAS_MCP_REQUESTER="onboarding-agent")
    pipeline = load_settings(env).pipeline
    assert pipeline.duplicate_window == timedelta(minutes=30)
    assert pipeline.requester == "onboarding-agent"
    assert pipeline.settle_absent_after == timedelta(seconds=1200)
    assert pipeline.reconcile_interval == timedelta(seconds=120)


def test_bad_pipeline_values_name_the_variable_or_the_toml_key(tmp_path: Path) -> None:
    path = write(tmp_path, "[pipeline]\nreconcile_interval_seconds = 1\nrequester = '  '\n")
    found = problems(
        base(
            AFAS_MCP_CONFIG=str(path),
            AFAS_MCP_DUPLICATE_WINDOW_MINUTES="ten",
            AFAS_MCP_SETTLE_ABSENT_AFTER_SECONDS="-5",
        )
    )
    key = f"(TOML key pipeline.reconcile_interval_seconds in {path})"
    assert found == (
        f"AFAS_MCP_REQUESTER (TOML key pipeline.requester in {path}): must name who asks for "
        "writes, e.g. agent",
        "AFAS_MCP_DUPLICATE_WINDOW_MINUTES: must be a whole number from 0 to 1440",
        "AFAS_MCP_SETTLE_ABSENT_AFTER_SECONDS: must be a whole number from 0 to 86400",
        f"AFAS_MCP_RECONCILE_INTERVAL_SECONDS {key}: must be a whole number from 5 to 86400",
    )


# --- [review] --------------------------------------------------------------------------------


def test_the_review_section_is_part_of_the_settings() -> None:
    settings = load_settings(
        base(
            AFAS_MCP_REVIEWERS=f"hr:alice={ALICE_HASH}",
            AFAS_MCP_REVIEW_SECRET=SESSION_SECRET,
            AFAS_MCP_REVIEW_URL="https://hr.example.nl/review/",
            AFAS_MCP_REVIEW_TTL_HOURS="24",
            AFAS_MCP_REVIEW_SESSION_HOURS="4",
            AFAS_MCP_REVIEW_PORT="9100",
            AFAS_MCP_DATABASE="/srv/afas/queue.sqlite",
        )
    )
    review = settings.review
    assert [a.name for a in review.approvers] == ["hr:alice"]
    assert review.base_url == "https://hr.example.nl/review"
    assert review.approval_ttl == timedelta(hours=24)
    assert review.session_ttl == timedelta(hours=4)
    assert review.port == 9100
    assert review.database == settings.database == Path("/srv/afas/queue.sqlite")
    assert SESSION_SECRET in settings.secret_values()  # scrubbed from logs and the ledger
    assert SESSION_SECRET not in repr(settings) and ALICE_HASH not in repr(settings)


def test_the_review_url_and_ttl_the_pipeline_uses_are_the_review_sections() -> None:
    settings = load_settings(
        base(AFAS_MCP_REVIEW_URL="https://hr.example.nl/review", AFAS_MCP_REVIEW_TTL_HOURS="12")
    )
    options = load_write_options(settings)
    assert options.review_url("w_abc") == settings.review.write_url("w_abc")
    assert options.review_url("w_abc") == "https://hr.example.nl/review/writes/w_abc"
    assert options.approval_ttl == settings.review.approval_ttl == timedelta(hours=12)


def test_a_bad_reviewer_hash_or_review_url_stops_the_server_naming_the_variable() -> None:
    found = problems(
        base(
            AFAS_MCP_REVIEWERS="hr:alice=plaintext-password",
            AFAS_MCP_REVIEW_URL="http://hr.example.nl/review",
            AFAS_MCP_REVIEW_TTL_HOURS="0",
        )
    )
    assert found[0].startswith("AFAS_MCP_REVIEWERS: approver hr:alice: must be a hash")
    assert found[1].startswith("AFAS_MCP_REVIEW_URL: must use https")
    assert found[2] == "AFAS_MCP_REVIEW_TTL_HOURS: must be a whole number from 1 to 2160"
    assert "plaintext-password" not in "\n".join(found)


def test_the_review_cli_reads_its_section_without_afas_credentials(tmp_path: Path) -> None:
    path = write(tmp_path, '[mcp]\ndatabase = "queue.sqlite"\n[review]\nttl_hours = 24\n')
    review = load_review_settings({"AFAS_MCP_CONFIG": str(path)})
    assert review.database == tmp_path / "queue.sqlite"
    assert review.approval_ttl == timedelta(hours=24)


# --- [policies] ------------------------------------------------------------------------------


def test_without_a_policy_file_the_packaged_rules_are_in_force() -> None:
    settings = load_settings(base())
    assert settings.policies.file is None
    assert settings.policies.rules == packaged_rules()
    assert policy_file_for(settings) == packaged_rules_file()


def test_AFAS_MCP_POLICY_FILE_replaces_the_packaged_rules(tmp_path: Path) -> None:
    rules = rules_copy(tmp_path)
    settings = load_settings(base(AFAS_MCP_POLICY_FILE=str(rules)))
    assert settings.policies.file == rules
    assert settings.policies.rules.confidence.default_threshold == 0.75
    assert policy_file_for(settings) == rules  # what afas://policies serves


def test_a_policy_file_named_in_the_toml_file_is_relative_to_it(tmp_path: Path) -> None:
    (tmp_path / "conf").mkdir()
    rules = rules_copy(tmp_path / "conf", threshold="0.8")
    path = write(tmp_path / "conf", '[policies]\nfile = "rules.toml"\n')
    settings = load_settings(base(AFAS_MCP_CONFIG=str(path)))
    assert settings.policies.file == rules
    assert settings.policies.rules.confidence.default_threshold == 0.8


def test_a_bad_policy_file_names_the_variable_and_the_rule(tmp_path: Path) -> None:
    rules = rules_copy(tmp_path, threshold="1.5")
    (found,) = problems(base(AFAS_MCP_POLICY_FILE=str(rules)))
    assert found.startswith(f"AFAS_MCP_POLICY_FILE: {rules}: ")
    assert "default_threshold" in found
    (found,) = problems(base(AFAS_MCP_POLICY_FILE=str(tmp_path / "absent.toml")))
    assert found.startswith("AFAS_MCP_POLICY_FILE: ") and "cannot read the rules file" in found


def test_rule_data_in_the_policies_table_is_refused_with_where_it_belongs(tmp_path: Path) -> None:
    path = write(tmp_path, "[policies]\nauto_apply = 0.9\n")
    (found,) = problems(base(AFAS_MCP_CONFIG=str(path)))
    assert found.startswith(f"TOML key policies.auto_apply in {path}: unknown setting")
    assert "belongs in the rule file" in found


# --- all sections together -------------------------------------------------------------------


def test_problems_of_every_section_are_reported_at_once(tmp_path: Path) -> None:
    found = problems(
        base(
            AFAS_MAX_PARALLEL="12",
            AFAS_MCP_HTTP_PORT="0",
            AFAS_MCP_RECONCILE_INTERVAL_SECONDS="1",
            AFAS_MCP_REVIEW_PORT="http",
            AFAS_MCP_POLICY_FILE=str(tmp_path / "absent.toml"),
        )
    )
    names = [p.split(":")[0] for p in found]
    assert names == [
        "AFAS_MAX_PARALLEL",
        "AFAS_MCP_RECONCILE_INTERVAL_SECONDS",
        "AFAS_MCP_REVIEW_PORT",
        "AFAS_MCP_POLICY_FILE",
        "AFAS_MCP_HTTP_PORT",
    ]


# --- where the store's file lives --------------------------------------------------------------


def test_the_default_database_is_in_the_xdg_data_directory(tmp_path: Path) -> None:
    assert load_review_settings({"XDG_DATA_HOME": str(tmp_path)}).database == (
        tmp_path / "afas-mcp" / "afas-mcp.sqlite"
    )


def test_the_default_database_falls_back_to_local_share_in_home() -> None:
    assert load_review_settings({"HOME": "/home/tester"}).database == Path(
        "/home/tester/.local/share/afas-mcp/afas-mcp.sqlite"
    )


def test_AFAS_MCP_DATABASE_overrides_the_default(tmp_path: Path) -> None:
    env = {"AFAS_MCP_DATABASE": str(tmp_path / "q.sqlite"), "XDG_DATA_HOME": "/elsewhere"}
    assert load_review_settings(env).database == tmp_path / "q.sqlite"
    assert load_settings(base(**env)).database == tmp_path / "q.sqlite"
