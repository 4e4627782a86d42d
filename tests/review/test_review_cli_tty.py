"""Decisions in the CLI at a real pseudo-terminal: the one way a person approves from a shell."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from review_helpers import AGENT, AGENT_SECRET, ALICE, ALICE_SECRET, held_hire, held_journal

from server.store import AuditStep, WriteStatus, WriteStore

CHILD = Path(__file__).with_name("cli_child.py")
WAIT = 30.0

pytestmark = pytest.mark.slow


class Terminal:
    """A child process on a pseudo-terminal: read what it shows, type lines into it."""

    def __init__(self, argv: list[str], env: dict[str, str], *, stdout_pipe: bool = False) -> None:
        self.master, slave = os.openpty()
        self.seen = ""
        self.process = subprocess.Popen(  # noqa: S603  # our own interpreter and test script
            [sys.executable, str(CHILD), *argv],
            stdin=slave,
            stdout=subprocess.PIPE if stdout_pipe else slave,
            stderr=slave,
            env={**os.environ, **env, "AFAS_MCP_CONFIG": ""},
            cwd=CHILD.parent,
            start_new_session=True,
        )
        os.close(slave)

    def expect(self, text: str) -> str:
        """Read until `text` has been shown; fail after `WAIT` seconds."""
        deadline = time.monotonic() + WAIT
        while text not in self.seen:
            left = deadline - time.monotonic()
            if left <= 0 or not self._read(left):
                raise AssertionError(f"never showed {text!r}; it showed:\n{self.seen}")
        return self.seen

    def type(self, line: str) -> None:
        os.write(self.master, line.encode() + b"\n")

    def finish(self) -> int:
        """Wait for the exit (bounded) and collect the rest of the output."""
        code = self.process.wait(timeout=WAIT)
        while self._read(0.5):
            pass
        return code

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=WAIT)
        if self.process.stdout is not None:
            self.process.stdout.close()
        os.close(self.master)

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = os.read(self.master, 65536)
        except OSError:  # EIO: the child closed its side
            return False
        self.seen += chunk.decode(errors="replace")
        return bool(chunk)


@pytest.fixture
def terminal(review_env: dict[str, str]) -> Iterator[list[Terminal]]:
    opened: list[Terminal] = []
    yield opened
    for term in opened:
        term.close()


def open_terminal(
    opened: list[Terminal], env: dict[str, str], *argv: str, stdout_pipe: bool = False
) -> Terminal:
    term = Terminal(list(argv), env, stdout_pipe=stdout_pipe)
    opened.append(term)
    return term


def test_an_approver_at_a_terminal_approves_after_typing_secret_and_id(
    store: WriteStore, review_env: dict[str, str], terminal: list[Terminal]
) -> None:
    held = held_hire(store)
    term = open_terminal(terminal, review_env, "approve", held.id, "--as", ALICE)

    shown = term.expect(f"Secret for approver {ALICE}: ")
    term.type(ALICE_SECRET)
    term.expect("type the last 4 characters of its id")
    term.type(held.id[-4:])

    assert term.finish() == 0
    assert "Hire Jan Jansen at employer 01" in shown and "payroll_period_open" in shown
    assert ALICE_SECRET not in term.seen  # typed without echo
    assert f"Approved by {ALICE}" in term.seen
    record = store.get(held.id)
    assert record.status is WriteStatus.APPROVED and record.approver == ALICE


def test_a_wrong_secret_at_a_terminal_changes_nothing(
    store: WriteStore, review_env: dict[str, str], terminal: list[Terminal]
) -> None:
    held = held_hire(store)
    term = open_terminal(terminal, review_env, "approve", held.id, "--as", ALICE)

    term.expect("Secret for approver")
    term.type("not-alices-secret-at-all")

    assert term.finish() == 3
    assert f"That is not the secret of {ALICE}. Nothing was changed." in term.seen
    assert store.get(held.id).status is WriteStatus.PENDING_REVIEW


def test_a_mistyped_confirmation_cancels(
    store: WriteStore, review_env: dict[str, str], terminal: list[Terminal]
) -> None:
    held = held_hire(store)
    term = open_terminal(terminal, review_env, "approve", held.id, "--as", ALICE)

    term.expect("Secret for approver")
    term.type(ALICE_SECRET)
    term.expect("last 4 characters")
    term.type("yes")

    assert term.finish() == 3
    assert "Not confirmed" in term.seen
    assert store.get(held.id).status is WriteStatus.PENDING_REVIEW


def test_rejecting_at_a_terminal_records_the_reason(
    store: WriteStore, review_env: dict[str, str], terminal: list[Terminal]
) -> None:
    held = held_journal(store)
    argv = ("reject", held.id, "--as", ALICE, "--reason", "wrong journal: use 10 for sales")
    term = open_terminal(terminal, review_env, *argv)

    term.expect("Secret for approver")
    term.type(ALICE_SECRET)
    term.expect("last 4 characters")
    term.type(held.id[-4:])

    assert term.finish() == 0
    record = store.get(held.id)
    assert record.status is WriteStatus.REJECTED
    assert record.rejection_reason == "wrong journal: use 10 for sales"


def test_a_name_that_is_not_an_approver_is_refused_at_a_terminal(
    store: WriteStore, review_env: dict[str, str], terminal: list[Terminal]
) -> None:
    held = held_hire(store)
    term = open_terminal(terminal, review_env, "approve", held.id, "--as", "hr:mallory")

    assert term.finish() == 3
    assert "'hr:mallory' is not a configured approver" in term.seen
    assert "Secret for approver" not in term.seen
    assert store.get(held.id).status is WriteStatus.PENDING_REVIEW


def test_the_requester_cannot_approve_its_own_write_at_a_terminal(
    store: WriteStore, review_env: dict[str, str], terminal: list[Terminal]
) -> None:
    held = held_hire(store)  # requested by agent@test, which is (wrongly) also an approver
    term = open_terminal(terminal, review_env, "approve", held.id, "--as", AGENT)

    term.expect("Secret for approver")
    term.type(AGENT_SECRET)
    term.expect("last 4 characters")
    term.type(held.id[-4:])

    assert term.finish() == 1
    assert "you requested this write yourself" in term.seen
    assert "the requester cannot approve their own write" in term.seen
    assert store.get(held.id).status is WriteStatus.PENDING_REVIEW
    assert store.audit_trail(held.id)[-1].step is AuditStep.APPROVAL_REFUSED


def test_stdout_redirected_away_from_the_terminal_is_refused(
    store: WriteStore, review_env: dict[str, str], terminal: list[Terminal]
) -> None:
    held = held_hire(store)
    term = open_terminal(terminal, review_env, "approve", held.id, "--as", ALICE, stdout_pipe=True)

    assert term.finish() == 3
    assert "standard output is a pipe" in term.seen
    assert store.get(held.id).status is WriteStatus.PENDING_REVIEW
