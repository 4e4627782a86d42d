"""Anticipated tool failures, in the words the agent will read.

A tool handler raises one of these when it knows what went wrong; `server.app.to_tool_error` is
the one place that turns any exception into what the agent sees. Three kinds, because the agent
must act differently on each (pydantic-ai's ModelRetry / ToolFailed / ApprovalRequired):

    fix_input     the agent can change its arguments and call again (invalid input, unknown id)
    retry_later   nothing is wrong with the call; AFAS is unreachable or throttling
    terminal      retrying will not help; a person must act (configuration, permissions, AFAS
                  refused the request)

"Waiting for a human" is not an error at all: a queued write is a normal result with
`status="pending_review"`.

    ToolOutcomeError
     +-- InvalidToolInput        fix_input
     +-- UnknownRecord           fix_input
     +-- AfasUnavailableForTools retry_later
     +-- ToolConfigurationError  terminal
"""

from __future__ import annotations

from typing import ClassVar, Literal

OutcomeKind = Literal["fix_input", "retry_later", "terminal"]

# What each kind tells the agent to do next; appended to every message of that kind.
NEXT_STEP: dict[OutcomeKind, str] = {
    "fix_input": "Change the arguments as described and call the tool again.",
    "retry_later": "Nothing is wrong with the call itself; try again later.",
    "terminal": "Retrying will not help; tell the user, who must fix this outside the agent.",
}


class ToolOutcomeError(Exception):
    """An anticipated failure whose message is written for the agent."""

    kind: ClassVar[OutcomeKind] = "terminal"

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def agent_text(self) -> str:
        """The full text the agent reads: what happened, what to change, what to do next."""
        parts = [self.message.rstrip(".") + "."]
        if self.hint:
            parts.append(self.hint.rstrip(".") + ".")
        parts.append(NEXT_STEP[self.kind])
        return " ".join(parts)


class InvalidToolInput(ToolOutcomeError):
    """The arguments cannot be answered as given; the hint says what to change."""

    kind = "fix_input"


class UnknownRecord(ToolOutcomeError):
    """An id the agent passed does not exist (or this token may not see it)."""

    kind = "fix_input"

    def __init__(self, kind_of_record: str, record_id: str, *, hint: str | None = None) -> None:
        super().__init__(f"No {kind_of_record} with id {record_id!r} exists in AFAS", hint=hint)
        self.kind_of_record = kind_of_record
        self.record_id = record_id


class AfasUnavailableForTools(ToolOutcomeError):
    """AFAS cannot be used right now: unreachable at start, down, or throttling."""

    kind = "retry_later"

    def __init__(self, reason: str, *, retry_after: float | None = None) -> None:
        hint = None
        if retry_after is not None:
            hint = f"AFAS asked to wait {retry_after:g} seconds before the next call"
        super().__init__(f"AFAS is not available: {reason}", hint=hint)
        self.reason = reason
        self.retry_after = retry_after


class ToolConfigurationError(ToolOutcomeError):
    """The server is configured so that this tool cannot work (missing connector, wrong pin)."""

    kind = "terminal"
