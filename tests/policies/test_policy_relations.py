from __future__ import annotations

from typing import Any

import pytest

from policies.context import ExistingRelation
from policies.facts import Address, RelationKind, RelationRole
from policies.model import Outcome, WriteIntent
from policies.relations import (
    relation_identifiers_valid,
    relation_name_complete,
    relation_not_duplicate,
)
from policies.testing import (
    person_relation_facts,
    relation_body,
    relation_facts,
    relation_intent,
    tenant_context,
    with_field,
    without_object,
)

DEBTOR = relation_intent()
PERSON = dict(kind=RelationKind.PERSON, kvk_number=None, name="Jansen")


def relation_with(body_edit: Any = None, **facts: Any) -> WriteIntent:
    built = relation_facts(**facts)
    body = relation_body(built)
    return relation_intent(built, body=body_edit(body) if body_edit else body)


def mismatched(**facts: Any) -> WriteIntent:
    """Facts the agent gave with the body built from the sample facts (a builder bug)."""
    return relation_intent(relation_facts(**facts), body=relation_body(relation_facts()))


@pytest.mark.parametrize(
    ("intent", "outcome", "reason", "hint"),
    [
        (DEBTOR, Outcome.ALLOW, "country, IBAN and KvK number are valid and sent as given", None),
        (relation_with(**PERSON), Outcome.ALLOW, "valid", None),
        (relation_with(iban=None, kvk_number=None), Outcome.ALLOW, "valid", None),
        (relation_with(iban="nl91 abna 0417 1643 00"), Outcome.ALLOW, "valid", None),
        (
            relation_with(iban="NL91ABNA0417164301"),
            Outcome.DENY,
            "IBAN 'NL91ABNA0417164301' fails its checksum",
            "Check the IBAN",
        ),
        (
            relation_with(kvk_number="9305658"),
            Outcome.DENY,
            "KvK number '9305658' does not have 8 digits",
            "8-digit number",
        ),
        (
            mismatched(kind=RelationKind.PERSON),
            Outcome.DENY,
            "a KvK number belongs to an organisation",
            "Leave kvk_number out",
        ),
        (
            relation_with(country="Nederland"),
            Outcome.DENY,
            "country 'Nederland' is not an ISO 3166 two-letter code",
            "'NL'",
        ),
        (
            relation_with(lambda b: with_field(b, "KnBankAccount", "Iban", "NL02ABNA0123456789")),
            Outcome.DENY,
            "the payload sends IBAN(s) NL02ABNA0123456789, the request has 'NL91ABNA0417164300'",
            "Report it to the operator",
        ),
        (
            mismatched(iban=None),
            Outcome.DENY,
            "the payload sends IBAN(s) NL91ABNA0417164300, the request has None",
            None,
        ),
        (
            relation_with(lambda b: with_field(b, "KnOrganisation", "CcNr", "12345678")),
            Outcome.DENY,
            "the payload sends KvK number(s) 12345678, the request has '93056589'",
            None,
        ),
    ],
    ids=[
        "an organisation with valid IBAN and KvK number is allowed",
        "a person without a KvK number is allowed",
        "a relation without IBAN or KvK number is allowed",
        "an IBAN with spaces and lower case is the same IBAN",
        "an IBAN failing mod-97 is denied",
        "a KvK number without 8 digits is denied",
        "a KvK number on a person is denied",
        "a country name instead of a code is denied",
        "a payload IBAN other than the given one is denied",
        "a payload IBAN nobody gave is denied",
        "a payload KvK number other than the given one is denied",
    ],
)
def test_relation_identifiers_are_valid_and_sent_as_given(
    intent: WriteIntent, outcome: Outcome, reason: str, hint: str | None
) -> None:
    verdict = relation_identifiers_valid(intent, tenant_context())
    assert verdict.outcome is outcome
    assert reason in verdict.reason
    if hint:
        assert verdict.hint is not None and hint in verdict.hint


SAME_IBAN = ExistingRelation(
    RelationRole.DEBTOR, "20021", "Jansen BV", iban="NL91 ABNA 0417 1643 00"
)
SAME_KVK = ExistingRelation(RelationRole.DEBTOR, "20022", "J.P. Holding", kvk_number="93056589")
SAME_NAME_POSTCODE = ExistingRelation(
    RelationRole.DEBTOR, "20023", "jansen  personeel b.v.", postal_code="3833lc"
)
SAME_NAME_ELSEWHERE = ExistingRelation(
    RelationRole.DEBTOR, "20024", "Jansen Personeel B.V.", postal_code="1011AB"
)
CREDITOR_SAME_IBAN = ExistingRelation(
    RelationRole.CREDITOR, "70001", "Jansen BV", iban="NL91ABNA0417164300"
)


@pytest.mark.parametrize(
    ("intent", "similar", "outcome", "reason"),
    [
        (DEBTOR, (), Outcome.ALLOW, "no existing debtor has the same IBAN, KvK number, or name"),
        (
            DEBTOR,
            (SAME_IBAN,),
            Outcome.REVIEW,
            "this debtor may already exist: debtor 20021 'Jansen BV' (same IBAN)",
        ),
        (DEBTOR, (SAME_KVK,), Outcome.REVIEW, "debtor 20022 'J.P. Holding' (same KvK number)"),
        (
            DEBTOR,
            (SAME_NAME_POSTCODE,),
            Outcome.REVIEW,
            "debtor 20023 'jansen  personeel b.v.' (same name and postal code)",
        ),
        (DEBTOR, (SAME_NAME_ELSEWHERE,), Outcome.ALLOW, "no existing debtor"),
        (DEBTOR, (CREDITOR_SAME_IBAN,), Outcome.ALLOW, "no existing debtor"),
        (
            relation_intent(relation_facts(role=RelationRole.CREDITOR)),
            (CREDITOR_SAME_IBAN,),
            Outcome.REVIEW,
            "this creditor may already exist: creditor 70001",
        ),
        (
            relation_with(address=None, iban=None, kvk_number=None),
            (SAME_IBAN, SAME_KVK, SAME_NAME_POSTCODE),
            Outcome.ALLOW,
            "no existing debtor",
        ),
        (
            relation_with(address=Address("Haarlemseweg", "105", "3833LC", "Leusden")),
            (
                ExistingRelation(
                    RelationRole.DEBTOR,
                    "20025",
                    "Jansen Personeel B.V.",
                    iban="NL91ABNA0417164300",
                    kvk_number="93056589",
                    postal_code="3833 LC",
                ),
            ),
            Outcome.REVIEW,
            "(same IBAN, same KvK number, same name and postal code)",
        ),
    ],
    ids=[
        "a relation nobody has is allowed",
        "a debtor with the same IBAN goes to review",
        "a debtor with the same KvK number goes to review",
        "a debtor with the same name and postal code goes to review",
        "the same name elsewhere is no duplicate",
        "a creditor with the same IBAN is no duplicate debtor",
        "a creditor with the same IBAN as an existing creditor goes to review",
        "without identifiers nothing can match",
        "every reason for a match is named",
    ],
)
def test_duplicate_relations_go_to_review(
    intent: WriteIntent, similar: tuple[ExistingRelation, ...], outcome: Outcome, reason: str
) -> None:
    verdict = relation_not_duplicate(intent, tenant_context(similar_relations=similar))
    assert verdict.outcome is outcome
    assert reason in verdict.reason
    if outcome is Outcome.REVIEW:
        assert verdict.hint is not None and "get_" in verdict.hint


def person_with(body_edit: Any = None, **facts: Any) -> WriteIntent:
    built = person_relation_facts(**facts)
    body = relation_body(built)
    return relation_intent(built, body=body_edit(body) if body_edit else body)


@pytest.mark.parametrize(
    ("intent", "outcome", "reason", "hint"),
    [
        (
            person_with(),
            Outcome.ALLOW,
            "person 'Anna van der Berg' is sent with each name part in its field",
            None,
        ),
        (
            DEBTOR,
            Outcome.ALLOW,
            "organisation 'Jansen Personeel B.V.' is sent under its name",
            None,
        ),
        (
            person_with(first_name=None, initials=None, name_prefix=None, name="Berg"),
            Outcome.ALLOW,
            "person 'Berg'",
            None,
        ),
        (
            person_with(last_name=None),
            Outcome.DENY,
            "a person needs a last name",
            "Pass the person's name in parts: last_name",
        ),
        (
            person_with(lambda b: with_field(b, "KnPerson", "LaNm", "Anna van der Berg")),
            Outcome.DENY,
            "the payload sends the person's name wrongly: KnPerson.LaNm='Anna van der Berg' "
            "(expected 'Berg')",
            "Report it to the operator",
        ),
        (
            person_with(lambda b: without_object(b, "KnPerson")),
            Outcome.DENY,
            "the payload sends 0 KnPerson elements, expected 1",
            None,
        ),
        (
            person_with(name="A. van der Berg"),
            Outcome.DENY,
            "the relation's name 'A. van der Berg' is not its parts' 'Anna van der Berg'",
            None,
        ),
        (
            relation_with(first_name="Jan", last_name="Jansen"),
            Outcome.DENY,
            "first_name, last_name belong to a person, this relation is an organisation",
            "create the relation as a person",
        ),
        (
            relation_with(lambda b: with_field(b, "KnOrganisation", "Nm", "Jansen")),
            Outcome.DENY,
            "the payload sends organisation name(s) Jansen, the request has "
            "'Jansen Personeel B.V.'",
            None,
        ),
    ],
    ids=[
        "a person's name parts each travel in their own KnPerson field",
        "an organisation travels under its one name",
        "a person with only a last name is allowed",
        "a person without a last name is denied",
        "a person's full name sent as the last name is denied",
        "a person sent without its KnPerson is denied",
        "a person's display name other than its parts is denied",
        "an organisation with a person's name parts is denied",
        "an organisation name the payload does not carry is denied",
    ],
)
def test_a_relation_is_sent_with_its_name_as_afas_stores_it(
    intent: WriteIntent, outcome: Outcome, reason: str, hint: str | None
) -> None:
    verdict = relation_name_complete(intent, tenant_context())
    assert verdict.outcome is outcome
    assert reason in verdict.reason
    if hint:
        assert verdict.hint is not None and hint in verdict.hint
