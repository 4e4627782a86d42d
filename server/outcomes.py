"""Anticipated tool failures, in the words the agent will read.

A tool handler raises one of these when it knows what went wrong; `server.app.to_tool_error` is
the one place that turns any exception into what the agent sees. Three kinds, because the agent
must act differently on each (pydantic-ai's ModelRetry / ToolFailed / ApprovalRequired):

    fix_input     the agent can change its arguments and call again (invalid input, unknown id)
    retry_later   nothing is wrong with the call; AFAS is unreachable or throttling
    terminal      retrying will not help; a person must act (configuration, permissions, AFAS
                  refused the request)

"Waiting for a human" is not an error at all: a queued write is a normal result with
`status="pending_review"`. `AFAS_ERRORS` says which kind each AFAS client error is.

    ToolOutcomeError
     +-- InvalidToolInput        fix_input
     +-- UnknownRecord           fix_input
     +-- PolicyDenied            fix_input   a write policy refused the write (recorded, not sent)
     +-- AfasUnavailableForTools retry_later
     +-- ToolConfigurationError  terminal
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Literal

from policies.model import Verdict
from server.afas import errors

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

    def __init__(
        self,
        kind_of_record: str,
        record_id: str,
        *,
        hint: str | None = None,
        where: str = "in AFAS",
    ) -> None:
        super().__init__(f"No {kind_of_record} with id {record_id!r} exists {where}", hint=hint)
        self.kind_of_record = kind_of_record
        self.record_id = record_id


class PolicyDenied(ToolOutcomeError):
    """A write policy refused the write: nothing was sent; the refusal is recorded under an id.

    The agent reads each denying policy's reason and hint (and the quirk it guards against),
    changes its input, and calls the tool again; the write id lets it (or a person) look the
    refusal up with `get_write_status`.
    """

    kind = "fix_input"

    def __init__(self, write_id: str | None, denials: Sequence[Verdict]) -> None:
        self.write_id = write_id
        self.denials = tuple(denials)
        refusals = "; ".join(_refusal(v) for v in self.denials) or "a policy refused it"
        where = f" The refusal is recorded as write {write_id}." if write_id else ""
        hints = " ".join(dict.fromkeys(v.hint.rstrip(".") + "." for v in self.denials if v.hint))
        super().__init__(
            f"The write was refused and nothing was sent to AFAS: {refusals}.{where}",
            hint=hints or None,
        )


def _refusal(verdict: Verdict) -> str:
    quirk = f", quirk {verdict.quirk}" if verdict.quirk else ""
    return f"policy {verdict.policy}{quirk}: {verdict.reason.rstrip('.')}"


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


# AFAS client errors: (class, kind, what it means for the agent). Every class in
# `server.afas.errors` has its own entry, chosen on purpose (a test fails when a new class has
# none), and a subclass comes before its base, so the first `isinstance` match is the most
# specific. In the agent's text the error's own message follows; it names the connector and
# carries AFAS's message and log reference (server.app.to_tool_error).
AFAS_ERRORS: tuple[tuple[type[errors.AfasError], OutcomeKind, str], ...] = (
    (
        errors.AfasEnvironmentMismatch,
        "terminal",
        "AFAS reports another environment than the one this server is pinned to, so every AFAS "
        "call is refused (it could read or change another company's data); an operator must fix "
        "AFAS_ENVIRONMENT_ID or the token and restart the server",
    ),
    (
        errors.AfasWriteOutcomeUnknown,
        "terminal",
        "The write was sent but AFAS did not answer: it may or may not have been applied. Do NOT "
        "send it again; look the record up (or ask get_write_status) to find out",
    ),
    (errors.AfasTimeout, "retry_later", "AFAS could not be reached in time (it may be busy)"),
    (errors.AfasConnectionError, "retry_later", "AFAS could not be reached"),
    (errors.AfasTransportError, "retry_later", "No usable answer came back from AFAS"),
    (
        errors.AfasAuthError,
        "terminal",
        "AFAS refused this server's credentials (token or OAuth client invalid or revoked); an "
        "operator must renew them (`afas-mcp check` verifies)",
    ),
    (
        errors.AfasPermissionError,
        "terminal",
        "AFAS refused access: the connector is not linked to this server's App Connector, or an "
        "IP restriction applies; an AFAS administrator must link it",
    ),
    (
        errors.AfasNotFound,
        "terminal",
        "AFAS answered 404 for the address itself (a wrong base URL or connector id), which "
        "says nothing about whether a record exists; an operator must check the configuration",
    ),
    (errors.AfasUnavailable, "retry_later", "AFAS is in maintenance or out of capacity"),
    (errors.AfasTransientError, "retry_later", "AFAS refused the request for a passing reason"),
    (
        errors.AfasConnectorBlocked,
        "terminal",
        "AFAS has blocked this connector under its fair-use policy; an AFAS administrator must "
        "unblock it in Profit",
    ),
    (
        errors.AfasOutOfMemory,
        "fix_input",
        "AFAS ran out of memory on this request; ask for fewer rows (a lower limit) or narrow "
        "the filters",
    ),
    (
        errors.AfasValidationError,
        "fix_input",
        "AFAS refused the request on its content; change what AFAS's message names, or, if it "
        "names nothing you sent, tell the user with the log reference",
    ),
    (
        errors.AfasServerError,
        "terminal",
        "AFAS failed with a server error it did not explain; an AFAS administrator can look it "
        "up in the environment log",
    ),
    (errors.AfasHTTPError, "terminal", "AFAS answered with an error status"),
    (errors.AfasUnknownField, "fix_input", "A field id does not exist in this connector"),
    (errors.AfasInvalidFilter, "fix_input", "A filter cannot match the field it is on"),
    (
        errors.AfasQueryTooLong,
        "fix_input",
        "The query is too long for AFAS (2049 characters); use fewer or shorter filter values",
    ),
    (
        errors.AfasRequestRefused,
        "fix_input",
        "The request was refused before anything reached AFAS, because of an argument (for "
        "example a cursor from another search); change what the details name",
    ),
    (
        errors.AfasFilterIgnored,
        "terminal",
        "AFAS ignored the filter and answered another question; the rows were discarded "
        "rather than returned as if they matched",
    ),
    (
        errors.AfasPagingError,
        "retry_later",
        "AFAS's pages did not join up (the data changed while it was read, or AFAS paged "
        "wrongly); nothing was returned so no row is silently missing",
    ),
    (
        errors.AfasConnectorDrift,
        "terminal",
        "The connector changed shape in AFAS (a field the server needs is gone or changed "
        "type); an AFAS administrator must restore it (docs/connector-package.md)",
    ),
    (
        errors.AfasTooFewRows,
        "terminal",
        "AFAS returned fewer rows than this dataset always has; the answer cannot be trusted",
    ),
    (
        errors.AfasValueError,
        "terminal",
        "AFAS returned a value that does not fit the connector's own description of the field; "
        "the answer cannot be trusted",
    ),
    (
        errors.AfasUnexpectedResponse,
        "terminal",
        "AFAS's answer is not in the documented shape; it cannot be trusted",
    ),
    (errors.AfasResponseError, "terminal", "AFAS's answer cannot be trusted"),
    (errors.AfasError, "terminal", "The AFAS request failed"),
)


def afas_outcome(exc: errors.AfasError) -> tuple[OutcomeKind, str]:
    """The kind of an AFAS client error and what it means for the agent (its first match)."""
    return next((kind, meaning) for cls, kind, meaning in AFAS_ERRORS if isinstance(exc, cls))
