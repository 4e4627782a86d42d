"""The AFAS Profit App Connector client: the one place the product talks to AFAS.

A 200 OK from AFAS proves nothing, so the client validates before sending, checks what comes
back, and raises (never returns) an error when it cannot vouch for an answer. The error tree is
drawn in `server.afas.errors`.

    async with AfasClient(settings.afas) as afas:
        async for row in afas.rows("Profit_Debtor", key=("DebtorId",),
                                   filters=Filter("DebtorName", Operator.CONTAINS, "Jansen")):
            row.values["CreditLimit"]   # Decimal
"""

from __future__ import annotations

from server.afas._http import RetryPolicy
from server.afas._stream import RowStream
from server.afas.client import AfasClient
from server.afas.drift import MetaDiff
from server.afas.envelope import element, envelope
from server.afas.errors import (
    AfasAuthError,
    AfasConnectionError,
    AfasConnectorBlocked,
    AfasConnectorDrift,
    AfasEnvironmentMismatch,
    AfasError,
    AfasFilterIgnored,
    AfasHTTPError,
    AfasInvalidFilter,
    AfasNotFound,
    AfasOutOfMemory,
    AfasPagingError,
    AfasPermissionError,
    AfasQueryTooLong,
    AfasRequestRefused,
    AfasResponseError,
    AfasServerError,
    AfasTimeout,
    AfasTooFewRows,
    AfasTransientError,
    AfasTransportError,
    AfasUnavailable,
    AfasUnexpectedResponse,
    AfasUnknownField,
    AfasValidationError,
    AfasValueError,
    AfasWriteOutcomeUnknown,
)
from server.afas.filters import Filter, FilterGroup, Operator
from server.afas.models import (
    ConnectorMeta,
    ConnectorRef,
    EnvironmentInfo,
    FieldMeta,
    MetaInfo,
    Page,
    ReadWarning,
    Row,
    UpdateConnectorMeta,
    UpdateResult,
)

__all__ = [
    "AfasAuthError",
    "AfasClient",
    "AfasConnectionError",
    "AfasConnectorBlocked",
    "AfasConnectorDrift",
    "AfasEnvironmentMismatch",
    "AfasError",
    "AfasFilterIgnored",
    "AfasHTTPError",
    "AfasInvalidFilter",
    "AfasNotFound",
    "AfasOutOfMemory",
    "AfasPagingError",
    "AfasPermissionError",
    "AfasQueryTooLong",
    "AfasRequestRefused",
    "AfasResponseError",
    "AfasServerError",
    "AfasTimeout",
    "AfasTooFewRows",
    "AfasTransientError",
    "AfasTransportError",
    "AfasUnavailable",
    "AfasUnexpectedResponse",
    "AfasUnknownField",
    "AfasValidationError",
    "AfasValueError",
    "AfasWriteOutcomeUnknown",
    "ConnectorMeta",
    "ConnectorRef",
    "EnvironmentInfo",
    "FieldMeta",
    "Filter",
    "FilterGroup",
    "MetaDiff",
    "MetaInfo",
    "Operator",
    "Page",
    "ReadWarning",
    "RetryPolicy",
    "Row",
    "RowStream",
    "UpdateConnectorMeta",
    "UpdateResult",
    "element",
    "envelope",
]
