"""KnSalesRelationPer/Org and KnPurchaseRelationPer/Org: a new debtor or creditor.

The relation's own fields (currency, the debtor or creditor flag, VAT number) go on the root; the
person or organisation is nested, with its address (house number split, W8) and bank account.
A new relation is a new person or organisation (`MatchPer` 7 / `MatchOga` 6): matching an
existing one by KvK number or name would overwrite that record's name and address with what is
sent, silently. The duplicate policy stands in for matching: a relation that looks like an
existing one goes to a person first.
"""

from __future__ import annotations

from datetime import date

from policies import afas_fields as af
from policies.facts import RelationFacts, RelationKind, RelationRole
from policies.values import normalise_iban
from tools.payloads._elements import Body, Legacy, element, envelope, sub_object
from tools.payloads.employee import address_element

NEW_PERSON = str(int(af.MatchPer.ALWAYS_NEW))
NEW_ORGANISATION = "6"  # MatchOga 6: always insert a new organisation
CURRENCY = "EUR"


def relation_connector(facts: RelationFacts) -> str:
    """The UpdateConnector for a debtor or creditor, person or organisation."""
    return af.RELATION_CONNECTOR[(facts.role, facts.kind)]


def relation_body(facts: RelationFacts, *, today: date, legacy: Legacy | None = None) -> Body:
    """The new relation as one insert; `today` is when its address starts."""
    connector = relation_connector(facts)
    party_objects: list[Body] = []
    if facts.address is not None:
        address = address_element(facts.address, begins=today, legacy=legacy)
        party_objects.append(sub_object("KnBasicAddressAdr", address))
    if facts.iban is not None:
        iban = normalise_iban(facts.iban)
        bank = {
            "CoId": iban[:2],  # the bank's country, the IBAN's first two letters
            af.IBAN.field_id: iban,
            "IbCk": True,  # let AFAS check the IBAN too
        }
        party_objects.append(sub_object(af.IBAN.object_name, element("KnBankAccount", bank)))
    if facts.kind is RelationKind.ORGANISATION:
        party_name = af.ORGANISATION_OBJECT
        party: dict[str, object] = {
            "MatchOga": NEW_ORGANISATION,
            af.KVK_NUMBER.field_id: facts.kvk_number,
            af.ORGANISATION_NAME.field_id: facts.name,
        }
    else:
        party_name = af.PERSON_OBJECT
        party = {
            af.PERSON_MATCH.field_id: NEW_PERSON,
            # Each part in its own field: AFAS builds the shown name, sorts and addresses by them.
            "FiNm": facts.first_name,
            "In": facts.initials,
            "Is": facts.name_prefix,
            "LaNm": facts.last_name,
            "SpNm": False,  # no partner name in use (a "1"/"0" field, W7)
        }
    party = {
        "PadAdr": True,  # the postal address is the residential address
        "AutoNum": True,  # AFAS numbers the new person or organisation
        **party,
        "EmAd": facts.email,
    }
    nested = element(party_name, party, objects=party_objects, legacy=legacy)
    flag = "IsDb" if facts.role is RelationRole.DEBTOR else "IsCr"
    own = {"CuId": CURRENCY, flag: True, "VaId": facts.vat_number}
    root = element(connector, own, objects=[sub_object(party_name, nested)], legacy=legacy)
    return envelope(connector, root)
