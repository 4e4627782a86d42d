"""The one place that maps concepts to AFAS UpdateConnector fields.

Policies, facts and tool inputs speak in concepts (employer, period table, contract start); AFAS
payloads speak in field ids. The seed articles use a third vocabulary, mapped here too:

| seed term | concept | AFAS field |
|---|---|---|
| `Wg` | employer (werkgever) | `AfasContract.CmId` (`@ErId` on payroll mutations) |
| `PvCd` | period table (periodetabel) | `AfasSalary.PtId`, codes `MAAND`/`VIERWEKEN`/`WEEK` |
| `Vp` | payroll period | none: the employer's calendar period containing `AfasContract.@DaBe` |

The payload builders import this module to write payloads, and the policies import it to read
them (with `policies.envelope`), so a renamed field changes in one place.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from policies.facts import (
    AccountKind,
    EmployeeField,
    RelationKind,
    RelationRole,
    WriteTool,
)
from policies.model import Action


@dataclass(frozen=True)
class FieldRef:
    """One field of one AFAS object; a field id starting with "@" is a key on the element."""

    object_name: str
    field_id: str

    @property
    def path(self) -> str:
        """`Object.Field`, the form used in messages, rules and `current_values`."""
        return f"{self.object_name}.{self.field_id}"


# --- Employee (KnEmployee, root AfasEmployee) ---------------------------------------------------

EMPLOYEE_ROOT = "AfasEmployee"
EMPLOYEE_CODE = FieldRef(EMPLOYEE_ROOT, "@EmId")
# W5: on the AfasEmployee element, next to @Action (the XML era's <Fields CalculateBalance=..>).
CALCULATE_BALANCE = FieldRef(EMPLOYEE_ROOT, "@CalculateBalance")

EMPLOYER = FieldRef("AfasContract", "CmId")  # seed "Wg" (W1)
EMPLOYER_ON_PAYROLL_MUTATION = FieldRef("HrCompMut", "@ErId")
CONTRACT_START = FieldRef("AfasContract", "@DaBe")  # its payroll period is seed "Vp" (W2)
CONTRACT_END = FieldRef("AfasContract", "DaEn")
PERIOD_TABLE = FieldRef("AfasSalary", "PtId")  # seed "PvCd" (W3, W12)
SALARY = FieldRef("AfasSalary", "EmSa")
FUNCTION = FieldRef("AfasOrgunitFunction", "FuId")  # W10
ORG_UNIT = FieldRef("AfasOrgunitFunction", "DpId")
HOURS_PER_WEEK = FieldRef("AfasTimeTable", "HrWk")

PERSON_OBJECT = "KnPerson"
PERSON_MATCH = FieldRef(PERSON_OBJECT, "MatchPer")  # W4
PERSON_ID = FieldRef(PERSON_OBJECT, "BcCo")
BSN = FieldRef(PERSON_OBJECT, "SoSe")

ADDRESS_OBJECTS = ("KnBasicAddressAdr", "KnBasicAddressPad")
HOUSE_NUMBER = FieldRef("KnBasicAddressAdr", "HmNr")  # numeric only (W8)
HOUSE_NUMBER_ADDITION = FieldRef("KnBasicAddressAdr", "HmAd")


class MatchPer(enum.IntEnum):
    """`KnPerson.MatchPer` codes afas-mcp uses (AFAS has 0-7; see afas-api.md 5.3)."""

    BY_PERSON_ID = 0
    BY_BSN = 1
    ALWAYS_NEW = 7


# W19: the sub-objects a start of employment needs, with the key that carries each one's start.
HIRE_SUB_OBJECTS: Mapping[str, str] = MappingProxyType(
    {
        "AfasContract": "@DaBe",
        "AfasOrgunitFunction": "@DaBe",
        "AfasTimeTable": "@DaBg",
        "AfasSalary": "@DaBe",
        "AfasAgencyFiscus": "@DaBe",
    }
)

# Sub-objects whose rows the payroll run reads; an update touching them needs an open period.
PAYROLL_OBJECTS = frozenset({"AfasContract", "AfasOrgunitFunction", "AfasTimeTable", "AfasSalary"})

EMPLOYEE_FIELDS: Mapping[EmployeeField, FieldRef] = MappingProxyType(
    {
        EmployeeField.EMAIL: FieldRef(PERSON_OBJECT, "EmAd"),
        EmployeeField.PHONE: FieldRef(PERSON_OBJECT, "TeNr"),
        EmployeeField.MOBILE: FieldRef(PERSON_OBJECT, "MbNr"),
        EmployeeField.STREET: FieldRef("KnBasicAddressAdr", "Ad"),
        EmployeeField.HOUSE_NUMBER: HOUSE_NUMBER,
        EmployeeField.HOUSE_NUMBER_ADDITION: HOUSE_NUMBER_ADDITION,
        EmployeeField.POSTAL_CODE: FieldRef("KnBasicAddressAdr", "ZpCd"),
        EmployeeField.CITY: FieldRef("KnBasicAddressAdr", "Rs"),
        EmployeeField.COUNTRY: FieldRef("KnBasicAddressAdr", "CoId"),
        EmployeeField.FUNCTION: FUNCTION,
        EmployeeField.ORG_UNIT: ORG_UNIT,
        EmployeeField.HOURS_PER_WEEK: HOURS_PER_WEEK,
        EmployeeField.SALARY: SALARY,
        EmployeeField.PERIOD_TABLE: PERIOD_TABLE,
        EmployeeField.CONTRACT_END: CONTRACT_END,
    }
)

# Fields that say which record an update hits rather than what changes; W20 never counts them as
# unchanged values. The employer is here because W1 wants it on every contract row sent.
IDENTITY_FIELDS = frozenset({PERSON_MATCH.path, PERSON_ID.path, EMPLOYER.path})

# Where our GetConnector AfasMcp_Employees (docs/connector-package.md) shows each field
# update_employee can change: what W20 compares against and what read-back expects. Phone
# numbers are not in it, so W20 cannot compare them and sends them to a person instead.
EMPLOYEE_ROW_COLUMNS: Mapping[EmployeeField, str] = MappingProxyType(
    {
        EmployeeField.EMAIL: "Mail",
        EmployeeField.STREET: "Street",
        EmployeeField.HOUSE_NUMBER: "HouseNumber",
        EmployeeField.HOUSE_NUMBER_ADDITION: "AddNumber",
        EmployeeField.POSTAL_CODE: "ZIPCode",
        EmployeeField.CITY: "City",
        EmployeeField.COUNTRY: "Country",
        EmployeeField.FUNCTION: "FunctionId",
        EmployeeField.ORG_UNIT: "OrgUnit",
        EmployeeField.HOURS_PER_WEEK: "HoursPerWeek",
        EmployeeField.SALARY: "Salary",
        EmployeeField.PERIOD_TABLE: "PeriodTableId",
        EmployeeField.CONTRACT_END: "EmploymentEnd",
    }
)

# --- Journal entry (FiEntries, root FiEntryPar) -------------------------------------------------

JOURNAL_ROOT = "FiEntryPar"
JOURNAL_LINES = "FiEntries"
JOURNAL_YEAR = FieldRef(JOURNAL_ROOT, "Year")
JOURNAL_PERIOD = FieldRef(JOURNAL_ROOT, "Peri")
JOURNAL_ADMINISTRATION = FieldRef(JOURNAL_ROOT, "UnId")
JOURNAL_CODE = FieldRef(JOURNAL_ROOT, "JoCo")
LINE_ACCOUNT_KIND = FieldRef(JOURNAL_LINES, "VaAs")
LINE_ACCOUNT = FieldRef(JOURNAL_LINES, "AcNr")
LINE_ENTRY_DATE = FieldRef(JOURNAL_LINES, "EnDa")
LINE_DEBIT = FieldRef(JOURNAL_LINES, "AmDe")
LINE_CREDIT = FieldRef(JOURNAL_LINES, "AmCr")
LINE_VAT_CODE = FieldRef(JOURNAL_LINES, "VaId")
LINE_DESCRIPTION = FieldRef(JOURNAL_LINES, "Ds")
LINE_ALLOCATION = "FiDimEntries"  # sub-object of a line; first axis in DiC1
LINE_COST_CENTRE = FieldRef(LINE_ALLOCATION, "DiC1")
LINE_PROJECT = FieldRef("FiPrjEntries", "PrId")
LINE_PROJECT_ITEM = FieldRef("FiPrjEntries", "ItCd")  # the cost item; AFAS needs it with PrId

ACCOUNT_KIND_CODE: Mapping[AccountKind, str] = MappingProxyType(
    {AccountKind.LEDGER: "1", AccountKind.DEBTOR: "2", AccountKind.CREDITOR: "3"}
)

# --- Debtors and creditors ----------------------------------------------------------------------

RELATION_CONNECTOR: Mapping[tuple[RelationRole, RelationKind], str] = MappingProxyType(
    {
        (RelationRole.DEBTOR, RelationKind.PERSON): "KnSalesRelationPer",
        (RelationRole.DEBTOR, RelationKind.ORGANISATION): "KnSalesRelationOrg",
        (RelationRole.CREDITOR, RelationKind.PERSON): "KnPurchaseRelationPer",
        (RelationRole.CREDITOR, RelationKind.ORGANISATION): "KnPurchaseRelationOrg",
    }
)
ORGANISATION_OBJECT = "KnOrganisation"
KVK_NUMBER = FieldRef(ORGANISATION_OBJECT, "CcNr")
ORGANISATION_NAME = FieldRef(ORGANISATION_OBJECT, "Nm")
IBAN = FieldRef("KnBankAccount", "Iban")

# --- Hours, leave, dossier items ----------------------------------------------------------------

HOURS_ROOT = "PtRealization"
HOURS_DATE = FieldRef(HOURS_ROOT, "DaTi")
HOURS_EMPLOYEE = FieldRef(HOURS_ROOT, "EmId")
HOURS_PROJECT = FieldRef(HOURS_ROOT, "PrId")
HOURS_QUANTITY = FieldRef(HOURS_ROOT, "Qu")
HOURS_ITEM_TYPE = FieldRef(HOURS_ROOT, "VaIt")  # "1" = work type
HOURS_WORK_TYPE = FieldRef(HOURS_ROOT, "ItCd")

LEAVE_ROOT = "HrAbsence"
LEAVE_EMPLOYEE = FieldRef(LEAVE_ROOT, "EmId")
LEAVE_TYPE = FieldRef(LEAVE_ROOT, "ViAt")
LEAVE_START = FieldRef(LEAVE_ROOT, "DaBe")  # date-time; whole days use 00:00:00
LEAVE_END = FieldRef(LEAVE_ROOT, "DaEn")
LEAVE_PARTIAL = FieldRef(LEAVE_ROOT, "LeDt")

SUBJECT_ROOT = "KnSubject"

# --- Which connector, root and action each tool writes with -------------------------------------


@dataclass(frozen=True)
class ToolTarget:
    """The UpdateConnectors a tool may write through, and the one action it performs."""

    connectors: frozenset[str]
    action: Action


TOOL_TARGETS: Mapping[WriteTool, ToolTarget] = MappingProxyType(
    {
        WriteTool.ONBOARD_EMPLOYEE: ToolTarget(frozenset({"KnEmployee"}), "insert"),
        WriteTool.UPDATE_EMPLOYEE: ToolTarget(frozenset({"KnEmployee"}), "update"),
        WriteTool.POST_JOURNAL_ENTRY: ToolTarget(frozenset({"FiEntries"}), "insert"),
        WriteTool.CREATE_DEBTOR: ToolTarget(
            frozenset({"KnSalesRelationPer", "KnSalesRelationOrg"}), "insert"
        ),
        WriteTool.CREATE_CREDITOR: ToolTarget(
            frozenset({"KnPurchaseRelationPer", "KnPurchaseRelationOrg"}), "insert"
        ),
        WriteTool.REGISTER_HOURS: ToolTarget(frozenset({"PtRealization"}), "insert"),
        WriteTool.SUBMIT_LEAVE_REQUEST: ToolTarget(frozenset({"HrAbsence"}), "insert"),
        WriteTool.LOG_ACTIVITY: ToolTarget(frozenset({"KnSubject"}), "insert"),
    }
)

# The root object of a connector's body where it is not the connector name (afas-api.md 5.1).
_ROOT_EXCEPTIONS: Mapping[str, str] = MappingProxyType(
    {"KnEmployee": EMPLOYEE_ROOT, "FiEntries": JOURNAL_ROOT}
)


def root_object_of(connector: str) -> str:
    """The root object name an UpdateConnector's body starts with."""
    return _ROOT_EXCEPTIONS.get(connector, connector)
