"""Field types of UpdateConnector objects, and `/metainfo/update/{id}` as the write side sees it.

The catalogue (`simulator.catalogue.update`) defines the objects and fields the product writes.
The write side accepts more: fields from AFAS's official examples that change what is stored
(`KnBankAccount`, `@CalculateBalance`, KnSubjectLink's `BcId`/`ToBC`, ...). They are added here,
and `mandatory` is set to what the handlers really enforce, so metainfo never promises a check
that is not made, nor hides one that is.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache

from simulator.catalogue import UPDATE_CONNECTORS_BY_ID
from simulator.catalogue.update import UpdateField, UpdateObject
from simulator.tenant.employees import LEAVE_REASONS, LEAVE_TYPES
from simulator.tenant.payroll import PERIOD_TABLES
from simulator.tenant.work import SUBJECT_TYPES, WORK_TYPES

FieldKind = str  # "string" | "int" | "decimal" | "boolean" | "date" | "datetime"


def _f(field_id: str, data_type: str, label: str, length: int = 0, **flags: bool) -> UpdateField:
    decimals = 2 if data_type == "decimal" else 0
    return UpdateField(field_id, data_type, label, length, decimals=decimals, **flags)  # type: ignore[arg-type]  # data_type is one of the catalogue's DataType literals


_BANK_ACCOUNT = UpdateObject(
    "KnBankAccount",
    (
        _f("CoId", "string", "Land", 3, mandatory=True),
        _f("Iban", "string", "IBAN", 34),
        _f("BaAc", "string", "Rekeningnummer", 34),
        _f("Bic", "string", "BIC", 11),
        _f("IbCk", "boolean", "IBAN-controle"),
        _f("AcGa", "boolean", "G-rekening"),
        _f("AcCk", "boolean", "Rekeningnummercontrole"),
        _f("DiNm", "string", "Afwijkende naam", 80),
    ),
)

# object name -> fields the write side reads beyond the catalogue's.
EXTRA_FIELDS: dict[str, tuple[UpdateField, ...]] = {
    "AfasEmployee": (_f("CalculateBalance", "boolean", "Saldo berekenen"),),
    "KnPerson": (
        _f("EmailPortal", "string", "E-mail portal", 255),
        _f("AddToPortal", "boolean", "Toevoegen aan portal"),
        _f("Corr", "boolean", "Correspondentie"),
        _f("ViUs", "string", "Naamgebruik", 2),
        _f("IsBi", "string", "Voorvoegsel geboortenaam", 15),
        _f("IsPa", "string", "Voorvoegsel partner", 15),
        _f("NmPa", "string", "Geboortenaam partner", 80),
        _f("PsNa", "string", "Nationaliteit", 3),
        _f("DaMa", "date", "Huwelijksdatum"),
        _f("HoPa", "string", "Homepage", 255),
    ),
    "KnOrganisation": (
        _f("FiNr", "string", "Fiscaal nummer", 20),
        _f("MbNr", "string", "Mobiel werk", 30),
        _f("CcDa", "date", "Datum inschrijving KvK"),
        _f("NmRg", "string", "Statutaire naam", 255),
        _f("Corr", "boolean", "Correspondentie"),
    ),
    "KnBasicAddressAdr": (_f("AdAd", "string", "Toevoeging adres", 255),),
    "KnBasicAddressPad": (_f("AdAd", "string", "Toevoeging adres", 255),),
    "FiEntries": (
        _f("CuId", "string", "Valuta", 3),
        _f("Rate", "decimal", "Koers"),
        _f("AmDc", "decimal", "Valutabedrag debet"),
        _f("AmCc", "decimal", "Valutabedrag credit"),
    ),
    "PtRealization": (
        _f("QuSa", "decimal", "Aantal doorbelasten"),
        _f("AmSe", "decimal", "Verkoopbedrag"),
        _f("AmCo", "decimal", "Kostprijs"),
        _f("DbId", "string", "Debiteur", 16),
        _f("CcId", "string", "Kostenplaats", 15),
        _f("Ap", "boolean", "Goedgekeurd"),
    ),
    "KnSubject": (_f("St", "string", "Status", 30),),
    "KnSubjectLink": (
        _f("DoCRM", "boolean", "Dossieritem in CRM"),
        _f("ToBC", "boolean", "Bestemd voor organisatie/persoon"),
        _f("BcId", "string", "Organisatie/persoon", 15),
        _f("ToPR", "boolean", "Bestemd voor inkooprelatie"),
        _f("PjId", "string", "Project", 15),
    ),
}
_RELATION_EXTRAS = (
    _f("Iban", "string", "IBAN", 34),
    _f("AuPa", "boolean", "Automatisch betalen/incasseren"),
    _f("Krli", "decimal", "Kredietlimiet"),
)
for _relation in (
    "KnSalesRelationPer",
    "KnSalesRelationOrg",
    "KnPurchaseRelationPer",
    "KnPurchaseRelationOrg",
):
    EXTRA_FIELDS[_relation] = _RELATION_EXTRAS
EXTRA_OBJECTS: dict[str, tuple[UpdateObject, ...]] = {
    "KnPerson": (_BANK_ACCOUNT,),
    "KnOrganisation": (_BANK_ACCOUNT,),
}
# Date fields AFAS sends with a time of day (afas-api.md 5.1): kept as date-times.
DATETIME_FIELDS: frozenset[tuple[str, str]] = frozenset(
    {
        ("HrAbsence", "DaBe"),
        ("HrAbsence", "DaEn"),
        ("HrAbsenceID", "DaBe"),
        ("HrAbsenceID", "DaEn"),
        ("KnSubject", "Da"),
    }
)
# (object, field) -> what the handlers enforce on an insert; see docs/simulator-writes.md.
MANDATORY: dict[tuple[str, str], bool] = {
    ("KnBasicAddressAdr", "Ad"): False,
    ("KnBasicAddressAdr", "Rs"): False,
    ("KnBasicAddressPad", "Ad"): False,
    ("KnBasicAddressPad", "Rs"): False,
    ("KnPerson", "LaNm"): True,
    ("KnOrganisation", "Nm"): True,
}


# (object, field) -> the code table metainfo lists as `values` (the seeded tenant's codes).
_LEAVE = {"ViAt": LEAVE_TYPES, "ViLr": LEAVE_REASONS}
VALUES: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {
    **{
        (obj, name): codes for obj in ("HrAbsence", "HrAbsenceID") for name, codes in _LEAVE.items()
    },
    ("KnSubject", "StId"): tuple((str(code), text) for code, text in SUBJECT_TYPES),
    ("AfasSalary", "PtId"): tuple((str(p), f"{c} - {d}") for p, (c, d) in PERIOD_TABLES.items()),
    ("AfasSalary", "SaPe"): (("V", "Vast salaris"), ("U", "Uurloon")),
    ("PtRealization", "ItCd"): WORK_TYPES,
}


def extend(obj: UpdateObject) -> UpdateObject:
    """An object with the write side's extra fields and sub-objects, recursively."""
    known = {f.field_id for f in obj.fields}
    fields = [
        replace(
            f,
            mandatory=MANDATORY.get((obj.name, f.field_id), f.mandatory),
            values=VALUES.get((obj.name, f.field_id), f.values),
        )
        for f in obj.fields
    ]
    fields += [f for f in EXTRA_FIELDS.get(obj.name, ()) if f.field_id not in known]
    names = {o.name for o in obj.objects}
    objects = [extend(o) for o in obj.objects]
    objects += [o for o in EXTRA_OBJECTS.get(obj.name, ()) if o.name not in names]
    return UpdateObject(obj.name, tuple(fields), tuple(objects))


@cache
def root_object(connector_id: str) -> UpdateObject:
    """The extended root object of an UpdateConnector (`AfasEmployee` for KnEmployee)."""
    return extend(UPDATE_CONNECTORS_BY_ID[connector_id].root)


def update_metainfo_document(connector_id: str) -> dict[str, object]:
    """`GET /metainfo/update/{id}`: the catalogue's nested form with the write side's extras."""
    connector = UPDATE_CONNECTORS_BY_ID[connector_id]
    root = root_object(connector_id)
    return {"id": connector.id, "description": connector.description, **root.metainfo()}


@cache
def _types() -> dict[str, dict[str, FieldKind]]:
    index: dict[str, dict[str, FieldKind]] = {}

    def visit(obj: UpdateObject) -> None:
        fields = index.setdefault(obj.name, {})
        for f in obj.fields:
            fields.setdefault(f.field_id, f.data_type)
        for sub in obj.objects:
            visit(sub)

    for connector_id in UPDATE_CONNECTORS_BY_ID:
        visit(root_object(connector_id))
    return index


def field_kind(object_name: str, field_id: str) -> FieldKind | None:
    """The data type of a field, `datetime` for date-times; None for a field not modelled."""
    if (object_name, field_id) in DATETIME_FIELDS:
        return "datetime"
    return _types().get(object_name, {}).get(field_id)
