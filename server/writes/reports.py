"""What the agent is told about a write: a `WriteResult` from the policies' report or the ledger.

The ledger row is the truth, so every result after recording is built from the `WriteRecord`
the last transition returned; its one sentence is `server.write_status.explain`, the same words
`get_write_status` uses, so the agent never reads two versions of one write.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, assert_never

from policies import Outcome, PolicyReport, Verdict, WriteIntent
from server.store import StoredVerdict, WriteRecord, WriteStatus
from server.write_status import ReadBackReport, VerdictReport, explain
from server.writes.result import AfasErrorReport, WriteResult, WriteResultStatus

__all__ = ["dry_run_result", "record_result", "review_reason", "verdict_reports"]

S = WriteStatus
Decision = Literal["allow", "review", "deny"]
_NAMES: dict[Outcome, Decision] = {
    Outcome.ALLOW: "allow",
    Outcome.REVIEW: "review",
    Outcome.DENY: "deny",
}


def verdict_reports(verdicts: Sequence[Verdict | StoredVerdict]) -> list[VerdictReport]:
    """Verdicts as the agent sees them."""
    return [
        VerdictReport(
            policy=v.policy,
            outcome=_NAMES[v.outcome] if isinstance(v, Verdict) else v.outcome,
            reason=v.reason,
            hint=v.hint,
        )
        for v in verdicts
    ]


def review_reason(report: PolicyReport) -> str:
    """Why a write is held: the REVIEW verdicts, and the confidence when it is too low."""
    reasons = [f"{v.policy}: {v.reason}" for v in report.reviews]
    if report.confidence.below_threshold:
        reasons.append(f"confidence {report.confidence.explain()}")
    return "; ".join(reasons) or "held for a person"


def dry_run_result(intent: WriteIntent, report: PolicyReport) -> WriteResult:
    """A dry run: the decision, the verdicts and the exact payload; nothing recorded or sent."""
    decision = _NAMES[report.decision]
    what = {
        "allow": "would be sent to AFAS and read back",
        "review": "would wait for a human reviewer before anything is sent",
        "deny": "would be refused; fix what the denying verdicts name",
    }[decision]
    return WriteResult(
        write_id=None,
        status="dry_run",
        message=f"Dry run: nothing was recorded or sent. This write {what}.",
        decision=decision,
        verdicts=verdict_reports(report.verdicts),
        confidence=report.confidence.score,
        payload=dict(intent.body),
    )


def _status(record: WriteRecord) -> WriteResultStatus:
    match record.status:
        case S.PENDING_REVIEW | S.APPROVED:
            return "pending_review"
        case S.RECORDED | S.SENDING | S.UNKNOWN:
            return "unknown"
        case S.APPLIED | S.VERIFIED | S.DRIFT | S.RESOLVED:
            return "applied"
        case S.FAILED | S.EXPIRED:
            return "failed"
        case S.REJECTED | S.DENIED:
            return "rejected"
        case _:
            assert_never(record.status)


def _decision(record: WriteRecord) -> Decision:
    outcomes = {v.outcome for v in record.verdicts}
    if "deny" in outcomes:
        return "deny"
    if "review" in outcomes or record.status in (S.PENDING_REVIEW, S.APPROVED):
        return "review"  # held by a policy, or by low confidence
    return "allow"


def record_result(
    record: WriteRecord,
    *,
    review_url: str | None = None,
    duplicate_of: str | None = None,
    alert: str | None = None,
) -> WriteResult:
    """The result for a write as the ledger holds it now."""
    status = _status(record)
    parts = [explain(record)]
    if duplicate_of is not None:
        parts.insert(
            0, f"This exact write was already asked for as {duplicate_of}; nothing new was sent."
        )
    if alert is not None:
        parts.insert(0, alert)
    if status == "unknown":
        parts.append(f"Check get_write_status('{record.id}') later instead of repeating the call.")
    error = record.error if record.status is S.FAILED else None
    rb = record.read_back
    return WriteResult(
        write_id=record.id,
        status=status,
        message=" ".join(parts),
        decision=_decision(record),
        verdicts=verdict_reports(record.verdicts),
        confidence=record.confidence,
        afas_key=record.afas_keys,
        read_back=None
        if rb is None
        else ReadBackReport(result=rb.result, diffs=list(rb.diffs), reason=rb.reason),
        review_url=review_url if status == "pending_review" else None,
        afas_error=None
        if error is None
        else AfasErrorReport(message=error.message, log_reference=error.log_reference),
        duplicate_of=duplicate_of,
    )
