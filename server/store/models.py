"""The rows of the write store as typed models: what a write is, where it stands, what happened.

These are the store's edge (the pipeline, the review CLI and web page and `get_write_status`
read them), so they are pydantic models; every one is frozen, because a record is a snapshot of
a row, and changing it would not change the row.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from policies.confidence import Confidence
from policies.model import Action, Outcome, Verdict


class WriteStatus(enum.StrEnum):
    """Where one write stands. `server.store.machine` holds the transitions between them."""

    RECORDED = "recorded"  # in the ledger, about to be sent; nothing reached AFAS yet
    PENDING_REVIEW = "pending_review"  # held for a human
    APPROVED = "approved"  # a human approved; the policies run again before it is sent
    SENDING = "sending"  # claimed by one sender; the request may be on the wire
    UNKNOWN = "unknown"  # sent, but the answer was lost (W16): reconcile before anything else
    APPLIED = "applied"  # AFAS took it; not (yet) verified by reading it back
    VERIFIED = "verified"  # read back and matching
    DRIFT = "drift"  # in AFAS, but the read-back differs (W14); waits for a human
    RESOLVED = "resolved"  # a human resolved a drift
    FAILED = "failed"  # AFAS did not apply it (refused, or reconciled as absent)
    REJECTED = "rejected"  # a human rejected it
    EXPIRED = "expired"  # nobody decided in time
    DENIED = "denied"  # a policy refused it (at request time or on the recheck after approval)


class DriftResolution(enum.StrEnum):
    """How a human settled a drift."""

    ACKNOWLEDGED = "acknowledged"  # what AFAS stored is acceptable as it is
    CORRECTED = "corrected"  # the human fixed the record in AFAS


class AuditStep(enum.StrEnum):
    """What one audit row records."""

    RECORDED = "recorded"
    APPROVED = "approved"
    APPROVAL_REFUSED = "approval_refused"
    REJECTED = "rejected"
    EXPIRED = "expired"
    DENIED = "denied"
    CLAIMED = "claimed"
    APPLIED = "applied"
    FAILED = "failed"
    UNKNOWN = "unknown"
    RECONCILED = "reconciled"
    VERIFIED = "verified"
    DRIFT = "drift"
    UNVERIFIABLE = "unverifiable"
    DRIFT_RESOLVED = "drift_resolved"


_FROZEN = ConfigDict(frozen=True, extra="forbid")

OutcomeName = Literal["allow", "review", "deny"]


class StoredVerdict(BaseModel):
    """A policy verdict as stored with a write (the outcome by name, so the row reads plainly)."""

    model_config = _FROZEN

    policy: str
    outcome: OutcomeName
    reason: str
    hint: str | None = None
    quirk: str | None = None

    @classmethod
    def of(cls, verdict: Verdict) -> StoredVerdict:
        """Store form of a policy's verdict."""
        name: OutcomeName = "deny"
        if verdict.outcome is Outcome.ALLOW:
            name = "allow"
        elif verdict.outcome is Outcome.REVIEW:
            name = "review"
        return cls(
            policy=verdict.policy,
            outcome=name,
            reason=verdict.reason,
            hint=verdict.hint,
            quirk=verdict.quirk,
        )


class StoredFactor(BaseModel):
    """One multiplier of the confidence score, and why it has its value."""

    model_config = _FROZEN

    name: str
    value: float
    explanation: str


class StoredConfidence(BaseModel):
    """Why the server was as sure of a write as it was when the agent asked for it.

    `score` is the product of the factors' values; below `threshold` an allowed write waits for
    a person. `explanation` is the one line approvers read (`Confidence.explain()`).
    """

    model_config = _FROZEN

    score: float
    threshold: float
    factors: list[StoredFactor]
    explanation: str

    @property
    def below_threshold(self) -> bool:
        """Whether the score alone held the write for a person."""
        return self.score < self.threshold

    @classmethod
    def of(cls, confidence: Confidence) -> StoredConfidence:
        """Store form of the policies' confidence."""
        return cls(
            score=confidence.score,
            threshold=confidence.threshold,
            factors=[
                StoredFactor(name=f.name, value=f.value, explanation=f.explanation)
                for f in confidence.factors
            ],
            explanation=confidence.explain(),
        )


class WriteError(BaseModel):
    """Why a write failed or is in doubt, as AFAS (or the transport) said it."""

    model_config = _FROZEN

    message: str
    error_number: str | None = None
    log_reference: str | None = None  # AFAS's profitLogReference: what support asks for
    http_status: int | None = None


class FieldDiff(BaseModel):
    """One field whose read-back value differs from what was sent."""

    model_config = _FROZEN

    field: str
    expected: Any = None
    actual: Any = None


class ReadBack(BaseModel):
    """What reading the record back from AFAS showed."""

    model_config = _FROZEN

    result: Literal["match", "drift", "unverifiable"]
    fields: dict[str, Any] = Field(default_factory=dict)
    diffs: list[FieldDiff] = Field(default_factory=list)
    reason: str | None = None


class WriteRecord(BaseModel):
    """One write: the intent as asked, the decisions on it, and what AFAS did with it."""

    model_config = _FROZEN

    id: str
    status: WriteStatus
    tool: str
    connector: str
    action: Action
    target: dict[str, str]
    body: dict[str, Any]
    facts: Any
    digest: str
    verdicts: list[StoredVerdict]
    confidence: float | None
    confidence_detail: StoredConfidence | None = None
    """The factors behind `confidence`; None for a write recorded without them."""
    requester: str
    source_confidence: float | None
    review_reason: str | None
    expires_at: datetime | None
    approver: str | None
    approved_at: datetime | None
    rejected_by: str | None
    rejected_at: datetime | None
    rejection_reason: str | None
    afas_keys: dict[str, str] | None
    read_back: ReadBack | None
    error: WriteError | None
    resolution: DriftResolution | None
    resolved_by: str | None
    resolved_at: datetime | None
    retry_of: str | None
    created_at: datetime
    updated_at: datetime


class AuditEntry(BaseModel):
    """One step in a write's history: who did what, when, with the bodies (secrets removed)."""

    model_config = _FROZEN

    id: int
    write_id: str
    step: AuditStep
    actor: str
    at: datetime
    from_status: WriteStatus | None
    to_status: WriteStatus | None
    detail: dict[str, Any]
