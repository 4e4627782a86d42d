"""Deterministic fakes for personal data: the same input and salt always give the same fake.

A recording replaces each BSN, IBAN, name, address and identifier by a fake derived from
HMAC-SHA256 over a secret salt, so the same employee gets the same fake id in every call and in
every cassette recorded with that salt: joins still work on replay. Without the salt the fakes
cannot be traced back (a BSN has only ~90 million valid values, so an unsalted hash would be
reversible by trying them all); the salt therefore never goes into a cassette.

Fakes look valid where the product checks validity: a fake BSN passes the 11-check, a fake IBAN
has correct check digits, a fake postcode is `1234 AB`, a fake date keeps its format.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import date, timedelta

__all__ = ["FAKE_CITIES", "FAKE_FIRST_NAMES", "FAKE_LAST_NAMES", "FAKE_STREETS", "Faker"]

# Invented or rare words, chosen to share no name with common Dutch test data (a test checks
# them against the simulator's pools), so a leftover real value is never mistaken for a fake.
FAKE_FIRST_NAMES = (
    "Aart",
    "Bertje",
    "Coba",
    "Dirkje",
    "Evert",
    "Fenne",
    "Gijsbert",
    "Hilde",
    "Ids",
    "Jikke",
    "Klaasje",
    "Lieuwe",
    "Mette",
    "Nolke",
    "Okko",
    "Pietje",
    "Quirijn",
    "Romke",
    "Siebe",
    "Tjitske",
    "Ubbo",
    "Vroukje",
    "Wiebe",
    "Yfke",
)
FAKE_LAST_NAMES = (
    "Aalderink",
    "Bolhuisen",
    "Ceulemans",
    "Dorresteijn",
    "Eijkelhof",
    "Feddema",
    "Gortemaker",
    "Hazeleger",
    "IJzerman",
    "Jonkhoff",
    "Kwakman",
    "Lamberink",
    "Mollema",
    "Nieuwhof",
    "Oosterhuis",
    "Plomp",
    "Quakernaat",
    "Rietema",
    "Sluijter",
    "Tuinstra",
    "Uitterhoeve",
    "Vellinga",
    "Wolthuis",
    "Zeldenrust",
)
FAKE_PREFIXES = ("van", "de", "van der", "ter", "op den", "in 't")
FAKE_STREETS = (
    "Achterom",
    "Bongerd",
    "Cornelisdreef",
    "Duinpieperweg",
    "Esdoornhof",
    "Fazantenpad",
    "Gagelveld",
    "Heidebloemlaan",
    "Ijsvogelsingel",
    "Jeneverbespad",
    "Kievitsbloemerf",
    "Lisdoddehof",
)
FAKE_CITIES = (
    "Aardenveen",
    "Bleekwaard",
    "Dommelhoven",
    "Eemdonk",
    "Gorsveen",
    "Haverdam",
    "Kortenhoeve",
    "Lindewaard",
    "Moerveld",
    "Oudewetering",
    "Rietmolen",
    "Zwanenkamp",
)
_UPPER = "ABCDEFGHJKLMNPRSTVWXZ"  # the letters Dutch postcodes use
_LOWER = "abcdefghijklmnopqrstuvwxyz"
_POSTCODE = re.compile(r"\b\d{4}\s?[A-Z]{2}\b")
_ISO_DATE = re.compile(r"(?P<day>\d{4}-\d{2}-\d{2})(?P<rest>.*)", re.DOTALL)


def _eleven_check(digits: str) -> bool:
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    return (
        len(digits) == 9 and sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 == 0
    )


def _iban_digits(text: str) -> str:
    return "".join(str(int(ch, 36)) for ch in text)


def iban_check_digits(country: str, bban: str) -> str:
    """The two check digits ISO 13616 puts after the country code."""
    return f"{98 - int(_iban_digits(bban + country + '00')) % 97:02d}"


class Faker:
    """Fake values keyed by a secret salt.

    Args:
        salt: the secret; the same salt gives the same fakes across recordings.
    """

    def __init__(self, salt: bytes) -> None:
        if not salt:
            raise ValueError("the salt must not be empty")
        self._salt = salt

    def number(self, kind: str, value: str, attempt: int = 0) -> int:
        """A large number derived from (kind, value); `attempt` gives the next one on a clash."""
        message = f"{kind}\x00{value}\x00{attempt}".encode()
        return int.from_bytes(hmac.new(self._salt, message, hashlib.sha256).digest(), "big")

    def _pick(self, kind: str, value: str, choices: tuple[str, ...]) -> str:
        return choices[self.number(kind, value) % len(choices)]

    def fingerprint(self) -> str:
        """Eight hex digits that tell which salt was used, without revealing it."""
        return hmac.new(self._salt, b"afas-mcp salt fingerprint", hashlib.sha256).hexdigest()[:8]

    # --- identifiers -----------------------------------------------------------------------

    def digits(self, kind: str, value: str, *, keep: int = 0, attempt: int = 0) -> str:
        """Every digit after the first `keep` characters replaced; everything else kept."""
        stream = self.number(kind, value, attempt)
        out = list(value)
        for index in range(keep, len(out)):
            if out[index].isdigit():
                stream, digit = divmod(stream, 10)
                out[index] = str(digit)
        return "".join(out)

    def identifier(self, kind: str, value: str, attempt: int = 0) -> str:
        """Same length and character classes; leading zeros stay, so `000123` stays padded."""
        stream = self.number(kind, value, attempt)
        zeros = len(value) - len(value.lstrip("0"))
        out = list(value)
        for index in range(zeros, len(out)):
            ch = out[index]
            if ch.isdigit() and index == zeros:  # stays non-zero, so the padding stays as it was
                stream, pick = divmod(stream, 9)
                out[index] = str(1 + pick)
            elif ch.isdigit():
                stream, pick = divmod(stream, 10)
                out[index] = str(pick)
            elif ch.isupper():
                stream, pick = divmod(stream, 26)
                out[index] = _LOWER[pick].upper()
            elif ch.islower():
                stream, pick = divmod(stream, 26)
                out[index] = _LOWER[pick]
        fake = "".join(out)
        if fake == value and attempt < 8:
            return self.identifier(kind, value, attempt + 1)
        return fake

    def bsn(self, value: str) -> str:
        """A nine-digit number that passes the 11-check, never the input."""
        attempt = 0
        while True:
            head = f"{10_000_000 + self.number('bsn', value, attempt) % 89_999_999:08d}"
            check = sum(int(d) * w for d, w in zip(head, range(9, 1, -1), strict=True)) % 11
            candidate = f"{head}{check}"
            if check < 10 and candidate != value and _eleven_check(candidate):
                return candidate
            attempt += 1

    def iban(self, value: str) -> str:
        """An IBAN of the same country and length with valid check digits."""
        compact = "".join(value.split()).upper()
        country, bban = compact[:2], compact[4:]  # the check digits are recomputed
        fake_bban = self.identifier("iban", bban)
        fake = f"{country}{iban_check_digits(country, fake_bban)}{fake_bban}"
        if " " in value.strip():  # printed in groups of four: keep that
            fake = " ".join(fake[i : i + 4] for i in range(0, len(fake), 4))
        return fake

    # --- names and addresses ---------------------------------------------------------------
    # Keys are normalised (case, spaces), so `JANSEN` and `Jansen`, `3811 HN` and `3811HN`
    # get the same fake; the fake then takes the input's case.

    def first_name(self, value: str) -> str:
        return _case(self._pick("first_name", _key(value), FAKE_FIRST_NAMES), value)

    def last_name(self, value: str) -> str:
        return _case(self._pick("last_name", _key(value), FAKE_LAST_NAMES), value)

    def prefix(self, value: str) -> str:
        return _case(self._pick("prefix", _key(value), FAKE_PREFIXES), value)

    def initials(self, value: str) -> str:
        letters = [ch for ch in value if ch.isalpha()] or ["X"]
        stream = self.number("initials", _key(value))
        out = []
        for _ in letters:
            stream, pick = divmod(stream, len(_UPPER))
            out.append(_UPPER[pick] + ".")
        return "".join(out)

    def full_name(self, value: str) -> str:
        """A person's or a relation's display name: first and last name."""
        key = _key(value)
        first = self._pick("first_name", key, FAKE_FIRST_NAMES)
        return _case(f"{first} {self._pick('last_name', key, FAKE_LAST_NAMES)}", value)

    def search_name(self, value: str) -> str:
        return self._pick("last_name", _key(value), FAKE_LAST_NAMES).upper()

    def street(self, value: str) -> str:
        return _case(self._pick("street", _key(value), FAKE_STREETS), value)

    def city(self, value: str) -> str:
        return _case(self._pick("city", _key(value), FAKE_CITIES), value)

    def postcode(self, value: str) -> str:
        stream = self.number("postcode", _key(value))
        stream, digits = divmod(stream, 9000)
        stream, first = divmod(stream, len(_UPPER))
        second = _UPPER[stream % len(_UPPER)]
        gap = " " if " " in value.strip() else ""
        return f"{1000 + digits}{gap}{_UPPER[first]}{second}"

    def email(self, value: str) -> str:
        key = value.strip().lower()
        first = self._pick("first_name", key, FAKE_FIRST_NAMES).lower()
        return f"{first}.{self.number('email', key) % 100_000:05d}@example.org"

    def phone(self, value: str) -> str:
        return self.digits("phone", value, keep=2)

    def birth_date(self, value: str) -> str:
        """A day between 1945 and 2005 in the input's format; keyed on the day alone.

        `1985-12-15T00:00:00Z` in a row and `1985-12-15T00:00:00` in a filter get the same day.
        """
        match = _ISO_DATE.match(value.strip())
        key = match["day"] if match else value.strip()
        day = date(1945, 1, 1) + timedelta(days=self.number("birth_date", key) % (60 * 365))
        return day.isoformat() + (match["rest"] if match else "")

    def free_text(self, value: str) -> str:
        return f"(scrubbed text {self.number('free_text', value) % 16**6:06x})"

    def address_line(self, value: str) -> str:
        """`Street 12`, `1234 AB  CITY` or `Street 12, 1234 AB  CITY`: the input's shape."""
        key = _key(value)
        found = _POSTCODE.search(value)
        street = f"{self._pick('street', key, FAKE_STREETS)} {1 + self.number('line', key) % 240}"
        if found is None:
            return street
        town = f"{self.postcode(found.group())}  {self._pick('city', key, FAKE_CITIES).upper()}"
        return town if value.lstrip()[:1].isdigit() else f"{street}, {town}"


def _key(value: str) -> str:
    return "".join(value.split()).lower()


def _case(fake: str, original: str) -> str:
    """The fake in capitals when the original was written in capitals (AFAS's search names)."""
    return fake.upper() if original.isupper() else fake
