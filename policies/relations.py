"""New debtors and creditors: valid identifiers, and no second record for the same relation.

A duplicate debtor splits a customer's balance over two records; a duplicate creditor with a new
IBAN is the classic payment-diversion fraud. Both go to a person. An IBAN or KvK number that fails
its own checksum or format is a typo the agent can fix.
"""

from __future__ import annotations

import re

from policies.afas_fields import IBAN, KVK_NUMBER, ORGANISATION_NAME, PERSON_OBJECT
from policies.base import SERVER_BUG_HINT, Finding, Problems, facts_of, listing, policy
from policies.context import ExistingRelation, PolicyContext
from policies.envelope import find_elements
from policies.facts import RelationFacts, RelationKind, WriteTool
from policies.lookups import Lookup
from policies.model import WriteIntent
from policies.values import (
    iban_is_valid,
    kvk_is_valid,
    normalise_iban,
    normalise_postal_code,
    normalise_text,
    person_display_name,
)

_RELATION_TOOLS = (WriteTool.CREATE_DEBTOR, WriteTool.CREATE_CREDITOR)


def _sent_values(intent: WriteIntent, object_name: str, field_id: str) -> list[str]:
    return [
        str(element.get(field_id))
        for element in find_elements(intent.body, object_name)
        if element.get(field_id) is not None
    ]


@policy("relation_identifiers_valid", quirk=None, tools=_RELATION_TOOLS)
def relation_identifiers_valid(intent: WriteIntent, ctx: PolicyContext) -> Finding:
    """IBAN passes mod-97, KvK has 8 digits, country is a 2-letter code; the payload sends them."""
    facts = facts_of(intent, RelationFacts)
    problems = Problems()
    if not re.fullmatch(r"[A-Z]{2}", facts.country):
        problems.deny(
            f"country {facts.country!r} is not an ISO 3166 two-letter code",
            hint="Pass the country as two capital letters, e.g. 'NL', 'BE', 'DE'.",
        )
    if facts.iban is not None and not iban_is_valid(facts.iban):
        problems.deny(
            f"IBAN {facts.iban!r} fails its checksum",
            hint="Check the IBAN against the invoice or bank statement; a typo is likely.",
        )
    sent_ibans = _sent_values(intent, IBAN.object_name, IBAN.field_id)
    expected_ibans = [] if facts.iban is None else [normalise_iban(facts.iban)]
    if [normalise_iban(iban) for iban in sent_ibans] != expected_ibans:
        problems.deny(
            f"the payload sends IBAN(s) {listing(sent_ibans)}, the request has {facts.iban!r}",
            hint=SERVER_BUG_HINT,
        )
    if facts.kvk_number is not None:
        if facts.kind is not RelationKind.ORGANISATION:
            problems.deny(
                "a KvK number belongs to an organisation, this relation is a person",
                hint="Leave kvk_number out for a person, or create the relation as an "
                "organisation.",
            )
        elif not kvk_is_valid(facts.kvk_number):
            problems.deny(
                f"KvK number {facts.kvk_number!r} does not have 8 digits",
                hint="Pass the 8-digit number from the Chamber of Commerce register.",
            )
    sent_kvk = _sent_values(intent, KVK_NUMBER.object_name, KVK_NUMBER.field_id)
    if sent_kvk != ([] if facts.kvk_number is None else [facts.kvk_number]):
        problems.deny(
            f"the payload sends KvK number(s) {listing(sent_kvk)}, the request has "
            f"{facts.kvk_number!r}",
            hint=SERVER_BUG_HINT,
        )
    return problems.finding("country, IBAN and KvK number are valid and sent as given")


# A person's name parts and the KnPerson field each travels in.
_PERSON_NAME_FIELDS = (
    ("first_name", "FiNm"),
    ("initials", "In"),
    ("name_prefix", "Is"),
    ("last_name", "LaNm"),
)


@policy("relation_name_complete", quirk=None, tools=_RELATION_TOOLS)
def relation_name_complete(intent: WriteIntent, ctx: PolicyContext) -> Finding:
    """A person's name travels in parts (last name required), an organisation's as one name.

    Each part goes in its own KnPerson field; an organisation's name in KnOrganisation.Nm. A
    person's full name sent as the last name reads fine on a list, but sorts, matches and
    addresses letters wrongly ("Dear Mr Piet Klaassen") and never matches that person again.
    """
    facts = facts_of(intent, RelationFacts)
    problems = Problems()
    parts = {name: getattr(facts, name) for name, _ in _PERSON_NAME_FIELDS}
    if facts.kind is RelationKind.PERSON:
        if not facts.last_name:
            problems.deny(
                "a person needs a last name",
                hint="Pass the person's name in parts: last_name, and first_name, initials and "
                "name_prefix where known.",
            )
        else:
            shown = person_display_name(
                last_name=facts.last_name,
                first_name=facts.first_name,
                name_prefix=facts.name_prefix,
            )
            if facts.name != shown:
                problems.deny(
                    f"the relation's name {facts.name!r} is not its parts' {shown!r}",
                    hint=SERVER_BUG_HINT,
                )
        persons = find_elements(intent.body, PERSON_OBJECT)
        if len(persons) != 1:
            problems.deny(
                f"the payload sends {len(persons)} {PERSON_OBJECT} elements, expected 1",
                hint=SERVER_BUG_HINT,
            )
        wrong = [
            f"{PERSON_OBJECT}.{field_id}={sent!r} (expected {parts[name]!r})"
            for person in persons
            for name, field_id in _PERSON_NAME_FIELDS
            if (sent := person.get(field_id)) != parts[name]
        ]
        if wrong:
            problems.deny(
                f"the payload sends the person's name wrongly: {listing(wrong)}",
                hint=SERVER_BUG_HINT,
            )
        return problems.finding(f"person {facts.name!r} is sent with each name part in its field")
    given = [name for name, value in parts.items() if value is not None]
    if given:
        problems.deny(
            f"{listing(given)} belong to a person, this relation is an organisation",
            hint="Pass an organisation's name as name only, or create the relation as a person.",
        )
    sent_names = _sent_values(intent, ORGANISATION_NAME.object_name, ORGANISATION_NAME.field_id)
    if sent_names != [facts.name]:
        problems.deny(
            f"the payload sends organisation name(s) {listing(sent_names)}, the request has "
            f"{facts.name!r}",
            hint=SERVER_BUG_HINT,
        )
    return problems.finding(f"organisation {facts.name!r} is sent under its name")


def _same_relation(candidate: ExistingRelation, facts: RelationFacts) -> list[str]:
    """What makes an existing relation look like the new one (empty: nothing)."""
    reasons = []
    if (
        facts.iban
        and candidate.iban
        and normalise_iban(candidate.iban) == normalise_iban(facts.iban)
    ):
        reasons.append("same IBAN")
    if facts.kvk_number and candidate.kvk_number == facts.kvk_number:
        reasons.append("same KvK number")
    postal_code = None if facts.address is None else facts.address.postal_code
    if (
        postal_code
        and candidate.postal_code
        and normalise_text(candidate.name) == normalise_text(facts.name)
        and normalise_postal_code(candidate.postal_code) == normalise_postal_code(postal_code)
    ):
        reasons.append("same name and postal code")
    return reasons


@policy(
    "relation_not_duplicate",
    quirk=None,
    tools=_RELATION_TOOLS,
    needs={Lookup.SIMILAR_RELATIONS},
)
def relation_not_duplicate(intent: WriteIntent, ctx: PolicyContext) -> Finding:
    """A relation with the same IBAN, KvK number, or name and postal code goes to a person."""
    facts = facts_of(intent, RelationFacts)
    candidates = ctx.require(Lookup.SIMILAR_RELATIONS, ctx.similar_relations)
    matches = [
        f"{c.role} {c.relation_id} {c.name!r} ({', '.join(why)})"
        for c in candidates
        if c.role == facts.role and (why := _same_relation(c, facts))
    ]
    problems = Problems()
    if matches:
        lookup_tool = f"get_{facts.role}"
        problems.review(
            f"this {facts.role} may already exist: {listing(matches)}",
            hint=f"If it is the same relation, use the existing one ({lookup_tool}); otherwise "
            "a person approves creating a second record.",
        )
    return problems.finding(f"no existing {facts.role} has the same IBAN, KvK number, or name")
