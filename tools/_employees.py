"""One employee as the hr tools show it: status, person, employment, payroll, wage-tax number.

The main employee connector (`AfasMcp_Employees`) carries nearly everything, but not always
truthfully: it blanks the wage-tax number of terminated employees although AFAS keeps it (R1),
and a blocked or deleted employee comes back as a shell, its code and nothing else (R5). This
module turns a row into the output models and says where each doubtful value came from.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from server.afas.models import Row
from tools._payroll_calendar import as_date

EMPLOYEE_KEY = ("EmployeeId",)
# Every field a tool reports is required: a field an administrator removed must fail the read
# naming it (R6), never turn into a null that looks like data.
PERSON_FIELDS = (
    "PersonId", "FirstName", "Initials", "PrefixBirthName", "BirthName", "DateOfBirth",
    "Gender", "Mail",
)  # fmt: skip
ADDRESS_FIELDS = ("Street", "HouseNumber", "AddNumber", "ZIPCode", "City", "Country")
EMPLOYMENT_FIELDS = (
    "EmployerId", "EmploymentStart", "EmploymentEnd", "EmploymentSeq", "FunctionId",
    "FunctionDesc", "OrgUnit", "HoursPerWeek",
)  # fmt: skip
PAYROLL_FIELDS = ("PeriodTableId", "Salary", "WageTaxNumber")
STATE_FIELDS = ("Blocked", "ModifiedDate")
SUMMARY_FIELDS = (
    *EMPLOYEE_KEY, "FirstName", "PrefixBirthName", "BirthName", "EmployerId", "EmploymentStart",
    "EmploymentEnd", "FunctionId", "FunctionDesc", "OrgUnit", *STATE_FIELDS,
)  # fmt: skip
DETAIL_FIELDS = (
    *EMPLOYEE_KEY, *PERSON_FIELDS, *ADDRESS_FIELDS, *EMPLOYMENT_FIELDS, *PAYROLL_FIELDS,
    *STATE_FIELDS,
)  # fmt: skip
FISCAL_KEY = ("EmployeeId", "DateStart")
FISCAL_FIELDS = (*FISCAL_KEY, "EmployerId", "WageTaxNumber")

Status = Literal["active", "not_started", "terminated", "blocked_or_deleted"]

STATUS_TEXT = (
    "active: employed today; not_started: the contract starts after today; terminated: the "
    "contract ended before today; blocked_or_deleted: AFAS returned only the employee code "
    "(the record is blocked or deleted), so nothing else about it is known."
)


def text(value: object) -> str | None:
    """A normalised string value, or None."""
    return value if isinstance(value, str) and value else None


def decimal_text(value: object) -> str | None:
    """A decimal as exact text with a dot ("4233.98"), never a float (R4)."""
    return format(value, "f") if isinstance(value, Decimal) else None


def moment(value: object) -> datetime | None:
    """A date-time as AFAS keeps it: Amsterdam local time (R7)."""
    return value if isinstance(value, datetime) else None


def status_of(row: Row, today: date) -> Status:
    """Where the employment stands today, from the contract dates (Europe/Amsterdam days)."""
    if row.shell:
        return "blocked_or_deleted"
    start = as_date(row.values["EmploymentStart"])
    end = as_date(row.values["EmploymentEnd"])
    if end is not None and end < today:
        return "terminated"
    if start is not None and start > today:
        return "not_started"
    return "active"


def display_name(row: Row) -> str | None:
    """First name, prefix and birth name, as a Dutch address label writes them."""
    parts = [text(row.values.get(name)) for name in ("FirstName", "PrefixBirthName", "BirthName")]
    joined = " ".join(part for part in parts if part)
    return joined or None


class Person(BaseModel):
    """The person behind the employee (AFAS keeps persons apart from employments)."""

    person_id: str | None = Field(description="The person's relation number (BcCo in AFAS).")
    first_name: str | None = Field(description="First name.")
    initials: str | None = Field(description="Initials, e.g. 'J.E.'.")
    name_prefix: str | None = Field(description="Prefix of the birth name, e.g. 'de', 'van'.")
    birth_name: str | None = Field(description="Birth name (surname) without the prefix.")
    display_name: str | None = Field(description="First name, prefix and birth name together.")
    date_of_birth: date | None = Field(description="Date of birth (YYYY-MM-DD).")
    gender: str | None = Field(description="Gender code as AFAS keeps it: M, V (female) or O.")
    work_email: str | None = Field(description="Work e-mail address.")


class Address(BaseModel):
    """The home address; house number and its addition are separate, as AFAS keeps them."""

    street: str | None = Field(description="Street name.")
    house_number: int | None = Field(description="House number, digits only.")
    house_number_addition: str | None = Field(description="Addition to the number, e.g. 'A'.")
    postal_code: str | None = Field(description="Postal code, e.g. '3511 AB'.")
    city: str | None = Field(description="City of residence.")
    country: str | None = Field(description="Country code as AFAS keeps it, e.g. 'NL'.")


class Employment(BaseModel):
    """The current employment (for a terminated employee: the last one)."""

    employer_id: str | None = Field(
        description="The employer (werkgever; CmId on the contract in AFAS); see list_employers."
    )
    start_date: date | None = Field(description="Start of the current contract (YYYY-MM-DD).")
    end_date: date | None = Field(description="End of the contract; null when open-ended.")
    employment_sequence: int | None = Field(
        description="Employment sequence number (DvSn): 2 or more for a re-hired employee."
    )
    function_id: str | None = Field(description="Function code in the employer's table (FuId).")
    function_description: str | None = Field(description="The function's description.")
    org_unit: str | None = Field(description="Organisational unit code (DpId).")
    hours_per_week: str | None = Field(
        description="Hours per week of the current timetable, as exact decimal text, e.g. '36'."
    )


def person_of(row: Row) -> Person:
    """The person part of a full employee row."""
    v = row.values
    return Person(
        person_id=text(v["PersonId"]),
        first_name=text(v["FirstName"]),
        initials=text(v["Initials"]),
        name_prefix=text(v["PrefixBirthName"]),
        birth_name=text(v["BirthName"]),
        display_name=display_name(row),
        date_of_birth=as_date(v["DateOfBirth"]),
        gender=text(v["Gender"]),
        work_email=text(v["Mail"]),
    )


def address_of(row: Row) -> Address:
    """The address part of a full employee row."""
    v = row.values
    number = v["HouseNumber"]
    return Address(
        street=text(v["Street"]),
        house_number=number if isinstance(number, int) else None,
        house_number_addition=text(v["AddNumber"]),
        postal_code=text(v["ZIPCode"]),
        city=text(v["City"]),
        country=text(v["Country"]),
    )


def employment_of(row: Row) -> Employment:
    """The employment part of a full employee row."""
    v = row.values
    seq = v["EmploymentSeq"]
    return Employment(
        employer_id=text(v["EmployerId"]),
        start_date=as_date(v["EmploymentStart"]),
        end_date=as_date(v["EmploymentEnd"]),
        employment_sequence=seq if isinstance(seq, int) else None,
        function_id=text(v["FunctionId"]),
        function_description=text(v["FunctionDesc"]),
        org_unit=text(v["OrgUnit"]),
        hours_per_week=decimal_text(v["HoursPerWeek"]),
    )


def latest_fiscal(rows: list[Row], today: date) -> Row | None:
    """The fiscal record in force today (latest start on or before it), else the earliest one."""
    dated = sorted(
        (r for r in rows if not r.shell and as_date(r.values["DateStart"]) is not None),
        key=lambda r: as_date(r.values["DateStart"]) or date.min,
    )
    current = [r for r in dated if (as_date(r.values["DateStart"]) or date.max) <= today]
    if current:
        return current[-1]
    return dated[0] if dated else None
