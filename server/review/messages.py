"""What an approver is told when a decision is refused or goes wrong, the same in CLI and web.

The store's own message is always included: it is what the audit trail records, and a reviewer
asking an administrator should be able to quote it.
"""

from __future__ import annotations

from server.afas.errors import (
    AfasAuthError,
    AfasEnvironmentMismatch,
    AfasError,
    AfasPermissionError,
)
from server.review.actions import ReviewActionsUnavailable, ReviewResult
from server.store import (
    ApprovalExpired,
    ConnectorBusy,
    DigestMismatch,
    IllegalTransition,
    RecheckDenied,
    SelfApprovalRefused,
    StoreError,
    WriteNotFound,
    WriteStatus,
)

S = WriteStatus

# After these results the approver must know something went wrong, even though the decision
# itself was recorded.
TROUBLE: frozenset[WriteStatus] = frozenset({S.FAILED, S.UNKNOWN, S.DENIED, S.EXPIRED, S.DRIFT})


def refusal_message(exc: Exception) -> str:
    """One line on why a decision did not go through, for the person who tried."""
    return " ".join(_refusal(exc).split())  # one line: the CLI prints it, the page flashes it


def _refusal(exc: Exception) -> str:
    if isinstance(exc, SelfApprovalRefused):
        return (
            "Refused: you requested this write yourself, and a write must be approved by "
            f"someone else. Nothing was sent; the attempt is in the audit trail. ({exc})"
        )
    if isinstance(exc, ApprovalExpired):
        return (
            "Too late: this write expired before it was approved, so it is now expired and "
            f"nothing was sent to AFAS. The agent has to ask again. ({exc})"
        )
    if isinstance(exc, DigestMismatch):
        return (
            "Refused: the payload held under this id is not the one you were shown. Nothing was "
            f"sent. Open the write again and check it. ({exc})"
        )
    if isinstance(exc, IllegalTransition):
        return (
            f"Someone else got there first: this write is now {exc.current.value}, so your "
            f"decision was not applied. ({exc})"
        )
    if isinstance(exc, WriteNotFound):
        return f"There is no write with id {exc.write_id!r}."
    if isinstance(exc, RecheckDenied):
        return f"Approved, but the policies now refuse it, so it was not sent: {exc}"
    if isinstance(exc, ConnectorBusy):
        return (
            "Not approved yet: another write to the same AFAS connector is still being sent, "
            "and writes to it go one at a time. Nothing was approved or sent; the write still "
            f"waits for your decision. ({exc})"
        )
    if isinstance(exc, AfasError):
        return _afas_refusal(exc)
    if isinstance(exc, ReviewActionsUnavailable | StoreError | ValueError):
        return str(exc)
    return f"The decision failed: {type(exc).__name__}: {exc}"


def _afas_refusal(exc: AfasError) -> str:
    """An approval checks AFAS and the environment pin before anything is recorded."""
    if isinstance(exc, AfasEnvironmentMismatch):
        what = (
            "AFAS reports another environment than this server is pinned to; an operator must "
            "fix AFAS_ENVIRONMENT_ID or the token"
        )
    elif isinstance(exc, AfasAuthError | AfasPermissionError):
        what = (
            "AFAS refuses this server's credentials; an operator must renew or relink them "
            "(`afas-mcp check` verifies)"
        )
    else:
        what = "AFAS cannot be reached right now; try again when it is back (`afas-mcp check`)"
    return (
        f"Not approved: {what}. Nothing was approved or sent; the write still waits for a "
        f"decision. ({exc})"
    )


def result_message(result: ReviewResult) -> str:
    """The pipeline's sentence, with AFAS's message and log reference when sending failed."""
    parts = [result.message.rstrip()]
    if result.afas_error:
        parts.append(f"AFAS said: {result.afas_error}")
    if result.log_reference:
        parts.append(f"AFAS log reference: {result.log_reference}")
    if result.read_back:
        parts.append(f"Read back: {result.read_back}.")
    return " ".join(parts)


def result_level(result: ReviewResult) -> str:
    """The flash level of a result: `warn` when the approver should look again, else `ok`."""
    return "warn" if result.status in TROUBLE else "ok"
