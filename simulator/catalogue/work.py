"""Standard GetConnectors for projects, hours and dossier items (afas-api.md Appendix B)."""

from __future__ import annotations

from simulator.catalogue.fields import (
    GetConnector,
    amount,
    connector,
    flag,
    moment,
    number,
    text,
)
from simulator.catalogue.rows import Driver, RowContext
from simulator.tenant import Record


def _projects(ctx: RowContext, record: Record) -> Record:
    return {**record, "CreateDate": record["_created"], "ModifiedDate": record["_modified"]}


PROJECTS = connector(
    "Profit_Projects",
    "Projecten",
    (
        text("ProjectId", "Project", 15, lookup=True),
        text("Description", "Omschrijving", 255),
        number("UnitId", "Administratie", 3, lookup=True),
        text("ProjectGroup", "Projectgroep", 15, lookup=True),
        flag("CheckedOut", "Afgesloten"),
        text("BcCo", "Nummer organisatie/persoon", 15, lookup=True),
        text("DebtorId", "Debiteur", 16, lookup=True),
        moment("DateStart", "Startdatum"),
        moment("DateReady", "Datum gereed"),
        flag("Chargeable", "Doorbelasten"),
        moment("CreateDate", "Aangemaakt op"),
        moment("ModifiedDate", "Gewijzigd op"),
    ),
    key=("ProjectId",),
    rows=Driver("projects", _projects),
)


def _realizations(ctx: RowContext, record: Record) -> Record:
    day = record["DaTi"]
    return {
        "Identity": record["Id"],
        "Year": day.year,
        "PeriodId": day.month,
        "DateTime": day,
        "EmployeeId": record.get("EmId"),
        "ProjectId": record.get("PrId"),
        "Description": record.get("Ds"),
        "ItemType": record.get("VaIt"),
        "ItemCodeId": record.get("ItCd"),
        "InitId": "uur",
        "QuantityUnit": record.get("Qu"),
        "Chargeable": record.get("Ch", False),
        "Approved": record.get("Ap", False),
        "Prepared": record.get("Pr", False),
        "DateModified": record["_modified"],
        "SystemDate": record["_created"],
    }


REALIZATIONS = connector(
    "Profit_Realization",
    "Nacalculatie overzicht (incl. autorisatie)",
    (
        number("Identity", "Regelnummer", 9, lookup=True),
        number("Year", "Jaar", 4),
        number("PeriodId", "Periode", 4),
        moment("DateTime", "Datum"),
        text("EmployeeId", "Medewerker", 15, lookup=True),
        text("ProjectId", "Project", 15, lookup=True),
        text("Description", "Omschrijving", 255),
        text("ItemType", "Type item", 5, lookup=True),
        text("ItemCodeId", "Itemcode", 30, lookup=True),
        text("InitId", "Eenheid", 10),
        amount("QuantityUnit", "Aantal eenheden"),
        flag("Chargeable", "Doorbelasten"),
        flag("Approved", "Goedgekeurd"),
        flag("Prepared", "Voorbereid"),
        moment("DateModified", "Gewijzigd op"),
        moment("SystemDate", "Systeemdatum"),
    ),
    key=("Identity",),
    rows=Driver("realizations", _realizations),
    dutch_decimals=("QuantityUnit",),
)


def _subjects(ctx: RowContext, record: Record) -> Record:
    return {
        "TypeId": record["StId"],
        "SubjectId": record["SbId"],
        "DateCreated": record["Da"],
        "Subject": record.get("Ds"),
        "Comment": record.get("SbTx"),
        "Status": record.get("St"),
        "Number": None,
        "FeV1": None,
        "FeV2": None,
        "FeV3": None,
        "OrgPersId": record.get("BcCo"),
        "ContactNr": None,
        "ToEmployer": False,
        "ToDebtor": record.get("ToDebtor", False),
        "ToCreditor": record.get("ToCreditor", False),
        "ToOrgPers": record.get("BcCo") is not None,
        "ToEmployee": record.get("ToEmployee", False),
        "ToApplicant": False,
        "Project": record.get("PrId"),
        "Campagne": None,
        "Source": None,
        "Responsible": None,
        "StartDate": record.get("DaBe"),
        "EndDate": record.get("DaEn"),
        "Afgehandeld": record.get("Done", False),
        "Datum_afgehandeld": record.get("DaDone"),
        "Bron": None,
        "Type_actie": None,
        "Prioriteit": None,
        "WFstatus": None,
        "WFClosed": None,
    }


SUBJECTS = connector(
    "Profit_Subjects",
    "WordConnect_Dossieritems",
    (
        number("TypeId", "Type dossieritem", 9, lookup=True),
        number("SubjectId", "Dossieritem", 9, lookup=True),
        moment("DateCreated", "Datum"),
        text("Subject", "Onderwerp", 255),
        text("Comment", "Toelichting", 4000),
        text("Status", "Status", 30),
        number("Number", "Nummer", 9),
        *(number(f"FeV{n}", f"Kenmerk {n}", 9) for n in (1, 2, 3)),
        text("OrgPersId", "Organisatie/persoon", 15, lookup=True),
        number("ContactNr", "Contact", 9),
        flag("ToEmployer", "Bestemd voor werkgever"),
        flag("ToDebtor", "Bestemd voor debiteur"),
        flag("ToCreditor", "Bestemd voor crediteur"),
        flag("ToOrgPers", "Bestemd voor organisatie/persoon"),
        flag("ToEmployee", "Bestemd voor medewerker"),
        flag("ToApplicant", "Bestemd voor sollicitant"),
        text("Project", "Project", 15, lookup=True),
        number("Campagne", "Campagne", 9),
        number("Source", "Bron", 9),
        text("Responsible", "Verantwoordelijke", 15),
        moment("StartDate", "Begindatum"),
        moment("EndDate", "Einddatum"),
        flag("Afgehandeld", "Afgehandeld"),
        moment("Datum_afgehandeld", "Datum afgehandeld"),
        text("Bron", "Bron", 30),
        text("Type_actie", "Type actie", 30),
        text("Prioriteit", "Prioriteit", 30),
        text("WFstatus", "Workflowstatus", 30),
        text("WFClosed", "Workflow afgesloten", 30),
    ),
    key=("SubjectId",),
    rows=Driver("subjects", _subjects),
)

WORK_CONNECTORS: tuple[GetConnector, ...] = (PROJECTS, REALIZATIONS, SUBJECTS)
