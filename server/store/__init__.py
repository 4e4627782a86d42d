"""The durable heart of afas-mcp: the write ledger, the review queue and the audit trail.

How the pipeline drives it (every call below is one atomic transaction with its audit row):

```python
store = WriteStore(path, scrubber=Scrubber([token, oauth_secret]))  # one per process
locks = ConnectorLocks(store)   # W9: leases in the store serialise every pipeline and process

got = store.record_unless_duplicate(
    intent, within=timedelta(minutes=10), verdicts=verdicts, confidence=confidence,
    status=WriteStatus.RECORDED,  # or PENDING_REVIEW (held) / DENIED (refused)
)
if not got.created:
    return got.record                       # a repeat: report the earlier write, send nothing
async with locks.hold(intent.connector):    # W9: one insert per connector at a time, anywhere
    if not store.claim_for_sending(got.record.id, expected=WriteStatus.RECORDED):
        return store.get(got.record.id)     # another caller is sending it
    try:
        result = await afas.insert(...)     # never retried
    except AfasWriteOutcomeUnknown as exc:  # W16: reconcile before anything else
        store.mark_unknown(write_id, error=..., request=...)
    except (AfasHTTPError, AfasRequestRefused) as exc:  # a definite no: nothing in AFAS
        store.mark_failed(write_id, error=WriteError(...), request=..., response=...)
    # anything else that cannot prove AFAS did not apply it: mark_unknown, never mark_failed
    else:
        store.mark_applied(write_id, afas_keys=result.keys, request=..., response=...)
        if store.key_seen_before(intent.connector, result.keys, excluding=write_id):
            ...                             # W9: AFAS gave this key out before
# read back: mark_verified(read_back=...) | mark_drift(diffs=...) | mark_unverifiable(reason=...)
```

An `unknown` write is settled only by `reconcile(id, found=...)` after a lookup in AFAS; on start-up
every `sending` write is `mark_unknown`-ed first. After a human `approve`, re-run the policies and
`claim_for_sending(id, expected=APPROVED, rechecked=verdicts)`; `RecheckDenied` means
`mark_denied(id, verdicts=...)`. The state machine is `server.store.machine`; errors are drawn in
`server.store.errors`.
"""

from __future__ import annotations

from server.store.db import open_database
from server.store.errors import (
    ApprovalExpired,
    ApprovalRefused,
    ConnectorBusy,
    DigestMismatch,
    IllegalRetry,
    IllegalTransition,
    RecheckDenied,
    RecheckRequired,
    SchemaTooNew,
    SecretInPayload,
    SelfApprovalRefused,
    StoreError,
    VerdictsContradictStatus,
    WriteNotFound,
)
from server.store.leases import ConnectorLeases
from server.store.locks import ConnectorLocks, LeaseStore
from server.store.machine import BLOCKING_DUPLICATES, TRANSITIONS
from server.store.models import (
    AuditEntry,
    AuditStep,
    DriftResolution,
    FieldDiff,
    ReadBack,
    StoredConfidence,
    StoredFactor,
    StoredVerdict,
    WriteError,
    WriteRecord,
    WriteStatus,
)
from server.store.scrub import Scrubber
from server.store.writes import Recorded, WriteStore

__all__ = [
    "BLOCKING_DUPLICATES",
    "TRANSITIONS",
    "ApprovalExpired",
    "ApprovalRefused",
    "AuditEntry",
    "AuditStep",
    "ConnectorBusy",
    "ConnectorLeases",
    "ConnectorLocks",
    "DigestMismatch",
    "DriftResolution",
    "FieldDiff",
    "IllegalRetry",
    "IllegalTransition",
    "LeaseStore",
    "ReadBack",
    "RecheckDenied",
    "RecheckRequired",
    "Recorded",
    "SchemaTooNew",
    "Scrubber",
    "SecretInPayload",
    "SelfApprovalRefused",
    "StoreError",
    "StoredConfidence",
    "StoredFactor",
    "StoredVerdict",
    "VerdictsContradictStatus",
    "WriteError",
    "WriteNotFound",
    "WriteRecord",
    "WriteStatus",
    "WriteStore",
    "open_database",
]
