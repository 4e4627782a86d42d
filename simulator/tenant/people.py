"""Persons and organisations: the relations (BcCo) that employees, debtors and creditors hang on."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from simulator.tenant import ids, pools
from simulator.tenant.draw import between, one_of
from simulator.tenant.store import Record, Tenant

_EIGHT = time(8)


class Generation:
    """Shared state while one tenant is generated: seeded random streams and id counters.

    Each domain draws from its own stream (`rng("employees")`), so adding a domain does not
    change the data of the others.
    """

    def __init__(self, tenant: Tenant, *, seed: int) -> None:
        self.tenant = tenant
        self.seed = seed
        self.ref: date = tenant.reference_date
        self._next_bcco = 1_000_000
        self._bsns: set[str] = set()
        names = random.Random(f"{seed}:group")  # noqa: S311 - test data, not secrets
        self.group = one_of(names, pools.GROUP_NAMES)
        self.mail_domain = self.group.lower().replace(" ", "") + ".example"
        self._latest = datetime.combine(self.ref - timedelta(days=1), time(17, 30))

    def rng(self, domain: str) -> random.Random:
        return random.Random(f"{self.seed}:{domain}")  # noqa: S311 - test data, not secrets

    def next_bcco(self) -> str:
        self._next_bcco += 1
        return str(self._next_bcco)

    def finish(self) -> None:
        """Record where the sequences stand, so the write side continues after the seed data."""
        self.tenant.set_sequence("BcCo", self._next_bcco)

    def before_ref(self, moment: datetime) -> datetime:
        """Clamp a seeded stamp to before the reference date: seeded history is all in the past."""
        return min(moment, self._latest)

    def stamp(self, rng: random.Random, day: date) -> datetime:
        """A working-hours timestamp on `day`, clamped to before the reference date."""
        moment = datetime.combine(day, _EIGHT) + timedelta(minutes=int(rng.random() * 600))
        return moment if moment < self._latest else self._latest

    def unique_bsn(self, rng: random.Random) -> str:
        while True:
            bsn = ids.make_bsn(rng)
            if bsn not in self._bsns:
                self._bsns.add(bsn)
                return bsn

    def address(self, rng: random.Random) -> Record:
        """Address fields as KnBasicAddressAdr names them."""
        city, zip_prefix = one_of(rng, pools.CITIES)
        letters = "".join(one_of(rng, "ABCDEGHJKLMNPRSTVWXZ") for _ in range(2))
        return {
            "Ad": one_of(rng, pools.STREETS),
            "HmNr": between(rng, 1, 240),
            "HmAd": one_of(rng, pools.HOUSE_NUMBER_ADDITIONS) if rng.random() < 0.12 else None,
            "ZpCd": f"{zip_prefix}{between(rng, 10, 99)} {letters}",
            "Rs": city,
            "CoId": "NL",
        }

    def person(self, rng: random.Random, *, born_before: date, min_age: int = 18) -> Record:
        """A KnPerson record with its address."""
        gender = one_of(rng, "MV")
        first = one_of(rng, pools.FIRST_NAMES_M if gender == "M" else pools.FIRST_NAMES_V)
        last = one_of(rng, pools.LAST_NAMES)
        prefix = pools.PREFIXED.get(last)
        initials = first[0] + "."
        if rng.random() < 0.3:
            initials += one_of(rng, "ACEHJMPW") + "."
        age_days = between(rng, min_age * 365 + 5, 66 * 365)
        mail_name = f"{first}.{(prefix + ' ' if prefix else '')}{last}".lower().replace(" ", "")
        record: Record = {
            "BcCo": self.next_bcco(),
            "FiNm": first,
            "CaNm": first,
            "In": initials,
            "Is": prefix,
            "LaNm": last,
            "SeNm": last.upper().replace(" ", ""),
            "ViGe": gender,
            "DaBi": born_before - timedelta(days=age_days),
            "SoSe": self.unique_bsn(rng),
            "EmAd": f"{mail_name}@{self.mail_domain}",
            "TeNr": f"0{between(rng, 10, 79)}-{between(rng, 1_000_000, 9_999_999)}",
            "MbNr": f"06-{between(rng, 10_000_000, 99_999_999)}",
            "_deleted": False,
        }
        record.update(self.address(rng))
        return record

    def organisation(self, rng: random.Random, *, name: str | None = None) -> Record:
        """A KnOrganisation record with its address."""
        if name is None:
            name = (
                f"{one_of(rng, pools.LAST_NAMES)} {one_of(rng, pools.COMPANY_WORDS)} "
                f"{one_of(rng, pools.COMPANY_FORMS)}"
            )
        record: Record = {
            "BcCo": self.next_bcco(),
            "Nm": name,
            "SeNm": name.split(" ")[0].upper(),
            "CcNr": ids.make_kvk(rng),
            "VaId": ids.make_vat_number(rng),
            "EmAd": f"info@{name.split(' ')[0].lower()}.example",
            "TeNr": f"0{between(rng, 10, 79)}-{between(rng, 1_000_000, 9_999_999)}",
            "HoPa": f"https://www.{name.split(' ')[0].lower()}.example",
            "_deleted": False,
        }
        record.update(self.address(rng))
        return record


def full_name(person: Record) -> str:
    """Display name as AFAS builds it: first name, prefix, last name."""
    parts = [person.get("FiNm"), person.get("Is"), person.get("LaNm")]
    return " ".join(part for part in parts if part)


def address_line1(relation: Record) -> str | None:
    """`Street 12 A` from the address fields."""
    if not relation.get("Ad"):
        return None
    number = f" {relation['HmNr']}" if relation.get("HmNr") is not None else ""
    addition = f" {relation['HmAd']}" if relation.get("HmAd") else ""
    return f"{relation['Ad']}{number}{addition}"


def address_line3(relation: Record) -> str | None:
    """`3811 HN  AMERSFOORT`: postal code, two spaces, residence in capitals."""
    if not relation.get("Rs"):
        return None
    return f"{relation.get('ZpCd') or ''}  {str(relation['Rs']).upper()}".strip()
