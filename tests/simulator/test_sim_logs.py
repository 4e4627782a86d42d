"""The request log tests read, and the Profit log an AFAS administrator would read."""

from __future__ import annotations

import httpx
import pytest
from sim_helpers import get
from starlette.responses import Response

from simulator.calls import Call
from simulator.errors import json_response
from simulator.testing import SimulatorHandle


def test_every_request_is_logged_with_its_answer_and_token_but_not_the_token_value(
    sim: SimulatorHandle,
) -> None:
    response = httpx.get(
        f"{sim.base_url}/connectors/Profit_Administrations",
        params={"take": 1},
        headers={
            "Authorization": sim.auth_header(),
            "IntegrationId": "12345_678900",
            "Accept-Language": "nl-nl",
        },
    )
    entry = sim.request_log.last()
    assert (entry.method, entry.path, entry.query) == (
        "GET",
        "/ProfitRestServices/connectors/Profit_Administrations",
        "take=1",
    )
    assert entry.status == 200 and entry.response_json == response.json()
    assert entry.token_label == "full" and entry.environment_id == sim.environment_id
    assert (entry.integration_id, entry.accept_language) == ("12345_678900", "nl-nl")
    assert entry.headers["authorization"] == "AfasToken <redacted>"
    assert all(sim.auth_header().split()[1] not in value for value in entry.headers.values())


def test_request_bodies_are_logged(sim: SimulatorHandle) -> None:
    httpx.post(
        f"{sim.base_url}/connectors/KnSubject",
        content=b'{"KnSubject":{"Element":{"Fields":{"Ds":"x"}}}}',
        headers={"Authorization": sim.auth_header(), "Content-Type": "application/json"},
    )
    assert sim.request_log.last().body == '{"KnSubject":{"Element":{"Fields":{"Ds":"x"}}}}'


def test_the_log_can_be_searched_and_is_cleared_by_reset(sim: SimulatorHandle) -> None:
    get(sim, "/metainfo")
    get(sim, "/connectors/Profit_Functions")
    assert len(sim.request_log.find(method="GET", path_contains="profit_functions")) == 1
    sim.reset()
    assert len(sim.request_log) == 0


@pytest.mark.parametrize("on", [True, False])
def test_W17_the_profit_log_keeps_no_request_bodies_with_the_switch_on(
    sim: SimulatorHandle, on: bool
) -> None:
    sim.quirks.set("W17_no_request_bodies_in_log", on)
    response = httpx.post(
        f"{sim.base_url}/connectors/KnSubject",
        json={"KnSubject": {"Element": {"Fields": {"Ds": "secret"}}}},
        headers={"Authorization": sim.auth_header()},
    )
    assert response.status_code == 500 or response.status_code < 300
    reference = response.json()["profitLogReference"] if response.status_code == 500 else None
    entry = sim.profit_log.by_reference(reference) if reference else sim.profit_log.entries[-1]
    assert (entry.request_body is None) == on
    if not on:
        assert "secret" in (entry.request_body or "")


def test_the_profit_log_records_errors_with_their_reference_and_not_successful_reads(
    sim: SimulatorHandle,
) -> None:
    get(sim, "/connectors/Profit_Functions")
    failed = get(sim, "/connectors/Profit_Functions", skip=3, take=-1)
    entries = sim.profit_log.entries
    assert len(entries) == 1
    assert entries[0].reference == failed.json()["profitLogReference"]
    assert entries[0].message == "An unexpected error has occurred."
    assert entries[0].status == 500


@pytest.mark.parametrize("on", [True, False])
def test_W14_the_profit_log_shows_the_request_and_not_what_was_stored_with_the_switch_on(
    sim: SimulatorHandle, on: bool
) -> None:
    async def store_with_a_default(call: Call) -> Response:
        call.scope["afas_stored"] = {"Ds": "sent", "StId": 1}  # StId defaulted by "AFAS"
        return json_response({"results": {"KnSubject": {"SbId": "1"}}}, 201)

    previous, sim.sim.update_handler = sim.sim.update_handler, store_with_a_default
    try:
        sim.quirks.set("W14_log_shows_request_not_stored", on)
        sim.quirks.disable("W17_no_request_bodies_in_log")
        response = httpx.post(
            f"{sim.base_url}/connectors/KnSubject",
            content=b'{"KnSubject":{"Element":{"Fields":{"Ds":"sent"}}}}',
            headers={"Authorization": sim.auth_header()},
        )
    finally:
        sim.sim.update_handler = previous  # the shared simulator keeps its write side
    assert response.status_code == 201
    entry = sim.profit_log.entries[-1]
    assert entry.status == 201 and "sent" in (entry.request_body or "")
    assert entry.stored == (None if on else {"Ds": "sent", "StId": 1})


def test_the_write_side_answers_again_after_a_test_replaced_its_handler(
    sim: SimulatorHandle,
) -> None:
    # Regression: the W14 test above used to leave the shared simulator without a write side.
    with httpx.Client(timeout=10) as http:
        assert _post_subject(http, sim, "Still writable").status_code == 201


def _post_subject(http: httpx.Client, sim: SimulatorHandle, subject: str) -> httpx.Response:
    return http.post(
        f"{sim.base_url}/connectors/KnSubject",
        json={"KnSubject": {"Element": {"Fields": {"StId": 1, "Ds": subject}}}},
        headers={"Authorization": sim.auth_header()},
    )


def test_answers_without_a_body_are_logged_before_the_client_has_them(
    sim: SimulatorHandle,
) -> None:
    # Regression: a call was logged when its body went out, so after an answer complete with
    # its headers (401, DELETE 200) or a dropped connection the log could trail the client.
    sim.profit_log.clear()
    with httpx.Client(timeout=10) as http:
        for attempt in range(25):
            count = len(sim.request_log)
            denied = http.get(
                f"{sim.base_url}/connectors/Profit_Functions",
                headers={"Authorization": "AfasToken bm90IGEgdG9rZW4="},
            )
            assert denied.status_code == 401
            assert len(sim.request_log) == count + 1
            assert sim.request_log.last().status == 401

            number = _post_subject(http, sim, f"to delete {attempt}").json()["results"]
            deleted = http.delete(
                f"{sim.base_url}/connectors/KnSubject/KnSubject/@SbId/{number['KnSubject']['SbId']}",
                headers={"Authorization": sim.auth_header()},
            )
            assert (deleted.status_code, deleted.content) == (200, b"")
            entry = sim.request_log.last()
            assert (entry.method, entry.status, entry.response_body) == ("DELETE", 200, "")
            assert sim.profit_log.entries[-1].method == "DELETE"

            sim.faults.add("GET", "/connectors/Profit_Functions", "drop", times=1)
            with pytest.raises(httpx.TransportError):
                http.get(
                    f"{sim.base_url}/connectors/Profit_Functions",
                    headers={"Authorization": sim.auth_header()},
                )
            entry = sim.request_log.last()
            assert (entry.method, entry.status, entry.notes) == ("GET", None, ("fault drop",))


def test_a_write_dropped_after_apply_is_logged_and_journalled_before_the_connection_closes(
    sim: SimulatorHandle,
) -> None:
    from simulator.updates import write_side

    journal = write_side(sim).journal
    with httpx.Client(timeout=10) as http:
        for attempt in range(15):
            sim.faults.add("POST", "/connectors/KnSubject", "drop_after_apply", times=1)
            with pytest.raises(httpx.TransportError):
                _post_subject(http, sim, f"dropped {attempt}")
            entry = sim.request_log.last()
            assert (entry.method, entry.status) == ("POST", None)
            record = journal.last("KnSubject")
            assert record.status is None and record.request is not None
            assert f"dropped {attempt}" in str(record.request)
