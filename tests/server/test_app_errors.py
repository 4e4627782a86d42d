"""One mapping from exceptions to what the agent sees: each kind says what to do next."""

from __future__ import annotations

import pytest

from server.afas import errors
from server.app import to_tool_error
from server.outcomes import (
    AFAS_ERRORS,
    AfasUnavailableForTools,
    InvalidToolInput,
    ToolConfigurationError,
    UnknownRecord,
)

FIX = "Change the arguments as described and call the tool again."
LATER = "Nothing is wrong with the call itself; try again later."
TERMINAL = "Retrying will not help; tell the user, who must fix this outside the agent."

CASES = [
    pytest.param(
        InvalidToolInput("limit 900 is over the maximum", hint="Use at most 500"),
        ["limit 900 is over the maximum. Use at most 500.", FIX],
        id="invalid-input",
    ),
    pytest.param(
        UnknownRecord("employee", "4711", hint="Find the id with search_employees"),
        ["No employee with id '4711' exists in AFAS.", "search_employees", FIX],
        id="unknown-record",
    ),
    pytest.param(
        AfasUnavailableForTools("connection refused at start", retry_after=30),
        ["AFAS is not available: connection refused at start.", "wait 30 seconds", LATER],
        id="afas-unavailable-for-tools",
    ),
    pytest.param(
        ToolConfigurationError("No connector is configured for 'payroll_periods'"),
        ["payroll_periods", TERMINAL],
        id="configuration",
    ),
    pytest.param(
        errors.AfasValidationError(
            "AFAS refused the insert",
            connector="KnEmployee",
            status_code=500,
            external_message="Werkgever 99 bestaat niet.",
            profit_log_reference="LOG-123",
        ),
        ["KnEmployee", "Werkgever 99 bestaat niet.", "AFAS log reference LOG-123", FIX],
        id="afas-validation",
    ),
    pytest.param(
        errors.AfasAuthError("token refused", status_code=401),
        ["credentials", "afas-mcp check", TERMINAL],
        id="afas-auth",
    ),
    pytest.param(
        errors.AfasPermissionError("not linked", connector="Profit_Debtor", status_code=403),
        ["Profit_Debtor", "not linked to this server's App Connector", TERMINAL],
        id="afas-permission",
    ),
    pytest.param(
        errors.AfasEnvironmentMismatch(
            "AFAS reports O99999AA", expected="O12345AA test", reported="O99999AA"
        ),
        ["another environment", "O99999AA", "AFAS_ENVIRONMENT_ID", TERMINAL],
        id="environment-mismatch",
    ),
    pytest.param(
        errors.AfasUnavailable("maintenance", retry_after=120),
        ["maintenance", "wait 120 seconds", LATER],
        id="afas-503",
    ),
    pytest.param(
        errors.AfasTimeout("read timed out", connector="Profit_Debtor"),
        ["could not be reached", "read timed out", LATER],
        id="afas-timeout",
    ),
    pytest.param(
        errors.AfasWriteOutcomeUnknown("no answer", connector="FiEntries", method="POST"),
        ["may or may not have been applied", "Do NOT send it again", TERMINAL],
        id="write-outcome-unknown",
    ),
    pytest.param(
        errors.AfasUnknownField(
            "field 'DebtorNmae' not in metainfo",
            connector="Profit_Debtor",
            field="DebtorNmae",
            suggestions=("DebtorName",),
        ),
        ["DebtorNmae", "Did you mean DebtorName?", FIX],
        id="unknown-field",
    ),
    pytest.param(
        errors.AfasInvalidFilter("'abc' is not a date", connector="Profit_Debtor"),
        ["'abc' is not a date", FIX],
        id="invalid-filter",
    ),
    pytest.param(
        errors.AfasOutOfMemory("Out of memory", connector="Profit_Debtor", status_code=500),
        ["fewer rows", FIX],
        id="out-of-memory",
    ),
    pytest.param(
        errors.AfasConnectorBlocked("blocked", connector="Profit_Debtor", status_code=500),
        ["unblock", TERMINAL],
        id="connector-blocked",
    ),
    pytest.param(
        errors.AfasFilterIgnored("3 rows violate DebtorId = 1", connector="Profit_Debtor"),
        ["ignored the filter", "discarded", TERMINAL],
        id="filter-ignored",
    ),
    pytest.param(
        errors.AfasConnectorDrift(
            "WageTaxNumber is gone", connector="AfasMcp_Employees", fields=("WageTaxNumber",)
        ),
        ["changed shape", "WageTaxNumber", TERMINAL],
        id="drift",
    ),
    pytest.param(
        errors.AfasPagingError("page 2 overlaps page 1", connector="Profit_Debtor"),
        ["did not join up", LATER],
        id="paging",
    ),
]


@pytest.mark.parametrize(("exc", "expected"), CASES)
def test_each_known_error_tells_the_agent_what_happened_and_what_to_do(
    exc: BaseException, expected: list[str]
) -> None:
    text = str(to_tool_error(exc, tool="some_tool"))
    for part in expected:
        assert part in text


def test_an_unknown_exception_gets_a_reference_and_no_detail(
    caplog: pytest.LogCaptureFixture,
) -> None:
    text = str(to_tool_error(KeyError("AFAS_TOKEN"), tool="some_tool"))
    assert "AFAS_TOKEN" not in text
    assert "Internal error in afas-mcp (reference " in text
    assert TERMINAL in text
    assert "some_tool" in caplog.records[-1].getMessage()


def test_a_foreign_cursor_refused_before_sending_is_fix_your_input() -> None:
    # What `fetch_page` raises for a cursor of another search: the base AfasRequestRefused.
    refused = errors.AfasRequestRefused(
        "the cursor belongs to another query; start again without a cursor",
        connector="Profit_Debtor",
    )
    text = str(to_tool_error(refused, tool="query_connector"))
    assert "refused before anything reached AFAS" in text
    assert "start again without a cursor" in text
    assert text.endswith(FIX)


def _error_classes() -> list[type[errors.AfasError]]:
    found = [getattr(errors, name) for name in errors.__all__]
    return [c for c in found if isinstance(c, type) and issubclass(c, errors.AfasError)]


@pytest.mark.parametrize("cls", _error_classes(), ids=lambda c: c.__name__)
def test_every_afas_error_class_has_a_kind_of_its_own(cls: type[errors.AfasError]) -> None:
    # Inheriting a base's kind by accident is how a refused cursor became 'terminal': a new
    # class in server.afas.errors must be given its kind on purpose.
    assert cls in {listed for listed, _, _ in AFAS_ERRORS}, f"add {cls.__name__} to AFAS_ERRORS"


def test_every_afas_error_class_is_listed_before_its_bases() -> None:
    order = [listed for listed, _, _ in AFAS_ERRORS]
    for index, cls in enumerate(order):
        bases = [earlier for earlier in order[:index] if issubclass(cls, earlier)]
        assert not bases, f"{cls.__name__} comes after its base {bases[0].__name__}: unreachable"
    assert len(order) == len(set(order))
