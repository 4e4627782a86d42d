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
        head = between(rng, 10_000_000, 99_999_998)
        check, rest = 0, head
        for weight in range(2, 10):  # the last of the eight digits weighs 2, the first 9
            rest, digit = divmod(rest, 10)
            check += digit * weight
        check %= 11
        if check < 10:
            return f"{head}{check}"


def _as_digits(text: str) -> str:
    """ISO 7064 letters-to-digits: A=10 ... Z=35, digits unchanged."""
    return "".join(str(int(ch, 36)) for ch in text)


_BANK_DIGITS = {bank: _as_digits(bank) for bank in _BANKS}
_NL_DIGITS = _as_digits("NL")


def make_iban(rng: random.Random) -> str:
    """Return a Dutch IBAN with valid check digits."""
    bank = one_of(rng, _BANKS)
    account = f"{between(rng, 10**9, 10**10 - 1):010d}"
    check = 98 - int(f"{_BANK_DIGITS[bank]}{account}{_NL_DIGITS}00") % 97
    return f"NL{check:02d}{bank}{account}"


def iban_is_valid(iban: str) -> bool:
    """Check an IBAN's mod-97 checksum."""
    return int(_as_digits(iban[4:] + iban[:4])) % 97 == 1


def make_wage_tax_number(rng: random.Random) -> str:
    """Return a loonheffingennummer: an RSIN, `L` and a two-digit sub-number."""
    return f"{make_bsn(rng)}L01"


def make_kvk(rng: random.Random) -> str:
    """Return an eight-digit Chamber of Commerce number."""
    return f"{between(rng, 10_000_000, 99_999_999 - 1)}"


def make_vat_number(rng: random.Random) -> str:
    """Return a Dutch VAT number (NL + nine digits + B01)."""
    return f"NL{make_bsn(rng)}B01"
