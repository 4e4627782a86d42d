"""The approvers' decisions (`server.review.actions.ReviewActions`), carried out by the pipeline.

The review CLI and web page authenticate a person and call these with that person's name. An
approval runs `WritePipeline.approve`: the store's checks (not the requester, the digest the
person saw, not expired), the policies again on fresh data, one send, the read-back. Each call
opens its own AFAS client: the CLI runs every decision in a new event loop.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager
from datetime import datetime

from server.afas.client import AfasClient
from server.afas.values import AMSTERDAM
from server.config import Settings
from server.pipeline import WritePipeline
from server.review.actions import ReviewResult
from server.store import WriteRecord, WriteStatus, WriteStore
from server.store.scrub import MIN_SECRET_LENGTH
from server.write_status import explain
from server.writes.kinds import WriteKind
from server.writes.options import load_write_options
from server.writes.wiring import build_pipeline, open_store

__all__ = ["PipelineReviewActions", "review_result"]

S = WriteStatus

_LEADS: Mapping[WriteStatus, str] = {
    S.DENIED: "Approved, but the policies, checked again just now, refuse it, so it was not sent.",
    S.EXPIRED: "The approval came too late: the write expired and was not sent.",
    S.FAILED: "Approved and sent, but AFAS did not apply it.",
    S.UNKNOWN: "Approved and sent, but AFAS's answer was lost; the server looks the record up "
    "before anything else happens. Do not approve or send it again.",
    S.DRIFT: "Approved and sent, but AFAS reads it back differently; it is in the drift queue.",
}


def review_result(record: WriteRecord) -> ReviewResult:
    """What an approver is told about a write after their decision."""
    lead = _LEADS.get(record.status)
    message = f"{lead} {explain(record)}" if lead else explain(record)
    error = record.error if record.status in (S.FAILED, S.UNKNOWN) else None
    return ReviewResult(
        write_id=record.id,
        status=record.status,
        message=message,
        afas_error=error.message if error else None,
        log_reference=error.log_reference if error else None,
        read_back=record.read_back.result if record.read_back else None,
    )


class PipelineReviewActions:
    """`ReviewActions` over the write pipeline built from the product settings.

    Args:
        settings: the product settings (AFAS, database, connectors).
        store: the review surface's open store; None opens the configured one per decision.
        kinds: the write kinds; None gathers them from the toolsets (`tools.write_kinds`).
    """

    def __init__(
        self,
        settings: Settings,
        *,
        store: WriteStore | None = None,
        kinds: Iterable[WriteKind] | None = None,
    ) -> None:
        self._settings = settings
        self._options = load_write_options(settings)
        self._store = store
        self._kinds = kinds
        if store is not None:
            # The surface opened it; the bodies this decision sends must be scrubbed all the same.
            secrets = [s for s in settings.secret_values() if len(s) >= MIN_SECRET_LENGTH]
            if secrets:
                store.scrubber.register(*secrets)

    async def approve(
        self, write_id: str, *, approver: str, digest: str | None = None
    ) -> ReviewResult:
        async with self._pipeline() as pipeline:
            record = await pipeline.approve(write_id, approver=approver, digest=digest)
            return review_result(record)

    async def reject(self, write_id: str, *, approver: str, reason: str) -> ReviewResult:
        async with self._pipeline() as pipeline:
            return review_result(pipeline.reject(write_id, approver=approver, reason=reason))

    async def resolve_drift(
        self, write_id: str, *, resolver: str, resolution: str, note: str
    ) -> ReviewResult:
        async with self._pipeline() as pipeline:
            record = pipeline.resolve_drift(
                write_id, resolver=resolver, resolution=resolution, note=note
            )
            return review_result(record)

    @asynccontextmanager
    async def _pipeline(self) -> AsyncIterator[WritePipeline]:
        kinds = self._kinds
        if kinds is None:
            from tools import write_kinds  # the toolsets import server; only at call time

            kinds = write_kinds()
        store = self._store or open_store(self._settings, self._options)
        try:
            async with AfasClient(self._settings.afas) as client:

                async def afas() -> AfasClient:
                    # Before anything is approved: a dead AFAS or another environment (R10)
                    # refuses the decision instead of denying the write on missing lookups.
                    await client.verify_environment()
                    return client

                yield build_pipeline(
                    self._settings,
                    afas=afas,
                    store=store,
                    kinds=kinds,
                    options=self._options,
                    clock=lambda: datetime.now(AMSTERDAM),
                )
        finally:
            if self._store is None:
                store.close()
