"""After a write was sent: record AFAS's answer, read the write back, settle a lost answer.

`Settler` holds the steps the pipeline runs after the one UpdateConnector call:

- `record`: applied, failed or unknown, with the request and response bodies in the audit trail
  (the store scrubs them, W17).
- `verify`: read the record back through the kind's expectations; `verified`, `drift` (queued for
  a person with the diffs) or applied-but-`unverifiable` (with the reason). An insert whose key
  AFAS handed out before is drift too, whatever the read-back says (W9).
- `reconcile`: an `unknown` write is looked up with the kind's `locate` (W16): found, it is
  `applied` and read back; not found long enough after sending (`settle_absent_after`, AFAS's
  own 900 s), it is `failed` and may be asked for again; otherwise it stays `unknown`. Nothing is
  ever sent again from here.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from server.afas.client import AfasClient
from server.store import FieldDiff, IllegalTransition, WriteRecord, WriteStatus, WriteStore
from server.writes.kinds import WriteKind
from server.writes.readback import (
    Absent,
    CannotTell,
    Connectors,
    Found,
    ReadBackPolicy,
    locate,
    read_back,
)
from server.writes.sending import Applied, Lost, Refused, SendOutcome

__all__ = ["W9_FIELD", "Settler"]

log = logging.getLogger(__name__)

S = WriteStatus
W9_FIELD = "afas_key"
"""The diff field of an insert whose key AFAS returned for another write already (W9)."""


class Settler:
    """The ledger steps after sending, against one store and one environment's connectors."""

    def __init__(
        self,
        *,
        store: WriteStore,
        connectors: Connectors,
        readback: ReadBackPolicy | None = None,
        settle_absent_after: timedelta = timedelta(seconds=900),
    ) -> None:
        self._store = store
        self._connectors = connectors
        self._readback = readback or ReadBackPolicy()
        self._settle_absent_after = settle_absent_after

    def record(self, record: WriteRecord, outcome: SendOutcome) -> WriteRecord:
        """Keep what AFAS answered (or that it did not)."""
        store, write_id = self._store, record.id
        try:
            match outcome:
                case Applied(afas_keys=keys, response=response):
                    return store.mark_applied(
                        write_id, afas_keys=keys or None, request=record.body, response=response
                    )
                case Refused(error=error, response=response):
                    return store.mark_failed(
                        write_id, error=error, request=record.body, response=response
                    )
                case Lost(error=error):
                    return store.mark_unknown(write_id, error=error, request=record.body)
        except IllegalTransition:
            # Someone moved it meanwhile (a start-up reconciliation took it for abandoned);
            # continue from where the ledger says it is.
            log.warning("write %s moved while it was being sent", write_id)
        return store.get(write_id)

    async def finish(
        self, afas: AfasClient, record: WriteRecord, kind: WriteKind, facts: Any
    ) -> WriteRecord:
        """Read back an applied write, or reconcile an unknown one; others are final here."""
        if record.status is S.APPLIED:
            return await self.verify(afas, record, kind, facts)
        if record.status is S.UNKNOWN:
            return await self.reconcile(afas, record, kind, facts)
        return record

    async def verify(
        self, afas: AfasClient, record: WriteRecord, kind: WriteKind, facts: Any
    ) -> WriteRecord:
        """Read the applied write back and settle it: verified, drift or unverifiable."""
        store = self._store
        try:
            expectations = kind.expectations(facts, record.body, record.afas_keys or {})
        except Exception as exc:  # the kind cannot say what to read: not verified, said so
            log.exception("expectations of %s failed", record.tool)
            return store.mark_unverifiable(
                record.id, reason=f"the write tool could not say what to read back ({exc!r})"
            )
        result = await read_back(
            afas, expectations, connectors=self._connectors, policy=self._readback
        )
        diffs = [*self._w9(record), *result.diffs]
        if diffs:
            return store.mark_drift(record.id, diffs=diffs, read_back=result.fields)
        if result.result == "match":
            return store.mark_verified(record.id, read_back=result.fields)
        return store.mark_unverifiable(record.id, reason=result.reason or "it could not be read")

    async def reconcile(
        self, afas: AfasClient, record: WriteRecord, kind: WriteKind, facts: Any
    ) -> WriteRecord:
        """Look an `unknown` write up in AFAS and settle it if the lookup can (W16)."""
        store = self._store
        try:
            expectations = kind.locate(facts, record.body)
        except Exception:
            log.exception("locate of %s failed", record.tool)
            expectations = ()
        found = await locate(afas, expectations, connectors=self._connectors, policy=self._readback)
        match found:
            case Found(afas_keys=keys, read_back=located):
                applied = store.reconcile(
                    record.id,
                    found=True,
                    afas_keys=keys or None,
                    response={"found": located.fields},
                )
                if keys:
                    return await self.verify(afas, applied, kind, facts)
                # Without keys the located rows are the read-back.
                if located.diffs:
                    return store.mark_drift(
                        record.id, diffs=located.diffs, read_back=located.fields
                    )
                return store.mark_verified(record.id, read_back=located.fields)
            case Absent():
                waited = store.clock() - record.updated_at
                if waited < self._settle_absent_after:
                    log.info("write %s not found yet; AFAS may still be processing it", record.id)
                    return record
                return store.reconcile(
                    record.id, found=False, response={"found": None, "waited": str(waited)}
                )
            case CannotTell(reason=reason):
                log.warning("write %s stays unknown: %s", record.id, reason)
                return record

    def _w9(self, record: WriteRecord) -> list[FieldDiff]:
        keys = record.afas_keys
        if record.action != "insert" or not keys:
            return []
        if not self._store.key_seen_before(record.connector, keys, excluding=record.id):
            return []
        shown = ", ".join(f"{name} {value}" for name, value in keys.items())
        return [
            FieldDiff(
                field=W9_FIELD,
                expected="a key AFAS gave no other write",
                actual=f"{shown}, which AFAS already returned for another write (W9)",
            )
        ]
