"""Which AFAS fields hold personal data, and what kind: by field id, by connector, by label.

Three sources, first hit wins:

1. fields of one connector whose generic name means something specific there
   (`Profit_Address.Number` is a house number, `Profit_Subjects.Number` is not);
2. field ids that mean the same everywhere: the standard GetConnectors' ids (`BSN`,
   `BirthName`, `ZIPCode`, ...), afas-mcp's own connectors (docs/connector-package.md) and the
   UpdateConnector field codes (`SoSe`, `LaNm`, `ZpCd`, `@EmId`, ...);
3. for a custom connector, words in the field's metainfo label or id (`Achternaam`,
   `Geboortedatum`, `IBAN`, ...), so a field an administrator named in Dutch is still found.

Fields found by none of these keep their values; the scrubber still replaces every value it
learned elsewhere (a surname in a free-text field) and every BSN, IBAN and e-mail address it
recognises by pattern.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["Kind", "kind_of"]

Kind = str  # one of the keys of `_KINDS`, below

# What each kind is, for the README and for error messages.
_KINDS = {
    "bsn": "citizen service number (BSN), faked with a valid 11-check",
    "iban": "bank account (IBAN), faked with valid check digits",
    "first_name": "first or call name",
    "last_name": "last or birth name",
    "prefix": "name prefix (van, de, ...)",
    "initials": "initials",
    "name": "display name of a person or relation",
    "search_name": "search name",
    "street": "street",
    "house_number": "house number",
    "postcode": "postcode",
    "city": "city",
    "address_line": "address line",
    "email": "e-mail address",
    "phone": "phone number",
    "birth_date": "date of birth or death",
    "identifier": "employee, person, debtor, creditor or user code",
    "registration": "Chamber of Commerce or VAT number",
    "free_text": "free text (notes, comments, memos)",
}

_BY_ID: dict[str, Kind] = {
    # BSN and bank data
    "bsn": "bsn",
    "sose": "bsn",
    "socialsecurityno": "bsn",
    "iban": "iban",
    "acid": "iban",  # AfasBankInfo's key is the IBAN itself
    "bankaccount": "iban",
    # names
    "firstname": "first_name",
    "finm": "first_name",
    "canm": "first_name",
    "birthname": "last_name",
    "birthnamepartner": "last_name",
    "lastname": "last_name",
    "lanm": "last_name",
    "nmbi": "last_name",
    "nmpa": "last_name",
    "prefixbirthname": "prefix",
    "prefixpartner": "prefix",
    "is": "prefix",
    "ispa": "prefix",
    "initials": "initials",
    "in": "initials",
    "name": "name",
    "nm": "name",
    "debtorname": "name",
    "creditorname": "name",
    "searchname": "search_name",
    "senm": "search_name",
    # addresses
    "street": "street",
    "ad": "street",
    "housenumber": "house_number",
    "hmnr": "house_number",
    "zipcode": "postcode",
    "zpcd": "postcode",
    "postalcode": "postcode",
    "city": "city",
    "rs": "city",
    "residence": "city",
    "addressline": "address_line",
    "addressline1": "address_line",
    "addressline3": "address_line",
    "addressline4": "address_line",
    "adressline1": "address_line",
    "adressline3": "address_line",
    "adressline4": "address_line",
    # contact
    "mail": "email",
    "email": "email",
    "emad": "email",
    "mailwork": "email",
    "emailwork": "email",
    "emailportal": "email",
    "emailfordigitaldocuments": "email",
    "phone": "phone",
    "mobile": "phone",
    "telnr": "phone",
    "telwork": "phone",
    "tenr": "phone",
    "mbnr": "phone",
    # dates
    "dateofbirth": "birth_date",
    "datebirth": "birth_date",
    "dabi": "birth_date",
    "datedeceased": "birth_date",
    "daov": "birth_date",
    # codes that identify a person (or a relation that may be one)
    "employeeid": "identifier",
    "emid": "identifier",
    "employee": "identifier",
    "employeenumber": "identifier",
    "medewerker": "identifier",
    "personid": "identifier",
    "bcco": "identifier",
    "bccd": "identifier",
    "orgpersid": "identifier",
    "debtorid": "identifier",
    "dbid": "identifier",
    "creditorid": "identifier",
    "crid": "identifier",
    "userid": "identifier",
    "usid": "identifier",
    # registrations of sole traders carry a person's identity
    "chofcommnr": "registration",
    "ccnr": "registration",
    "vatnr": "registration",
    "btw-nummer": "registration",
    "vaid": "registration",  # only a long value is a VAT number; a VAT code stays (see scrub)
    # free text
    "note": "free_text",
    "comment": "free_text",
    "memo": "free_text",
    "sbtx": "free_text",
    "re": "free_text",
    "homepage": "free_text",
    "hopa": "free_text",
}

_BY_CONNECTOR: dict[str, dict[str, Kind]] = {
    "profit_address": {
        "address": "street",
        "number": "house_number",
        "recidence": "city",
        "addressadd": "free_text",
        "addition": "free_text",
    },
}

# Words in a custom field's label or id, most specific first (checked in this order).
_WORDS: tuple[tuple[str, Kind], ...] = (
    ("burgerservicenummer", "bsn"),
    ("sofinummer", "bsn"),
    ("social security", "bsn"),
    ("bsn", "bsn"),
    ("iban", "iban"),
    ("bankrekening", "iban"),
    ("bank account", "iban"),
    ("geboortedatum", "birth_date"),
    ("overlijdensdatum", "birth_date"),
    ("date of birth", "birth_date"),
    ("birth date", "birth_date"),
    ("birthdate", "birth_date"),
    ("e-mail", "email"),
    ("email", "email"),
    ("telefoon", "phone"),
    ("mobiel", "phone"),
    ("phone", "phone"),
    ("postcode", "postcode"),
    ("zip", "postcode"),
    ("postal code", "postcode"),
    ("woonplaats", "city"),
    ("straat", "street"),
    ("street", "street"),
    ("huisnummer", "house_number"),
    ("house number", "house_number"),
    ("voornaam", "first_name"),
    ("roepnaam", "first_name"),
    ("first name", "first_name"),
    ("achternaam", "last_name"),
    ("geboortenaam", "last_name"),
    ("last name", "last_name"),
    ("surname", "last_name"),
    ("voorvoegsel", "prefix"),
    ("tussenvoegsel", "prefix"),
    ("voorletters", "initials"),
)
# A label with one of these is about something else (a house number *addition*, a mail *flag*).
_NOT_PERSONAL = ("toevoeging", "addition", "verzendwijze", "indicator")


def kind_of(
    field: str, *, connector: str | None = None, labels: Mapping[str, str] | None = None
) -> Kind | None:
    """The kind of personal data field `field` holds, or None for a field kept as recorded.

    Args:
        field: a GetConnector field id or an UpdateConnector field code (a leading `@` of a key
            attribute is ignored).
        connector: the connector the field belongs to, for fields that mean something only
            there.
        labels: field id → metainfo label of that connector, for custom fields.
    """
    name = field.removeprefix("@").lower()
    specific = _BY_CONNECTOR.get((connector or "").lower(), {})
    if name in specific:
        return specific[name]
    if name in _BY_ID:
        return _BY_ID[name]
    label = (labels or {}).get(field) or (labels or {}).get(field.removeprefix("@")) or ""
    for text in (label.lower(), name):
        if not text or any(word in text for word in _NOT_PERSONAL):
            continue
        for word, kind in _WORDS:
            if word in text:
                return kind
    return None


def describe(kind: Kind) -> str:
    """One line on what a kind covers."""
    return _KINDS[kind]
