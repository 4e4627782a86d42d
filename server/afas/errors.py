"""Errors the AFAS client raises; it never returns an error as a value.

A 200 OK from AFAS proves nothing, so the tree has a branch for answers that arrived but cannot be
trusted, next to the usual transport and status branches::

    AfasError
    ├── AfasTransportError              no usable HTTP answer
    │   ├── AfasConnectionError         could not connect, or a read lost its connection
    │   │   └── AfasTimeout             a read timed out (AFAS may still be working on it)
    │   └── AfasWriteOutcomeUnknown     a write was sent and no answer came back (W16)
    ├── AfasHTTPError                   AFAS answered with an error status
    │   ├── AfasAuthError               401: token or OAuth client invalid or revoked (R11)
    │   ├── AfasPermissionError         403 IP restriction, or the connector is not linked
    │   ├── AfasNotFound                404: wrong URL (or a query string over 2049 characters)
    │   ├── AfasUnavailable             503: maintenance or no capacity; carries retry_after
    │   └── AfasServerError             500 and other 5xx
    │       ├── AfasValidationError     500 functional validation failure (W15)
    │       ├── AfasOutOfMemory         500 "Out of memory": the page was too large (R13)
    │       ├── AfasConnectorBlocked    500: AFAS blocked the GetConnector (W11)
    │       └── AfasTransientError      500 AFAS documents as worth a retry (layout locked)
    ├── AfasEnvironmentMismatch         AFAS reports another environment than the pin (R10)
    ├── AfasRequestRefused              refused before sending; nothing reached AFAS
    │   ├── AfasUnknownField            a filter, sort or key field not in metainfo (R2)
    │   ├── AfasInvalidFilter           a value or operator that cannot match the field (R2)
    │   └── AfasQueryTooLong            the query string would pass 2049 characters (R16)
    └── AfasResponseError               an answer arrived but cannot be trusted
        ├── AfasUnexpectedResponse      not the documented shape
        ├── AfasValueError              a value that does not fit its metainfo dataType (R4)
        ├── AfasFilterIgnored           rows that violate the filter asked for (R14)
        ├── AfasPagingError             pages that do not join up (R12, R15)
        ├── AfasTooFewRows              fewer rows than the declared floor (R2)
        └── AfasConnectorDrift          a required field is gone or changed type (R6)

Every message names the connector and, where AFAS gave them, its message and log reference. No
message ever holds the token, the OAuth secret or an access token: errors are built from parsed
fields only, never from request headers, and the httpx exception that caused a transport error is
not chained (its request carries the Authorization header).
"""

from __future__ import annotations

__all__ = [
    "AfasAuthError",
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
]


class AfasError(Exception):
    """Base of every error the AFAS client raises.

    Attributes:
        message: what went wrong and, where possible, what to do about it.
        connector: the connector involved, when there is one.
    """

    def __init__(self, message: str, *, connector: str | None = None) -> None:
        self.message = message
        self.connector = connector
        super().__init__(self._text())

    def _text(self) -> str:
        return f"{self.connector}: {self.message}" if self.connector else self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._text()!r})"


# --- no usable answer -----------------------------------------------------------------------


class AfasTransportError(AfasError):
    """No usable HTTP answer came back."""


class AfasConnectionError(AfasTransportError):
    """Could not reach AFAS, or a read lost its connection; nothing was changed in AFAS."""


class AfasTimeout(AfasConnectionError):
    """A read timed out; AFAS may still be working on it, so back off before asking again."""


class AfasWriteOutcomeUnknown(AfasTransportError):
    """A write was sent but no answer came back: it may or may not have been applied (W16).

    AFAS keeps processing after a client gives up (its own limit is 900 seconds). Reconcile by
    looking the record up; never send the write again blindly.

    Attributes:
        method: the HTTP method of the write.
    """

    def __init__(self, message: str, *, connector: str | None = None, method: str) -> None:
        self.method = method
        super().__init__(message, connector=connector)


# --- AFAS answered with an error status ---------------------------------------------------------


class AfasHTTPError(AfasError):
    """AFAS answered with an error status.

    Attributes:
        status_code: the HTTP status.
        external_message: AFAS's `externalMessage`, when the body had one.
        error_number: AFAS's `errorNumber` (usually generic; do not branch on it).
        profit_log_reference: AFAS's `profitLogReference`; an administrator finds the full error
            in the environment log with it.
    """

    def __init__(
        self,
        message: str,
        *,
        connector: str | None = None,
        status_code: int,
        external_message: str | None = None,
        error_number: int | None = None,
        profit_log_reference: str | None = None,
    ) -> None:
        self.status_code = status_code
        self.external_message = external_message
        self.error_number = error_number
        self.profit_log_reference = profit_log_reference
        super().__init__(message, connector=connector)

    def _text(self) -> str:
        text = f"HTTP {self.status_code}: {super()._text()}"
        if self.external_message and self.external_message not in self.message:
            text += f" AFAS says: {self.external_message}"
        if self.profit_log_reference:
            text += f" (AFAS log reference {self.profit_log_reference})"
        return text


class AfasAuthError(AfasHTTPError):
    """401: the credentials were refused. Never retried: it fails again until someone acts (R11)."""


class AfasPermissionError(AfasHTTPError):
    """403 (IP restriction), or a connector not linked to the App Connector's token."""


class AfasNotFound(AfasHTTPError):
    """404: a wrong URL; AFAS also answers 404 to a query string over 2049 characters (R16)."""


class AfasUnavailable(AfasHTTPError):
    """503: AFAS is in maintenance or has no capacity.

    Attributes:
        retry_after: seconds AFAS asked us to wait, when it said.
    """

    def __init__(
        self,
        message: str,
        *,
        connector: str | None = None,
        status_code: int = 503,
        retry_after: float | None = None,
    ) -> None:
        self.retry_after = retry_after
        super().__init__(message, connector=connector, status_code=status_code)


class AfasServerError(AfasHTTPError):
    """500 or another 5xx."""


class AfasValidationError(AfasServerError):
    """500 with AFAS's error body: the request was refused on its content (W15)."""


class AfasOutOfMemory(AfasServerError):
    """500 "Out of memory" / "Out of String space": ask for fewer rows per page (R13)."""


class AfasConnectorBlocked(AfasServerError):
    """500: AFAS blocked this GetConnector under its fair-use policy (W11).

    An administrator must unblock it in Profit; retrying does not help.
    """


class AfasTransientError(AfasServerError):
    """A 500 AFAS documents as worth retrying (a journal or booking layout locked by a user).

    The client does not retry writes itself (W16); the caller may, because AFAS refused the
    request before applying it.
    """


# --- environment pin ---------------------------------------------------------------------------


class AfasEnvironmentMismatch(AfasError):
    """AFAS reports another environment than the pinned one; every later call is refused (R10).

    Attributes:
        expected: the pinned environment (`AFAS_ENVIRONMENT_ID` and type).
        reported: what AFAS reported (`info.envid` of `/metainfo`), or None when it reported none.
    """

    def __init__(self, message: str, *, expected: str, reported: str | None) -> None:
        self.expected = expected
        self.reported = reported
        super().__init__(message)


# --- refused before sending ---------------------------------------------------------------------


class AfasRequestRefused(AfasError):
    """The client refused to send the request; nothing reached AFAS."""


class AfasUnknownField(AfasRequestRefused):
    """A filter, sort, key or required field that the connector's metainfo does not list (R2).

    Attributes:
        field: the unknown field id.
        suggestions: field ids of the connector that look alike.
    """

    def __init__(
        self, message: str, *, connector: str, field: str, suggestions: tuple[str, ...] = ()
    ) -> None:
        self.field = field
        self.suggestions = suggestions
        super().__init__(message, connector=connector)


class AfasInvalidFilter(AfasRequestRefused):
    """A filter value or operator that cannot match the field's dataType (R2, R14)."""


class AfasQueryTooLong(AfasRequestRefused):
    """The query string would pass AFAS's 2049-character limit and cannot be split (R16)."""


# --- an answer that cannot be trusted -----------------------------------------------------------


class AfasResponseError(AfasError):
    """AFAS answered, but the answer cannot be trusted."""


class AfasUnexpectedResponse(AfasResponseError):
    """The body is not the documented shape (not JSON, no `rows`, ...)."""


class AfasValueError(AfasResponseError):
    """A value that does not fit its metainfo dataType, or that could be read two ways (R4, R7)."""


class AfasFilterIgnored(AfasResponseError):
    """AFAS returned rows that violate the filter asked for: it answered another question (R14)."""


class AfasPagingError(AfasResponseError):
    """Consecutive pages do not join up, so rows may be missing (R12, R15)."""


class AfasTooFewRows(AfasResponseError):
    """Fewer rows than the declared floor: likely a filter that silently matched nothing (R2)."""


class AfasConnectorDrift(AfasResponseError):
    """The connector's shape changed: a required field is gone or has another type (R6).

    Attributes:
        fields: the required fields that are missing or changed.
    """

    def __init__(self, message: str, *, connector: str, fields: tuple[str, ...]) -> None:
        self.fields = fields
        super().__init__(message, connector=connector)
