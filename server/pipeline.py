"""The guarded write: policies, ledger, one send, read-back, settle; and a person's approval.

    submit(intent)
      context (only the lookups the intent needs)  ->  check_all
      dry run           decision, verdicts, payload; nothing recorded, nothing sent
      deny              recorded as denied  ->  PolicyDenied (the agent fixes its input)
      review / unsure   pending_review, unless the same digest is in the ledger already
      allow             recorded (unless ...)  ->  claim  ->  send once  ->  settle
    approve(write_id)   store.approve -> policies again, fresh context -> claim -> send -> settle
    settle              applied -> read back -> verified | drift | unverifiable;  refused -> failed;
                        lost -> unknown -> look it up (W16) -> applied | failed | stays unknown

Inserts into one connector go one at a time, from before the claim (before the approval, for a
person's decision) until AFAS's answer is recorded, across every pipeline and process sharing the
database (W9, `ConnectorLocks` over the store's leases). A write is never sent twice: the claim
is a compare-and-set in the ledger, and an unknown write is only looked up.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import timedelta
from typing import TYPE_CHECKING

from policies import Outcome, Verdict, WriteIntent, check_all
from server.afas.client import AfasClient
from server.outcomes import InvalidToolInput, PolicyDenied, ToolConfigurationError
from server.store import (
    ConnectorBusy,
    ConnectorLocks,
    DriftResolution,
    IllegalTransition,
    RecheckDenied,
    SecretInPayload,
    StoredConfidence,
    WriteRecord,
    WriteStore,
)
from server.store import WriteStatus as S
from server.writes.codec import encode_facts, intent_from_record
from server.writes.context import ContextBuilder
from server.writes.kinds import WriteKind
from server.writes.reports import dry_run_result, record_result, review_reason
from server.writes.result import WriteResult
from server.writes.sending import send_write
from server.writes.settle import W9_FIELD, Settler

if TYPE_CHECKING:
    from server.config import Settings
    from server.review.actions import ReviewActions

__all__ = ["AfasSource", "WritePipeline", "review_actions"]

log = logging.getLogger(__name__)

# A write repeating one that failed within this time is recorded as its retry (`retry_of`).
RETRY_LOOKBACK = timedelta(days=1)

AfasSource = Callable[[], Awaitable[AfasClient]]
"""Gives the verified AFAS client (`AfasGate.client`), or raises why it cannot."""


class WritePipeline:
    """Every write an agent asks for, and every approval a person gives, goes through here.

    Args:
        afas: the AFAS client, once verified (`ToolDeps.gate.client`).
        store: the ledger, review queue and audit trail.
        contexts: builds the policies' context (with its lookup cache and the rules).
        settler: records, reads back and reconciles after sending.
        kinds: the write tools' kinds by tool name (`tools.write_kinds()`).
        review_url: the review page of a write id.
        duplicate_window: a repeat of the same digest within it returns the earlier write.
        locks: per-connector insert locks (W9); by default leases in `store`, which serialise
            inserts across every pipeline and process sharing its file.
        stale_sending: a `sending` write older than this is taken as abandoned at start-up.
    """

    def __init__(
        self,
        *,
        afas: AfasSource,
        store: WriteStore,
        contexts: ContextBuilder,
        settler: Settler,
        kinds: Mapping[str, WriteKind],
        review_url: Callable[[str], str],
        duplicate_window: timedelta = timedelta(minutes=10),
        locks: ConnectorLocks | None = None,
        stale_sending: timedelta = timedelta(minutes=20),
    ) -> None:
        self._afas = afas
        self._store = store
        self._contexts = contexts
        self._settler = settler
        self._kinds = kinds
        self._review_url = review_url
        self._window = duplicate_window
        self._locks = locks or ConnectorLocks(store)
        self._stale_sending = stale_sending
        self._busy: set[str] = set()  # writes this pipeline is sending or settling now

    # -- what an agent asks -----------------------------------------------------------------

    async def submit(self, intent: WriteIntent, *, dry_run: bool = False) -> WriteResult:
        """Judge, record, send, read back and settle one write; see the module docstring.

        Raises:
            PolicyDenied: a policy refused it (recorded as denied, nothing sent).
            InvalidToolInput: the payload carries something shaped like a secret (not stored).
            ToolConfigurationError: no write kind is registered for the intent's tool.
            AfasUnavailableForTools: AFAS cannot be reached; nothing was recorded.
        """
        kind = self._kind(intent.tool)
        afas = await self._afas()
        report = check_all(intent, await self._contexts.build(intent, afas=afas))
        if dry_run:
            return dry_run_result(intent, report)
        stored = dataclasses.replace(intent, facts=encode_facts(intent.facts))
        score = report.confidence.score
        why = StoredConfidence.of(report.confidence)  # kept: approvers see why it was held
        held = report.decision is Outcome.REVIEW
        with _secrets_refused():
            if report.decision is Outcome.DENY:
                denied = self._store.record(
                    stored,
                    verdicts=report.verdicts,
                    confidence=score,
                    confidence_detail=why,
                    status=S.DENIED,
                )
                raise PolicyDenied(denied.id, report.denials)
            got = self._store.record_unless_duplicate(
                stored,
                within=self._window,
                verdicts=report.verdicts,
                confidence=score,
                confidence_detail=why,
                status=S.PENDING_REVIEW if held else S.RECORDED,
                review_reason=review_reason(report) if held else None,
                retry_of=self._failed_before(stored),
            )
        if not got.created:
            return self._result(got.record, duplicate_of=got.record.id)
        if held:
            return self._result(got.record)
        record = got.record
        async with self._busy_with(record.id):
            try:
                async with self._insert_lock(record):
                    answered = await self._send(afas, record, expected=S.RECORDED)
            except ConnectorBusy as exc:  # never claimed: nothing reached AFAS
                return self._result(self._store.mark_failed(record.id, error=str(exc)))
            if answered is None:
                return self._result(self._store.get(record.id))
            return self._result(await self._settler.finish(afas, answered, kind, intent.facts))

    # -- what a person decides --------------------------------------------------------------

    async def approve(
        self, write_id: str, *, approver: str, digest: str | None = None
    ) -> WriteRecord:
        """Approve a held write as `approver`, re-check it on fresh data, send and settle it.

        `digest` binds the approval to the payload the person saw; only None means "the one
        stored now" (an empty digest is a mismatch, never a wildcard).
        A write the re-check denies comes back `denied` ("the period closed since"); one whose
        approval lapsed comes back `expired`; neither is sent.

        An insert takes the connector's lock before it is approved (W9), so an approval that
        cannot get it in time changes nothing.

        Raises:
            WriteNotFound, IllegalTransition, SelfApprovalRefused, DigestMismatch, ApprovalExpired:
                the store refused the approval (and recorded the attempt).
            ConnectorBusy: another insert into the connector kept it busy; nothing was approved.
            FactsCodecError: the stored facts cannot be rebuilt; nothing was approved.
        """
        record = self._store.get(write_id)
        kind = self._kind(record.tool)
        intent = intent_from_record(record, kind.facts_type)
        afas = await self._afas()  # before approving: an approval must not wait on a dead AFAS
        async with self._busy_with(write_id):
            async with self._insert_lock(record):
                approved = self._store.approve(
                    write_id, approver=approver, digest=record.digest if digest is None else digest
                )
                context = await self._contexts.build(
                    intent, afas=afas, fresh=True, recorded=approved
                )
                verdicts = check_all(intent, context).verdicts
                try:
                    answered = await self._send(
                        afas, approved, expected=S.APPROVED, rechecked=verdicts
                    )
                except RecheckDenied:
                    return self._store.mark_denied(write_id, verdicts=verdicts)
            if answered is None:
                return self._store.get(write_id)  # it lapsed before it could be sent
            return await self._settler.finish(afas, answered, kind, intent.facts)

    def reject(self, write_id: str, *, approver: str, reason: str) -> WriteRecord:
        """Reject a held write with a reason the agent will read; nothing is sent."""
        return self._store.reject(write_id, approver=approver, reason=reason)

    def resolve_drift(
        self, write_id: str, *, resolver: str, resolution: DriftResolution | str, note: str
    ) -> WriteRecord:
        """Record how a person settled a drift (`acknowledged` or `corrected`)."""
        return self._store.resolve_drift(
            write_id, resolver=resolver, resolution=DriftResolution(resolution), note=note
        )

    # -- after a restart, and now and then ----------------------------------------------------

    async def reconcile_pending(self) -> int:
        """Expire lapsed holds, and settle what a crash or a lost answer left open (W16).

        Every `unknown` write is looked up. A `sending` write, or an `applied` one never read
        back, untouched for `stale_sending` was left by a crash: the first is taken as `unknown`
        and looked up, the second is read back. Nothing is sent. Returns how many writes were
        looked at; with none open, AFAS is not asked at all.
        """
        self._store.expire_due()
        stale = self._store.clock() - self._stale_sending
        for record in self._store.list_writes(statuses=[S.SENDING], limit=1000):
            if record.id not in self._busy and record.updated_at <= stale:
                with contextlib.suppress(IllegalTransition):  # another process settled it
                    self._store.mark_unknown(
                        record.id, error="still `sending` after a restart: nobody saw the answer"
                    )
        open_writes = [
            r
            for r in self._store.list_writes(statuses=[S.UNKNOWN, S.APPLIED], limit=1000)
            if r.id not in self._busy
            and (r.status is S.UNKNOWN or (r.read_back is None and r.updated_at <= stale))
        ]
        if not open_writes:
            return 0
        afas = await self._afas()
        for record in open_writes:
            try:
                kind = self._kind(record.tool)
                facts = intent_from_record(record, kind.facts_type).facts
                async with self._busy_with(record.id):
                    await self._settler.finish(afas, record, kind, facts)
            except IllegalTransition:
                log.info("write %s was settled by another process meanwhile", record.id)
            except Exception:  # one bad write must not stop the others from being settled
                log.exception("reconciling write %s failed", record.id)
        return len(open_writes)

    # -- the steps ------------------------------------------------------------------------------

    def _insert_lock(self, record: WriteRecord) -> AbstractAsyncContextManager[None]:
        """The connector's insert lock for an insert (W9); updates and deletes need none."""
        if record.action == "insert":
            return self._locks.hold(record.connector)
        return contextlib.nullcontext()

    async def _send(
        self,
        afas: AfasClient,
        record: WriteRecord,
        *,
        expected: S,
        rechecked: Sequence[Verdict] | None = None,
    ) -> WriteRecord | None:
        """Claim, send once and record AFAS's answer; None when the claim was lost.

        The caller holds the insert lock, and reads the write back after releasing it.
        """
        if not self._store.claim_for_sending(record.id, expected=expected, rechecked=rechecked):
            return None  # someone else sends it, or it lapsed
        try:
            outcome = await send_write(afas, record)
        except BaseException as exc:  # cancelled or a bug mid-send: AFAS may have it
            self._store.mark_unknown(
                record.id, error=f"sending was interrupted ({type(exc).__name__})"
            )
            raise
        return self._settler.record(record, outcome)

    def _kind(self, tool: str) -> WriteKind:
        kind = self._kinds.get(tool)
        if kind is None:
            raise ToolConfigurationError(
                f"the server has no write kind for {tool!r}, so it cannot check or read back "
                "that write",
                hint="Report this to the operator",
            )
        return kind

    def _failed_before(self, intent: WriteIntent) -> str | None:
        """The failed write this one repeats (same digest, failed within a day), for the trail."""
        earlier = self._store.find_by_digest(
            intent.digest, within=RETRY_LOOKBACK, statuses={S.FAILED}
        )
        return earlier.id if earlier is not None else None

    def _result(self, record: WriteRecord, *, duplicate_of: str | None = None) -> WriteResult:
        alert = None
        if record.read_back is not None and any(
            d.field == W9_FIELD for d in record.read_back.diffs
        ):
            alert = (
                "WARNING: AFAS returned a key it had already given to another write, so two "
                "records may share one id (W9); a person must check both before anything else."
            )
        url = self._review_url(record.id) if record.status is S.PENDING_REVIEW else None
        return record_result(record, review_url=url, duplicate_of=duplicate_of, alert=alert)

    @contextlib.asynccontextmanager
    async def _busy_with(self, write_id: str) -> AsyncIterator[None]:
        self._busy.add(write_id)
        try:
            yield
        finally:
            self._busy.discard(write_id)


@contextlib.contextmanager
def _secrets_refused() -> Iterator[None]:
    try:
        yield
    except SecretInPayload as exc:  # neither stored nor sent: the digest would name another body
        raise InvalidToolInput(
            f"the write carries what looks like a password or token ({exc.path}); it was "
            "neither stored nor sent",
            hint="Leave credentials out of every field",
        ) from None


def review_actions(settings: Settings, *, store: WriteStore | None = None) -> ReviewActions:
    """The approvers' actions (`server.review.actions.ReviewActions`) carried out by the pipeline.

    Imported by `server.review.build_review_actions`; each decision opens its own AFAS client
    (the CLI runs every decision in a new event loop).
    """
    from server.writes.approvals import PipelineReviewActions

    return PipelineReviewActions(settings, store=store)
