"""The UpdateConnector wire: envelope forms, status codes, faults (W16), headers (W21), metainfo."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from write_helpers import error_of, hire, journal, read, send, subject

from simulator.testing import SimulatorHandle
from simulator.updates import WriteSide


def test_a_body_that_is_not_json_is_400_invalid_json(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    response = send(sim, "POST", "/connectors/KnSubject", content=b"{not json")
    assert (response.status_code, response.json()) == (400, {"message": "Invalid json"})


def test_a_body_without_element_is_refused(sim: SimulatorHandle, writes: WriteSide) -> None:
    assert "has no 'Element'" in error_of(
        send(sim, "POST", "/connectors/KnSubject", {"KnSubject": {}})
    )


def test_a_body_with_another_root_object_is_refused(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    body = {"KnEmployee": hire()["AfasEmployee"]}
    message = error_of(send(sim, "POST", "/connectors/KnEmployee", body))
    assert "must start with 'AfasEmployee'" in message


def test_an_unknown_update_connector_is_refused_by_the_dispatcher(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    message = error_of(send(sim, "POST", "/connectors/KnNothing", {"KnNothing": {"Element": {}}}))
    assert "not supported" in message


@pytest.mark.parametrize(
    ("method", "path"),
    [("PUT", "/connectors/FiEntries"), ("DELETE", "/connectors/HrAbsence/HrAbsence/@EmId/100001")],
)
def test_a_method_the_connector_does_not_have_is_refused(
    sim: SimulatorHandle, writes: WriteSide, method: str, path: str
) -> None:
    assert error_of(send(sim, method, path, journal() if method == "PUT" else None))


def test_a_delete_url_with_keys_and_values_out_of_step_is_refused(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    message = error_of(send(sim, "DELETE", "/connectors/KnSubject/KnSubject/@SbId,@X/1"))
    assert "2 key field(s) and 1 value(s)" in message


def test_the_restricted_token_cannot_write_employees(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    response = httpx.post(
        f"{sim.base_url}/connectors/KnEmployee",
        json=hire(),
        headers={"Authorization": sim.auth_header("restricted")},
        timeout=10,
    )
    assert (response.status_code, response.content) == (403, b"")


def _subject_body(sim: SimulatorHandle) -> dict[str, Any]:
    return subject(str(sim.tenant.find("debtors", DbId="10000")[0]["BcCo"]))


@pytest.mark.parametrize(
    "action_place",
    ["element", "element-lower", "element-bare", "fields", "fields-upper"],
)
def test_action_is_read_on_the_element_or_in_fields_in_any_case(
    sim: SimulatorHandle, writes: WriteSide, action_place: str
) -> None:
    body = hire()
    element = body["AfasEmployee"]["Element"]
    del element["@Action"]
    key, target = {
        "element": ("@Action", element),
        "element-lower": ("@action", element),
        "element-bare": ("Action", element),
        "fields": ("@Action", element["Fields"]),
        "fields-upper": ("@ACTION", element["Fields"]),
    }[action_place]
    target[key] = "insert"
    assert send(sim, "POST", "/connectors/KnEmployee", body).status_code == 201


def test_objects_as_a_map_and_values_as_native_json_are_accepted(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    body = hire(period_table="5", salary={"EmSa": 3500.5}, contract={"DvSn": "1"})
    element = body["AfasEmployee"]["Element"]
    element["Objects"] = {name: sub[name] for sub in element["Objects"] for name in sub}
    response = send(sim, "POST", "/connectors/KnEmployee", body)
    assert response.status_code == 201, response.text
    salary = writes.journal.last().rows("salaries")[0]
    assert (str(salary["EmSa"]), salary["PtId"]) == ("3500.5", 5)


def test_fields_sent_as_a_list_of_one_object_are_merged(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    body = journal()
    header = body["FiEntryPar"]["Element"]
    header["Fields"] = [header["Fields"]]
    assert send(sim, "POST", "/connectors/FiEntries", body).status_code == 201


def test_fields_the_simulator_does_not_model_are_accepted_and_listed(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    body = _subject_body(sim)
    body["KnSubject"]["Element"]["Fields"]["U8BB552544967345CF73661AB9E5CB1F2"] = "10:00"
    assert send(sim, "POST", "/connectors/KnSubject", body).status_code == 201
    assert writes.journal.last().ignored_fields == ("KnSubject.U8BB552544967345CF73661AB9E5CB1F2",)


def test_the_journal_keeps_request_status_results_and_integration_id(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    body = _subject_body(sim)
    send(sim, "POST", "/connectors/KnSubject", body, headers={"IntegrationId": "12345_678900"})
    record = writes.journal.last("KnSubject")
    assert (record.method, record.status, record.integration_id) == ("POST", 201, "12345_678900")
    assert record.request == body and record.results == {"results": {"KnSubject": {"SbId": "11"}}}
    assert sim.request_log.last().integration_id == "12345_678900"


def test_W21_a_write_without_integration_id_is_refused_when_switch_on(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    sim.quirks.enable("W21_integration_id_required")
    assert "IntegrationId" in error_of(
        send(sim, "POST", "/connectors/KnSubject", _subject_body(sim))
    )
    ok = send(
        sim, "POST", "/connectors/KnSubject", _subject_body(sim), headers={"IntegrationId": "1_2"}
    )
    assert ok.status_code == 201


def test_W21_a_write_without_integration_id_is_accepted_when_switch_off(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    sim.quirks.disable("W21_integration_id_required")
    assert send(sim, "POST", "/connectors/KnSubject", _subject_body(sim)).status_code == 201


def test_W16_drop_after_apply_stores_the_write_though_the_client_saw_no_answer_when_switch_on(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    sim.quirks.enable("W16_keeps_processing_after_timeout")
    sim.faults.add("POST", "/connectors/KnEmployee", "drop_after_apply", times=1)
    before = len(read(sim, "AfasMcp_Employees"))
    with pytest.raises(httpx.TransportError):
        send(sim, "POST", "/connectors/KnEmployee", hire())
    assert len(read(sim, "AfasMcp_Employees")) == before + 1
    record = writes.journal.last("KnEmployee")
    assert record.status is None and record.rows("employees")


def test_W16_drop_after_apply_stores_nothing_when_switch_off(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    sim.quirks.disable("W16_keeps_processing_after_timeout")
    sim.faults.add("POST", "/connectors/KnEmployee", "drop_after_apply", times=1)
    before = len(read(sim, "AfasMcp_Employees"))
    with pytest.raises(httpx.TransportError):
        send(sim, "POST", "/connectors/KnEmployee", hire())
    assert len(read(sim, "AfasMcp_Employees")) == before
    assert writes.journal.last("KnEmployee").stored == ()


def test_W16_hang_after_apply_keeps_the_write_after_a_client_timeout_when_switch_on(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    sim.quirks.enable("W16_keeps_processing_after_timeout")
    sim.faults.add("PUT", "/connectors/KnSubject", "hang_after_apply", seconds=5, times=1)
    body = {"KnSubject": {"Element": {"@SbId": 1, "Fields": {"SbTx": "na de time-out"}}}}
    with pytest.raises(httpx.TimeoutException):
        httpx.put(
            f"{sim.base_url}/connectors/KnSubject",
            json=body,
            headers={"Authorization": sim.auth_header()},
            timeout=0.5,
        )
    (row,) = read(sim, "Profit_Subjects", SubjectId=1)
    assert row["Comment"] == "na de time-out"


def test_update_metainfo_lists_the_write_sides_fields(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    response = httpx.get(
        f"{sim.base_url}/metainfo/update/KnEmployee",
        headers={"Authorization": sim.auth_header()},
        timeout=10,
    )
    meta = response.json()
    assert (meta["id"], meta["name"]) == ("KnEmployee", "AfasEmployee")
    fields = {f["fieldId"]: f for f in meta["fields"]}
    assert fields["EmId"]["primaryKey"] is True
    assert fields["CalculateBalance"]["dataType"] == "boolean"
    objects = {o["name"]: o for o in meta["objects"]}
    assert set(objects) >= {"KnPerson", "AfasContract", "AfasSalary", "AfasAgencyFiscus"}
    contract = {f["fieldId"]: f for f in objects["AfasContract"]["fields"]}
    assert contract["CmId"]["mandatory"] is True and contract["DaBe"]["primaryKey"] is True
    person = objects["KnPerson"]
    match = next(f for f in person["fields"] if f["fieldId"] == "MatchPer")
    assert [v["id"] for v in match["values"]] == [str(n) for n in range(8)]
    assert "KnBankAccount" in {o["name"] for o in person["objects"]}
    address = next(o for o in person["objects"] if o["name"] == "KnBasicAddressAdr")
    mandatory = {f["fieldId"] for f in address["fields"] if f["mandatory"]}
    assert mandatory == {"CoId"}


def test_update_metainfo_lists_the_code_tables_of_code_fields(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    meta = httpx.get(
        f"{sim.base_url}/metainfo/update/HrAbsence",
        headers={"Authorization": sim.auth_header()},
        timeout=10,
    ).json()
    leave_type = next(f for f in meta["fields"] if f["fieldId"] == "ViAt")
    assert [v["id"] for v in leave_type["values"]] == ["V", "BV"]
    assert leave_type["controlType"] == 5


def test_update_metainfo_of_fientries_starts_at_the_root_object(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    meta = httpx.get(
        f"{sim.base_url}/metainfo/update/FiEntries",
        headers={"Authorization": sim.auth_header()},
        timeout=10,
    ).json()
    assert meta["name"] == "FiEntryPar"
    (lines,) = meta["objects"]
    assert lines["name"] == "FiEntries" and {o["name"] for o in lines["objects"]} == {
        "FiDimEntries",
        "FiPrjEntries",
    }
    json.dumps(meta)  # plain JSON all the way down


def test_a_write_to_the_sibling_environment_changes_only_that_tenant(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    sim.quirks.enable("R10_token_valid_in_sibling_environment")
    before = len(sim.tenant.table("subjects"))
    response = httpx.post(
        f"{sim.sibling_base_url}/connectors/KnSubject",
        json=subject(str(next(iter(sim.sim.sibling.tenant.table("persons")))["BcCo"])),
        headers={"Authorization": sim.auth_header()},
        timeout=10,
    )
    assert response.status_code == 201, response.text
    subject_id = int(response.json()["results"]["KnSubject"]["SbId"])
    assert sim.sim.sibling.tenant.get("subjects", subject_id) is not None
    assert len(sim.tenant.table("subjects")) == before
