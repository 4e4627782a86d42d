"""FiEntries: journal entries posted, refused and deleted (W15, W18)."""

from __future__ import annotations

import pytest
from write_helpers import CREDITOR, DEBTOR, error_of, journal, line, read, send

from simulator.testing import SimulatorHandle
from simulator.updates import WriteSide


def _post(sim: SimulatorHandle, body: dict[str, object]) -> dict[str, str]:
    response = send(sim, "POST", "/connectors/FiEntries", body)
    assert response.status_code == 201, response.text
    return dict(response.json()["results"]["FiEntryPar"])


def test_a_balanced_entry_answers_201_under_the_root_object_name(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    response = send(sim, "POST", "/connectors/FiEntries", journal())
    assert response.status_code == 201
    assert response.json() == {"results": {"FiEntryPar": {"UnId": "1", "EnNo": "21"}}}


def test_a_posted_entry_reads_back_through_profit_transactions(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    keys = _post(sim, journal())
    rows = read(sim, "Profit_Transactions", order_by="SeqNo", UnitId=1, EntryNo=keys["EnNo"])
    assert [(r["SeqNo"], r["AccountNo"], r["JournalId"]) for r in rows] == [
        (1, "1100", "90"),
        (2, "1900", "90"),
    ]
    assert rows[0]["AmtDebit"] == 250 and rows[0]["EntryDate"] == "2026-03-10T00:00:00Z"
    assert (rows[0]["Year"], rows[0]["Period"]) == (2026, 3)


def test_debtor_and_creditor_lines_post_to_their_collective_accounts(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    lines = [
        {"Fields": line(DEBTOR, kind="2", debit="121.00")},
        {"Fields": line(CREDITOR, kind="3", credit="121.00")},
    ]
    keys = _post(sim, journal(lines, journal_id="20"))
    rows = read(sim, "Profit_Transactions", order_by="SeqNo", UnitId=1, EntryNo=keys["EnNo"])
    assert [r["AccountNo"] for r in rows] == ["1300", "1600"]


def test_the_administration_defaults_to_the_first_one(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    body = journal()
    del body["FiEntryPar"]["Element"]["Fields"]["UnId"]  # type: ignore[index]
    assert _post(sim, body)["UnId"] == "1"


def test_autonumbering_gives_the_lines_an_invoice_number(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    body = journal()
    body["FiEntryPar"]["Element"]["Fields"]["AuNu"] = "1"  # type: ignore[index]
    keys = _post(sim, body)
    assert keys["InId"] == f"2026{int(keys['EnNo']):05d}"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (line("9999", debit="1"), "The entered value for 'Account Number' does not exist."),
        (line("", debit="1"), "Enter a value for 'Account Number'."),
        (line("77777", kind="2", debit="1"), "The entered value for 'Debtor' does not exist."),
        (line("0900", debit="1"), "Account '0900' is blocked."),
        (line("8000", debit="1", VaId="99"), "The entered value for 'VAT code' does not exist."),
        (line("8000", debit="1", VaId="6"), "VAT code '6' is blocked."),
        (line("1100", debit="1", EnDa=""), "Enter a value for 'Entry date'."),
        (line("1100", debit="ten"), "The value 'ten' for field 'AmDe' is not a valid amount."),
    ],
)
def test_a_bad_line_is_refused_with_afas_message(
    sim: SimulatorHandle, writes: WriteSide, fields: dict[str, str], message: str
) -> None:
    lines = [{"Fields": fields}, {"Fields": line("1900", credit="1")}]
    response = send(sim, "POST", "/connectors/FiEntries", journal(lines))
    assert message in error_of(response)
    assert writes.journal.last().stored == ()


def test_unknown_and_blocked_journals_are_refused(sim: SimulatorHandle, writes: WriteSide) -> None:
    assert "'Journal' does not exist" in error_of(
        send(sim, "POST", "/connectors/FiEntries", journal(journal_id="77"))
    )
    assert "Journal '95' is blocked." in error_of(
        send(sim, "POST", "/connectors/FiEntries", journal(journal_id="95"))
    )


def test_W18_an_unbalanced_entry_is_refused_when_switch_on(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    lines = [{"Fields": line("1100", debit="100")}, {"Fields": line("1900", credit="90")}]
    message = error_of(send(sim, "POST", "/connectors/FiEntries", journal(lines)))
    assert message == "The entry is not in balance: debit 100.00, credit 90.00."


def test_W18_a_blocked_booking_period_is_refused_with_afas_message_when_switch_on(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    lines = [
        {"Fields": line("1100", debit="5", day="2026-01-10")},
        {"Fields": line("1900", credit="5", day="2026-01-10")},
    ]
    message = error_of(send(sim, "POST", "/connectors/FiEntries", journal(lines, period=1)))
    assert message == (
        "Date '10-1-2026' belongs to a blocked period | "
        "For this administration, period 1 of the year 2026 is blocked."
    )


def test_W18_an_account_that_demands_allocation_needs_a_cost_centre_when_switch_on(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    bare = [{"Fields": line("4000", debit="10")}, {"Fields": line("1800", credit="10")}]
    message = error_of(send(sim, "POST", "/connectors/FiEntries", journal(bare)))
    assert message == "Allocation code for axis 'Cost center' must be filled for account 4000"
    allocated = [
        {
            "Fields": line("4000", debit="10"),
            "Objects": [{"FiDimEntries": {"Element": {"Fields": {"DiC1": "100"}}}}],
        },
        {"Fields": line("1800", credit="10")},
    ]
    keys = _post(sim, journal(allocated))
    assert writes.journal.last().rows("entries")[0]["DimAx1"] == "100"
    assert keys["EnNo"]


def test_W18_an_account_that_demands_a_project_needs_one_when_switch_on(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    bare = [{"Fields": line("4800", debit="10")}, {"Fields": line("1900", credit="10")}]
    assert "Project must be filled for account 4800" in error_of(
        send(sim, "POST", "/connectors/FiEntries", journal(bare))
    )
    with_project = [
        {
            "Fields": line("4800", debit="10"),
            "Objects": [{"FiPrjEntries": {"Element": {"Fields": {"PrId": "910001"}}}}],
        },
        {"Fields": line("1900", credit="10")},
    ]
    _post(sim, journal(with_project))


def test_W18_more_lines_than_the_limit_are_refused_when_switch_on(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    writes.settings.max_entry_lines = 3
    lines = [{"Fields": line("1100", debit="1")} for _ in range(2)]
    lines += [{"Fields": line("1900", credit="1")} for _ in range(2)]
    message = error_of(send(sim, "POST", "/connectors/FiEntries", journal(lines)))
    assert message == "A journal entry may have at most 3 lines; 4 were sent."


def test_W18_business_rules_are_not_enforced_when_switch_off(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    sim.quirks.disable("W18_fientries_rules")
    lines = [
        {"Fields": line("4000", debit="100", day="2026-01-10")},
        {"Fields": line("1900", credit="90", day="2026-01-10")},
    ]
    keys = _post(sim, journal(lines, period=1))
    assert len(read(sim, "Profit_Transactions", UnitId=1, EntryNo=keys["EnNo"])) == 2


def test_W18_fientries_has_no_put(sim: SimulatorHandle, writes: WriteSide) -> None:
    assert "cannot be changed" in error_of(send(sim, "PUT", "/connectors/FiEntries", journal()))


def test_W15_armed_journal_locks_answer_transient_500_then_succeed_when_switch_on(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    sim.quirks.enable("W15_transient_lock_500")
    writes.lock_journals(calls=2)
    first = send(sim, "POST", "/connectors/FiEntries", journal())
    second = send(sim, "POST", "/connectors/FiEntries", journal())
    third = send(sim, "POST", "/connectors/FiEntries", journal())
    assert "locked by another user" in error_of(first)
    assert "locked by another user" in error_of(second)
    assert third.status_code == 201
    assert len(read(sim, "Profit_Transactions", UnitId=1, EntryNo=21)) == 2


def test_W15_no_lock_when_switch_off(sim: SimulatorHandle, writes: WriteSide) -> None:
    sim.quirks.disable("W15_transient_lock_500")
    writes.lock_journals(calls=2)
    assert send(sim, "POST", "/connectors/FiEntries", journal()).status_code == 201


@pytest.mark.parametrize("key", ["@EnNo", "EnNo"])
def test_delete_by_entry_number_removes_every_line(
    sim: SimulatorHandle, writes: WriteSide, key: str
) -> None:
    number = _post(sim, journal())["EnNo"]
    path = f"/connectors/FiEntries/FiEntryPar/UnId,JoCo/1,90/FiEntries/{key}/{number}"
    response = send(sim, "DELETE", path)
    assert (response.status_code, response.content) == (200, b"")
    assert read(sim, "Profit_Transactions", UnitId=1, EntryNo=number) == []


def test_delete_by_invoice_number(sim: SimulatorHandle, writes: WriteSide) -> None:
    lines = [
        {"Fields": line("1100", debit="5", InId="INV-7")},
        {"Fields": line("1900", credit="5", InId="INV-7")},
    ]
    number = _post(sim, journal(lines))["EnNo"]
    path = "/connectors/FiEntries/FiEntryPar/@UnId,@JoCo/1,90/FiEntries/InId/INV-7"
    assert send(sim, "DELETE", path).status_code == 200
    assert read(sim, "Profit_Transactions", UnitId=1, EntryNo=number) == []


def test_delete_of_an_unknown_entry_is_refused(sim: SimulatorHandle, writes: WriteSide) -> None:
    path = "/connectors/FiEntries/FiEntryPar/UnId,JoCo/1,90/FiEntries/@EnNo/999"
    assert "'Entry number' does not exist" in error_of(send(sim, "DELETE", path))


def test_W18_delete_of_an_entry_in_a_blocked_period_is_refused_when_switch_on(
    sim: SimulatorHandle, writes: WriteSide
) -> None:
    old = next(r for r in read(sim, "Profit_Transactions", UnitId=1) if r["Year"] == 2025)
    path = (
        f"/connectors/FiEntries/FiEntryPar/UnId,JoCo/1,{old['JournalId']}"
        f"/FiEntries/@EnNo/{old['EntryNo']}"
    )
    assert "belongs to a blocked period" in error_of(send(sim, "DELETE", path))
