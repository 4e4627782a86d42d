"""AFAS-shaped error responses: 500 bodies, empty 401/403/404, 503 with retry_after."""

from __future__ import annotations

import json
import random
import threading
from typing import Any

from starlette.responses import Response

JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "application/xml"  # what AFAS's empty 401/403/404 examples declare

# AFAS's error numbers are mostly generic (troubleshooting.md); these are the ones seen in its
# docs and in client captures, plus Windows' E_OUTOFMEMORY for the documented out-of-memory case.
UNEXPECTED = -2147180999
VALUE_DOES_NOT_EXIST = -2147220469
NOT_SUPPORTED = -2147180996
OUT_OF_MEMORY = -2147024882


class AfasError(Exception):
    """A functional error AFAS reports as HTTP 500 with `externalMessage` and `errorNumber`."""

    def __init__(self, message: str, error_number: int = UNEXPECTED) -> None:
        super().__init__(message)
        self.message = message
        self.error_number = error_number


class LogReferences:
    """Profit log references: 32 upper-case hex characters, reproducible from a seed."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(f"{seed}:log")  # noqa: S311 - references, not secrets
        self._lock = threading.Lock()

    def next(self) -> str:
        with self._lock:
            return f"{self._rng.getrandbits(128):032X}"


def json_bytes(payload: Any) -> bytes:
    """Compact JSON, as Profit 7 and later send it."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


def json_response(
    payload: Any, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    """A compact JSON response with AFAS's content type."""
    return Response(json_bytes(payload), status, headers=headers, media_type=JSON_TYPE)


def empty(status: int, headers: dict[str, str] | None = None) -> Response:
    """401, 403 and 404: no body, as the OpenAPI examples show them.

    Those examples carry `Content-Length: 0` and `Content-Type: application/xml` (afas-api.md
    1.3, 6.4): a client must not take the content type of an error answer as a promise of JSON.
    """
    return Response(b"", status, headers=headers, media_type=XML_TYPE)


def error_500(error: AfasError, reference: str, *, x_profit_error: str | None = None) -> Response:
    """The AFAS 500 body; with `x_profit_error` also the obsolete header (quirk R18)."""
    body = {
        "externalMessage": error.message,
        "errorNumber": error.error_number,
        "profitLogReference": reference,
    }
    headers = {"X-PROFIT-ERROR": x_profit_error} if x_profit_error is not None else None
    return json_response(body, 500, headers)


def unavailable(retry_after: int, message: str) -> Response:
    """503 with the body troubleshooting.md shows (without its doubled `example` nesting)."""
    body = {"error": {"code": "503", "message": message}, "retry_after": retry_after}
    return json_response(body, 503, {"Retry-After": str(retry_after)})
