"""The custom `AfasMcp_*` GetConnectors of docs/connector-package.md, with exactly its field ids."""

from __future__ import annotations

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
from simulator.catalogue.rows import Driver, RowContext
from simulator.catalogue.staff import (
    EMPLOYEE_LINKS,
    employee_deleted,
    employee_facts,
    rows_of_employee,
)
from simulator.tenant import Record
from simulator.tenant.payroll import PERIOD_TABLES


def _employee(ctx: RowContext, record: Record) -> Record:
    facts = employee_facts(ctx, record)
    employee, person, contract = facts.employee, facts.person, facts.contract
    salary, org, schedule = facts.salary, facts.org_function, facts.timetable
    fiscal = facts.fiscal
    wage_tax = fiscal["WageTaxNumber"] if fiscal else None
    if facts.terminated and ctx.options.wage_tax_blank_for_terminated:
        wage_tax = None  # quirk R1: the fiscal connector still has it
    return {
        "EmployeeId": employee["EmId"],
        "PersonId": person["BcCo"],
        "EmployerId": contract["CmId"] if contract else None,
        "FirstName": person.get("FiNm"),
        "Initials": person.get("In"),
        "PrefixBirthName": person.get("Is"),
        "BirthName": person.get("LaNm"),
        "DateOfBirth": person.get("DaBi"),
        "Gender": person.get("ViGe"),
        "BSN": person.get("SoSe"),
        "Mail": person.get("EmAd"),
        "Street": person.get("Ad"),
        "HouseNumber": person.get("HmNr"),
        "AddNumber": person.get("HmAd"),
        "ZIPCode": person.get("ZpCd"),
        "City": person.get("Rs"),
        "Country": person.get("CoId"),
        "EmploymentStart": contract["DaBe"] if contract else None,
        "EmploymentEnd": contract["DaEn"] if contract else None,
        "EmploymentSeq": contract["DvSn"] if contract else None,
        "FunctionId": org["FuId"] if org else None,
        "FunctionDesc": facts.function_desc,
        "OrgUnit": org["DpId"] if org else None,
        "PeriodTableId": salary["PtId"] if salary else None,
        "Salary": salary["EmSa"] if salary else None,
        "HoursPerWeek": schedule["HrWk"] if schedule else None,
        "WageTaxNumber": wage_tax,
        "Blocked": employee["Bl"],
        # The employee's own stamp: child changes do not move it (quirk R3).
        "ModifiedDate": employee["_modified"],
        STATE: DELETED if employee.get("_deleted") else BLOCKED if employee["Bl"] else None,
    }


EMPLOYEES = connector(
    "AfasMcp_Employees",
    "Medewerkers met contract, verloning en fiscale gegevens (afas-mcp)",
    (
        text("EmployeeId", "Medewerker", 15, code="EmId", lookup=True),
        text("PersonId", "Persoonsnummer", 15, code="BcCo", lookup=True),
        text("EmployerId", "Werkgever", 15, code="CmId", lookup=True),
        text("FirstName", "Voornaam", 50, code="FiNm"),
        text("Initials", "Voorletters", 15, code="In"),
        text("PrefixBirthName", "Voorvoegsel", 15, code="Is"),
        text("BirthName", "Geboortenaam", 80, code="LaNm"),
        moment("DateOfBirth", "Geboortedatum", code="DaBi"),
        text("Gender", "Geslacht", 1, code="ViGe", lookup=True),
        text("BSN", "BSN", 9, code="SoSe"),
        text("Mail", "E-mail werk", 255, code="EmAd"),
        text("Street", "Straat", 80, code="Ad"),
        number("HouseNumber", "Huisnummer", 9, code="HmNr"),
        text("AddNumber", "Toevoeging aan huisnummer", 30, code="HmAd"),
        text("ZIPCode", "Postcode", 15, code="ZpCd"),
        text("City", "Woonplaats", 50, code="Rs"),
        text("Country", "Land", 3, code="CoId", lookup=True),
        moment("EmploymentStart", "Begindatum contract", code="DaBe"),
        moment("EmploymentEnd", "Einddatum contract", code="DaEn"),
        number("EmploymentSeq", "Volgnummer dienstverband", 4, code="DvSn"),
        text("FunctionId", "Functie", 15, code="FuId", lookup=True),
        text("FunctionDesc", "Omschrijving functie", 80),
        text("OrgUnit", "Organisatorische eenheid", 15, code="DpId", lookup=True),
        number("PeriodTableId", "Periodetabel", 4, code="PtId", lookup=True),
        amount("Salary", "Salaris", code="EmSa"),
        amount("HoursPerWeek", "Uren per week", code="HrWk"),
        text("WageTaxNumber", "Loonheffingennummer", 20),
        flag("Blocked", "Geblokkeerd", code="Bl"),
        moment("ModifiedDate", "Gewijzigd op"),
    ),
    key=("EmployeeId",),
    rows=Driver("employees", _employee),
    links=EMPLOYEE_LINKS,
    dutch_decimals=("Salary",),
)


def _fiscal(ctx: RowContext, record: Record) -> Record | None:
    if employee_deleted(ctx, record["EmId"]):
        return None
    return {
        "EmployeeId": record["EmId"],
        "EmployerId": record["ErId"],
        "DateStart": record["DaBe"],
        "WageTaxNumber": record["WageTaxNumber"],
        "ModifiedDate": record["_modified"],
    }


EMPLOYEE_FISCAL = connector(
    "AfasMcp_EmployeeFiscal",
    "Fiscale gegevens per medewerker (afas-mcp)",
    (
        text("EmployeeId", "Medewerker", 15, code="EmId", lookup=True),
        text("EmployerId", "Werkgever", 15, code="ErId", lookup=True),
        moment("DateStart", "Begindatum", code="DaBe"),
        text("WageTaxNumber", "Loonheffingennummer", 20),
        moment("ModifiedDate", "Gewijzigd op"),
    ),
    key=("EmployeeId", "DateStart"),
    rows=Driver("fiscal", _fiscal),
    links=(rows_of_employee("fiscal"),),
)


def _contract(ctx: RowContext, record: Record) -> Record | None:
    if employee_deleted(ctx, record["EmId"]):
        return None
    return {
        "EmployeeId": record["EmId"],
        "EmploymentSeq": record["DvSn"],
        "EmployerId": record["CmId"],
        "DateStart": record["DaBe"],
        "DateEnd": record["DaEn"],
        "ContractType": record["ApCo"],
        "ModifiedDate": record["_modified"],
    }


CONTRACTS = connector(
    "AfasMcp_Contracts",
    "Contracten per medewerker (afas-mcp)",
    (
        text("EmployeeId", "Medewerker", 15, code="EmId", lookup=True),
        number("EmploymentSeq", "Volgnummer dienstverband", 4, code="DvSn"),
        text("EmployerId", "Werkgever", 15, code="CmId", lookup=True),
        moment("DateStart", "Begindatum contract", code="DaBe"),
        moment("DateEnd", "Einddatum contract", code="DaEn"),
        text("ContractType", "Type contract", 2, code="ApCo", lookup=True),
        moment("ModifiedDate", "Gewijzigd op"),
    ),
    key=("EmployeeId", "DateStart"),
    rows=Driver("contracts", _contract),
    links=(rows_of_employee("contracts"),),
)


def _salary(ctx: RowContext, record: Record) -> Record | None:
    if employee_deleted(ctx, record["EmId"]):
        return None
    return {
        "EmployeeId": record["EmId"],
        "DateStart": record["DaBe"],
        "PeriodTableId": record["PtId"],
        "SalaryKind": record["SaPe"],
        "Salary": record["EmSa"],
        "ModifiedDate": record["_modified"],
    }


SALARIES = connector(
    "AfasMcp_Salaries",
    "Salarissen per medewerker (afas-mcp)",
    (
        text("EmployeeId", "Medewerker", 15, code="EmId", lookup=True),
        moment("DateStart", "Begindatum salaris", code="DaBe"),
        number("PeriodTableId", "Periodetabel", 4, code="PtId", lookup=True),
        text("SalaryKind", "Soort salaris", 2, code="SaPe", lookup=True),
        amount("Salary", "Salaris", code="EmSa"),
        moment("ModifiedDate", "Gewijzigd op"),
    ),
    key=("EmployeeId", "DateStart"),
    rows=Driver("salaries", _salary),
    links=(rows_of_employee("salaries"),),
    dutch_decimals=("Salary",),
)


def _payroll_period(ctx: RowContext, record: Record) -> Record:
    return {
        "EmployerId": record["EmployerId"],
        "PeriodTableId": record["PeriodTableId"],
        "PeriodTableCode": PERIOD_TABLES[record["PeriodTableId"]][0],
        "Year": record["Year"],
        "Period": record["Period"],
        "DateFrom": record["DateFrom"],
        "DateTo": record["DateTo"],
        "Closed": record["Closed"],
        "ModifiedDate": record["_modified"],
    }


PAYROLL_PERIODS = connector(
    "AfasMcp_PayrollPeriods",
    "Verloningsperioden per werkgever (afas-mcp)",
    (
        text("EmployerId", "Werkgever", 15, lookup=True),
        number("PeriodTableId", "Periodetabel", 4, lookup=True),
        text("PeriodTableCode", "Code periodetabel", 10),
        number("Year", "Jaar", 4),
        number("Period", "Periode", 4),
        moment("DateFrom", "Begindatum"),
        moment("DateTo", "Einddatum"),
        flag("Closed", "Afgesloten"),
        moment("ModifiedDate", "Gewijzigd op"),
    ),
    key=("EmployerId", "PeriodTableId", "Year", "Period"),
    rows=Driver("payroll_periods", _payroll_period),
)

CUSTOM_CONNECTORS: tuple[GetConnector, ...] = (
    EMPLOYEES,
    EMPLOYEE_FISCAL,
    CONTRACTS,
    SALARIES,
    PAYROLL_PERIODS,
)
