"""One UpdateConnector call for a recorded write, and what its outcome means for the ledger.

Three outcomes, because the ledger must never guess (W16):

- `Applied`: AFAS answered 2xx; its keys and body are kept.
- `Refused`: a definite no (an AFAS error status, or refused or unreachable before sending);
  nothing is in AFAS, so the write is `failed` and may be asked for again.
- `Lost`: the request may have reached AFAS and no usable answer came back (a timeout, a dropped
  connection, a 2xx whose body cannot be read). AFAS keeps processing for up to 900 seconds, so
  the write is `unknown` until a lookup settles it; it is never sent again automatically.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from server.afas.client import AfasClient
from server.afas.errors import (
    AfasConnectionError,
    AfasEnvironmentMismatch,
    AfasHTTPError,
    AfasRequestRefused,
    AfasResponseError,
    AfasWriteOutcomeUnknown,
)
from server.config import UPDATE_CONNECTORS
from server.store import WriteError, WriteRecord

__all__ = ["Applied", "Lost", "Refused", "SendOutcome", "send_write"]


@dataclass(frozen=True)
class Applied:
    """AFAS took the write."""

    afas_keys: Mapping[str, str]
    response: Any
    status_code: int


@dataclass(frozen=True)
class Refused:
    """AFAS did not apply the write, and said so (or it never left)."""

    error: WriteError
    response: Any = None


@dataclass(frozen=True)
class Lost:
    """Nobody knows whether AFAS applied the write."""

    error: WriteError
    details: dict[str, Any] = field(default_factory=dict)


SendOutcome = Applied | Refused | Lost


async def send_write(afas: AfasClient, record: WriteRecord) -> SendOutcome:
    """Send the recorded write once (POST, PUT or DELETE by its action); never retried."""
    try:
        if record.action == "insert":
            result = await afas.insert(record.connector, record.body)
        elif record.action == "update":
            result = await afas.update(record.connector, record.body)
        else:
            result = await afas.delete(record.connector, _root(record), record.target)
    except AfasWriteOutcomeUnknown as exc:
        return Lost(WriteError(message=exc.message))
    except AfasHTTPError as exc:
        return Refused(
            WriteError(
                message=exc.external_message or exc.message,
                error_number=None if exc.error_number is None else str(exc.error_number),
                log_reference=exc.profit_log_reference,
                http_status=exc.status_code,
            ),
            response={"status": exc.status_code, "message": exc.external_message},
        )
    except (AfasRequestRefused, AfasConnectionError, AfasEnvironmentMismatch) as exc:
        # Refused, unreachable or the wrong environment before a byte was sent: nothing in AFAS.
        # (A write that was sent and timed out is AfasWriteOutcomeUnknown, never AfasTimeout;
        # an AfasTimeout here comes from the environment check that precedes the write.)
        return Refused(WriteError(message=f"{exc}; nothing was sent to AFAS"))
    except AfasResponseError as exc:
        # A 2xx whose body cannot be read: AFAS probably applied it, but the keys are lost.
        return Lost(WriteError(message=f"AFAS answered, but its answer cannot be read: {exc}"))
    return Applied(afas_keys=dict(result.keys), response=result.raw, status_code=result.status_code)


def _root(record: WriteRecord) -> str:
    """The object a DELETE names: the body's root, else the connector's documented root."""
    if len(record.body) == 1:
        return next(iter(record.body))
    spec = next((s for s in UPDATE_CONNECTORS if s.connector == record.connector), None)
    return spec.root if spec is not None else record.connector
