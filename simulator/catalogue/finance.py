"""Standard financial GetConnectors, with AFAS's official field ids (afas-api.md Appendix B)."""

from __future__ import annotations

from simulator.catalogue.fields import (
    BLOCKED,
    DELETED,
    STATE,
    Field,
    GetConnector,
    amount,
    connector,
    flag,
    moment,
    number,
    text,
)
from simulator.catalogue.rows import Driver, Link, RowContext, matching
from simulator.tenant import Record
from simulator.tenant.people import address_line1, address_line3, full_name


def _administrations(ctx: RowContext, record: Record) -> Record:
    return {
        "AdminId": record["AdminId"],
        "AdminNm": record["AdminNm"],
        "AdminCd": record["AdminCd"],
    }


# Field codes, lengths and labels as AFAS's published metainfo example shows them.
ADMINISTRATIONS = connector(
    "Profit_Administrations",
    "Administraties (Profit)",
    (
        Field("AdminId", "int", "Administratie", 3, "U002", 5),
        Field("AdminNm", "string", "Naam administratie", 80, "U001", 1),
        Field("AdminCd", "string", "Administratie", 10, "UnCo", 1),
    ),
    key=("AdminId",),
    rows=Driver("administrations", _administrations),
)


def _accounts(ctx: RowContext, record: Record) -> Record:
    collect = record["CollectAccountType"]
    return {
        "Account": record["Account"],
        "Description": record["Description"],
        "Type": record["Type"],
        "Sort": "Normaal" if collect is None else "Verzamelrekening",
        "Blocked": record["Blocked"],
        "CollectAccount": collect is not None,
        "CollectAccountType": collect,
        "Feature": None,
        "CollectOn": None,
        "VatAllowed": record["VatCode"] is not None,
        "VatCode": record["VatCode"],
        "Budget": None,
        "ToProject": record["ToProject"],
        # A filled axis means entries on this account need allocation lines (W18).
        "DimAx1": record["DimAx1"],
        "DimAx2": None,
        "DimAx3": None,
        "DimAx4": None,
        "DimAx5": None,
    }


ACCOUNTS = connector(
    "Profit_Accounts",
    "Grootboekrekeningen (Financieel)",
    (
        Field("Account", "string", "Rekeningnummer", 16, "U001", 5),
        Field("Description", "string", "Omschrijving", 50, "U002", 1),
        text("Type", "Kenmerk rekening", 20),
        text("Sort", "Soort rekening", 20),
        flag("Blocked", "Geblokkeerd"),
        flag("CollectAccount", "Verzamelrekening"),
        text("CollectAccountType", "Type verzamelrekening", 20),
        text("Feature", "Kenmerk", 20),
        text("CollectOn", "Verdichting", 20),
        flag("VatAllowed", "Btw toegestaan"),
        text("VatCode", "Btw-code", 3, lookup=True),
        text("Budget", "Budgetteren", 20),
        text("ToProject", "Boeken op project", 20),
        *(text(f"DimAx{axis}", f"Kostenplaats as {axis}", 15) for axis in range(1, 6)),
    ),
    key=("Account",),
    rows=Driver("ledger_accounts", _accounts),
)


def _vat_codes(ctx: RowContext, record: Record) -> Record:
    return {
        "VatCode": record["VatCode"],
        "Description": record["Description"],
        "AccountNr": record["AccountNr"],
        "VatPerc": record["VatPerc"],
        "VatDuty": "Btw-plichtig" if record["VatPerc"] else "Niet btw-plichtig",
        "Blocked": record["Blocked"],
        "VatMethod": "Factuurstelsel",
        "VatType": record["VatType"],
    }


VAT_CODES = connector(
    "Profit_VAT_code",
    "Btw-code",
    (
        text("VatCode", "Btw-code", 3, lookup=True),
        text("Description", "Omschrijving", 80),
        text("AccountNr", "Rekening", 16, lookup=True),
        amount("VatPerc", "Percentage"),
        text("VatDuty", "Btw-plicht", 30),
        flag("Blocked", "Geblokkeerd"),
        text("VatMethod", "Btw-stelsel", 30),
        text("VatType", "Soort btw", 30),
    ),
    key=("VatCode",),
    rows=Driver("vat_codes", _vat_codes),
)


def _journals(ctx: RowContext, record: Record) -> Record:
    return dict(record)


JOURNALS = connector(
    "Profit_Journals",
    "Dagboeken",
    (
        number("UnitId", "Administratie", 3, lookup=True),
        text("JournalId", "Dagboek", 5, lookup=True),
        text("Description", "Omschrijving", 80),
        text("JournalType", "Type dagboek", 20),
        flag("Blocked", "Geblokkeerd"),
    ),
    key=("UnitId", "JournalId"),
    rows=Driver("journals", _journals),
)


def _booking_periods(ctx: RowContext, record: Record) -> Record:
    return {**record, "Periodtable": 1, "TableDesc": "Maanden"}


BOOKING_PERIODS = connector(
    "Profit_periods_per_administration",
    "Geblokkeerde perioden per administratie",
    (
        number("Unit", "Administratie", 3, lookup=True),
        number("Year", "Boekjaar", 4),
        number("Period", "Periode", 4),
        text("PeriodDesc", "Omschrijving periode", 50),
        moment("DateFrom", "Begindatum"),
        moment("DateTo", "Einddatum"),
        flag("Blocked", "Geblokkeerd"),
        number("Periodtable", "Periodetabel", 4),
        text("TableDesc", "Omschrijving periodetabel", 50),
    ),
    key=("Unit", "Year", "Period"),
    rows=Driver("booking_periods", _booking_periods),
)


def _relation_of(ctx: RowContext, record: Record) -> Record:
    bcco = record["BcCo"]
    return ctx.record("organisations", bcco) or ctx.record("persons", bcco) or {}


def _relation_links(table: str) -> tuple[Link, ...]:
    """A relation's name, address and numbers show on its debtor or creditor row."""
    return tuple(
        Link(source, matching("BcCo", "BcCo", table=table))
        for source in ("persons", "organisations")
    )


def _relation_name(relation: Record) -> str | None:
    return relation.get("Nm") or full_name(relation) or None


def _debtor(ctx: RowContext, record: Record) -> Record:
    relation = _relation_of(ctx, record)
    return {
        "DebtorId": record["DbId"],
        "DebtorName": _relation_name(relation),
        "BcCo": record["BcCo"],
        "SearchName": relation.get("SeNm"),
        "AdressLine1": address_line1(relation),
        "AdressLine3": address_line3(relation),
        "AdressLine4": None,
        "TelNr": relation.get("TeNr"),
        "Email": relation.get("EmAd"),
        "IBAN": record.get("Iban"),
        "VatNr": relation.get("VaId"),
        "ChOfCommNr": relation.get("CcNr"),
        "CollectAccount": record.get("ColA"),
        "PayCon": record.get("PaCd"),
        "VatDuty": record.get("VaDu"),
        "Blocked": record["Bl"],
        "CreditLimit": record.get("CreditLimit"),
        "CurrencyId": record.get("CuId"),
        "AutoPayment": record.get("AutoPayment", False),
        "CreateDate": record["_created"],
        "ModifiedDate": record["_modified"],
        STATE: DELETED if record.get("_deleted") else BLOCKED if record["Bl"] else None,
    }


DEBTORS = connector(
    "Profit_Debtor",
    "Debiteuren",
    (
        text("DebtorId", "Nummer debiteur", 16, lookup=True),
        text("DebtorName", "Naam debiteur", 255),
        text("BcCo", "Nummer organisatie/persoon", 15, lookup=True),
        text("SearchName", "Zoeknaam", 50),
        text("AdressLine1", "Adresregel 1", 255),
        text("AdressLine3", "Adresregel 3", 255),
        text("AdressLine4", "Adresregel 4", 255),
        text("TelNr", "Telefoonnummer", 30),
        text("Email", "E-mail", 255),
        text("IBAN", "IBAN", 34),
        text("VatNr", "Btw-nummer", 20),
        text("ChOfCommNr", "Nummer Kamer van Koophandel", 30),
        text("CollectAccount", "Verzamelrekening", 16, lookup=True),
        text("PayCon", "Betalingsvoorwaarde", 5, lookup=True),
        text("VatDuty", "Btw-plicht", 5, lookup=True),
        flag("Blocked", "Geblokkeerd"),
        amount("CreditLimit", "Kredietlimiet"),
        text("CurrencyId", "Valuta", 3, lookup=True),
        flag("AutoPayment", "Automatische incasso"),
        moment("CreateDate", "Aangemaakt op"),
        moment("ModifiedDate", "Gewijzigd op"),
    ),
    key=("DebtorId",),
    rows=Driver("debtors", _debtor),
    links=_relation_links("debtors"),
    dutch_decimals=("CreditLimit",),
)


def _creditor(ctx: RowContext, record: Record) -> Record:
    relation = _relation_of(ctx, record)
    return {
        "CreditorId": record["CrId"],
        "CreditorName": _relation_name(relation),
        "BcCo": record["BcCo"],
        "SearchName": relation.get("SeNm"),
        "Adressline1": address_line1(relation),
        "Adressline3": address_line3(relation),
        "Adressline4": None,
        "TelNr": relation.get("TeNr"),
        "Email": relation.get("EmAd"),
        "IBAN": record.get("Iban"),
        "Btw-nummer": relation.get("VaId"),
        "ChOfCommNr": relation.get("CcNr"),
        "PaymentCondition": record.get("PaCd"),
        "CreditLimit": record.get("CreditLimit"),
        "TempBlocked": record.get("TempBlocked", False),
        "VatDuty": record.get("VaDu"),
        "AutoPayment": record.get("AutoPayment", False),
        "Blocked": record["Bl"],
        "CreateDate": record["_created"],
        "ModifiedDate": record["_modified"],
        STATE: DELETED if record.get("_deleted") else BLOCKED if record["Bl"] else None,
    }


CREDITORS = connector(
    "Profit_Creditor",
    "Crediteuren",
    (
        text("CreditorId", "Nummer crediteur", 16, lookup=True),
        text("CreditorName", "Naam crediteur", 255),
        text("BcCo", "Nummer organisatie/persoon", 15, lookup=True),
        text("SearchName", "Zoeknaam", 50),
        text("Adressline1", "Adresregel 1", 255),
        text("Adressline3", "Adresregel 3", 255),
        text("Adressline4", "Adresregel 4", 255),
        text("TelNr", "Telefoonnummer", 30),
        text("Email", "E-mail", 255),
        text("IBAN", "IBAN", 34),
        text("Btw-nummer", "Btw-nummer", 20),
        text("ChOfCommNr", "Nummer Kamer van Koophandel", 30),
        text("PaymentCondition", "Betalingsvoorwaarde", 5, lookup=True),
        amount("CreditLimit", "Kredietlimiet"),
        flag("TempBlocked", "Tijdelijk geblokkeerd"),
        text("VatDuty", "Btw-plicht", 5, lookup=True),
        flag("AutoPayment", "Automatisch betalen"),
        flag("Blocked", "Geblokkeerd"),
        moment("CreateDate", "Aangemaakt op"),
        moment("ModifiedDate", "Gewijzigd op"),
    ),
    key=("CreditorId",),
    rows=Driver("creditors", _creditor),
    links=_relation_links("creditors"),
)


def _transaction(ctx: RowContext, line: Record) -> Record:
    account = line["AcNr"]
    if line["VaAs"] == "2":  # a debtor line posts to the debtor's collective account
        account = (ctx.record("debtors", account) or {}).get("ColA", "1300")
    elif line["VaAs"] == "3":
        account = (ctx.record("creditors", account) or {}).get("ColA", "1600")
    return {
        "UnitId": line["UnId"],
        "EntryNo": line["EnNo"],
        "SeqNo": line["SeqNo"],
        "Year": line["Year"],
        "Period": line["Peri"],
        "JournalId": line["JoCo"],
        "AccountNo": account,
        "AmtDebit": line["AmDe"],
        "AmtCredit": line["AmCr"],
        "EntryDate": line["EnDa"],
        "InvoiceId": line.get("InId"),
        "VoucherDate": line.get("BpDa"),
        "VoucherNo": line.get("BpNr"),
        "VatCode": line.get("VaId"),
        "VatAmt": line.get("VatAmt"),
        "Description": line.get("Ds"),
        "Created": line["_created"],
        "Modified": line["_modified"],
    }


TRANSACTIONS = connector(
    "Profit_Transactions",
    "Financiële mutaties",
    (
        number("UnitId", "Administratie", 3, lookup=True),
        number("EntryNo", "Boekstuknummer intern", 9),
        number("SeqNo", "Volgnummer", 9),
        number("Year", "Boekjaar", 4),
        number("Period", "Periode", 4),
        text("JournalId", "Dagboek", 5, lookup=True),
        text("AccountNo", "Rekening", 16, lookup=True),
        amount("AmtDebit", "Bedrag debet"),
        amount("AmtCredit", "Bedrag credit"),
        moment("EntryDate", "Boekdatum"),
        text("InvoiceId", "Factuurnummer", 30),
        moment("VoucherDate", "Datum boekstuk"),
        text("VoucherNo", "Boekstuknummer", 30),
        text("VatCode", "Btw-code", 3, lookup=True),
        amount("VatAmt", "Btw-bedrag"),
        text("Description", "Omschrijving", 255),
        moment("Created", "Aangemaakt op"),
        moment("Modified", "Gewijzigd op"),
    ),
    key=("UnitId", "EntryNo", "SeqNo"),
    rows=Driver("entries", _transaction),
    # A debtor's or creditor's collective account shows on its lines.
    links=(
        Link("debtors", matching("AcNr", "DbId", table="entries")),
        Link("creditors", matching("AcNr", "CrId", table="entries")),
    ),
    dutch_decimals=("AmtCredit",),
)

FINANCE_CONNECTORS: tuple[GetConnector, ...] = (
    ADMINISTRATIONS,
    ACCOUNTS,
    VAT_CODES,
    JOURNALS,
    BOOKING_PERIODS,
    DEBTORS,
    CREDITORS,
    TRANSACTIONS,
)
