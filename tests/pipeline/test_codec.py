"""The facts codec: every FACTS_TYPE survives the ledger's JSON exactly, and bad JSON is named."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from datetime import date, datetime, time
from decimal import Decimal
from types import MappingProxyType
from typing import Any

import pytest

from policies.facts import (
    FACTS_TYPE,
    AccountKind,
    EmployeeField,
    EmployeeUpdateFacts,
    HireFacts,
    JournalLine,
    LeaveFacts,
    PersonMatch,
    RelationKind,
    WriteTool,
)
from policies.testing import (
    activity_facts,
    hire_facts,
    hours_facts,
    journal_facts,
    leave_facts,
    person_relation_facts,
    relation_facts,
    update_facts,
)
from server.writes.codec import TYPES_KEY, FactsCodecError, decode_facts, encode_facts

SAMPLES: dict[WriteTool, object] = {
    WriteTool.ONBOARD_EMPLOYEE: hire_facts(),
    WriteTool.UPDATE_EMPLOYEE: update_facts(
        changes={
            EmployeeField.SALARY: Decimal("3600.50"),
            EmployeeField.EMAIL: "3600",  # text that looks like an amount stays text
            EmployeeField.PERIOD_TABLE: 7,
            EmployeeField.CONTRACT_END: date(2026, 12, 31),
            EmployeeField.HOUSE_NUMBER: "12A",
        },
        cleared=frozenset({EmployeeField.PHONE, EmployeeField.MOBILE}),
    ),
    WriteTool.POST_JOURNAL_ENTRY: journal_facts(
        lines=(
            JournalLine(AccountKind.LEDGER, "4500", debit=Decimal("25"), project_id="P100"),
            JournalLine(
                AccountKind.LEDGER,
                "4500",
                debit=Decimal("25"),
                project_id="P100",
                project_item="K01",
                cost_centre="200",
            ),
            JournalLine(AccountKind.LEDGER, "1100", credit=Decimal("50")),
        )
    ),
    WriteTool.CREATE_DEBTOR: person_relation_facts(),
    WriteTool.CREATE_CREDITOR: relation_facts(kind=RelationKind.ORGANISATION),
    WriteTool.REGISTER_HOURS: hours_facts(hours=Decimal("7.25")),
    WriteTool.SUBMIT_LEAVE_REQUEST: leave_facts(
        end=leave_facts().start,
        reason="tandarts",
        from_time=time(13, 0),
        until_time=time(17, 30),
    ),
    WriteTool.LOG_ACTIVITY: activity_facts(text=None),
}


def stored(facts: object) -> Any:
    """What the ledger gives back: the encoded facts through JSON text."""
    return json.loads(json.dumps(encode_facts(facts)))


def test_every_write_tool_has_a_sample() -> None:
    assert set(SAMPLES) == set(WriteTool)


@pytest.mark.parametrize("tool", list(WriteTool), ids=[t.value for t in WriteTool])
def test_facts_of_every_tool_round_trip_through_json_exactly(tool: WriteTool) -> None:
    facts = SAMPLES[tool]
    assert isinstance(facts, FACTS_TYPE[tool])
    back = decode_facts(stored(facts), FACTS_TYPE[tool])
    assert back == facts
    assert type(back) is type(facts)


def test_values_come_back_with_their_own_types() -> None:
    back = decode_facts(stored(SAMPLES[WriteTool.UPDATE_EMPLOYEE]), EmployeeUpdateFacts)
    assert isinstance(back.changes, Mapping) and isinstance(back.changes, MappingProxyType)
    assert back.changes[EmployeeField.SALARY] == Decimal("3600.50")
    assert str(back.changes[EmployeeField.SALARY]) == "3600.50"  # the scale is kept
    assert back.changes[EmployeeField.EMAIL] == "3600"
    assert type(back.changes[EmployeeField.PERIOD_TABLE]) is int
    assert back.changes[EmployeeField.CONTRACT_END] == date(2026, 12, 31)
    assert back.cleared == frozenset({EmployeeField.PHONE, EmployeeField.MOBILE})
    assert all(isinstance(key, EmployeeField) for key in back.changes)


def test_partial_leave_times_come_back_as_times_and_read_as_clock_times() -> None:
    encoded = stored(SAMPLES[WriteTool.SUBMIT_LEAVE_REQUEST])
    assert (encoded["from_time"], encoded["until_time"]) == ("13:00:00", "17:30:00")
    back = decode_facts(encoded, LeaveFacts)
    assert (back.from_time, back.until_time) == (time(13, 0), time(17, 30))
    assert back.partial


def test_facts_stored_before_a_field_existed_still_rebuild_with_its_default() -> None:
    """A write held for review across an upgrade keeps its facts (new fields default to None)."""
    old = dict(stored(SAMPLES[WriteTool.SUBMIT_LEAVE_REQUEST]))
    for field in ("from_time", "until_time"):
        del old[field]
    back = decode_facts(old, LeaveFacts)
    assert (back.from_time, back.until_time, back.partial) == (None, None, False)


def test_the_json_is_flat_and_readable_for_the_review_page() -> None:
    encoded = encode_facts(hire_facts())
    assert encoded["employer_id"] == "01"
    assert encoded["start_date"] == "2026-04-01"
    assert encoded["salary"] == "3500.00"
    assert encoded["person_match"] == "bsn"
    assert encoded["address"]["house_number"] == "12A"
    assert TYPES_KEY not in encoded  # no ambiguous union in a hire


def test_only_values_of_ambiguous_unions_are_tagged() -> None:
    encoded = encode_facts(SAMPLES[WriteTool.UPDATE_EMPLOYEE])
    assert encoded["changes"]["salary"] == "3600.50"
    assert encoded[TYPES_KEY]["/changes/salary"] == "Decimal"
    assert encoded[TYPES_KEY]["/changes/email"] == "str"
    assert encoded[TYPES_KEY]["/changes/period_table"] == "int"
    assert "/employee_id" not in encoded[TYPES_KEY]


def test_sets_are_stored_in_a_stable_order() -> None:
    one = update_facts(cleared=frozenset({EmployeeField.PHONE, EmployeeField.CITY}))
    two = update_facts(cleared=frozenset({EmployeeField.CITY, EmployeeField.PHONE}))
    assert json.dumps(encode_facts(one)) == json.dumps(encode_facts(two))


@dataclasses.dataclass(frozen=True)
class Nested:
    when: datetime
    pairs: tuple[int, str]
    by_day: Mapping[date, Decimal]
    anything: Any = None


def test_datetimes_fixed_tuples_date_keys_and_any_round_trip() -> None:
    facts = Nested(
        when=datetime.fromisoformat("2026-03-18T10:15:00+01:00"),
        pairs=(3, "x"),
        by_day={date(2026, 3, 2): Decimal("1.5")},
        anything={"free": [1, "two"]},
    )
    back = decode_facts(stored(facts), Nested)
    assert back == facts


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({**stored(hire_facts()), "salary": "lots"}, "salary"),
        ({**stored(hire_facts()), "person_match": "guess"}, "person_match"),
        ({**stored(hire_facts()), "start_date": 20260401}, "start_date"),
        ({**stored(hire_facts()), "unexpected": 1}, "unexpected"),
        ({k: v for k, v in stored(hire_facts()).items() if k != "employer_id"}, "employer_id"),
        ({**stored(hire_facts()), "address": "Raadhuislaan 12A"}, "address"),
        ([], "JSON object"),
    ],
    ids=[
        "an amount that is not a number",
        "an unknown enum value",
        "a date as a number",
        "a field the facts do not have",
        "a required field missing",
        "text where an object belongs",
        "not an object at all",
    ],
)
def test_json_that_is_not_those_facts_is_refused_with_the_place_named(
    data: Any, problem: str
) -> None:
    with pytest.raises(FactsCodecError, match=problem):
        decode_facts(data, HireFacts)


def test_an_untagged_ambiguous_value_is_refused_rather_than_guessed() -> None:
    data = stored(SAMPLES[WriteTool.UPDATE_EMPLOYEE])
    del data[TYPES_KEY]["/changes/salary"]
    with pytest.raises(FactsCodecError, match="changes/salary"):
        decode_facts(data, EmployeeUpdateFacts)


def test_a_value_outside_its_declared_type_cannot_be_stored() -> None:
    bad = dataclasses.replace(hire_facts(), person_match="bsn")  # type: ignore[arg-type]  # a str, not the enum
    with pytest.raises(FactsCodecError, match="person_match"):
        encode_facts(bad)
    with pytest.raises(FactsCodecError):
        encode_facts({"employer_id": "01"})
    assert PersonMatch.BSN.value == "bsn"
