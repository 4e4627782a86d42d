"""Standard HR GetConnectors, with AFAS's official field ids (afas-api.md Appendix B)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from simulator.catalogue.fields import (
    BLOCKED,
    DELETED,
    STATE,
    GetConnector,
    amount,
    connector,
    flag,
    moment,
    number,
    text,
)
from simulator.catalogue.rows import Driver, Link, RowContext, RowId, matching
from simulator.catalogue.staff import EMPLOYEE_LINKS, employee_deleted, employee_facts
from simulator.tenant import Record
from simulator.tenant.employees import LEAVE_REASONS, LEAVE_TYPES
from simulator.tenant.people import address_line1, address_line3, full_name

_CONTRACT_TYPES = {"O": "Onbepaalde tijd", "B": "Bepaalde tijd"}


def _employee(ctx: RowContext, record: Record) -> Record:
    facts = employee_facts(ctx, record)
    employee, person, contract = facts.employee, facts.person, facts.contract
    org, schedule = facts.org_function, facts.timetable
    hours = schedule["HrWk"] if schedule else None
    return {
        "EmployeeId": employee["EmId"],
        "PersonId": person["BcCo"],
        "EmployerId": contract["CmId"] if contract else None,
        "BSN": person.get("SoSe"),
        "BirthName": person.get("LaNm"),
        "Initials": person.get("In"),
        "PrefixBirthName": person.get("Is"),
        "DateOfBirth": person.get("DaBi"),
        "Gender": person.get("ViGe"),
        "MaritalStatus": None,
        "PrefixPartner": None,
        "BirthNamePartner": None,
        "NameUse": "0",
        "Mobile": person.get("MbNr"),
        "Phone": person.get("TeNr"),
        "Street": person.get("Ad"),
        "HouseNumber": person.get("HmNr"),
        "AddNumber": person.get("HmAd"),
        "ZIPCode": person.get("ZpCd"),
        "City": person.get("Rs"),
        "Country": person.get("CoId"),
        "EmploymentStart": contract["DaBe"] if contract else None,
        "EmploymentEnd": contract["DaEn"] if contract else None,
        "HourPerWeek": hours,
        "EmploymentType": contract["ApCo"] if contract else None,
        "EmploymentTypeDesc": _CONTRACT_TYPES.get(contract["ApCo"]) if contract else None,
        "FTE": (hours / 40).quantize(Decimal("0.0001")) if hours is not None else None,
        "OrgUnit": org["DpId"] if org else None,
        "OrgUnitDesc": facts.org_unit_desc,
        "FunctionId": org["FuId"] if org else None,
        "FunctionDesc": facts.function_desc,
        "DateDeceased": None,
        "Mail": person.get("EmAd"),
        "FirstName": person.get("FiNm"),
        STATE: DELETED if employee.get("_deleted") else BLOCKED if employee["Bl"] else None,
    }


EMPLOYEES = connector(
    "Profit_Employees",
    "Medewerkergegevens",
    (
        text("EmployeeId", "Medewerker", 15, lookup=True),
        text("PersonId", "Persoonsnummer", 15, lookup=True),
        text("EmployerId", "Werkgever", 15, lookup=True),
        text("BSN", "BSN", 9),
        text("BirthName", "Geboortenaam", 80),
        text("Initials", "Voorletters", 15),
        text("PrefixBirthName", "Voorvoegsel", 15),
        moment("DateOfBirth", "Geboortedatum"),
        text("Gender", "Geslacht", 1, lookup=True),
        text("MaritalStatus", "Burgerlijke staat", 2, lookup=True),
        text("PrefixPartner", "Voorvoegsel partner", 15),
        text("BirthNamePartner", "Geboortenaam partner", 80),
        text("NameUse", "Naamgebruik", 2, lookup=True),
        text("Mobile", "Mobiel privé", 30),
        text("Phone", "Telefoon privé", 30),
        text("Street", "Straat", 80),
        number("HouseNumber", "Huisnummer", 9),
        text("AddNumber", "Toevoeging aan huisnummer", 30),
        text("ZIPCode", "Postcode", 15),
        text("City", "Woonplaats", 50),
        text("Country", "Land", 3, lookup=True),
        moment("EmploymentStart", "Datum in dienst"),
        moment("EmploymentEnd", "Datum uit dienst"),
        amount("HourPerWeek", "Uren per week"),
        text("EmploymentType", "Soort contract", 2, lookup=True),
        text("EmploymentTypeDesc", "Omschrijving soort contract", 50),
        amount("FTE", "Parttimefactor", decimals=4),
        text("OrgUnit", "Organisatorische eenheid", 15, lookup=True),
        text("OrgUnitDesc", "Omschrijving organisatorische eenheid", 80),
        text("FunctionId", "Functie", 15, lookup=True),
        text("FunctionDesc", "Omschrijving functie", 80),
        moment("DateDeceased", "Overlijdensdatum"),
        text("Mail", "E-mail werk", 255),
        text("FirstName", "Voornaam", 50),
    ),
    key=("EmployeeId",),
    rows=Driver("employees", _employee),
    links=EMPLOYEE_LINKS,
)


def _employer(ctx: RowContext, employer: Record) -> Record:
    organisation = ctx.record("organisations", employer["OrganisationId"]) or {}
    return {
        "EmployerId": employer["EmployerId"],
        "Name": employer["Name"],
        "OrganisationId": employer["OrganisationId"],
        "AddressLine1": address_line1(organisation),
        "AddressLine3": address_line3(organisation),
        "AddressLine4": None,
        "DimAx1": None,
        "DimAx2": None,
        "DimAx3": None,
        "DimAx4": None,
        "DimAx5": None,
        "UnitId": employer["UnitId"],
    }


EMPLOYERS = connector(
    "Profit_Employers",
    "Werkgevers (exclusief autorisatie)",
    (
        text("EmployerId", "Werkgever", 15, lookup=True),
        text("Name", "Naam", 255),
        text("OrganisationId", "Organisatie", 15, lookup=True),
        text("AddressLine1", "Adresregel 1", 255),
        text("AddressLine3", "Adresregel 3", 255),
        text("AddressLine4", "Adresregel 4", 255),
        *(text(f"DimAx{axis}", f"Kostenplaats as {axis}", 15, lookup=True) for axis in range(1, 6)),
        number("UnitId", "Administratie", 3, lookup=True),
    ),
    key=("EmployerId",),
    rows=Driver("employers", _employer),
    links=(Link("organisations", matching("OrganisationId", "BcCo", table="employers")),),
)


def _function(ctx: RowContext, record: Record) -> Record:
    return {name: record[name] for name in FUNCTION_FIELDS}


FUNCTION_FIELDS = ("Employer", "FunctionId", "FunctionDesc", "Blocked", "FunctionType")
FUNCTIONS = connector(
    "Profit_Functions",
    "Werkgever / functies",
    (
        text("Employer", "Werkgever", 15, lookup=True),
        text("FunctionId", "Functie", 15, lookup=True),
        text("FunctionDesc", "Omschrijving", 80),
        flag("Blocked", "Geblokkeerd"),
        text("FunctionType", "Soort functie", 10),
    ),
    key=("Employer", "FunctionId"),
    rows=Driver("functions", _function),
)


def _cost_centre(ctx: RowContext, record: Record) -> Record:
    return {
        "EmployerId": record["EmployerId"],
        "CostCentre": record["CostCentre"],
        "Description": record["Description"],
        "Blocked": record["Blocked"],
        "ModifiedDate": record["_modified"],
    }


COST_CENTRES = connector(
    "Profit_CostCentre",
    "Werkgever / kostenplaatsen",
    (
        text("EmployerId", "Werkgever", 15, lookup=True),
        text("CostCentre", "Kostenplaats", 15, lookup=True),
        text("Description", "Omschrijving", 80),
        flag("Blocked", "Geblokkeerd"),
        moment("ModifiedDate", "Gewijzigd op"),
    ),
    key=("EmployerId", "CostCentre"),
    rows=Driver("cost_centres", _cost_centre),
)


def _relation(ctx: RowContext, record: Record, *, person: bool) -> Record:
    return {
        "BcCo": record["BcCo"],
        "Type": "Persoon" if person else "Organisatie",
        "SearchName": record.get("SeNm"),
        "Name": full_name(record) if person else record.get("Nm"),
        "AdressLine1": address_line1(record),
        "AdressLine3": address_line3(record),
        "AdressLine4": None,
        "TelWork": record.get("TeNr"),
        "MailWork": record.get("EmAd"),
        "Homepage": record.get("HoPa"),
        "Note": None,
        "ChOfCommNr": record.get("CcNr"),
        "DateBirth": record.get("DaBi"),
        "BSN": record.get("SoSe"),
        STATE: DELETED if record.get("_deleted") else None,
    }


def _person(ctx: RowContext, record: Record) -> Record:
    return _relation(ctx, record, person=True)


def _organisation(ctx: RowContext, record: Record) -> Record:
    return _relation(ctx, record, person=False)


ORG_PER = connector(
    "Profit_OrgPer",
    "Organisaties/personen (exclusief autorisatie)",
    (
        text("BcCo", "Nummer", 15, lookup=True),
        text("Type", "Type", 20),
        text("SearchName", "Zoeknaam", 50),
        text("Name", "Naam", 255),
        text("AdressLine1", "Adresregel 1", 255),
        text("AdressLine3", "Adresregel 3", 255),
        text("AdressLine4", "Adresregel 4", 255),
        text("TelWork", "Telefoonnr. werk", 30),
        text("MailWork", "E-mail werk", 255),
        text("Homepage", "Homepage", 255),
        text("Note", "Memo", 2000),
        text("ChOfCommNr", "Nummer Kamer van Koophandel", 30),
        moment("DateBirth", "Geboortedatum"),
        text("BSN", "BSN", 9),
    ),
    key=("BcCo",),
    # Persons first, then organisations, each in insertion order.
    rows=(Driver("persons", _person), Driver("organisations", _organisation)),
)


def whole_hours(hours: Decimal | int) -> int:
    """Hours in one of the spec's `integer` leave fields: rounded half up, never cut off.

    Part-day leave gives fractional hours (90 minutes: 1.5); every leave field rounds them the
    same way, so a balance adds up.
    """
    return int(Decimal(hours).quantize(_ONE_HOUR, rounding=ROUND_HALF_UP))


_ONE_HOUR = Decimal(1)


def _leave_balance(ctx: RowContext, record: Record) -> Record | None:
    if employee_deleted(ctx, record["EmployeeId"]):
        return None  # as the other child connectors: a deleted employee's rows are gone
    leave_type, year = record["Leavetype"], record["Year"]
    booked = sum(
        (
            absence["DuRa"]
            for absence in ctx.records_by("absences", "EmId", record["EmployeeId"])
            if absence["ViAt"] == leave_type and absence["DaBe"].year == year
        ),
        Decimal(0),
    )
    start, entitlement, extra, taken = (
        whole_hours(hours)
        for hours in (
            record["StartBalance"],
            record["Entitlement"],
            record["ExtraEntitlement"],
            booked,  # the year's total, rounded once
        )
    )
    return {
        **{name: record[name] for name in LEAVE_BALANCE_FIELDS[:6]},
        "Entitlement": entitlement,
        "ExtraEntitlement": extra,
        "StartBalance": start,
        "Taken": taken,
        "Balance": start + entitlement + extra - taken,
    }


LEAVE_BALANCE_FIELDS = (
    "EmployeeId", "EmployerId", "DvId", "Leavetype", "Year", "Period",
    "Entitlement", "ExtraEntitlement", "StartBalance", "Taken", "Balance",
)  # fmt: skip
LEAVE_BALANCES = connector(
    "Profit_LeaveBalance",
    "Medewerker/verlofsaldo",
    (
        text("EmployeeId", "Medewerker", 15, lookup=True),
        text("EmployerId", "Werkgever", 15, lookup=True),
        number("DvId", "Dienstverband", 4),
        text("Leavetype", "Type verlof", 10, lookup=True),
        number("Year", "Jaar", 4),
        number("Period", "Periode", 4),
        number("Entitlement", "Recht", 9),
        number("ExtraEntitlement", "Extra recht", 9),
        number("StartBalance", "Beginsaldo", 9),
        number("Taken", "Opgenomen", 9),
        number("Balance", "Saldo", 9),
    ),
    key=("EmployeeId", "Leavetype", "Year", "Period"),
    rows=Driver("leave_entitlements", _leave_balance),
    links=(
        Link("absences", matching("EmployeeId", "EmId", table="leave_entitlements")),
        Link("employees", matching("EmployeeId", "EmId", table="leave_entitlements")),
    ),
)


_TYPES, _REASONS = dict(LEAVE_TYPES), dict(LEAVE_REASONS)


def _leave(ctx: RowContext, absence: Record) -> Record | None:
    employee = ctx.record("employees", absence["EmId"]) or {}
    if employee.get("_deleted"):
        return None  # as Profit_LeaveBalance and the other child connectors
    person = ctx.record("persons", employee.get("BcCo")) or {}
    return {
        "LeaveId": absence["Id"],
        "EmployeeId": absence["EmId"],
        "Name": full_name(person) or None,
        "BSN": person.get("SoSe"),
        "Export": False,
        "Hours": whole_hours(absence["DuRa"]) if absence.get("DuRa") is not None else None,
        "StartDate": absence["DaBe"],
        "EndDate": absence.get("DaEn"),
        "DvId": absence.get("EnSe"),
        "ModifiedDate": absence["_modified"],
        "LeaveCode": absence["ViAt"],
        "LeaveDescr": _TYPES.get(absence["ViAt"]),
        "ReasonCode": absence.get("ViLr"),
        "ReasonDescr": _REASONS.get(absence.get("ViLr") or ""),
    }


def _leaves_of_person(ctx: RowContext, person: Record) -> list[RowId]:
    """A person's name and BSN show on the leave rows of every employee that is that person."""
    employees, absences = ctx.table("employees"), ctx.table("absences")
    return [
        (0, key)
        for (em_id,) in employees.keys_by("BcCo", person.get("BcCo"))
        for key in absences.keys_by("EmId", em_id)
    ]


LEAVES = connector(
    "Profit_Leaves",
    "Verlof (connector)",
    (
        number("LeaveId", "Verlof-id", 9, lookup=True),
        text("EmployeeId", "Medewerker", 15, lookup=True),
        text("Name", "Naam", 255),
        text("BSN", "BSN", 9),
        flag("Export", "Geëxporteerd"),
        number("Hours", "Uren", 9),
        moment("StartDate", "Begindatum"),
        moment("EndDate", "Einddatum"),
        number("DvId", "Dienstverband", 4),
        moment("ModifiedDate", "Gewijzigd op"),
        text("LeaveCode", "Type verlof", 10, lookup=True),
        text("LeaveDescr", "Omschrijving type verlof", 80),
        text("ReasonCode", "Reden verlof", 10, lookup=True),
        text("ReasonDescr", "Omschrijving reden verlof", 80),
    ),
    key=("LeaveId",),
    rows=Driver("absences", _leave),
    links=(
        Link("employees", matching("EmId", "EmId", table="absences")),
        Link("persons", _leaves_of_person),
    ),
)

HR_CONNECTORS: tuple[GetConnector, ...] = (
    EMPLOYEES,
    EMPLOYERS,
    FUNCTIONS,
    COST_CENTRES,
    ORG_PER,
    LEAVE_BALANCES,
    LEAVES,
)
