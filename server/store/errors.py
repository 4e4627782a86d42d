"""Errors the write store raises, each named for the condition a caller handles.

```
StoreError
├── WriteNotFound              no write with that id
├── IllegalTransition          the state machine forbids it; names the current state
├── ApprovalRefused            a human's approval was not accepted (recorded in the audit trail)
│   ├── SelfApprovalRefused    the approver is the requester
│   ├── DigestMismatch         the approval names another payload than the one stored
│   └── ApprovalExpired        the item expired first (and is now `expired`)
├── RecheckRequired            an approved write was claimed without re-running the policies
├── RecheckDenied              the re-run policies deny it now (e.g. the period has closed)
├── VerdictsContradictStatus   asked to record a write in a state its verdicts forbid
├── SecretInPayload            the payload carries a secret; it must neither be stored nor sent
├── IllegalRetry               a retry must follow a write that is known not to be in AFAS
├── ConnectorBusy              another sender kept a connector's insert lease too long (W9)
└── SchemaTooNew               the database was migrated by a newer afas-mcp
```
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from server.store.models import WriteStatus


class StoreError(Exception):
    """Base of every error the write store raises."""


class WriteNotFound(StoreError, LookupError):
    """No write has this id."""

    def __init__(self, write_id: str) -> None:
        super().__init__(f"no write with id {write_id!r}")
        self.write_id = write_id


class IllegalTransition(StoreError):
    """The state machine does not allow this step from the write's current state."""

    def __init__(self, write_id: str, *, current: WriteStatus, target: WriteStatus) -> None:
        super().__init__(
            f"write {write_id} is {current.value}; it cannot become {target.value} from there"
        )
        self.write_id = write_id
        self.current = current
        self.target = target


class ApprovalRefused(StoreError):
    """A human's approval was refused; the refusal is in the audit trail."""

    def __init__(self, write_id: str, reason: str) -> None:
        super().__init__(f"approval of {write_id} refused: {reason}")
        self.write_id = write_id
        self.reason = reason


class SelfApprovalRefused(ApprovalRefused):
    """The approver is the identity that requested the write."""


class DigestMismatch(ApprovalRefused):
    """The approval is bound to another payload than the one stored under this id."""


class ApprovalExpired(ApprovalRefused):
    """The item expired before it was approved; it is now `expired`."""


class RecheckRequired(StoreError):
    """An approved write may be sent only after the policies ran again on it."""


class RecheckDenied(StoreError):
    """The policies, run again before sending, deny the write now."""

    def __init__(self, write_id: str, reasons: list[str]) -> None:
        super().__init__(f"write {write_id} is denied on recheck: {'; '.join(reasons)}")
        self.write_id = write_id
        self.reasons = reasons


class VerdictsContradictStatus(StoreError, ValueError):
    """The requested initial state is looser than the strictest verdict allows."""


class SecretInPayload(StoreError, ValueError):
    """A secret was found in what would be sent to AFAS; the write is refused, not scrubbed."""

    def __init__(self, path: str) -> None:
        super().__init__(f"the write carries a secret at {path}; it is neither stored nor sent")
        self.path = path


class IllegalRetry(StoreError, ValueError):
    """Only a write known not to be in AFAS (`failed`) can be retried as a new attempt."""


class ConnectorBusy(StoreError):
    """Another sender held the connector's insert lease for the whole wait; nothing was sent."""

    def __init__(self, connector: str, *, waited: float) -> None:
        super().__init__(
            f"another write is still being sent to {connector} and did not finish within "
            f"{waited:.0f} seconds; inserts into one connector go one at a time (W9), so "
            "nothing was sent. Try again in a few minutes"
        )
        self.connector = connector
        self.waited = waited


class SchemaTooNew(StoreError):
    """The database schema is newer than this afas-mcp understands."""
