"""`afas-mcp review list/show`, and decisions refused without a person at a terminal."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from review_helpers import (
    ALICE,
    ALICE_SECRET,
    TOKEN,
    drifted_hire,
    held_hire,
    held_journal,
    verified_hire,
)

from server.review.cli import main
from server.review.passwords import verify_secret
from server.store import AuditStep, WriteStatus, WriteStore

REPO = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.usefixtures("cli_env")
def test_list_puts_held_writes_first_then_drift_then_the_rest(
    store: WriteStore, capsys: pytest.CaptureFixture[str]
) -> None:
    done = verified_hire(store)
    drift = drifted_hire(store)
    hire = held_hire(store)
    journal = held_journal(store)

    code, out, _ = run(capsys, "list")

    assert code == 0
    order = [out.index(w.id) for w in (hire, journal, drift, done)]
    assert order[2] > max(order[:2]) and order[3] > order[2]
    assert "Hire Jan Jansen at employer 01 from Sun 1 March 2026" in out
    assert "expires in 2 days" in out


@pytest.mark.usefixtures("cli_env")
def test_list_filters_by_status(store: WriteStore, capsys: pytest.CaptureFixture[str]) -> None:
    held = held_hire(store)
    drift = drifted_hire(store)

    code, out, _ = run(capsys, "list", "--status", "drift")

    assert code == 0
    assert drift.id in out and held.id not in out


@pytest.mark.usefixtures("cli_env")
def test_list_json_gives_each_write_with_its_review_link(
    store: WriteStore, capsys: pytest.CaptureFixture[str]
) -> None:
    held = held_journal(store)

    code, out, _ = run(capsys, "list", "--json")

    rows = json.loads(out)
    assert code == 0
    assert rows[0]["id"] == held.id
    assert rows[0]["status"] == "pending_review"
    assert rows[0]["headline"].startswith("Journal entry of EUR 48,400.00")
    assert rows[0]["review_url"] == f"http://127.0.0.1:8766/review/writes/{held.id}"


@pytest.mark.usefixtures("cli_env")
def test_show_explains_what_why_the_payload_and_the_trail(
    store: WriteStore, capsys: pytest.CaptureFixture[str]
) -> None:
    held = held_hire(store)

    code, out, _ = run(capsys, "show", held.id)

    assert code == 0
    assert f"Write {held.id}: pending_review" in out
    assert "Hire Jan Jansen at employer 01 from Sun 1 March 2026" in out
    assert "Salary                EUR 3,500.00" in out
    assert "REVIEW  payroll_period_open [W2]: payroll period 2026-03" in out
    assert "hint: Choose a start date in an open period" in out
    assert "Confidence: 0.55; the agent's own certainty about its input: 0.90" in out
    assert '"CmId": "01"' in out
    assert "recorded by agent@test  (new) -> pending_review" in out
    assert f"afas-mcp review approve {held.id} --as NAME" in out


@pytest.mark.usefixtures("cli_env")
def test_show_says_why_this_confidence_factor_by_factor(
    store: WriteStore, capsys: pytest.CaptureFixture[str]
) -> None:
    held = held_hire(store)

    code, out, _ = run(capsys, "show", held.id)
    _, as_json, _ = run(capsys, "show", held.id, "--json")

    assert code == 0
    assert (
        "Why this confidence: 0.55 is below the threshold 0.80 for this tool, so it waits for a "
        "person even where every policy allows it." in out
    )
    assert "  source   x 0.90  the agent's certainty about its input" in out
    assert "  reviews  x 0.61  1 policy verdict(s) asked for review: payroll_period_open" in out
    detail = json.loads(as_json)["write"]["confidence_detail"]
    assert [f["name"] for f in detail["factors"]] == ["source", "reviews"]
    assert detail["threshold"] == 0.8


@pytest.mark.usefixtures("cli_env")
def test_show_of_a_drift_lists_what_afas_stored_and_hides_the_token(
    store: WriteStore, capsys: pytest.CaptureFixture[str]
) -> None:
    drift = drifted_hire(store)

    code, out, _ = run(capsys, "show", drift.id)

    assert code == 0
    assert "Read back from AFAS: drift" in out
    assert "AfasSalary.PtId  5     1" in out
    assert "--resolution acknowledged|corrected" in out
    assert TOKEN.split()[1] not in out and "[REDACTED]" in out


@pytest.mark.usefixtures("cli_env")
def test_show_json_carries_write_summary_and_audit(
    store: WriteStore, capsys: pytest.CaptureFixture[str]
) -> None:
    held = held_journal(store)

    code, out, _ = run(capsys, "show", held.id, "--json")

    data = json.loads(out)
    assert code == 0
    assert data["write"]["id"] == held.id
    assert data["summary"]["table"]["header"][0] == "Account"
    assert data["held_because"][0] == "amount above the controller threshold"
    assert data["can_decide"] is True
    assert [e["step"] for e in data["audit"]] == ["recorded"]


@pytest.mark.usefixtures("cli_env")
def test_show_neutralises_terminal_escapes_in_what_the_agent_wrote(
    store: WriteStore, capsys: pytest.CaptureFixture[str]
) -> None:
    held = held_hire(store, last_name="Jansen\x1b[2K\rSalary EUR 100")

    code, out, _ = run(capsys, "show", held.id)

    assert code == 0
    assert "\x1b" not in out and "\r" not in out
    assert "Jansen\\u001b[2K\\u000dSalary EUR 100" in out


@pytest.mark.usefixtures("cli_env")
def test_show_of_an_unknown_id_says_so(
    capsys: pytest.CaptureFixture[str], store: WriteStore
) -> None:
    code, _, err = run(capsys, "show", "w_aaaaaaaaaaaaaaaa")

    assert code == 1
    assert "There is no write with id 'w_aaaaaaaaaaaaaaaa'." in err


@pytest.mark.usefixtures("cli_env")
def test_approve_without_a_terminal_is_refused_and_changes_nothing(
    store: WriteStore, capsys: pytest.CaptureFixture[str]
) -> None:
    held = held_hire(store)

    code, _, err = run(capsys, "approve", held.id, "--as", ALICE)

    assert code == 3
    assert "needs a person at a terminal" in err
    assert store.get(held.id).status is WriteStatus.PENDING_REVIEW
    assert [e.step for e in store.audit_trail(held.id)] == [AuditStep.RECORDED]


@pytest.mark.usefixtures("cli_env")
def test_there_is_no_flag_to_skip_the_confirmation(store: WriteStore) -> None:
    held = held_hire(store)

    for flag in ("--yes", "--force", "--no-input"):
        with pytest.raises(SystemExit) as exit_:
            main(["approve", held.id, "--as", ALICE, flag])
        assert exit_.value.code == 2
    assert store.get(held.id).status is WriteStatus.PENDING_REVIEW


def _through_pipes(env: dict[str, str], *argv: str, stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603  # our own interpreter and module
        [sys.executable, "-m", "server", "review", *argv],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, **env, "AFAS_MCP_CONFIG": ""},
        timeout=60,
        check=False,
    )


@pytest.mark.slow
def test_approve_through_a_pipe_is_refused_with_the_reason(
    store: WriteStore, review_env: dict[str, str]
) -> None:
    held = held_hire(store)

    done = _through_pipes(
        review_env, "approve", held.id, "--as", ALICE, stdin=f"{ALICE_SECRET}\n{held.id[-4:]}\n"
    )

    assert done.returncode == 3
    assert "standard input is a pipe and standard output is a pipe" in done.stderr
    assert "an agent or a script cannot make them" in done.stderr
    assert store.get(held.id).status is WriteStatus.PENDING_REVIEW


@pytest.mark.slow
def test_reject_through_a_pipe_is_refused_too(
    store: WriteStore, review_env: dict[str, str]
) -> None:
    held = held_journal(store)

    done = _through_pipes(
        review_env, "reject", held.id, "--as", ALICE, "--reason", "no", stdin="y\n"
    )

    assert done.returncode == 3
    assert "needs a person at a terminal" in done.stderr
    assert store.get(held.id).status is WriteStatus.PENDING_REVIEW


@pytest.mark.usefixtures("cli_env")
def test_list_without_a_queue_file_says_there_is_none_yet(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    code, _, err = run(capsys, "list")

    assert code == 1
    assert "There is no review queue at" in err
    assert not db_path.exists()


def test_serve_refuses_to_bind_beyond_loopback_unless_allowed(
    cli_env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "serve", "--host", "192.0.2.10")

    assert code == 2
    assert "--host: 192.0.2.10 is not a loopback address" in err
    assert "AFAS_MCP_REVIEW_ALLOW_REMOTE=true" in err


def test_serve_refuses_to_start_without_approvers(
    cli_env: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("AFAS_MCP_REVIEWERS")

    code, _, err = run(capsys, "serve")

    assert code == 2
    assert "no approvers are configured" in err


def test_a_configuration_error_is_reported_by_variable(
    cli_env: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("AFAS_MCP_REVIEW_SECRET", "short")

    code, _, err = run(capsys, "list")

    assert code == 2
    assert "AFAS_MCP_REVIEW_SECRET: must be at least 32 characters" in err


def test_hash_secret_prints_a_hash_that_verifies(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("a-brand-new-approver-secret\n"))

    code, out, err = run(capsys, "hash-secret")

    assert code == 0
    assert verify_secret("a-brand-new-approver-secret", out.strip())
    assert "AFAS_MCP_REVIEWERS='name=<the line above>'" in err
