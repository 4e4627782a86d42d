"""The durable heart of afas-mcp: the write ledger, the review queue and the audit trail.

```python
from server.store import WriteStore, WriteStatus

with WriteStore(path) as store:
    record = store.record(intent, verdicts=verdicts, confidence=0.93)
    if store.claim_for_sending(record.id, expected=WriteStatus.RECORDED):
        ...  # send; then mark_applied / mark_failed / mark_unknown
```

The state machine is `server.store.machine`; errors are drawn in `server.store.errors`.
"""

from __future__ import annotations

from server.store.db import database_path, default_database_path, open_database
from server.store.errors import (
    ApprovalExpired,
    ApprovalRefused,
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
from server.store.locks import ConnectorLocks
from server.store.machine import BLOCKING_DUPLICATES, TRANSITIONS
from server.store.models import (
    AuditEntry,
    AuditStep,
    DriftResolution,
    FieldDiff,
    ReadBack,
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
    "ConnectorLocks",
    "DigestMismatch",
    "DriftResolution",
    "FieldDiff",
    "IllegalRetry",
    "IllegalTransition",
    "ReadBack",
    "RecheckDenied",
    "RecheckRequired",
    "Recorded",
    "SchemaTooNew",
    "Scrubber",
    "SecretInPayload",
    "SelfApprovalRefused",
    "StoreError",
    "StoredVerdict",
    "VerdictsContradictStatus",
    "WriteError",
    "WriteNotFound",
    "WriteRecord",
    "WriteStatus",
    "WriteStore",
    "database_path",
    "default_database_path",
    "open_database",
]
