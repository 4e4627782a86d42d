"""`afas-mcp review approve` after the human checks: bound to the digest shown, every outcome clear.

The checks that a person is at a terminal (`server.review.terminal`) are proven at a real
pseudo-terminal in test_review_cli_tty.py; here they are stood in for, so each outcome of the
decision itself can be driven: AFAS down, refused by the store, expired, raced, busy.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from review_helpers import ALICE, ALICE_SECRET, BOB, RecordingActions, RefusingActions, held_hire

from server.afas.errors import AfasAuthError, AfasConnectionError, AfasEnvironmentMismatch
from server.review import cli
from server.review.actions import ReviewActions, ReviewResult
from server.store import (
    ApprovalExpired,
    AuditStep,
    ConnectorBusy,
    DigestMismatch,
    IllegalTransition,
    WriteStatus,
    WriteStore,
)

S = WriteStatus


@pytest.fixture
def at_terminal(monkeypatch: pytest.MonkeyPatch, cli_env: dict[str, str]) -> list[str]:
    """A person at a terminal who types Alice's secret and confirms; returns what was asked."""
    asked: list[str] = []
    monkeypatch.setattr(cli, "require_terminal", lambda verb: None)

    def ask_secret(prompt: str, **_: object) -> str:
        asked.append(prompt)
        return ALICE_SECRET

    monkeypatch.setattr(cli, "ask_secret", ask_secret)
    monkeypatch.setattr(cli, "confirm_id", lambda write_id, verb: None)
    return asked


def approve(
    capsys: pytest.CaptureFixture[str], write_id: str, factory: Callable[[WriteStore], object]
) -> tuple[int, str, str]:
    code = cli.main(["approve", write_id, "--as", ALICE], actions_factory=factory)  # type: ignore[arg-type]
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.usefixtures("at_terminal")
def test_the_approval_is_bound_to_the_digest_the_person_was_shown(
    store: WriteStore, capsys: pytest.CaptureFixture[str]
) -> None:
    held = held_hire(store)
    made: list[RecordingActions] = []

    def factory(opened: WriteStore) -> RecordingActions:
        made.append(RecordingActions(opened))
        return made[-1]

    code, out, _ = approve(capsys, held.id, factory)

    assert code == 0
    assert f"digest {held.digest[:12]}" in out  # what the person saw
    assert made[0].digests == [held.digest]  # what the approval is bound to
    assert store.audit_trail(held.id)[-1].detail["digest"] == held.digest


@pytest.mark.usefixtures("at_terminal")
def test_a_digest_that_is_not_the_stored_payloads_is_refused_by_the_store(
    store: WriteStore, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    held = held_hire(store)
    shown = "0" * 64  # as if the terminal had shown another payload than the store holds
    real = cli._run

    def run_with_other_digest(
        args: argparse.Namespace, actions: ReviewActions, write_id: str, who: str, digest: str
    ) -> ReviewResult:
        return real(args, actions, write_id, who, shown)

    monkeypatch.setattr(cli, "_run", run_with_other_digest)

    code, _, err = approve(capsys, held.id, RecordingActions)

    assert code == 1
    assert "Refused: the payload held under this id is not the one you were shown" in err
    assert err.count("\n") == 1
    assert store.get(held.id).status is S.PENDING_REVIEW
    assert store.audit_trail(held.id)[-1].step is AuditStep.APPROVAL_REFUSED


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (
            AfasConnectionError("could not connect to 127.0.0.1:9 (connection refused)"),
            "Not approved: AFAS cannot be reached right now",
        ),
        (
            AfasAuthError("AFAS refused the token.\nNot retried", status_code=401),
            "Not approved: AFAS refuses this server's credentials",
        ),
        (
            AfasEnvironmentMismatch("AFAS reports T9", expected="12345 (test)", reported="T9"),
            "Not approved: AFAS reports another environment than this server is pinned to",
        ),
        (ConnectorBusy("KnEmployee", waited=300), "Not approved yet: another write to the same"),
        (DigestMismatch("w_x", "another payload"), "Refused: the payload held under this id"),
        (ApprovalExpired("w_x", "it expired"), "Too late: this write expired"),
        (
            IllegalTransition("w_x", current=S.APPROVED, target=S.APPROVED),
            "Someone else got there first: this write is now approved",
        ),
    ],
    ids=["afas-down", "credentials", "environment", "busy", "refused", "expired", "raced"],
)
@pytest.mark.usefixtures("at_terminal")
def test_a_decision_that_did_not_go_through_exits_1_with_a_one_line_reason(
    store: WriteStore, capsys: pytest.CaptureFixture[str], error: Exception, reason: str
) -> None:
    held = held_hire(store)

    code, _, err = approve(capsys, held.id, lambda opened: RefusingActions(opened, error=error))

    assert code == 1
    assert err.startswith(f"afas-mcp review: {reason}")
    assert err.count("\n") == 1  # one line, whatever the error's own text holds
    assert "Traceback" not in err
    assert store.get(held.id).status is S.PENDING_REVIEW


@pytest.mark.usefixtures("at_terminal")
def test_an_approval_that_lost_the_race_exits_1_saying_who_was_first(
    store: WriteStore, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    held = held_hire(store)

    def someone_else_first(write_id: str, verb: str) -> None:  # while Alice confirms
        store.approve(write_id, approver=BOB, digest=held.digest)

    monkeypatch.setattr(cli, "confirm_id", someone_else_first)

    code, _, err = approve(capsys, held.id, RecordingActions)

    assert code == 1
    assert "Someone else got there first: this write is now approved" in err
    assert err.count("\n") == 1
    assert store.get(held.id).approver == BOB


@pytest.mark.usefixtures("at_terminal")
def test_an_expired_write_exits_1_and_nothing_is_asked(
    store: WriteStore, capsys: pytest.CaptureFixture[str], at_terminal: list[str]
) -> None:
    held = held_hire(store, expires_at=datetime.now(UTC) - timedelta(minutes=1))

    code, _, err = approve(capsys, held.id, RecordingActions)

    assert code == 1
    assert f"{held.id} is expired" in err and "nothing to approve" in err
    assert at_terminal == []  # no secret asked for a write that cannot be decided
