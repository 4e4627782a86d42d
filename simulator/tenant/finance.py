"""Administrations, accounts, VAT codes, journals, booking periods, relations and entries."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from simulator.tenant import ids
from simulator.tenant.draw import between, one_of
from simulator.tenant.people import Generation
from simulator.tenant.store import Record

CENT = Decimal("0.01")
DUTCH_MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip

ADMINISTRATIONS: tuple[tuple[int, str, str], ...] = (
    (1, "Holding en installatie", "HOLD"),
    (2, "Service en logistiek", "OPS"),
)

# (Account, Description, Type, collective for, VAT code, DimAx1, ToProject, Blocked)
# Accounts with DimAx1 demand allocation lines (FiDimEntries) on every entry (quirk W18).
ACCOUNTS: tuple[tuple[str, str, str, str | None, str | None, str | None, str | None, bool], ...] = (
    ("0100", "Gebouwen", "Balans", None, None, None, None, False),
    ("0200", "Inventaris", "Balans", None, None, None, None, False),
    ("0900", "Oude activa (vervallen)", "Balans", None, None, None, None, True),
    ("1000", "Kas", "Balans", None, None, None, None, False),
    ("1100", "Bank", "Balans", None, None, None, None, False),
    ("1300", "Debiteuren", "Balans", "Debiteuren", None, None, None, False),
    ("1510", "Te betalen btw hoog", "Balans", None, None, None, None, False),
    ("1520", "Te betalen btw laag", "Balans", None, None, None, None, False),
    ("1530", "Te vorderen btw", "Balans", None, None, None, None, False),
    ("1600", "Crediteuren", "Balans", "Crediteuren", None, None, None, False),
    ("1800", "Te betalen nettolonen", "Balans", None, None, None, None, False),
    ("1900", "Tussenrekening", "Balans", None, None, None, None, False),
    ("4000", "Lonen en salarissen", "Resultaat", None, None, "KPL", None, False),
    ("4100", "Sociale lasten", "Resultaat", None, None, "KPL", None, False),
    ("4500", "Huisvestingskosten", "Resultaat", None, "4", None, None, False),
    ("4600", "Kantoorkosten", "Resultaat", None, "4", "KPL", None, False),
    ("4700", "Reiskosten", "Resultaat", None, "4", None, None, False),
    ("4800", "Projectkosten", "Resultaat", None, "4", None, "Verplicht", False),
    ("4999", "Oude kosten (vervallen)", "Resultaat", None, None, None, None, True),
    ("7000", "Inkoopwaarde omzet", "Resultaat", None, "4", None, None, False),
    ("8000", "Omzet hoog tarief", "Resultaat", None, "1", None, None, False),
    ("8100", "Omzet laag tarief", "Resultaat", None, "2", None, None, False),
    ("8200", "Omzet verlegd", "Resultaat", None, "3", None, None, False),
)

# (VatCode, Description, AccountNr, VatPerc, VatType, Blocked)
VAT_CODES: tuple[tuple[str, str, str | None, Decimal, str, bool], ...] = (
    ("0", "Geen btw", None, Decimal(0), "Geen", False),
    ("1", "Btw hoog verkoop", "1510", Decimal(21), "Verkoop", False),
    ("2", "Btw laag verkoop", "1520", Decimal(9), "Verkoop", False),
    ("3", "Btw verlegd", "1510", Decimal(0), "Verkoop", False),
    ("4", "Btw hoog inkoop", "1530", Decimal(21), "Inkoop", False),
    ("5", "Btw laag inkoop", "1530", Decimal(9), "Inkoop", False),
    ("6", "Btw hoog oud tarief", "1510", Decimal(19), "Verkoop", True),
)

# (JournalId, Description, JournalType, Blocked)
JOURNALS: tuple[tuple[str, str, str, bool], ...] = (
    ("10", "Kas", "Kas", False),
    ("20", "Bank", "Bank", False),
    ("50", "Verkoopboek", "Verkoop", False),
    ("60", "Inkoopboek", "Inkoop", False),
    ("90", "Memoriaal", "Memoriaal", False),
    ("95", "Memoriaal oud", "Memoriaal", True),
)


def generate_ledger(gen: Generation) -> None:
    """Administrations, accounts, VAT codes, journals and booking periods."""
    tenant, ref = gen.tenant, gen.ref
    for unit_id, name, code in ADMINISTRATIONS:
        tenant.table("administrations").add(
            {"AdminId": unit_id, "AdminNm": f"{gen.group} {name}", "AdminCd": code}
        )
    for account, description, kind, collect, vat, dim, project, blocked in ACCOUNTS:
        tenant.table("ledger_accounts").add(
            {
                "Account": account,
                "Description": description,
                "Type": kind,
                "Blocked": blocked,
                "CollectAccountType": collect,
                "VatCode": vat,
                "DimAx1": dim,
                "ToProject": project,
            }
        )
    for vat_code, description, vat_account, percentage, vat_type, blocked in VAT_CODES:
        tenant.table("vat_codes").add(
            {
                "VatCode": vat_code,
                "Description": description,
                "AccountNr": vat_account,
                "VatPerc": percentage,
                "VatType": vat_type,
                "Blocked": blocked,
            }
        )
    # Periods before last month are blocked: bookkeeping closes a month after it ends.
    first_open = date(ref.year - (ref.month == 1), (ref.month - 2) % 12 + 1, 1)
    for unit_id, *_ in ADMINISTRATIONS:
        for journal_id, description, journal_type, blocked in JOURNALS:
            tenant.table("journals").add(
                {
                    "UnitId": unit_id,
                    "JournalId": journal_id,
                    "Description": description,
                    "JournalType": journal_type,
                    "Blocked": blocked,
                }
            )
        for year in (ref.year - 1, ref.year, ref.year + 1):
            for month in range(1, 13):
                first = date(year, month, 1)
                last = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
                tenant.table("booking_periods").add(
                    {
                        "Unit": unit_id,
                        "Year": year,
                        "Period": month,
                        "PeriodDesc": f"{DUTCH_MONTHS[month - 1]} {year}",
                        "DateFrom": first,
                        "DateTo": last,
                        "Blocked": first < first_open,
                    }
                )


def generate_relations(gen: Generation) -> None:
    """Debtors and creditors, each a person or an organisation with an IBAN."""
    tenant = gen.tenant
    for kind, table, key, first, count, collective in (
        ("debtors", "debtors", "DbId", 10000, max(20, tenant.size // 4), "1300"),
        ("creditors", "creditors", "CrId", 70000, max(12, tenant.size // 8), "1600"),
    ):
        rng = gen.rng(kind)
        for index in range(count):
            relation = _relation(gen, rng)
            record: Record = {
                key: str(first + index),
                "BcCo": relation["BcCo"],
                "CuId": "EUR",
                "PaCd": one_of(rng, ("14", "30", "30", "60")),
                "ColA": collective,
                "VaDu": "1",
                "Iban": ids.make_iban(rng),
                "CreditLimit": Decimal(one_of(rng, (0, 500, 2500, 5000, 12500, 25000))),
                "AutoPayment": rng.random() < 0.2,
                "TempBlocked": rng.random() < 0.02,
                # By position, so every tenant has some (shell rows, quirk R5).
                "Bl": index % 30 == 4,
                "_deleted": index % 30 == 9,
                "_created": relation["_created"],
                "_modified": gen.stamp(rng, gen.ref - timedelta(days=between(rng, 1, 700))),
            }
            tenant.table(table).add(record)
        tenant.set_sequence(key, first + count - 1)


def _relation(gen: Generation, rng: random.Random) -> Record:
    created = gen.stamp(rng, gen.ref - timedelta(days=between(rng, 700, 4000)))
    if rng.random() < 0.6:
        record = gen.organisation(rng)
        table = "organisations"
    else:
        record = gen.person(rng, born_before=gen.ref)
        table = "persons"
    record.update({"_created": created, "_modified": created})
    gen.tenant.table(table).add(record)
    return record


def generate_entries(gen: Generation) -> None:
    """Balanced journal entries over the last fifteen months (lines as FiEntries names them)."""
    tenant, rng, ref = gen.tenant, gen.rng("entries"), gen.ref
    debtors = [record["DbId"] for record in tenant.table("debtors")]
    creditors = [record["CrId"] for record in tenant.table("creditors")]
    entry_numbers = dict.fromkeys((unit for unit, *_ in ADMINISTRATIONS), 0)
    for _ in range(max(40, tenant.size // 4)):
        unit = one_of(rng, tuple(entry_numbers))
        entry_numbers[unit] += 1
        day = ref - timedelta(days=between(rng, 1, 450))
        net = (Decimal(between(rng, 50_00, 20_000_00)) / 100).quantize(CENT)
        roll = rng.random()
        if roll < 0.4:
            journal, lines = "50", _sales(rng, debtors, net)
        elif roll < 0.7:
            journal, lines = "60", _purchase(rng, creditors, net)
        elif roll < 0.9:
            journal = "20"
            debtor = one_of(rng, debtors)
            lines = [
                ("1", "1100", net, None, None, None, None),
                ("2", debtor, None, net, None, None, None),
            ]
        else:
            journal = "90"
            cost_centre = one_of(rng, ("100", "200", "300", "400", "500"))
            lines = [
                ("1", "4000", net, None, None, None, cost_centre),
                ("1", "1800", None, net, None, None, None),
            ]
        stamp = gen.stamp(rng, day + timedelta(days=between(rng, 0, 3)))
        number = entry_numbers[unit]
        for seq, (kind, account, debit, credit, vat_code, vat_amount, dim) in enumerate(lines, 1):
            tenant.table("entries").add(
                {
                    "UnId": unit,
                    "EnNo": number,
                    "SeqNo": seq,
                    "Year": day.year,
                    "Peri": day.month,
                    "JoCo": journal,
                    "VaAs": kind,
                    "AcNr": account,
                    "EnDa": day,
                    "BpDa": day,
                    "BpNr": f"{journal}{number:06d}",
                    "InId": f"{day.year}{number:05d}" if journal in ("50", "60") else None,
                    "Ds": _ENTRY_TEXT[journal],
                    "AmDe": debit or Decimal(0),
                    "AmCr": credit or Decimal(0),
                    "VaId": vat_code,
                    "VatAmt": vat_amount,
                    "DimAx1": dim,
                    "_created": stamp,
                    "_modified": stamp,
                }
            )
    for unit, last in entry_numbers.items():
        tenant.set_sequence(f"EnNo:{unit}", last)


_ENTRY_TEXT = {
    "20": "Ontvangst",
    "50": "Verkoopfactuur",
    "60": "Inkoopfactuur",
    "90": "Salarisjournaal",
}
_Line = tuple[str, str, Decimal | None, Decimal | None, str | None, Decimal | None, str | None]


def _sales(rng: random.Random, debtors: list[str], net: Decimal) -> list[_Line]:
    high = rng.random() < 0.8
    vat = (net * Decimal("0.21" if high else "0.09")).quantize(CENT)
    return [
        ("2", one_of(rng, debtors), net + vat, None, None, None, None),
        ("1", "8000" if high else "8100", None, net, "1" if high else "2", vat, None),
        ("1", "1510" if high else "1520", None, vat, None, None, None),
    ]


def _purchase(rng: random.Random, creditors: list[str], net: Decimal) -> list[_Line]:
    vat = (net * Decimal("0.21")).quantize(CENT)
    account = one_of(rng, ("4500", "4600", "7000"))
    dim = one_of(rng, ("100", "200", "400")) if account == "4600" else None
    return [
        ("3", one_of(rng, creditors), None, net + vat, None, None, None),
        ("1", account, net, None, "4", vat, dim),
        ("1", "1530", vat, None, None, None, None),
    ]
