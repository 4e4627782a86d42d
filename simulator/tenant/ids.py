"""Dutch identifiers that pass the checks AFAS runs: BSN, RSIN, IBAN, wage-tax number, KvK."""

from __future__ import annotations

import random

from simulator.tenant.draw import between, one_of

_BANKS = ("INGB", "ABNA", "RABO", "TRIO", "SNSB", "ASNB", "KNAB", "BUNQ")


def eleven_check(digits: str) -> bool:
    """The Dutch 11-check for BSN and RSIN: weights 9..2 and -1 on the last digit."""
    if len(digits) != 9 or not digits.isdigit():
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 == 0


def make_bsn(rng: random.Random) -> str:
    """Return a random nine-digit number that passes the 11-check (BSN or RSIN)."""
    while True:
        head = f"{between(rng, 10_000_000, 99_999_999 - 1):08d}"
        check = sum(int(d) * w for d, w in zip(head, range(9, 1, -1), strict=True)) % 11
        if check < 10:
            return head + str(check)


def iban_check_digits(country: str, bban: str) -> str:
    """Return the two ISO 13616 check digits for a BBAN."""
    rearranged = bban + country + "00"
    numeric = "".join(str(int(ch, 36)) for ch in rearranged)
    return f"{98 - int(numeric) % 97:02d}"


def make_iban(rng: random.Random) -> str:
    """Return a Dutch IBAN with valid check digits."""
    bban = one_of(rng, _BANKS) + f"{between(rng, 10**9, 10**10 - 1):010d}"
    return "NL" + iban_check_digits("NL", bban) + bban


def iban_is_valid(iban: str) -> bool:
    """Check an IBAN's mod-97 checksum."""
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


def make_wage_tax_number(rng: random.Random) -> str:
    """Return a loonheffingennummer: an RSIN, `L` and a two-digit sub-number."""
    return f"{make_bsn(rng)}L01"


def make_kvk(rng: random.Random) -> str:
    """Return an eight-digit Chamber of Commerce number."""
    return f"{between(rng, 10_000_000, 99_999_999 - 1)}"


def make_vat_number(rng: random.Random) -> str:
    """Return a Dutch VAT number (NL + nine digits + B01)."""
    return f"NL{make_bsn(rng)}B01"
