"""The connectors the product reads and writes (docs/connector-package.md), and `[connectors]`.

An AFAS administrator may give the product's custom GetConnectors other names; the `[connectors]`
table maps each logical name to the id in this environment.
"""

from __future__ import annotations

from dataclasses import dataclass

from server.config.source import Source

__all__ = [
    "GET_CONNECTORS",
    "UPDATE_CONNECTORS",
    "ConnectorSpec",
    "UpdateConnectorSpec",
    "parse_connectors",
]


@dataclass(frozen=True, slots=True)
class ConnectorSpec:
    """A GetConnector the product reads (docs/connector-package.md)."""

    logical: str
    default: str
    key: tuple[str, ...]
    toolsets: tuple[str, ...]
    custom: bool = False


@dataclass(frozen=True, slots=True)
class UpdateConnectorSpec:
    """An UpdateConnector the product writes through, with its payload's root object."""

    connector: str
    root: str
    toolsets: tuple[str, ...]


def _get(
    logical: str, default: str, key: str, toolsets: str, custom: bool = False
) -> ConnectorSpec:
    return ConnectorSpec(logical, default, tuple(key.split()), tuple(toolsets.split()), custom)


GET_CONNECTORS: tuple[ConnectorSpec, ...] = (
    _get("employees", "AfasMcp_Employees", "EmployeeId", "hr payroll", custom=True),
    _get("employee_fiscal", "AfasMcp_EmployeeFiscal", "EmployeeId DateStart", "hr payroll", True),
    _get("contracts", "AfasMcp_Contracts", "EmployeeId DateStart", "hr payroll", custom=True),
    _get("salaries", "AfasMcp_Salaries", "EmployeeId DateStart", "hr payroll", custom=True),
    _get(
        "payroll_periods",
        "AfasMcp_PayrollPeriods",
        "EmployerId PeriodTableId Year Period",
        "payroll",
        custom=True,
    ),
    _get("employers", "Profit_Employers", "EmployerId", "hr payroll"),
    _get("functions", "Profit_Functions", "Employer FunctionId", "hr"),
    _get("persons", "Profit_OrgPer", "BcCo", "hr"),
    _get("leave_balances", "Profit_LeaveBalance", "EmployeeId Leavetype Year Period", "hr"),
    _get("leaves", "Profit_Leaves", "LeaveId", "hr"),
    _get("debtors", "Profit_Debtor", "DebtorId", "finance crm"),
    _get("creditors", "Profit_Creditor", "CreditorId", "finance crm"),
    _get("administrations", "Profit_Administrations", "AdminId", "finance"),
    _get("booking_periods", "Profit_periods_per_administration", "Unit Year Period", "finance"),
    _get("ledger_accounts", "Profit_Accounts", "Account", "finance"),
    _get("vat_codes", "Profit_VAT_code", "VatCode", "finance"),
    _get("journals", "Profit_Journals", "UnitId JournalId", "finance"),
    _get("cost_centres", "Profit_CostCentre", "EmployerId CostCentre", "finance hr"),
    _get("projects", "Profit_Projects", "ProjectId", "projects"),
    _get("realizations", "Profit_Realization", "Identity", "projects"),
    _get("transactions", "Profit_Transactions", "UnitId EntryNo SeqNo", "finance"),
    _get("subjects", "Profit_Subjects", "SubjectId", "crm"),
)

UPDATE_CONNECTORS: tuple[UpdateConnectorSpec, ...] = (
    UpdateConnectorSpec("KnEmployee", "AfasEmployee", ("hr",)),
    UpdateConnectorSpec("FiEntries", "FiEntryPar", ("finance",)),
    UpdateConnectorSpec("KnSalesRelationPer", "KnSalesRelationPer", ("finance", "crm")),
    UpdateConnectorSpec("KnSalesRelationOrg", "KnSalesRelationOrg", ("finance", "crm")),
    UpdateConnectorSpec("KnPurchaseRelationPer", "KnPurchaseRelationPer", ("finance", "crm")),
    UpdateConnectorSpec("KnPurchaseRelationOrg", "KnPurchaseRelationOrg", ("finance", "crm")),
    UpdateConnectorSpec("PtRealization", "PtRealization", ("projects",)),
    UpdateConnectorSpec("HrAbsence", "HrAbsence", ("hr",)),
    UpdateConnectorSpec("KnSubject", "KnSubject", ("crm",)),
)


def parse_connectors(source: Source) -> dict[str, str]:
    """Logical name -> connector id: the defaults, with the `[connectors]` table over them."""
    names = {spec.logical: spec.default for spec in GET_CONNECTORS}
    for key, value in source.table("connectors").items():
        where = f"TOML key connectors.{key} in {source.path}"
        if key not in names:
            source.problems.append(
                f"{where}: unknown logical connector; known: {', '.join(sorted(names))}"
            )
        elif not isinstance(value, str) or not value.strip():
            source.problems.append(f"{where}: must be the connector's id, as text")
        else:
            names[key] = value.strip()
    return names
