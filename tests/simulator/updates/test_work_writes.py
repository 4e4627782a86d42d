"""Hours (PtRealization), leave (HrAbsence, HrAbsenceID) and dossier items (KnSubject)."""

from __future__ import annotations

import base64

import pytest
from write_helpers import (
    ACTIVE_EMPLOYEE,
    CLOSED_PROJECT,
    DEBTOR,
    EMPLOYEE_WITHOUT_BOOKINGS,
    element,
    error_of,
    hours,
    leave,
    read,
    send,
    subject,
)

from simulator.testing import SimulatorHandle
from simulator.updates import WriteSide


def test_hours_answer_their_line_id_and_read_back_through_profit_realization(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    response = send(sim, "POST", "/connectors/PtRealization", hours())
    assert response.status_code == 201, response.text
    line_id = response.json()["results"]["PtRealization"]["Id"]
    (row,) = read(sim, "Profit_Realization", Identity=line_id)
    assert (row["EmployeeId"], row["ProjectId"], row["ItemCodeId"]) == (
        ACTIVE_EMPLOYEE,
        "910001",
        "300",
    )
    assert row["DateTime"] == "2026-03-16T00:00:00Z"
    assert row["QuantityUnit"] in (4.5, "4,50")  # R4 renders it Dutch in the realistic profile


def test_several_hour_rows_in_one_call_answer_a_list_of_keys(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    body = hours()
    row = body["PtRealization"]["Element"]
    body["PtRealization"]["Element"] = [row, {"Fields": {**row["Fields"], "Ds": "Reizen"}}]
    results = send(sim, "POST", "/connectors/PtRealization", body).json()["results"][
        "PtRealization"
    ]
    assert isinstance(results, list) and len({r["Id"] for r in results}) == 2


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"EmId": "NOBODY"}, "The entered value for 'Employee' does not exist."),
        ({"PrId": "999999"}, "The entered value for 'Project' does not exist."),
        ({"PrId": CLOSED_PROJECT}, f"Project '{CLOSED_PROJECT}' is closed."),
        ({"ItCd": "999"}, "The entered value for 'Item code' does not exist."),
        ({"DaTi": None}, "Enter a value for 'Date'."),
        ({"Qu": "4,5"}, "The value '4,5' for field 'Qu' is not a valid amount."),
    ],
)
def test_bad_hours_are_refused(
    sim: SimulatorHandle, writes: WriteSide, fields: dict[str, object], message: str
) -> None:
    body = hours(**fields)
    body["PtRealization"]["Element"]["Fields"] = {
        k: v for k, v in body["PtRealization"]["Element"]["Fields"].items() if v is not None
    }
    assert error_of(send(sim, "POST", "/connectors/PtRealization", body)) == message


def test_put_changes_the_hours_of_a_line_by_id(sim: SimulatorHandle, writes: WriteSide) -> None:
    body = {"PtRealization": {"Element": {"Fields": {"Id": 1, "Qu": "7", "Ds": "Bijgewerkt"}}}}
    assert send(sim, "PUT", "/connectors/PtRealization", body).json() == {
        "results": {"PtRealization": {"Id": "1"}}
    }
    (row,) = read(sim, "Profit_Realization", Identity=1)
    assert row["Description"] == "Bijgewerkt"


@pytest.mark.parametrize("key", ["@Id", "Id"])
def test_delete_removes_an_hours_line(sim: SimulatorHandle, writes: WriteSide, key: str) -> None:
    response = send(sim, "DELETE", f"/connectors/PtRealization/PtRealization/{key}/2")
    assert (response.status_code, read(sim, "Profit_Realization", Identity=2)) == (200, [])


def test_leave_answers_its_id_and_reads_back_through_profit_leaves(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    response = send(sim, "POST", "/connectors/HrAbsence", leave())
    assert response.status_code == 201, response.text
    leave_id = response.json()["results"]["HrAbsence"]["Id"]
    (row,) = read(sim, "Profit_Leaves", LeaveId=leave_id)
    assert (row["EmployeeId"], row["LeaveCode"]) == (ACTIVE_EMPLOYEE, "V")
    assert (row["StartDate"], row["EndDate"]) == ("2026-04-06T00:00:00Z", "2026-04-10T00:00:00Z")
    assert row["Hours"] > 0 and row["DvId"] == 1


def _vacation_balance(sim: SimulatorHandle) -> dict[str, object]:
    (row,) = read(sim, "Profit_LeaveBalance", EmployeeId=ACTIVE_EMPLOYEE, Leavetype="V", Year=2026)
    return row


def test_part_day_leave_rounds_taken_hours_half_up_and_the_balance_adds_up_exactly(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    before = _vacation_balance(sim)
    part_day = leave(DaEn="2026-04-06T00:00:00", LeDt=True, DuRa="1.5")
    assert send(sim, "POST", "/connectors/HrAbsence", part_day).status_code == 201
    after = _vacation_balance(sim)
    assert after["Taken"] == before["Taken"] + 2  # 1.5 hours rounded half up, not cut to 1
    amounts = ("Entitlement", "ExtraEntitlement", "StartBalance", "Taken", "Balance")
    assert all(type(after[name]) is int for name in amounts)  # the spec's integer fields
    granted = after["StartBalance"] + after["Entitlement"] + after["ExtraEntitlement"]
    assert after["Balance"] == granted - after["Taken"]
    (booked,) = read(
        sim, "Profit_Leaves", LeaveId=writes.journal.last().results["results"]["HrAbsence"]["Id"]
    )
    assert booked["Hours"] == 2  # Profit_Leaves rounds the same way


@pytest.mark.parametrize("shells", [True, False])
def test_R5_a_deleted_employees_leave_balances_and_bookings_are_left_out(
    sim: SimulatorHandle, shells: bool
) -> None:
    sim.quirks.set("R5_shell_rows", shells)
    deleted = next(e["EmId"] for e in sim.tenant.table("employees") if e["_deleted"])
    assert sim.tenant.find("leave_entitlements", EmployeeId=deleted)
    assert sim.tenant.find("absences", EmId=deleted)
    assert read(sim, "Profit_LeaveBalance", EmployeeId=deleted) == []
    assert read(sim, "Profit_Leaves", EmployeeId=deleted) == []
    assert read(sim, "AfasMcp_Contracts", EmployeeId=deleted) == []  # as the child connectors


def test_whole_day_leave_counts_working_days_at_the_timetables_hours(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    send(sim, "POST", "/connectors/HrAbsence", leave(DaEn="2026-04-12T00:00:00"))  # Mon..Sun
    stored = writes.journal.last().rows("absences")[0]
    table = sorted(sim.tenant.find("timetables", EmId=ACTIVE_EMPLOYEE), key=lambda r: r["DaBg"])[-1]
    assert stored["DuRa"] == (table["HrWk"] / table["DyWk"] * 5).quantize(stored["DuRa"])


def test_leave_type_codes_are_read_without_regard_to_case(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    assert send(sim, "POST", "/connectors/HrAbsence", leave(ViAt="v")).status_code == 201
    assert writes.journal.last().rows("absences")[0]["ViAt"] == "V"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"EmId": "NOBODY"}, "The entered value for 'Employee' does not exist."),
        ({"ViAt": "XX"}, "The entered value for 'Leave type' does not exist."),
        ({"ViLr": "H"}, "The entered value for 'Leave reason' does not exist."),
        ({"DaEn": "2026-04-01T00:00:00"}, "The end of the leave lies before its start."),
        ({"EmId": EMPLOYEE_WITHOUT_BOOKINGS}, "is not employed on 06-04-2026."),
        ({"DaBe": "6 april"}, "The value '6 april' for field 'DaBe' is not a valid date."),
    ],
)
def test_bad_leave_is_refused(
    sim: SimulatorHandle, writes: WriteSide, fields: dict[str, object], message: str
) -> None:
    assert message in error_of(send(sim, "POST", "/connectors/HrAbsence", leave(**fields)))


def test_hrabsenceid_put_changes_only_the_fields_sent(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    leave_id = send(sim, "POST", "/connectors/HrAbsence", leave()).json()["results"]["HrAbsence"][
        "Id"
    ]
    body = {
        "HrAbsenceID": {
            "Element": {"Fields": {"Id": leave_id, "Re": "korter", "DaEn": "2026-04-07T00:00:00"}}
        }
    }
    response = send(sim, "PUT", "/connectors/HrAbsenceID", body)
    assert response.json() == {"results": {"HrAbsenceID": {"Id": leave_id}}}
    (row,) = read(sim, "Profit_Leaves", LeaveId=leave_id)
    assert (row["EndDate"], row["LeaveCode"]) == ("2026-04-07T00:00:00Z", "V")
    stored = sim.tenant.get("absences", int(leave_id))
    assert stored is not None and stored["Re"] == "korter"


def test_hrabsenceid_put_for_an_unknown_id_is_refused(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    body = {"HrAbsenceID": {"Element": {"Fields": {"Id": 99999, "Re": "x"}}}}
    assert "'Leave' does not exist" in error_of(send(sim, "PUT", "/connectors/HrAbsenceID", body))


def test_hrabsence_put_finds_the_booking_by_employee_type_and_start_day(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    leave_id = send(sim, "POST", "/connectors/HrAbsence", leave()).json()["results"]["HrAbsence"][
        "Id"
    ]
    change = leave(DaBe="2026-04-06T08:00:00", Re="aangepast")
    assert (
        send(sim, "PUT", "/connectors/HrAbsence", change).json()["results"]["HrAbsence"]["Id"]
        == leave_id
    )


@pytest.mark.parametrize("keys", ["@Id,@EmId", "Id,EmId"])
def test_hrabsenceid_delete_removes_the_booking(
    sim: SimulatorHandle, writes: WriteSide, keys: str
) -> None:
    leave_id = send(sim, "POST", "/connectors/HrAbsenceID", leave("HrAbsenceID")).json()["results"][
        "HrAbsenceID"
    ]["Id"]
    path = f"/connectors/HrAbsenceID/HrAbsenceID/{keys}/{leave_id},{ACTIVE_EMPLOYEE}"
    assert send(sim, "DELETE", path).status_code == 200
    assert read(sim, "Profit_Leaves", LeaveId=leave_id) == []


def test_hrabsenceid_delete_with_another_employee_is_refused(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    path = f"/connectors/HrAbsenceID/HrAbsenceID/@Id,@EmId/1,{EMPLOYEE_WITHOUT_BOOKINGS}"
    assert "'Leave' does not exist" in error_of(send(sim, "DELETE", path))


def _relation_of(sim: SimulatorHandle, debtor: str) -> str:
    return str(sim.tenant.find("debtors", DbId=debtor)[0]["BcCo"])


def test_a_dossier_item_answers_its_id_and_reads_back_through_profit_subjects(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    relation = _relation_of(sim, DEBTOR)
    response = send(
        sim, "POST", "/connectors/KnSubject", subject(relation, Da="2026-03-17T10:00:00")
    )
    assert response.status_code == 201, response.text
    subject_id = response.json()["results"]["KnSubject"]["SbId"]
    (row,) = read(sim, "Profit_Subjects", SubjectId=subject_id)
    assert (row["OrgPersId"], row["ToOrgPers"], row["Subject"]) == (
        relation,
        True,
        "Telefonisch contact",
    )
    assert (row["DateCreated"], row["Status"], row["Afgehandeld"]) == (
        "2026-03-17T10:00:00Z",
        "Open",
        False,
    )


def test_a_dossier_item_for_a_debtor_by_destination_type_4(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    body = subject("")
    body["KnSubject"]["Element"]["Objects"] = [
        element("KnSubjectLink", {"SfTp": 4, "SfId": DEBTOR})
    ]
    subject_id = send(sim, "POST", "/connectors/KnSubject", body).json()["results"]["KnSubject"][
        "SbId"
    ]
    (row,) = read(sim, "Profit_Subjects", SubjectId=subject_id)
    assert (row["OrgPersId"], row["ToDebtor"]) == (_relation_of(sim, DEBTOR), True)


def test_a_dossier_item_with_attachments_keeps_their_names(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    body = subject(_relation_of(sim, DEBTOR))
    content = base64.b64encode(b"%PDF-1.4 test").decode()
    body["KnSubject"]["Element"]["Objects"].append(
        {
            "KnSubjectAttachment": {
                "Element": [{"Fields": {"FileName": "a.pdf", "FileStream": content}}]
            }
        }
    )
    assert send(sim, "POST", "/connectors/KnSubject", body).status_code == 201
    assert writes.journal.last().rows("subjects")[0]["_attachments"] == ("a.pdf",)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"StId": 99}, "The entered value for 'Subject type' does not exist."),
        ({"Ds": ""}, "Enter a value for 'Subject'."),
    ],
)
def test_bad_dossier_items_are_refused(
    sim: SimulatorHandle, writes: WriteSide, change: dict[str, object], message: str
) -> None:
    body = subject(_relation_of(sim, DEBTOR), **change)
    assert error_of(send(sim, "POST", "/connectors/KnSubject", body)) == message


# Every StId of AFAS's own KnSubject examples (the OpenAPI spec and the how-to guides).
OFFICIAL_SUBJECT_TYPES = [-5, 2, 4, 5, 15, 19, 26, 96]


@pytest.mark.parametrize("subject_type", OFFICIAL_SUBJECT_TYPES)
def test_the_dossier_item_types_of_afas_own_examples_are_accepted_and_read_back(
    sim: SimulatorHandle, writes: WriteSide, subject_type: int
) -> None:
    body = subject(_relation_of(sim, DEBTOR), StId=str(subject_type))
    response = send(sim, "POST", "/connectors/KnSubject", body)
    assert response.status_code == 201, response.text
    number = response.json()["results"]["KnSubject"]["SbId"]
    (row,) = read(sim, "Profit_Subjects", SubjectId=number)
    assert row["TypeId"] == subject_type


def test_afas_own_simple_note_example_with_dossier_item_type_4_is_accepted(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    note = {"StId": "4", "Ds": "Galactic assistance needed ASAP!", "SbTx": "Cosmic event."}
    response = send(
        sim, "POST", "/connectors/KnSubject", {"KnSubject": {"Element": {"Fields": note}}}
    )
    assert response.status_code == 201, response.text


def test_put_to_an_unknown_dossier_item_type_is_refused(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    body = {"KnSubject": {"Element": {"@SbId": 1, "Fields": {"StId": 99}}}}
    message = error_of(send(sim, "PUT", "/connectors/KnSubject", body))
    assert message == "The entered value for 'Subject type' does not exist."


def test_a_dossier_item_for_an_unknown_relation_is_refused(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    assert "'Organisation/person' does not exist" in error_of(
        send(sim, "POST", "/connectors/KnSubject", subject("9999999"))
    )


def test_an_attachment_that_is_not_base64_is_refused(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    body = subject(_relation_of(sim, DEBTOR))
    body["KnSubject"]["Element"]["Objects"].append(
        element("KnSubjectAttachment", {"FileName": "a.txt", "FileStream": "not base64!"})
    )
    assert "not valid Base64" in error_of(send(sim, "POST", "/connectors/KnSubject", body))


def test_put_changes_a_dossier_item_by_sbid(sim: SimulatorHandle, writes: WriteSide) -> None:
    body = {
        "KnSubject": {
            "Element": {"@SbId": 1, "Fields": {"SbTx": "Nieuwe toelichting", "Done": True}}
        }
    }
    assert send(sim, "PUT", "/connectors/KnSubject", body).json() == {
        "results": {"KnSubject": {"SbId": "1"}}
    }
    (row,) = read(sim, "Profit_Subjects", SubjectId=1)
    assert (row["Comment"], row["Afgehandeld"]) == ("Nieuwe toelichting", True)


@pytest.mark.parametrize("key", ["@SbId", "SbId"])
def test_delete_removes_a_dossier_item(sim: SimulatorHandle, writes: WriteSide, key: str) -> None:
    assert send(sim, "DELETE", f"/connectors/KnSubject/KnSubject/{key}/2").status_code == 200
    assert read(sim, "Profit_Subjects", SubjectId=2) == []
