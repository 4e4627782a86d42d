"""The AFAS gate: tools get the client only while the connection and the environment pin hold."""

from __future__ import annotations

import pytest

from server.afas.errors import (
    AfasAuthError,
    AfasConnectionError,
    AfasEnvironmentMismatch,
    AfasError,
    AfasPermissionError,
)
from server.outcomes import AfasUnavailableForTools, ToolConfigurationError
from tools.deps import AfasGate

pytestmark = pytest.mark.anyio


class FakeClient:
    """Answers verify_environment from a script of outcomes (None = OK)."""

    base_url = "http://127.0.0.1:9/ProfitRestServices"

    def __init__(self, *outcomes: Exception | None) -> None:
        self.outcomes = list(outcomes)
        self.verifications = 0

    async def verify_environment(self) -> None:
        self.verifications += 1
        outcome = self.outcomes.pop(0) if len(self.outcomes) > 1 else self.outcomes[0]
        if outcome is not None:
            raise outcome


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def down() -> AfasConnectionError:
    return AfasConnectionError("could not connect to 127.0.0.1:9 (connection refused)")


def mismatch() -> AfasEnvironmentMismatch:
    return AfasEnvironmentMismatch(
        "AFAS reports environment T99999AA, but 12345 is pinned",
        expected="12345 (test)",
        reported="T99999AA",
    )


async def test_a_reachable_afas_hands_out_the_client_and_is_not_asked_again() -> None:
    client = FakeClient(None)
    gate = AfasGate(client, monotonic=Clock())  # type: ignore[arg-type]
    assert await gate.check()
    assert await gate.client() is client
    assert await gate.client() is client
    assert client.verifications == 1


async def test_an_unreachable_afas_is_reported_and_retried_after_the_interval() -> None:
    clock = Clock()
    client = FakeClient(down(), down(), None)
    gate = AfasGate(client, retry_interval=5, monotonic=clock)  # type: ignore[arg-type]
    assert not await gate.check()
    assert gate.problem is not None and "connection refused" in gate.problem
    with pytest.raises(AfasUnavailableForTools, match="connection refused"):
        await gate.client()  # within the interval: the cached failure, AFAS is not asked
    assert client.verifications == 1
    clock.now += 5
    with pytest.raises(AfasUnavailableForTools, match="tries again on the next call"):
        await gate.client()
    clock.now += 5
    assert await gate.client() is client  # AFAS is back: the server recovered
    assert client.verifications == 3
    assert gate.problem is None


async def test_an_environment_mismatch_shuts_the_gate_until_a_restart() -> None:
    clock = Clock()
    client = FakeClient(mismatch(), None)
    gate = AfasGate(client, retry_interval=0, monotonic=clock)  # type: ignore[arg-type]
    assert not await gate.check()
    for _ in range(3):
        clock.now += 3600
        with pytest.raises(ToolConfigurationError, match="T99999AA") as caught:
            await gate.client()
        assert "restart" in caught.value.agent_text()
    assert client.verifications == 1


async def test_the_pin_is_confirmed_again_after_the_reverify_interval() -> None:
    clock = Clock()
    client = FakeClient(None, mismatch())
    gate = AfasGate(client, reverify_interval=900, monotonic=clock)  # type: ignore[arg-type]
    assert await gate.client() is client
    clock.now += 900
    with pytest.raises(ToolConfigurationError):
        await gate.client()


def revoked() -> AfasAuthError:
    return AfasAuthError(
        "AFAS refused the token: it was revoked or the issuing user lost rights. Not retried; "
        "fix AFAS_TOKEN (or the OAuth client) and run `afas-mcp check`",
        status_code=401,
    )


def unlinked() -> AfasPermissionError:
    return AfasPermissionError("IP address not allowed", status_code=403)


@pytest.mark.parametrize("refusal", [revoked(), unlinked()], ids=["401", "403"])
async def test_credentials_refused_at_start_up_are_a_configuration_problem_not_try_later(
    refusal: AfasError,
) -> None:
    clock = Clock()
    client = FakeClient(refusal, None)
    gate = AfasGate(client, retry_interval=5, monotonic=clock)  # type: ignore[arg-type]
    assert not await gate.check()
    with pytest.raises(ToolConfigurationError) as caught:
        await gate.client()
    text = caught.value.agent_text()
    assert caught.value.kind == "terminal"
    assert str(refusal) in text
    assert "renew" in text and "relink" in text and "afas-mcp check" in text
    assert "try again later" not in text and "not available" not in text
    clock.now += 5
    assert await gate.client() is client  # relinked in AFAS: it works again without a restart
