"""How AFAS's answers become typed errors (W15, R18). Pure: responses built in memory."""

from __future__ import annotations

import json

import httpx
import pytest

from server.afas._http import error_for
from server.afas.errors import (
    AfasAuthError,
    AfasConnectorBlocked,
    AfasHTTPError,
    AfasNotFound,
    AfasOutOfMemory,
    AfasPermissionError,
    AfasServerError,
    AfasTransientError,
    AfasUnavailable,
    AfasValidationError,
)


def response(status: int, body: object = None, **headers: str) -> httpx.Response:
    content = b"" if body is None else json.dumps(body).encode()
    return httpx.Response(status, content=content, headers=headers)


def afas_body(message: str) -> dict[str, object]:
    return {
        "externalMessage": message,
        "errorNumber": -2147220469,
        "profitLogReference": "B8213AF1C3C54E579686406A8DE71C6C",
    }


def test_success_is_no_error() -> None:
    assert error_for(response(200, {"rows": []}), connector="X") is None
    assert error_for(response(201), connector="X") is None


def test_W15_validation_body_is_parsed_into_its_fields() -> None:
    body = afas_body("The entered value for 'Employee' does not exist.")
    error = error_for(response(500, body), connector="KnEmployee")
    assert isinstance(error, AfasValidationError)
    assert error.external_message == "The entered value for 'Employee' does not exist."
    assert error.error_number == -2147220469
    assert error.profit_log_reference == "B8213AF1C3C54E579686406A8DE71C6C"
    assert error.connector == "KnEmployee"
    text = str(error)
    assert "KnEmployee" in text
    assert "does not exist" in text
    assert "B8213AF1C3C54E579686406A8DE71C6C" in text


def test_R18_errors_come_from_the_body_never_the_obsolete_header() -> None:
    error = error_for(
        response(500, afas_body("from the body"), **{"X-PROFIT-ERROR": "from the header"}),
        connector="X",
    )
    assert error is not None
    assert error.external_message == "from the body"
    assert "from the header" not in str(error)
    bare = error_for(response(500, None, **{"X-PROFIT-ERROR": "header only"}), connector="X")
    assert type(bare) is AfasServerError
    assert "header only" not in str(bare)


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("Out of memory", AfasOutOfMemory),
        ("Out of String space", AfasOutOfMemory),
        ("This GetConnector (definition) is blocked", AfasConnectorBlocked),
        (
            "GetConnector not supported for this app or the user is not authorized",
            AfasPermissionError,
        ),
        (
            "General message: Deze UpdateConnector wordt niet ondersteund of de gebruiker is "
            "niet geautoriseerd.",
            AfasPermissionError,
        ),
        ("The booking layout is locked by another user", AfasTransientError),
        ("An unexpected error has occurred.", AfasValidationError),
    ],
)
def test_W15_500s_are_classified_by_afas_message(message: str, kind: type[Exception]) -> None:
    error = error_for(response(500, afas_body(message)), connector="X")
    assert type(error) is kind


def test_R11_401_is_an_auth_error_with_what_to_do() -> None:
    error = error_for(
        response(401, None, **{"WWW-Authenticate": 'Bearer error="invalid_token"'}), connector="X"
    )
    assert isinstance(error, AfasAuthError)
    assert "invalid_token" in str(error)
    assert "Not retried" in str(error)


def test_403_is_a_permission_error_naming_the_ip_restriction() -> None:
    error = error_for(response(403), connector="X")
    assert isinstance(error, AfasPermissionError)
    assert "IP" in str(error)


def test_R16_404_says_it_is_not_a_missing_record() -> None:
    error = error_for(response(404), connector="X")
    assert isinstance(error, AfasNotFound)
    assert "2049" in str(error)


def test_W11_503_carries_retry_after_from_the_body_or_the_header() -> None:
    body = {
        "error": {"code": {"example": "503"}, "message": {"example": "maintenance"}},
        "retry_after": 7200,
    }
    error = error_for(response(503, body), connector="X")
    assert isinstance(error, AfasUnavailable)
    assert error.retry_after == 7200
    assert "maintenance" in str(error)
    from_header = error_for(response(503, None, **{"Retry-After": "30"}), connector="X")
    assert isinstance(from_header, AfasUnavailable)
    assert from_header.retry_after == 30


def test_other_statuses_are_http_errors() -> None:
    error = error_for(response(400, {"message": "Invalid json"}), connector="X")
    assert type(error) is AfasHTTPError
    assert error.status_code == 400
