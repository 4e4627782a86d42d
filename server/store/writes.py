"""The write ledger (outbox): a write is recorded before it is sent and settled after.

`WriteStore` is the one object the pipeline, the review CLI and `get_write_status` use. This
module holds the agent's side of a write's life: recording (with the duplicate window), claiming
it for sending, and settling what AFAS answered (applied, failed, unknown and its
reconciliation, the read-back). The human side is `server.store.review`; the transition
primitive and the queries are `server.store.ledger`; what may follow what is
`server.store.machine`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from policies.model import Outcome, Verdict, WriteIntent
from server.store import audit
from server.store.clock import to_text
from server.store.errors import (
    IllegalRetry,
    IllegalTransition,
    RecheckDenied,
    RecheckRequired,
    SecretInPayload,
    VerdictsContradictStatus,
)
from server.store.leases import ConnectorLeases
from server.store.ledger import SERVER_ACTOR
from server.store.machine import BLOCKING_DUPLICATES, INITIAL, allowed
from server.store.models import (
    AuditStep,
    FieldDiff,
    ReadBack,
    StoredConfidence,
    StoredVerdict,
    WriteError,
    WriteRecord,
    WriteStatus,
)
from server.store.review import ReviewDecisions
from server.store.rows import canonical_keys, dumps, new_write_id, stored_digest

S = WriteStatus

# The states a new write may start in, by its strictest verdict: a write a policy holds for
# review can never be recorded for direct sending, whatever the caller passes.
_STARTS_FOR: Mapping[Outcome, frozenset[WriteStatus]] = {
    Outcome.ALLOW: frozenset({S.RECORDED, S.PENDING_REVIEW}),
    Outcome.REVIEW: frozenset({S.PENDING_REVIEW}),
    Outcome.DENY: frozenset({S.DENIED}),
}


@dataclass(frozen=True)
class Recorded:
    """What `record_unless_duplicate` did: the write to follow, and whether it is new."""

    record: WriteRecord
    created: bool


class WriteStore(ReviewDecisions, ConnectorLeases):
    """The ledger, review queue, audit trail and insert leases in one SQLite file.

    One instance owns one connection and may be shared by threads (calls take turns). Separate
    instances, here or in other processes, coordinate through SQLite's write lock, so "exactly one
    caller wins" holds across them too. Construct with the same arguments as `Ledger`.
    """

    # -- recording -------------------------------------------------------------------------

    def record(
        self,
        intent: WriteIntent,
        *,
        verdicts: Sequence[Verdict],
        confidence: float | None,
        status: WriteStatus = S.RECORDED,
        review_reason: str | None = None,
        expires_at: datetime | None = None,
        retry_of: str | None = None,
        confidence_detail: StoredConfidence | None = None,
    ) -> WriteRecord:
        """Store a write before anything is sent, in `recorded`, `pending_review` or `denied`.

        A write held for review expires at `expires_at`, by default `review_ttl` from now.
        `retry_of` names a `failed` write this one repeats as a new attempt. `confidence_detail`
        keeps the factors behind `confidence` (its score must be `confidence`), so an approver
        and the agent can see why the server was as sure as it was.

        Raises:
            VerdictsContradictStatus: `status` is looser than the strictest verdict allows.
            SecretInPayload: the body or target carries a secret; it is refused, not scrubbed,
                because a scrubbed payload would no longer be the one the digest names.
            IllegalRetry: `retry_of` is not a `failed` write.
        """
        return self._insert(
            intent,
            verdicts=verdicts,
            confidence=confidence,
            status=status,
            review_reason=review_reason,
            expires_at=expires_at,
            retry_of=retry_of,
            within=None,
            confidence_detail=confidence_detail,
        ).record

    def record_unless_duplicate(
        self,
        intent: WriteIntent,
        *,
        within: timedelta,
        verdicts: Sequence[Verdict],
        confidence: float | None,
        status: WriteStatus = S.RECORDED,
        review_reason: str | None = None,
        expires_at: datetime | None = None,
        retry_of: str | None = None,
        confidence_detail: StoredConfidence | None = None,
    ) -> Recorded:
        """`record`, unless the same digest was recorded within `within`: then the earlier write.

        The lookup and the insert are one transaction, so two identical requests racing each
        other produce one write. Which earlier states count is `machine.BLOCKING_DUPLICATES`.
        """
        return self._insert(
            intent,
            verdicts=verdicts,
            confidence=confidence,
            status=status,
            review_reason=review_reason,
            expires_at=expires_at,
            retry_of=retry_of,
            within=within,
            confidence_detail=confidence_detail,
        )

    # -- sending ---------------------------------------------------------------------------

    def claim_for_sending(
        self,
        write_id: str,
        *,
        expected: WriteStatus,
        rechecked: Sequence[Verdict] | None = None,
        actor: str = SERVER_ACTOR,
    ) -> bool:
        """Move a write from `expected` to `sending`; True only for the one caller that did.

        Send only after True. False means another caller moved it first, or the approval
        lapsed (the write is now `expired`): do not send.
        An `approved` write needs `rechecked`, the verdicts of the policies run again just now
        (a period may have closed since the request); they become the write's verdicts.

        Raises:
            IllegalTransition: `expected` can never lead to `sending` (e.g. `unknown`: W16).
            RecheckRequired: `expected` is `approved` and `rechecked` is missing.
            RecheckDenied: a rechecked verdict denies; call `mark_denied` with them.
        """
        if not allowed(expected, S.SENDING):
            raise IllegalTransition(write_id, current=expected, target=S.SENDING)
        if expected is S.APPROVED:
            if rechecked is None:
                raise RecheckRequired(f"write {write_id} was approved; re-run the policies first")
            denials = [v.reason for v in rechecked if v.outcome is Outcome.DENY]
            if denials:
                raise RecheckDenied(write_id, denials)
        changes: dict[str, Any] = {}
        detail: dict[str, Any] = {}
        if rechecked is not None:
            stored = [StoredVerdict.of(v).model_dump() for v in rechecked]
            changes["verdicts"] = dumps(self.scrubber.scrub(stored))
            detail["rechecked"] = stored
        with self._transaction() as now:
            record = self._require(write_id)
            if record.status is not expected:
                return False
            lapsed = record.expires_at is not None and record.expires_at <= now
            if record.status is S.APPROVED and lapsed:
                # Not acted on in time (a crash, a stopped server): expired, never sent late.
                self._expire(record, now)
                return False
            self._move(
                write_id,
                current=record.status,
                target=S.SENDING,
                step=AuditStep.CLAIMED,
                actor=actor,
                now=now,
                changes=changes,
                detail=detail,
            )
            return True

    def mark_applied(
        self,
        write_id: str,
        *,
        afas_keys: Mapping[str, object] | None,
        request: object,
        response: object,
        actor: str = SERVER_ACTOR,
    ) -> WriteRecord:
        """AFAS answered success: keep the key it returned and both bodies (scrubbed)."""
        keys = canonical_keys(afas_keys) if afas_keys else None
        return self._change(
            write_id,
            sources={S.SENDING},
            target=S.APPLIED,
            step=AuditStep.APPLIED,
            actor=actor,
            changes={"afas_keys": dumps(keys) if keys else None},
            detail={"request": request, "response": response, "afas_keys": keys},
            keys=keys,
        )

    def mark_failed(
        self,
        write_id: str,
        *,
        error: WriteError | str,
        request: object = None,
        response: object = None,
        actor: str = SERVER_ACTOR,
    ) -> WriteRecord:
        """AFAS refused the write (or it was abandoned before sending): nothing is in AFAS.

        Only for a definite answer. A timeout or lost connection after sending is `mark_unknown`.
        """
        err = WriteError(message=error) if isinstance(error, str) else error
        return self._change(
            write_id,
            sources={S.SENDING, S.RECORDED},
            target=S.FAILED,
            step=AuditStep.FAILED,
            actor=actor,
            changes={"error": self._json(err.model_dump())},
            detail={"request": request, "response": response, "error": err.model_dump()},
        )

    def mark_unknown(
        self,
        write_id: str,
        *,
        error: WriteError | str,
        request: object = None,
        actor: str = SERVER_ACTOR,
    ) -> WriteRecord:
        """The answer was lost (timeout, dropped connection): AFAS may still apply it (W16).

        Also for a `sending` write found after a restart: nobody saw its outcome.
        """
        err = WriteError(message=error) if isinstance(error, str) else error
        return self._change(
            write_id,
            sources={S.SENDING},
            target=S.UNKNOWN,
            step=AuditStep.UNKNOWN,
            actor=actor,
            changes={"error": self._json(err.model_dump())},
            detail={"request": request, "error": err.model_dump()},
        )

    def reconcile(
        self,
        write_id: str,
        *,
        found: bool,
        afas_keys: Mapping[str, object] | None = None,
        response: object = None,
        actor: str = SERVER_ACTOR,
    ) -> WriteRecord:
        """Settle an `unknown` write by what a lookup in AFAS showed (W16).

        Found: `applied` (then read it back as usual). Not found: `failed`; only now may the
        same write be sent again, as a new write with `retry_of` set, never automatically.
        """
        keys = canonical_keys(afas_keys) if afas_keys else None
        if found:
            return self._change(
                write_id,
                sources={S.UNKNOWN},
                target=S.APPLIED,
                step=AuditStep.RECONCILED,
                actor=actor,
                # The lost answer was not an error after all; the audit trail keeps it.
                changes={"afas_keys": dumps(keys) if keys else None, "error": None},
                detail={"found": True, "afas_keys": keys, "response": response},
                keys=keys,
            )
        err = WriteError(message="not found in AFAS when reconciled after a lost answer")
        return self._change(
            write_id,
            sources={S.UNKNOWN},
            target=S.FAILED,
            step=AuditStep.RECONCILED,
            actor=actor,
            changes={"error": self._json(err.model_dump())},
            detail={"found": False, "response": response},
        )

    def mark_verified(
        self, write_id: str, *, read_back: Mapping[str, Any], actor: str = SERVER_ACTOR
    ) -> WriteRecord:
        """The read-back matches what was sent."""
        result = ReadBack(result="match", fields=self.scrubber.scrub(dict(read_back)))
        return self._read_back(write_id, result, S.VERIFIED, AuditStep.VERIFIED, actor)

    def mark_drift(
        self,
        write_id: str,
        *,
        diffs: Iterable[FieldDiff | Mapping[str, Any]],
        read_back: Mapping[str, Any] | None = None,
        actor: str = SERVER_ACTOR,
    ) -> WriteRecord:
        """The write is in AFAS but reads back differently (W14); it waits for a human."""
        result = ReadBack(
            result="drift",
            fields=self.scrubber.scrub(dict(read_back or {})),
            diffs=[FieldDiff.model_validate(self.scrubber.scrub(_plain(d))) for d in diffs],
        )
        return self._read_back(write_id, result, S.DRIFT, AuditStep.DRIFT, actor)

    def mark_unverifiable(
        self, write_id: str, *, reason: str, actor: str = SERVER_ACTOR
    ) -> WriteRecord:
        """The write stays `applied`: it could not be read back (the reason says why)."""
        result = ReadBack(result="unverifiable", reason=self.scrubber.scrub_text(reason))
        return self._read_back(write_id, result, S.APPLIED, AuditStep.UNVERIFIABLE, actor)

    def mark_denied(
        self, write_id: str, *, verdicts: Sequence[Verdict], actor: str = SERVER_ACTOR
    ) -> WriteRecord:
        """The policies, re-run after approval, deny the write: it is never sent."""
        stored = [StoredVerdict.of(v).model_dump() for v in verdicts]
        return self._change(
            write_id,
            sources={S.APPROVED},
            target=S.DENIED,
            step=AuditStep.DENIED,
            actor=actor,
            changes={"verdicts": self._json(stored)},
            detail={"verdicts": stored},
        )

    def _read_back(
        self, write_id: str, result: ReadBack, target: WriteStatus, step: AuditStep, actor: str
    ) -> WriteRecord:
        dumped = result.model_dump(mode="json")
        return self._change(
            write_id,
            sources={S.APPLIED},
            target=target,
            step=step,
            actor=actor,
            changes={"read_back": dumps(dumped)},
            detail={"read_back": dumped},
        )

    # -- recording, the internals -------------------------------------------------------

    def _insert(
        self,
        intent: WriteIntent,
        *,
        verdicts: Sequence[Verdict],
        confidence: float | None,
        status: WriteStatus,
        review_reason: str | None,
        expires_at: datetime | None,
        retry_of: str | None,
        within: timedelta | None,
        confidence_detail: StoredConfidence | None,
    ) -> Recorded:
        _check_start(status, verdicts)
        _check_fraction("confidence", confidence)
        if confidence_detail is not None and confidence != confidence_detail.score:
            raise ValueError("confidence_detail explains another score than confidence")
        _check_fraction("source_confidence", intent.source_confidence)
        if not intent.requester.strip():
            raise ValueError("a write needs a requester: approval must be by someone else")
        for name, part in (("body", intent.body), ("target", intent.target)):
            found = self.scrubber.find_secret(json.loads(dumps(part)), path=name)
            if found is not None:
                raise SecretInPayload(found)
        if expires_at is not None and status is not S.PENDING_REVIEW:
            raise ValueError("expires_at applies only to a write held for review")
        body = dumps(dict(intent.body))
        target = dumps(dict(intent.target))
        digest = intent.digest
        # The stored body must be exactly what the digest names, or an approval of the row
        # would approve something else than the agent asked for.
        again = stored_digest(
            intent.tool, intent.connector, intent.action, json.loads(target), json.loads(body)
        )
        if again != digest:
            raise ValueError("the payload does not survive JSON storage unchanged")
        stored = [StoredVerdict.of(v).model_dump() for v in verdicts]
        factors = confidence_detail.model_dump() if confidence_detail is not None else None
        with self._transaction() as now:
            if within is not None:
                earlier = self._find_duplicate(
                    digest, since=now - within, statuses=BLOCKING_DUPLICATES
                )
                if earlier is not None:
                    return Recorded(record=earlier, created=False)
            if retry_of is not None and self._status(retry_of) is not S.FAILED:
                raise IllegalRetry(f"{retry_of} is not failed; only a failed write is retried")
            if status is S.PENDING_REVIEW and expires_at is None:
                expires_at = now + self.review_ttl
            write_id = new_write_id()
            self._db.execute(
                "INSERT INTO writes (id, status, tool, connector, action, target, body, facts, "
                "digest, verdicts, confidence, confidence_detail, requester, source_confidence, "
                "review_reason, expires_at, retry_of, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    write_id,
                    status.value,
                    intent.tool,
                    intent.connector,
                    intent.action,
                    target,
                    body,
                    self._json(intent.facts),
                    digest,
                    self._json(stored),
                    confidence,
                    self._json(factors) if factors is not None else None,
                    intent.requester,
                    intent.source_confidence,
                    self.scrubber.scrub_text(review_reason) if review_reason else None,
                    to_text(expires_at) if expires_at else None,
                    retry_of,
                    to_text(now),
                    to_text(now),
                ],
            )
            audit.append(
                self._db,
                self.scrubber,
                write_id=write_id,
                step=AuditStep.RECORDED,
                actor=intent.requester,
                at=now,
                to_status=status,
                detail={
                    "digest": digest,
                    "verdicts": stored,
                    "confidence": confidence,
                    "confidence_detail": factors,
                    "source_confidence": intent.source_confidence,
                    "review_reason": review_reason,
                    "retry_of": retry_of,
                },
            )
            return Recorded(record=self._require(write_id), created=True)


def _check_start(status: WriteStatus, verdicts: Sequence[Verdict]) -> None:
    if status not in INITIAL:
        raise ValueError(f"a write starts as one of {sorted(INITIAL)}, not {status.value}")
    strictest = max((v.outcome for v in verdicts), default=Outcome.ALLOW)
    if status not in _STARTS_FOR[strictest]:
        raise VerdictsContradictStatus(
            f"a write whose strictest verdict is {strictest.name.lower()} cannot start "
            f"as {status.value}"
        )


def _check_fraction(name: str, value: float | None) -> None:
    if value is not None and not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must be between 0 and 1, got {value}")


def _plain(value: FieldDiff | Mapping[str, Any]) -> dict[str, Any]:
    return value.model_dump() if isinstance(value, FieldDiff) else dict(value)
