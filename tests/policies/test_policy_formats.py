from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from policies.facts import Address, EmployeeField
from policies.formats import house_number_split, legacy_value_formats, no_empty_values
from policies.model import Outcome, WriteIntent
from policies.testing import (
    hire_body,
    hire_facts,
    hire_intent,
    journal_intent,
    relation_facts,
    relation_intent,
    tenant_context,
    update_body,
    update_facts,
    update_intent,
    with_field,
    without_field,
)

HIRE = hire_intent()
CLEAR_MOBILE = update_facts(changes={}, cleared=frozenset({EmployeeField.MOBILE}))
CLEAR_CONTRACT_END = update_facts(changes={}, cleared=frozenset({EmployeeField.CONTRACT_END}))


def hire_with(body_edit: Any = None, **facts: Any) -> WriteIntent:
    built = hire_facts(**facts)
    body = hire_body(built)
    return hire_intent(built, body=body_edit(body) if body_edit else body)


# --- W7: legacy formats --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("intent", "outcome", "reason"),
    [
        (HIRE, Outcome.ALLOW, "every legacy-format field has its legacy form"),
        (journal_intent(), Outcome.ALLOW, "every legacy-format field"),
        (
            hire_with(lambda b: with_field(b, "KnPerson", "SpNm", False)),
            Outcome.DENY,
            'KnPerson.SpNm=False (wants "1" or "0")',
        ),
        (
            hire_with(lambda b: with_field(b, "AfasContract", "WrCt", "true")),
            Outcome.DENY,
            "AfasContract.WrCt='true'",
        ),
        (
            hire_with(lambda b: with_field(b, "AfasSalary", "TtPy", 0)),
            Outcome.DENY,
            "AfasSalary.TtPy=0",
        ),
        (
            hire_with(lambda b: with_field(b, "AfasContract", "DaEn", "2026-12-31")),
            Outcome.DENY,
            "AfasContract.DaEn='2026-12-31' (wants dd-MM-yyyy)",
        ),
        (
            hire_with(contract_end=date(2026, 12, 31)),
            Outcome.ALLOW,
            "legacy form",
        ),
        (update_intent(CLEAR_CONTRACT_END), Outcome.ALLOW, "legacy form"),
        (
            hire_with(lambda b: with_field(b, "AfasContract", "DaEn", "")),
            Outcome.DENY,
            "AfasContract.DaEn='' (wants dd-MM-yyyy)",
        ),
        (
            update_intent(
                CLEAR_MOBILE,
                body=with_field(update_body(CLEAR_MOBILE), "KnPerson", "SpNm", ""),
            ),
            Outcome.DENY,
            "KnPerson.SpNm=''",
        ),
    ],
    ids=[
        "W7 a hire built with the formatters is allowed",
        "W7 a body without legacy fields is allowed",
        "W7 a JSON boolean where 1 or 0 is wanted is denied",
        "W7 the string true where 1 or 0 is wanted is denied",
        "W7 the number 0 where the string 0 is wanted is denied",
        "W7 an ISO date where day-month-year is wanted is denied",
        "W7 a contract end formatted day-month-year is allowed",
        "W7 a contract end the agent asked to clear is sent empty and allowed",
        "W7 an empty legacy field nobody asked to clear is denied",
        "W7 an empty legacy field beside another field's clear is denied",
    ],
)
def test_W7_legacy_fields_use_their_legacy_form(
    intent: WriteIntent, outcome: Outcome, reason: str
) -> None:
    verdict = legacy_value_formats(intent, tenant_context())
    assert (verdict.outcome, verdict.quirk) == (outcome, "W7")
    assert reason in verdict.reason


# --- W8: house number ----------------------------------------------------------------------------


def with_address(**address: Any) -> WriteIntent:
    return hire_with(
        address=Address("Raadhuislaan", postal_code="3833 LC", city="Leusden", **address)
    )


@pytest.mark.parametrize(
    ("intent", "outcome", "reason"),
    [
        (HIRE, Outcome.ALLOW, "house number and addition are split"),
        (with_address(house_number="12"), Outcome.ALLOW, "split as AFAS stores them"),
        (with_address(house_number="12 bis"), Outcome.ALLOW, "split"),
        (
            with_address(house_number="12", house_number_addition="A"),
            Outcome.ALLOW,
            "split",
        ),
        (with_address(house_number="12A", house_number_addition="A"), Outcome.ALLOW, "split"),
        (
            hire_with(lambda b: with_field(b, "KnBasicAddressAdr", "HmNr", "12A")),
            Outcome.DENY,
            "sends HmNr='12A': AFAS keeps only a number there and drops the rest",
        ),
        (
            hire_with(lambda b: with_field(b, "KnBasicAddressAdr", "HmNr", "0")),
            Outcome.DENY,
            "sends HmNr='0'",
        ),
        (
            hire_with(lambda b: without_field(b, "KnBasicAddressAdr", "HmAd")),
            Outcome.DENY,
            "sends HmAd=None, expected 'A'",
        ),
        (
            hire_with(lambda b: with_field(b, "KnBasicAddressAdr", "HmNr", 13)),
            Outcome.DENY,
            "sends HmNr=13, expected 12",
        ),
        (
            hire_intent(
                hire_facts(address=Address("Raadhuislaan", "A12", "3833 LC", "Leusden")),
                body=hire_body(hire_facts()),
            ),
            Outcome.DENY,
            "house number 'A12' does not start with a number",
        ),
        (
            with_address(house_number="12A", house_number_addition="B"),
            Outcome.DENY,
            "house number '12A' carries addition 'A' and house_number_addition says 'B'",
        ),
        (hire_with(address=None), Outcome.ALLOW, "every house number sent is numeric"),
        (relation_intent(), Outcome.ALLOW, "split as AFAS stores them"),
        (
            relation_intent(
                relation_facts(address=Address("Haarlemseweg", "105-3", "3833 LC", "Leusden"))
            ),
            Outcome.ALLOW,
            "split",
        ),
        (
            update_intent(update_facts(changes={EmployeeField.HOUSE_NUMBER: "7b"})),
            Outcome.ALLOW,
            "split",
        ),
        (
            update_intent(
                update_facts(changes={EmployeeField.HOUSE_NUMBER_ADDITION: "bis"}),
            ),
            Outcome.ALLOW,
            "split",
        ),
        (update_intent(), Outcome.ALLOW, "every house number sent is numeric"),
    ],
    ids=[
        "W8 12A sent as 12 and A is allowed",
        "W8 a plain number is allowed",
        "W8 a word addition is allowed",
        "W8 a separately given addition is allowed",
        "W8 the same addition given twice is allowed",
        "W8 a house number with its addition in HmNr is denied",
        "W8 house number 0 is denied",
        "W8 a dropped addition is denied",
        "W8 a house number other than given is denied",
        "W8 a house number not starting with a number is denied",
        "W8 two different additions are denied",
        "W8 a hire without an address is allowed",
        "W8 a debtor's house number is checked too",
        "W8 a debtor's hyphenated addition is allowed",
        "W8 an update of the house number is split",
        "W8 an update of only the addition is allowed",
        "W8 an update without address changes is allowed",
    ],
)
def test_W8_house_number_numeric_with_the_addition_apart(
    intent: WriteIntent, outcome: Outcome, reason: str
) -> None:
    verdict = house_number_split(intent, tenant_context())
    assert (verdict.outcome, verdict.quirk) == (outcome, "W8")
    assert reason in verdict.reason


def test_W8_a_postal_address_with_letters_in_hmnr_is_denied_too() -> None:
    body = hire_body(hire_facts())
    person = body["AfasEmployee"]["Element"]["Objects"][0]["KnPerson"]["Element"]
    person["Objects"].append({"KnBasicAddressPad": {"Element": {"Fields": {"HmNr": "4 hs"}}}})
    verdict = house_number_split(hire_intent(body=body), tenant_context())
    assert verdict.outcome is Outcome.DENY
    assert "KnBasicAddressPad[0] sends HmNr='4 hs'" in verdict.reason


# --- W13: empty values ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("intent", "outcome", "reason"),
    [
        (HIRE, Outcome.ALLOW, "no field is sent empty"),
        (
            hire_with(lambda b: with_field(b, "KnBasicAddressAdr", "HmNr", "")),
            Outcome.DENY,
            "the payload sends empty values for KnBasicAddressAdr.HmNr",
        ),
        (
            hire_with(lambda b: with_field(b, "KnPerson", "In", "  ")),
            Outcome.DENY,
            "KnPerson.In",
        ),
        (
            hire_with(lambda b: with_field(b, "KnPerson", "EmAd", None)),
            Outcome.DENY,
            "KnPerson.EmAd",
        ),
        (
            hire_with(lambda b: with_field(b, "AfasContract", "@DaBe", "")),
            Outcome.DENY,
            "AfasContract.@DaBe",
        ),
        (update_intent(CLEAR_MOBILE), Outcome.ALLOW, "no field is sent empty"),
        (
            update_intent(
                CLEAR_MOBILE, body=with_field(update_body(CLEAR_MOBILE), "KnPerson", "TeNr", "")
            ),
            Outcome.DENY,
            "KnPerson.TeNr",
        ),
        (
            update_intent(
                CLEAR_MOBILE, body=with_field(update_body(CLEAR_MOBILE), "KnPerson", "MbNr", None)
            ),
            Outcome.DENY,
            "KnPerson.MbNr",
        ),
    ],
    ids=[
        "W13 a hire without empty values is allowed",
        "W13 an empty house number is denied",
        "W13 a blank value is denied",
        "W13 a null value is denied",
        "W13 an empty key is denied",
        "W13 clearing a field the agent asked to clear is allowed",
        "W13 an empty field the agent did not ask to clear is denied",
        "W13 a field to clear must be sent as an empty string, not null",
    ],
)
def test_W13_no_empty_values_unless_clearing(
    intent: WriteIntent, outcome: Outcome, reason: str
) -> None:
    verdict = no_empty_values(intent, tenant_context())
    assert (verdict.outcome, verdict.quirk) == (outcome, "W13")
    assert reason in verdict.reason
