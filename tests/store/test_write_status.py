from __future__ import annotations

import pytest
from store_helpers import Writes

from server.store import WriteError, WriteStatus, WriteStore
from server.write_status import WriteNotFound, write_status

S = WriteStatus


@pytest.mark.parametrize("status", list(S), ids=lambda s: s.value)
def test_every_state_is_reported_with_one_sentence_to_relay(
    store: WriteStore, writes: Writes, status: WriteStatus
) -> None:
    record = writes.in_state(status)
    report = write_status(store, record.id)
    assert (report.write_id, report.status, report.tool) == (record.id, status, record.tool)
    assert (report.connector, report.action) == ("KnEmployee", "insert")
    sentence = report.explanation
    assert sentence.endswith(".") and "\n" not in sentence
    assert sentence.count(". ") == 0, sentence
    assert "None" not in sentence, sentence


def test_a_held_write_says_since_when_and_until_when(store: WriteStore, writes: Writes) -> None:
    report = write_status(store, writes.pending().id)
    assert report.explanation == (
        "Waiting for a human reviewer since 2026-03-02 09:00 UTC (held because: salary above "
        "10,000); it expires 2026-03-05 09:00 UTC."
    )
    assert report.review is not None and report.review.reason == "salary above 10,000"
    assert [(v.policy, v.outcome) for v in report.verdicts] == [
        ("employer_known", "allow"),
        ("salary_threshold", "review"),
    ]
    assert report.afas_key is None and report.read_back is None


def test_a_verified_write_reports_its_afas_key(store: WriteStore, writes: Writes) -> None:
    report = write_status(store, writes.in_state(S.VERIFIED).id)
    assert report.afas_key == {"EmId": "E1"}
    assert report.read_back is not None and report.read_back.result == "match"
    assert "as EmId E1 and verified" in report.explanation


def test_a_drift_names_the_fields_that_differ(store: WriteStore, writes: Writes) -> None:
    report = write_status(store, writes.in_state(S.DRIFT).id)
    assert report.read_back is not None
    assert [(d.field, d.expected, d.actual) for d in report.read_back.diffs] == [
        ("CmId", "100", "1")
    ]
    assert "different values in CmId" in report.explanation


def test_a_failed_write_carries_afas_message_and_log_reference(
    store: WriteStore, writes: Writes
) -> None:
    sending = writes.in_state(S.SENDING)
    store.mark_failed(
        sending.id,
        error=WriteError(
            message="Het veld 'Functie' is verplicht",
            error_number="-2146232832",
            log_reference="BF23A1C0",
            http_status=500,
        ),
    )
    report = write_status(store, sending.id)
    assert report.last_error is not None
    assert (report.last_error.message, report.last_error.log_reference) == (
        "Het veld 'Functie' is verplicht",
        "BF23A1C0",
    )
    assert "(AFAS log reference BF23A1C0)" in report.explanation


def test_an_unknown_write_tells_the_agent_not_to_resubmit(
    store: WriteStore, writes: Writes
) -> None:
    report = write_status(store, writes.in_state(S.UNKNOWN).id)
    assert "do not submit this write again" in report.explanation
    assert report.last_error is not None and report.last_error.message == "read timed out"


def test_text_from_elsewhere_does_not_break_the_sentence(store: WriteStore, writes: Writes) -> None:
    sending = writes.in_state(S.SENDING)
    store.mark_failed(sending.id, error="Het veld 'Functie' is verplicht.\nControleer de invoer.")
    report = write_status(store, sending.id)
    assert report.explanation == (
        "AFAS did not apply this write: Het veld 'Functie' is verplicht. Controleer de invoer; "
        "it can be submitted again as a new write, corrected where the message says so."
    )


def test_a_rejection_reports_who_and_why(store: WriteStore, writes: Writes) -> None:
    report = write_status(store, writes.in_state(S.REJECTED).id)
    assert report.explanation == "Rejected by hr:alice at 2026-03-02 09:00 UTC: wrong person."
    assert report.review is not None and report.review.rejected_by == "hr:alice"


def test_a_denied_write_names_the_policy(store: WriteStore, writes: Writes) -> None:
    report = write_status(store, writes.in_state(S.DENIED).id)
    assert report.explanation == (
        "Refused by policy period_open: period 2026-03 is closed; nothing was sent to AFAS."
    )
    assert report.verdicts[0].hint == "use 2026-04"


def test_an_unverifiable_write_says_why(store: WriteStore, writes: Writes) -> None:
    applied = writes.in_state(S.APPLIED)
    store.mark_unverifiable(applied.id, reason="no read connector for KnEmployee")
    report = write_status(store, applied.id)
    assert report.status is S.APPLIED
    assert report.read_back is not None and report.read_back.result == "unverifiable"
    assert report.explanation.endswith("to verify it: no read connector for KnEmployee.")


@pytest.mark.parametrize(
    "write_id",
    ["w_aaaaaaaaaaaaaaaa", "not-a-write-id", "", "w_x' OR 1=1 --"],
    ids=["well_formed_but_unknown", "junk", "empty", "sql_in_the_id"],
)
def test_an_unknown_write_id_is_not_found(store: WriteStore, write_id: str) -> None:
    with pytest.raises(WriteNotFound, match="no write with id"):
        write_status(store, write_id)


def test_the_report_serialises_for_the_mcp_tool(store: WriteStore, writes: Writes) -> None:
    report = write_status(store, writes.in_state(S.APPROVED).id)
    dumped = report.model_dump(mode="json")
    assert dumped["status"] == "approved"
    assert dumped["review"]["approver"] == "hr:alice"
    assert "write_id" in type(report).model_json_schema()["properties"]
