"""Where a write stands, as the `get_write_status` tool reports it to an agent.

Framework-free: `server/app.py` wraps `write_status` as the MCP tool. The report carries the
structured facts and one `explanation` sentence the agent can relay to its user as it is.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, Protocol, assert_never

from pydantic import BaseModel, ConfigDict, Field

from server.store import FieldDiff, StoredConfidence, WriteNotFound, WriteRecord, WriteStatus

__all__ = ["WriteNotFound", "WriteStatusReport", "write_status"]

S = WriteStatus
_FROZEN = ConfigDict(frozen=True)


class VerdictReport(BaseModel):
    """One policy's judgement of the write."""

    model_config = _FROZEN

    policy: str = Field(description="The policy that judged the write.")
    outcome: Literal["allow", "review", "deny"] = Field(description="What the policy decided.")
    reason: str = Field(description="Why, in words a person can read.")
    hint: str | None = Field(default=None, description="What to change to get past it.")


class ReadBackReport(BaseModel):
    """What reading the record back from AFAS showed."""

    model_config = _FROZEN

    result: Literal["match", "drift", "unverifiable"] = Field(
        description="match: AFAS holds what was sent; drift: it holds something else; "
        "unverifiable: it could not be read back."
    )
    diffs: list[FieldDiff] = Field(
        default_factory=list, description="Fields whose stored value differs from the sent one."
    )
    reason: str | None = Field(default=None, description="Why it was unverifiable.")


class ConfidenceFactorReport(BaseModel):
    """One multiplier of the confidence score."""

    model_config = _FROZEN

    name: str = Field(
        description="source: your own source_confidence; reviews: policies that doubted the "
        "data; ambiguities: look-ups that matched more than one record; denied: a policy "
        "refused the write."
    )
    value: float = Field(description="Its multiplier, 0-1.")
    explanation: str = Field(description="Why it has this value.")


class ConfidenceReport(BaseModel):
    """Why the server was as sure of the write as `confidence` says, when it was asked for."""

    model_config = _FROZEN

    threshold: float = Field(
        description="Below this score an otherwise allowed write waits for a human reviewer."
    )
    factors: list[ConfidenceFactorReport] = Field(
        description="The multipliers whose product is the score."
    )
    explanation: str = Field(description="The same in one line, as the reviewer sees it.")


class ReviewInfo(BaseModel):
    """The human review of a held write."""

    model_config = _FROZEN

    reason: str | None = Field(default=None, description="Why the write was held for a human.")
    expires_at: datetime | None = Field(
        default=None, description="When the held write expires without a decision."
    )
    approver: str | None = Field(default=None, description="Who approved it.")
    approved_at: datetime | None = None
    rejected_by: str | None = Field(default=None, description="Who rejected it.")
    rejected_at: datetime | None = None
    rejection_reason: str | None = Field(default=None, description="The reviewer's reason.")


class ErrorReport(BaseModel):
    """Why AFAS did not apply the write, or why its outcome is in doubt."""

    model_config = _FROZEN

    message: str = Field(description="AFAS's message (or the transport's).")
    log_reference: str | None = Field(
        default=None, description="AFAS's log reference; quote it to the AFAS administrator."
    )
    error_number: str | None = None


class WriteStatusReport(BaseModel):
    """Where one write stands: its state, the decisions on it, and what AFAS did with it."""

    model_config = _FROZEN

    write_id: str
    status: WriteStatus = Field(description="The write's state.")
    tool: str = Field(description="The tool that asked for the write.")
    connector: str = Field(description="The AFAS UpdateConnector it targets.")
    action: Literal["insert", "update", "delete"]
    created_at: datetime
    updated_at: datetime
    verdicts: list[VerdictReport] = Field(description="The latest policy verdicts.")
    confidence: float | None = Field(description="The server's confidence in the write (0-1).")
    confidence_factors: ConfidenceReport | None = Field(
        default=None,
        description="Why the confidence is what it is: the threshold and the factors behind "
        "the score (raise a low source factor only by fixing the input it doubts).",
    )
    afas_key: dict[str, str] | None = Field(
        description="The key of the record in AFAS, once it is there."
    )
    read_back: ReadBackReport | None = None
    review: ReviewInfo | None = None
    last_error: ErrorReport | None = None
    retry_of: str | None = Field(default=None, description="The failed write this one repeats.")
    explanation: str = Field(description="One sentence on where the write stands.")


class _Readable(Protocol):
    def get(self, write_id: str) -> WriteRecord: ...


def write_status(store: _Readable, write_id: str) -> WriteStatusReport:
    """Report where the write `write_id` stands.

    Raises:
        WriteNotFound: no write has this id.
    """
    record = store.get(write_id.strip())
    return WriteStatusReport(
        write_id=record.id,
        status=record.status,
        tool=record.tool,
        connector=record.connector,
        action=record.action,
        created_at=record.created_at,
        updated_at=record.updated_at,
        verdicts=[
            VerdictReport(policy=v.policy, outcome=v.outcome, reason=v.reason, hint=v.hint)
            for v in record.verdicts
        ],
        confidence=record.confidence,
        confidence_factors=_confidence(record.confidence_detail),
        afas_key=record.afas_keys,
        read_back=_read_back(record),
        review=_review(record),
        last_error=_error(record),
        retry_of=record.retry_of,
        explanation=explain(record),
    )


def explain(record: WriteRecord) -> str:
    """One sentence an agent can relay: where the write stands and what happens next."""
    created, updated = _when(record.created_at), _when(record.updated_at)
    key = f" as {_key(record.afas_keys)}" if record.afas_keys else ""
    match record.status:
        case S.RECORDED:
            return f"Recorded at {created} and about to be sent; nothing has reached AFAS yet."
        case S.PENDING_REVIEW:
            expires = f"; it expires {_when(record.expires_at)}" if record.expires_at else ""
            reason = record.review_reason
            why = f" (held because: {_clause(reason)})" if reason else ""
            return f"Waiting for a human reviewer since {created}{why}{expires}."
        case S.APPROVED:
            return (
                f"Approved by {record.approver} at {_when(record.approved_at)}; the policies are "
                "checked again and then it is sent to AFAS."
            )
        case S.SENDING:
            return f"Being sent to AFAS since {updated}; the outcome is not known yet."
        case S.UNKNOWN:
            return (
                f"Sent to AFAS at {updated} but the answer was lost; the server looks the record "
                "up in AFAS before anything else happens, so do not submit this write again."
            )
        case S.APPLIED:
            if record.read_back is not None and record.read_back.result == "unverifiable":
                return (
                    f"Applied in AFAS{key} at {updated}, but it could not be read back to "
                    f"verify it: {_clause(record.read_back.reason or 'no reason given')}."
                )
            return f"Applied in AFAS{key} at {updated}; reading it back to verify is pending."
        case S.VERIFIED:
            return f"Applied in AFAS{key} and verified by reading it back at {updated}."
        case S.DRIFT:
            fields = ", ".join(d.field for d in record.read_back.diffs) if record.read_back else ""
            return (
                f"Applied in AFAS{key}, but reading it back showed different values"
                f"{f' in {fields}' if fields else ''}; a human will review it, so do not "
                "submit it again."
            )
        case S.RESOLVED:
            return (
                f"Applied in AFAS{key}; a difference seen on reading it back was resolved "
                f"({record.resolution}) by {record.resolved_by} at {_when(record.resolved_at)}."
            )
        case S.FAILED:
            message = _clause(record.error.message) if record.error else "no message"
            ref = record.error.log_reference if record.error else None
            return (
                f"AFAS did not apply this write: {message}"
                f"{f' (AFAS log reference {ref})' if ref else ''}; it can be submitted again as "
                "a new write, corrected where the message says so."
            )
        case S.REJECTED:
            return (
                f"Rejected by {record.rejected_by} at {_when(record.rejected_at)}: "
                f"{_clause(record.rejection_reason or 'no reason given')}."
            )
        case S.EXPIRED:
            return (
                f"Expired at {_when(record.expires_at)} without a reviewer's decision; nothing "
                "was sent to AFAS."
            )
        case S.DENIED:
            deny = next((v for v in record.verdicts if v.outcome == "deny"), None)
            reason = f"policy {deny.policy}: {_clause(deny.reason)}" if deny else "policy"
            return f"Refused by {reason}; nothing was sent to AFAS."
        case _:
            assert_never(record.status)


def _clause(text: str) -> str:
    """Text from elsewhere (AFAS, a reviewer, a policy) made to sit inside our sentence."""
    return " ".join(text.split()).rstrip(" .;")


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "an unrecorded time"


def _key(keys: dict[str, str]) -> str:
    return ", ".join(f"{name} {value}" for name, value in keys.items())


def _read_back(record: WriteRecord) -> ReadBackReport | None:
    if record.read_back is None:
        return None
    rb = record.read_back
    return ReadBackReport(result=rb.result, diffs=list(rb.diffs), reason=rb.reason)


def _review(record: WriteRecord) -> ReviewInfo | None:
    held = record.review_reason or record.expires_at or record.approver or record.rejected_by
    if not held:
        return None
    return ReviewInfo(
        reason=record.review_reason,
        expires_at=record.expires_at,
        approver=record.approver,
        approved_at=record.approved_at,
        rejected_by=record.rejected_by,
        rejected_at=record.rejected_at,
        rejection_reason=record.rejection_reason,
    )


def _error(record: WriteRecord) -> ErrorReport | None:
    if record.error is None:
        return None
    err = record.error
    return ErrorReport(
        message=err.message, log_reference=err.log_reference, error_number=err.error_number
    )


def _confidence(detail: StoredConfidence | None) -> ConfidenceReport | None:
    if detail is None:
        return None
    return ConfidenceReport(
        threshold=detail.threshold,
        factors=[
            ConfidenceFactorReport(name=f.name, value=f.value, explanation=f.explanation)
            for f in detail.factors
        ],
        explanation=detail.explanation,
    )
