"""One HTTP call to AFAS: limits, the documented retries, and AFAS's answer turned into errors.

Retries are for reads only and only for what AFAS documents as transient: 503 (honouring
`retry_after` up to a bound) and connection errors, with exponential backoff and a bound. A 401
or 403 fails at once (R11, W15). Writes are never retried (W16): a write that lost its answer
raises `AfasWriteOutcomeUnknown`.

Errors are read from the body only, never from the obsolete `X-PROFIT-ERROR` header (R18).
Nothing here logs or formats a header, so the token cannot leak through a log line.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import TypeVar

import httpx

from server.afas._limits import Clock, Limits, Sleep
from server.afas.errors import (
    AfasAuthError,
    AfasConnectionError,
    AfasConnectorBlocked,
    AfasHTTPError,
    AfasNotFound,
    AfasOutOfMemory,
    AfasPermissionError,
    AfasServerError,
    AfasTimeout,
    AfasTransientError,
    AfasUnavailable,
    AfasValidationError,
    AfasWriteOutcomeUnknown,
)

__all__ = ["RetryPolicy", "Session", "error_for"]

log = logging.getLogger("server.afas")

# Lower-cased fragments of AFAS messages (English and Dutch) that decide the error class.
_OUT_OF_MEMORY = ("out of memory", "out of string space", "onvoldoende geheugen")
_NOT_LINKED = (
    "not supported for this app",
    "niet ondersteund",
    "not authorized",
    "niet geautoriseerd",
)
_BLOCKED_CONNECTOR = (
    "getconnector (definition) is blocked",
    "getconnector (definitie) is geblokkeerd",
)
_TRANSIENT = (
    "locked by another user",
    "blocked by another user",
    "in use by another user",
    "geblokkeerd door een andere gebruiker",
    "in gebruik door een andere gebruiker",
    "vergrendeld",
)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How reads are retried.

    Attributes:
        attempts: total attempts for a read (1 means no retry).
        backoff: first backoff in seconds; doubles per attempt up to `max_backoff`.
        max_backoff: the longest backoff.
        max_retry_after: the longest `retry_after` of a 503 the client waits out; a longer one
            raises `AfasUnavailable` with the time AFAS asked for.
    """

    attempts: int = 4
    backoff: float = 0.5
    max_backoff: float = 8.0
    max_retry_after: float = 60.0

    def delay(self, attempt: int) -> float:
        """Backoff before attempt `attempt + 1`."""
        return float(min(self.max_backoff, self.backoff * 2 ** (attempt - 1)))


class Session:
    """The HTTP layer under `AfasClient`; one per client."""

    def __init__(
        self,
        *,
        base_url: str,
        auth: httpx.Auth,
        headers: Mapping[str, str],
        timeout: float,
        rate_per_minute: int,
        max_parallel: int,
        transport: httpx.AsyncBaseTransport | None,
        sleep: Sleep,
        clock: Clock,
        retry: RetryPolicy,
    ) -> None:
        self._http = httpx.AsyncClient(
            base_url=base_url,
            auth=auth,
            headers=dict(headers),
            timeout=httpx.Timeout(timeout),
            transport=transport,
            limits=httpx.Limits(max_connections=max_parallel + 2),
            follow_redirects=False,
        )
        self.limits = Limits(
            rate_per_minute=rate_per_minute, max_parallel=max_parallel, clock=clock, sleep=sleep
        )
        self._sleep = sleep
        self._clock = clock
        self.retry = retry

    async def aclose(self) -> None:
        await self._http.aclose()

    async def send(
        self,
        method: str,
        path: str,
        *,
        query: str = "",
        content: bytes | None = None,
        connector: str | None = None,
        lock: str | None = None,
    ) -> httpx.Response:
        """Send one call and return a 2xx response, or raise the matching `AfasError`.

        Args:
            method: GET for reads; POST, PUT and DELETE are writes and never retried.
            path: the path under the base URL, already percent-encoded.
            query: the query string, already percent-encoded, without `?`.
            content: a JSON body for writes.
            connector: named in errors.
            lock: the resource to serialise on (the connector id); None for none.
        """
        url = f"{path}?{query}" if query else path
        write = method != "GET"
        headers = {"Content-Type": "application/json;charset=utf-8"} if content is not None else {}
        async with AsyncExitStack() as stack:
            if lock is not None:
                await stack.enter_async_context(self.limits.connector_lock(lock))
            attempt = 0
            while True:
                attempt += 1
                started = self._clock()
                try:
                    async with self.limits.slot():
                        response = await self._http.request(
                            method, url, content=content, headers=headers
                        )
                except httpx.TransportError as exc:
                    failure = _transport_error(exc, method=method, connector=connector)
                    if write or attempt >= self.retry.attempts:
                        raise failure from None
                    delay = self.retry.delay(attempt)
                    log.warning("%s %s failed (%s); retry in %.1f s", method, path, failure, delay)
                    await self._sleep(delay)
                    continue
                log.debug(
                    "%s %s -> %s in %.3f s (attempt %d, query %d chars)",
                    method,
                    path,
                    response.status_code,
                    self._clock() - started,
                    attempt,
                    len(query),
                )
                error = error_for(response, connector=connector)
                if error is None:
                    return response
                if isinstance(error, AfasUnavailable) and not write:
                    wait = self._unavailable_delay(error, attempt)
                    if wait is not None:
                        log.warning("%s %s: AFAS unavailable; retry in %.1f s", method, path, wait)
                        await self._sleep(wait)
                        continue
                raise error
        raise AssertionError("unreachable")  # pragma: no cover

    def _unavailable_delay(self, error: AfasUnavailable, attempt: int) -> float | None:
        if attempt >= self.retry.attempts:
            return None
        if error.retry_after is None:
            return self.retry.delay(attempt)
        if error.retry_after <= self.retry.max_retry_after:
            return error.retry_after
        return None


def _transport_error(exc: httpx.TransportError, *, method: str, connector: str | None) -> Exception:
    # Described by class and OS message only: the httpx exception holds the request and its
    # Authorization header, so it is never chained or formatted whole.
    cause = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    not_sent = isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)
    if method != "GET" and not not_sent:
        return AfasWriteOutcomeUnknown(
            f"the {method} was sent but no answer came back ({cause}); AFAS may have applied it. "
            "Look the record up to reconcile; do not send it again blindly",
            connector=connector,
            method=method,
        )
    if isinstance(exc, httpx.TimeoutException) and not not_sent:
        return AfasTimeout(
            f"AFAS did not answer in time ({cause}); it may still be working on the call",
            connector=connector,
        )
    suffix = "; nothing was sent" if method != "GET" else ""
    return AfasConnectionError(f"could not reach AFAS ({cause}){suffix}", connector=connector)


def _body(response: httpx.Response) -> dict[str, object]:
    try:
        parsed = json.loads(response.content) if response.content.strip() else None
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def _retry_after(response: httpx.Response, body: Mapping[str, object]) -> float | None:
    for raw in (body.get("retry_after"), response.headers.get("Retry-After")):
        try:
            seconds = float(raw) if raw is not None else None  # type: ignore[arg-type]
        except (TypeError, ValueError):
            continue
        if seconds is not None and seconds >= 0:
            return seconds
    return None


def _text(value: object) -> str | None:
    if isinstance(value, dict):  # AFAS's own 503 example nests {"example": "..."}
        value = value.get("example")
    return str(value) if value not in (None, "") else None


@dataclass(frozen=True, slots=True)
class _Details:
    connector: str | None
    status_code: int
    external_message: str | None
    error_number: int | None
    profit_log_reference: str | None


_E = TypeVar("_E", bound=AfasHTTPError)


def _make(cls: type[_E], message: str, details: _Details) -> _E:
    return cls(
        message,
        connector=details.connector,
        status_code=details.status_code,
        external_message=details.external_message,
        error_number=details.error_number,
        profit_log_reference=details.profit_log_reference,
    )


def error_for(response: httpx.Response, *, connector: str | None) -> AfasHTTPError | None:
    """Return the error an answer means, or None for a 2xx. Reads the body, never headers."""
    status = response.status_code
    if 200 <= status < 300:
        return None
    body = _body(response)
    number = body.get("errorNumber")
    details = _Details(
        connector=connector,
        status_code=status,
        external_message=_text(body.get("externalMessage")),
        error_number=number if isinstance(number, int) and not isinstance(number, bool) else None,
        profit_log_reference=_text(body.get("profitLogReference")),
    )
    if status == 401:
        challenge = response.headers.get("WWW-Authenticate", "")
        hint = " (invalid_token)" if "invalid_token" in challenge else ""
        return _make(
            AfasAuthError,
            f"AFAS refused the credentials{hint}: the token is wrong, revoked, or its user lost "
            "rights. Not retried; fix AFAS_TOKEN (or the OAuth client) and run `afas-mcp check`",
            details,
        )
    if status == 403:
        return _make(
            AfasPermissionError,
            "AFAS refused the call (403): the App Connector restricts IP addresses, or this "
            "connector is not linked to it. An AFAS administrator must change that",
            details,
        )
    if status == 404:
        return _make(
            AfasNotFound,
            "AFAS answered 404: the connector or URL does not exist (AFAS also answers 404 to a "
            "query string over 2049 characters); this does not mean a record is missing",
            details,
        )
    if status == 503:
        error = body.get("error")
        message = _text(error.get("message")) if isinstance(error, dict) else None
        retry_after = _retry_after(response, body)
        when = f"; retry after {retry_after:g} s" if retry_after is not None else ""
        return AfasUnavailable(
            f"AFAS is unavailable ({message or 'maintenance or no capacity'}){when}",
            connector=connector,
            retry_after=retry_after,
        )
    if status >= 500:
        return _server_error(details)
    answer = f"AFAS answered {status} {response.reason_phrase}".rstrip()
    return _make(AfasHTTPError, answer, details)


def _server_error(details: _Details) -> AfasHTTPError:
    external = details.external_message
    if not external:
        return _make(AfasServerError, "AFAS failed with a server error and no explanation", details)
    lowered = external.lower()
    if any(part in lowered for part in _OUT_OF_MEMORY):
        return _make(
            AfasOutOfMemory,
            f"too much data for one call ({external}); ask for fewer rows per page",
            details,
        )
    if any(part in lowered for part in _BLOCKED_CONNECTOR):
        return _make(
            AfasConnectorBlocked,
            f"AFAS has blocked this GetConnector ({external}); an AFAS administrator must "
            "unblock it (General / Output / Management / GetConnector)",
            details,
        )
    if any(part in lowered for part in _NOT_LINKED):
        return _make(
            AfasPermissionError,
            f"the token may not use this connector ({external}); an AFAS administrator must "
            "link it to the App Connector",
            details,
        )
    if any(part in lowered for part in _TRANSIENT):
        return _make(
            AfasTransientError,
            f"AFAS refused the call for now ({external}); it may succeed when tried again later",
            details,
        )
    return _make(AfasValidationError, f"AFAS refused the call: {external}", details)
