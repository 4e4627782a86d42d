"""Human decisions on held writes: approve, reject, resolve a drift; and expiry.

There is deliberately no way for an agent to reach these: no MCP tool calls them. The review CLI
and web page do, with the identity of a person. An approval is bound to the digest the person
saw, refused to the requester, refused after expiry, and always leaves an audit row, also when
it is refused, so attempts at self-approval are visible.

Approval is not sending: the pipeline then re-runs the policies and claims the write with
`claim_for_sending(expected=approved, rechecked=...)`.
"""

from __future__ import annotations

from datetime import datetime

from server.store.clock import to_text
from server.store.errors import (
    ApprovalExpired,
    ApprovalRefused,
    DigestMismatch,
    IllegalTransition,
    SelfApprovalRefused,
)
from server.store.ledger import SERVER_ACTOR, Ledger
from server.store.models import AuditStep, DriftResolution, WriteRecord, WriteStatus
from server.store.rows import stored_digest

S = WriteStatus

# States whose `expires_at` is enforced: a decision still pending, or an approval not yet acted
# on (a write approved days ago should not leave after a restart without a fresh look).
_EXPIRING = (S.PENDING_REVIEW, S.APPROVED)


def _identity(name: str, role: str) -> str:
    cleaned = name.strip()
    if not cleaned:
        raise ValueError(f"the {role} must be named: decisions are recorded by who made them")
    return cleaned


class ReviewDecisions(Ledger):
    """The human side of the queue, on top of the ledger."""

    def approve(self, write_id: str, *, approver: str, digest: str) -> WriteRecord:
        """Approve a held write for sending, as `approver`, for exactly the payload `digest`.

        The time of approval is the store's clock; the approver and the time are recorded.

        Raises:
            WriteNotFound: no such write.
            IllegalTransition: it is not `pending_review` (already decided, or never held).
            ApprovalExpired: it expired first; it is now `expired`.
            SelfApprovalRefused: the approver is the requester (compared ignoring case).
            DigestMismatch: `digest` is not the stored payload's (the reviewer saw another).
        """
        who = _identity(approver, "approver")
        refusal: ApprovalRefused | None = None
        with self._transaction() as now:
            record = self._require(write_id)
            if record.status is not S.PENDING_REVIEW:
                raise IllegalTransition(write_id, current=record.status, target=S.APPROVED)
            if record.expires_at is not None and record.expires_at <= now:
                self._expire(record, now)
                refusal = ApprovalExpired(write_id, f"it expired at {record.expires_at}")
            elif who.casefold() == record.requester.strip().casefold():
                refusal = SelfApprovalRefused(
                    write_id, "the requester cannot approve their own write; ask someone else"
                )
            elif digest != record.digest or _digest_of(record) != record.digest:
                refusal = DigestMismatch(
                    write_id, "the approval names another payload than the one held"
                )
            if refusal is None:
                self._move(
                    write_id,
                    current=S.PENDING_REVIEW,
                    target=S.APPROVED,
                    step=AuditStep.APPROVED,
                    actor=who,
                    now=now,
                    changes={"approver": who, "approved_at": to_text(now)},
                    detail={"digest": digest},
                )
                return self._require(write_id)
            self._refused(write_id, who, now, refusal, digest)
        # Raised after the commit, so the refusal (and an expiry) stay in the audit trail.
        raise refusal

    def reject(self, write_id: str, *, approver: str, reason: str) -> WriteRecord:
        """Reject a held write; it is never sent. The reason is shown to the agent.

        Raises:
            WriteNotFound: no such write.
            IllegalTransition: it is not `pending_review`.
        """
        who = _identity(approver, "reviewer")
        if not reason.strip():
            raise ValueError("a rejection needs a reason the agent can act on")
        with self._transaction() as now:
            self._require_status(write_id, S.PENDING_REVIEW, target=S.REJECTED)
            self._move(
                write_id,
                current=S.PENDING_REVIEW,
                target=S.REJECTED,
                step=AuditStep.REJECTED,
                actor=who,
                now=now,
                changes={
                    "rejected_by": who,
                    "rejected_at": to_text(now),
                    "rejection_reason": self.scrubber.scrub_text(reason),
                },
                detail={"reason": reason},
            )
            return self._require(write_id)

    def resolve_drift(
        self, write_id: str, *, resolver: str, resolution: DriftResolution, note: str
    ) -> WriteRecord:
        """Record how a person settled a drift (the write is in AFAS but reads back otherwise).

        Raises:
            WriteNotFound: no such write.
            IllegalTransition: it is not `drift`.
        """
        who = _identity(resolver, "resolver")
        return self._change(
            write_id,
            sources={S.DRIFT},
            target=S.RESOLVED,
            step=AuditStep.DRIFT_RESOLVED,
            actor=who,
            changes={
                "resolution": resolution.value,
                "resolved_by": who,
                "resolved_at": to_text(self.clock()),
            },
            detail={"resolution": resolution.value, "note": note},
        )

    def expire_due(self, now: datetime | None = None) -> int:
        """Expire every held or approved write whose time has passed; how many were expired."""
        with self._transaction() as clock_now:
            moment = clock_now if now is None else now
            rows = self._rows(
                "SELECT * FROM writes WHERE status IN (?, ?) AND expires_at IS NOT NULL "
                "AND expires_at <= ? ORDER BY expires_at",
                [*(s.value for s in _EXPIRING), to_text(moment)],
            )
            for row in rows:
                self._expire(self._require(row["id"]), moment)
        return len(rows)

    # -- internals -------------------------------------------------------------------------

    def _expire(self, record: WriteRecord, now: datetime) -> None:
        self._move(
            record.id,
            current=record.status,
            target=S.EXPIRED,
            step=AuditStep.EXPIRED,
            actor=SERVER_ACTOR,
            now=now,
            detail={"expires_at": to_text(record.expires_at) if record.expires_at else None},
        )

    def _refused(
        self, write_id: str, who: str, now: datetime, refusal: ApprovalRefused, digest: str
    ) -> None:
        status = self._status(write_id)  # `expired` when the refusal was an expiry
        self._move(
            write_id,
            current=status,
            target=status,
            step=AuditStep.APPROVAL_REFUSED,
            actor=who,
            now=now,
            detail={"refusal": type(refusal).__name__, "reason": refusal.reason, "digest": digest},
        )

    def _require_status(self, write_id: str, expected: WriteStatus, *, target: WriteStatus) -> None:
        """Raise unless the write is in `expected` (inside a transaction)."""
        current = self._status(write_id)
        if current is not expected:
            raise IllegalTransition(write_id, current=current, target=target)


def _digest_of(record: WriteRecord) -> str:
    return stored_digest(record.tool, record.connector, record.action, record.target, record.body)
