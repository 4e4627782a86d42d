"""UpdateConnector definitions as `/metainfo/update/{id}` shows them.

The nested `fields`/`objects` form follows afas-api.md §4.5 (inferred from two clients). The field
lists hold what the product writes and a little more; the write side extends them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from simulator.catalogue.fields import DataType


@dataclass(frozen=True)
class UpdateField:
    """One field of an UpdateConnector object."""

    field_id: str
    data_type: DataType
    label: str
    length: int = 0
    primary_key: bool = False
    mandatory: bool = False
    decimals: int = 0
    values: tuple[tuple[str, str], ...] | None = None

    def metainfo(self) -> dict[str, object]:
        return {
            "fieldId": self.field_id,
            "primaryKey": self.primary_key,
            "dataType": self.data_type,
            "label": self.label,
            "mandatory": self.mandatory,
            "length": self.length,
            "decimals": self.decimals,
            "decimalFieldId": "",
            "notzero": False,
            "controlType": 5 if self.values else 1,
            "values": [{"id": k, "description": d} for k, d in self.values]
            if self.values
            else None,
        }


@dataclass(frozen=True)
class UpdateObject:
    """An object of an UpdateConnector payload (`Element` with `Fields` and nested `Objects`)."""

    name: str
    fields: tuple[UpdateField, ...]
    objects: tuple[UpdateObject, ...] = ()

    def metainfo(self) -> dict[str, object]:
        return {
            "name": self.name,
            "fields": [f.metainfo() for f in self.fields],
            "objects": [o.metainfo() for o in self.objects],
        }


@dataclass(frozen=True)
class UpdateConnector:
    """An UpdateConnector: its URL id, description and root object."""

    id: str
    description: str
    root: UpdateObject

    def metainfo(self) -> dict[str, object]:
        return {"id": self.id, "description": self.description, **self.root.metainfo()}


Values = tuple[tuple[str, str], ...] | None


def _field(
    data_type: DataType,
    length: int,
    decimals: int,
) -> Callable[..., UpdateField]:
    def make(
        field_id: str,
        label: str,
        size: int = length,
        *,
        primary_key: bool = False,
        mandatory: bool = False,
        values: Values = None,
    ) -> UpdateField:
        return UpdateField(
            field_id, data_type, label, size, primary_key, mandatory, decimals, values
        )

    return make


s = _field("string", 50, 0)
i = _field("int", 9, 0)
d = _field("decimal", 18, 2)
b = _field("boolean", 1, 0)
dt = _field("date", 0, 0)


MATCH_PER = (
    ("0", "Zoek op BcCo (persoonsnummer)"),
    ("1", "Burgerservicenummer"),
    ("2", "Naam + voorvoegsel + voorletter + geslacht"),
    ("3", "Naam + voorvoegsel + voorletter + geslacht + e-mail werk"),
    ("4", "Naam + voorvoegsel + voorletter + geslacht + mobiel werk"),
    ("5", "Naam + voorvoegsel + voorletter + geslacht + telefoon werk"),
    ("6", "Naam + voorvoegsel + voorletter + geslacht + geboortedatum"),
    ("7", "Altijd nieuw toevoegen"),
)
MATCH_OGA = (
    ("0", "Zoek op BcCo"),
    ("1", "KvK-nummer"),
    ("2", "Fiscaal nummer"),
    ("3", "Naam"),
    ("4", "Adres"),
    ("5", "Postadres"),
    ("6", "Altijd nieuw toevoegen"),
)

_ADDRESS_FIELDS = (
    b("PbAd", "Postbusadres"),
    s("Ad", "Straat", 80, mandatory=True),
    i("HmNr", "Huisnummer"),
    s("HmAd", "Toevoeging aan huisnummer", 30),
    s("ZpCd", "Postcode", 15),
    s("Rs", "Woonplaats", 50, mandatory=True),
    s("CoId", "Land", 3, mandatory=True),
    b("ResZip", "Adres aanvullen met postcode"),
    dt("BeginDate", "Ingangsdatum adreswijziging"),
)
ADDRESS = UpdateObject("KnBasicAddressAdr", _ADDRESS_FIELDS)
POSTAL_ADDRESS = UpdateObject("KnBasicAddressPad", _ADDRESS_FIELDS)

PERSON = UpdateObject(
    "KnPerson",
    (
        s("MatchPer", "Persoon vergelijken op", 1, values=MATCH_PER),
        s("BcCo", "Nummer", 15),
        b("AutoNum", "Autonummering"),
        b("PadAdr", "Postadres is adres"),
        s("SeNm", "Zoeknaam", 50),
        s("CaNm", "Roepnaam", 50),
        s("FiNm", "Voornaam", 50),
        s("In", "Voorletters", 15),
        s("Is", "Voorvoegsel", 15),
        s("LaNm", "Achternaam", 80, mandatory=True),
        s("NmBi", "Geboortenaam apart", 80),
        b("SpNm", "Geboortenaam apart vastleggen"),
        s("ViGe", "Geslacht", 1, values=(("M", "Man"), ("V", "Vrouw"), ("O", "Onbekend"))),
        dt("DaBi", "Geboortedatum"),
        s("SoSe", "BSN", 9),
        s("EmAd", "E-mail werk", 255),
        s("TeNr", "Telefoonnr. werk", 30),
        s("MbNr", "Mobiel werk", 30),
        s("TtId", "Titel/aanhef", 10),
    ),
    (ADDRESS, POSTAL_ADDRESS),
)

ORGANISATION = UpdateObject(
    "KnOrganisation",
    (
        s("MatchOga", "Organisatie vergelijken op", 1, values=MATCH_OGA),
        s("BcCo", "Nummer", 15),
        b("AutoNum", "Autonummering"),
        b("PadAdr", "Postadres is adres"),
        s("SeNm", "Zoeknaam", 50),
        s("Nm", "Naam", 255, mandatory=True),
        s("CcNr", "Nummer Kamer van Koophandel", 30),
        s("EmAd", "E-mail werk", 255),
        s("TeNr", "Telefoonnr. werk", 30),
        s("HoPa", "Homepage", 255),
    ),
    (ADDRESS, POSTAL_ADDRESS),
)

EMPLOYEE = UpdateObject(
    "AfasEmployee",
    (
        s("EmId", "Medewerker", 15, primary_key=True),
        s("ViSe", "Soort medewerker", 2),
        b("Bl", "Geblokkeerd"),
        s("LgId", "Taal", 3),
    ),
    (
        PERSON,
        UpdateObject(
            "AfasContract",
            (
                dt("DaBe", "Begindatum contract", primary_key=True),
                dt("DaEn", "Einddatum contract"),
                s("CmId", "Werkgever", 15, mandatory=True),
                s("ClId", "Cao", 15),
                s("WcId", "Arbeidsvoorwaarde", 15),
                s(
                    "ApCo",
                    "Type contract",
                    2,
                    values=(("O", "Onbepaalde tijd"), ("B", "Bepaalde tijd")),
                ),
                i("DvSn", "Volgnummer dienstverband"),
                s("EmMt", "Soort medewerker", 2),
                s("ViEt", "Dienstbetrekking", 2),
                s("ViKe", "Kenmerk", 2),
                b("WrCt", "Schriftelijk contract"),
                i("EnS2", "Inkomstenverhouding"),
            ),
        ),
        UpdateObject(
            "AfasOrgunitFunction",
            (
                dt("DaBe", "Begindatum", primary_key=True),
                s("DpId", "Organisatorische eenheid", 15, mandatory=True),
                s("FuId", "Functie", 15, mandatory=True),
                s("CcId", "Kostenplaats", 15),
                s("CrId", "Kostendrager", 15),
            ),
        ),
        UpdateObject(
            "AfasTimeTable",
            (
                dt("DaBg", "Begindatum rooster", primary_key=True),
                d("DyWk", "Dagen per week"),
                d("HrWk", "Uren per week"),
                s("EtTy", "Soort rooster", 2),
                i("SeNo", "Volgnummer"),
            ),
        ),
        UpdateObject(
            "AfasSalary",
            (
                dt("DaBe", "Begindatum salaris", primary_key=True),
                s("SaPe", "Soort salaris", 2, mandatory=True),
                d("EmSa", "Salaris"),
                i("PtId", "Periodetabel", mandatory=True),
                d("SaYe", "Jaarsalaris"),
                b("TtPy", "Rooster toepassen in verloning"),
                s("VaSc", "Schaal", 10),
                s("SaSt", "Trede", 10),
            ),
        ),
        UpdateObject(
            "AfasAgencyFiscus",
            (
                dt("DaBe", "Begindatum", primary_key=True),
                s("AyId", "Instantie", 5, primary_key=True),
                s("ViIn", "Soort inkomen", 5),
                s("ViEm", "Loonheffingskorting", 2),
                s("ViTs", "Tabel", 2),
                s("ViCd", "Code", 2),
                s("ViLk", "Loonheffingskorting toepassen", 2),
                s("ViZv", "Zvw", 2),
                s("YnZW", "ZW", 2),
                s("YnWW", "WW", 2),
                s("YWAO", "WAO/WIA", 2),
            ),
        ),
        UpdateObject(
            "AfasBankInfo",
            (
                s("AcId", "Rekeningnummer", 34, primary_key=True),
                b("NoBk", "Cheque", primary_key=True),
                b("SaAc", "Salarisrekening"),
                b("IbCk", "IBAN-controle"),
                s("Iban", "IBAN", 34),
            ),
        ),
    ),
)


def _relation(
    name: str, key: str, is_flag: str, relation: UpdateObject, collective: str
) -> UpdateObject:
    return UpdateObject(
        name,
        (
            s(key, "Nummer", 16, primary_key=True),
            b(is_flag, "Actief"),
            s("CuId", "Valuta", 3),
            s("PaCd", "Betalingsvoorwaarde", 5),
            s("ColA", f"Verzamelrekening (standaard {collective})", 16),
            s("InPv", "Factuurverzending", 2),
            s("VaDu", "Btw-plicht", 2),
            s("VaId", "Btw-nummer", 20),
            b("Bl", "Geblokkeerd"),
        ),
        (relation,),
    )


_ENTRY_LINE = UpdateObject(
    "FiEntries",
    (
        s("VaAs", "Kenmerk rekening", 1, mandatory=True,
          values=(("1", "Grootboekrekening"), ("2", "Debiteur"), ("3", "Crediteur"))),
        s("AcNr", "Rekeningnummer", 16, mandatory=True),
        dt("EnDa", "Boekdatum", mandatory=True),
        dt("BpDa", "Datum boekstuk"),
        s("BpNr", "Boekstuknummer", 30),
        s("InId", "Factuurnummer", 30),
        s("Ds", "Omschrijving boeking", 255),
        d("AmDe", "Bedrag debet"),
        d("AmCr", "Bedrag credit"),
        s("VaId", "Btw-code", 3),
        dt("DaEx", "Vervaldatum"),
        i("EnNo", "Nummer journaalpost"),
    ),
    (
        UpdateObject(
            "FiDimEntries",
            (
                *(s(f"DiC{n}", f"Code kostenplaats as {n}", 15) for n in range(1, 6)),
                d("AmDe", "Bedrag debet"),
                d("AmCr", "Bedrag credit"),
            ),
        ),
        UpdateObject(
            "FiPrjEntries",
            (
                s("PrId", "Project", 15),
                s("ItCd", "Itemcode", 30),
                s("VaIt", "Type item", 2),
                d("AmCo", "Kostprijs"),
                d("Qu", "Aantal"),
                s("EmId", "Medewerker", 15),
            ),
        ),
    ),
)  # fmt: skip

_ABSENCE_FIELDS = (
    s("EmId", "Medewerker", 15, mandatory=True),
    s("ViAt", "Type verlof", 10, mandatory=True),
    dt("DaBe", "Begindatum/tijd", mandatory=True),
    dt("DaEn", "Einddatum/tijd"),
    b("LeDt", "Gedeeltelijk verlof"),
    i("DuBe", "Duur eerste dag (minuten)"),
    i("DuEn", "Duur laatste dag (minuten)"),
    i("EnSe", "Dienstverband"),
    s("ViLr", "Reden verlof", 10),
    d("DuRa", "Duur (uren)"),
    s("Re", "Opmerking", 255),
)

UPDATE_CONNECTORS: tuple[UpdateConnector, ...] = (
    UpdateConnector("KnEmployee", "Medewerker", EMPLOYEE),
    UpdateConnector("KnPerson", "Organisatie/persoon: persoon", PERSON),
    UpdateConnector(
        "FiEntries",
        "Financiële mutaties",
        UpdateObject(
            "FiEntryPar",
            (
                i("Year", "Boekjaar", mandatory=True),
                i("Peri", "Periode", mandatory=True),
                i("UnId", "Administratie"),
                s("JoCo", "Dagboek", 5, mandatory=True),
                b("AuNu", "Autonummering factuur"),
                s("PrTp", "Type boeking", 2),
            ),
            (_ENTRY_LINE,),
        ),
    ),
    UpdateConnector(
        "KnSalesRelationPer",
        "Debiteur (persoon)",
        _relation("KnSalesRelationPer", "DbId", "IsDb", PERSON, "1300"),
    ),
    UpdateConnector(
        "KnSalesRelationOrg",
        "Debiteur (organisatie)",
        _relation("KnSalesRelationOrg", "DbId", "IsDb", ORGANISATION, "1300"),
    ),
    UpdateConnector(
        "KnPurchaseRelationPer",
        "Crediteur (persoon)",
        _relation("KnPurchaseRelationPer", "CrId", "IsCr", PERSON, "1600"),
    ),
    UpdateConnector(
        "KnPurchaseRelationOrg",
        "Crediteur (organisatie)",
        _relation("KnPurchaseRelationOrg", "CrId", "IsCr", ORGANISATION, "1600"),
    ),
    UpdateConnector(
        "PtRealization",
        "Nacalculatie",
        UpdateObject(
            "PtRealization",
            (
                i("Id", "Regelnummer"),
                dt("DaTi", "Datum", mandatory=True),
                s("VaIt", "Type item", 2, mandatory=True),
                s("ItCd", "Itemcode", 30, mandatory=True),
                d("Qu", "Aantal"),
                s("EmId", "Medewerker", 15),
                s("PrId", "Project", 15),
                s("StId", "Type uren", 5),
                s("Ds", "Omschrijving", 255),
                s("StTi", "Begintijd", 8),
                s("EnTi", "Eindtijd", 8),
                b("Ch", "Doorbelasten"),
                s("XpRe", "Externe sleutel", 50),
            ),
        ),
    ),
    UpdateConnector("HrAbsence", "Verlof", UpdateObject("HrAbsence", _ABSENCE_FIELDS)),
    UpdateConnector(
        "HrAbsenceID",
        "Verlof (op id)",
        UpdateObject("HrAbsenceID", (i("Id", "Verlof-id", primary_key=True), *_ABSENCE_FIELDS)),
    ),
    UpdateConnector(
        "KnSubject",
        "Dossieritem",
        UpdateObject(
            "KnSubject",
            (
                i("SbId", "Dossieritem", primary_key=True),
                i("StId", "Type dossieritem", mandatory=True),
                s("Ds", "Onderwerp", 255, mandatory=True),
                s("SbTx", "Toelichting", 4000),
                dt("Da", "Datum"),
                s("UsId", "Verantwoordelijke", 20),
                b("Done", "Afgehandeld"),
            ),
            (
                UpdateObject(
                    "KnSubjectLink",
                    (
                        b("ToSR", "Bestemd voor verkooprelatie"),
                        s("SfTp", "Type bestemming", 2),
                        s("SfId", "Bestemming", 15),
                        b("ToPu", "Bestemd voor inkooprelatie"),
                        b("ToEm", "Bestemd voor medewerker"),
                        s("BcCo", "Organisatie/persoon", 15),
                        s("PrId", "Project", 15),
                    ),
                ),
                UpdateObject(
                    "KnSubjectAttachment",
                    (s("FileName", "Bestandsnaam", 255), s("FileStream", "Bestand", 0)),
                ),
            ),
        ),
    ),
)  # fmt: skip
