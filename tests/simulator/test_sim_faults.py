"""Fault injection: latency, 500, 503, hangs and dropped connections, before and after a write."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
from sim_helpers import get
from starlette.responses import Response

from simulator.calls import Call
from simulator.errors import json_response
from simulator.testing import SimulatorHandle


@pytest.fixture
def writable(sim: SimulatorHandle) -> Iterator[SimulatorHandle]:
    """The simulator with a minimal KnSubject writer, standing in for the write side."""

    async def write_subject(call: Call) -> Response:
        fields = json.loads(call.body)["KnSubject"]["Element"]["Fields"]
        number = call.env.tenant.next_number("SbId")
        call.env.tenant.insert(
            "subjects",
            {"SbId": number, "StId": 1, "Ds": fields["Ds"], "Da": call.env.tenant.today()},
        )
        await sim.sim.after_apply(call)
        return json_response({"results": {"KnSubject": {"SbId": str(number)}}}, 201)

    # The session's simulator is shared: its own write side must come back after the test.
    previous, sim.sim.update_handler = sim.sim.update_handler, write_subject
    try:
        yield sim
    finally:
        sim.sim.update_handler = previous


def _post_subject(sim: SimulatorHandle, subject: str, timeout: float = 10) -> httpx.Response:
    return httpx.post(
        f"{sim.base_url}/connectors/KnSubject",
        json={"KnSubject": {"Element": {"Fields": {"StId": 1, "Ds": subject}}}},
        headers={"Authorization": sim.auth_header()},
        timeout=timeout,
    )


def test_latency_delays_the_answer(sim: SimulatorHandle) -> None:
    sim.faults.add("GET", "/connectors/Profit_Functions", "latency", seconds=0.2)
    assert get(sim, "/connectors/Profit_Functions").status_code == 200
    assert sim.request_log.last().duration_ms >= 200
    get(sim, "/connectors/Profit_Debtor")
    assert sim.request_log.last().duration_ms < 200


def test_a_forced_500_has_the_afas_body_and_applies_only_the_next_n_times(
    sim: SimulatorHandle,
) -> None:
    sim.faults.add("GET", "/connectors/*", "error_500", times=1, message="Boom")
    first = get(sim, "/connectors/Profit_Functions")
    assert first.status_code == 500
    assert first.json()["externalMessage"] == "Boom"
    assert get(sim, "/connectors/Profit_Functions").status_code == 200
    assert sim.faults.rules[0].hits == 1


def test_a_forced_503_carries_retry_after(sim: SimulatorHandle) -> None:
    sim.faults.add("*", "/metainfo", "error_503", retry_after=9)
    response = get(sim, "/metainfo")
    assert (response.status_code, response.json()["retry_after"]) == (503, 9)


def test_fault_paths_match_without_regard_to_case(sim: SimulatorHandle) -> None:
    sim.faults.add("get", "/CONNECTORS/profit_functions", "error_500")
    assert get(sim, "/connectors/Profit_Functions").status_code == 500


def test_a_hang_outlasts_the_client_timeout_and_the_log_shows_no_answer(
    sim: SimulatorHandle,
) -> None:
    sim.faults.add("GET", "/connectors/Profit_Functions", "hang")
    with pytest.raises(httpx.ReadTimeout):
        httpx.get(
            f"{sim.base_url}/connectors/Profit_Functions",
            headers={"Authorization": sim.auth_header()},
            timeout=0.3,
        )
    assert sim.request_log.last().status is None  # logged when the hang began


def test_a_hang_nobody_gives_up_on_ends_in_afas_timeout_500(sim: SimulatorHandle) -> None:
    sim.faults.add("GET", "/connectors/Profit_Functions", "hang", seconds=0.2)
    response = get(sim, "/connectors/Profit_Functions")
    assert response.status_code == 500
    assert "maximum duration" in response.json()["externalMessage"]


def test_a_dropped_connection_answers_nothing(sim: SimulatorHandle) -> None:
    sim.faults.add("GET", "/connectors/Profit_Functions", "drop", times=1)
    with pytest.raises(httpx.TransportError):
        get(sim, "/connectors/Profit_Functions")
    assert sim.request_log.last().status is None  # logged before the connection closed
    assert get(sim, "/connectors/Profit_Functions").status_code == 200


def test_drop_after_apply_stores_the_write_but_the_client_sees_a_connection_error(
    writable: SimulatorHandle,
) -> None:
    writable.faults.add("POST", "/connectors/KnSubject", "drop_after_apply", times=1)
    with pytest.raises(httpx.TransportError):
        _post_subject(writable, "Dropped after apply")
    assert writable.tenant.find("subjects", Ds="Dropped after apply")
    second = _post_subject(writable, "Answered")
    assert second.status_code == 201 and "SbId" in second.json()["results"]["KnSubject"]


def test_hang_after_apply_stores_the_write_while_the_client_times_out(
    writable: SimulatorHandle,
) -> None:
    writable.faults.add("POST", "/connectors/KnSubject", "hang_after_apply")
    with pytest.raises(httpx.ReadTimeout):
        _post_subject(writable, "Applied during a hang", timeout=0.3)
    assert writable.tenant.find("subjects", Ds="Applied during a hang")


def test_faults_before_apply_stop_the_write(writable: SimulatorHandle) -> None:
    writable.faults.add("POST", "/connectors/KnSubject", "drop")
    with pytest.raises(httpx.TransportError):
        _post_subject(writable, "Never stored")
    assert not writable.tenant.find("subjects", Ds="Never stored")


def test_an_unknown_fault_kind_is_refused(sim: SimulatorHandle) -> None:
    with pytest.raises(ValueError, match="unknown fault kind"):
        sim.faults.add("GET", "/x", "explode")  # type: ignore[arg-type]


def test_reset_clears_faults(sim: SimulatorHandle) -> None:
    sim.faults.add("GET", "/connectors/*", "error_500")
    sim.reset()
    assert get(sim, "/connectors/Profit_Functions").status_code == 200
