"""`get_leave_balance`: an employee's leave balances per leave type, from `Profit_LeaveBalance`.

The balance connector keeps rows for employees the employee connector no longer shows in full
(blocked or deleted ones, R5), so the employee is looked up as well: an unknown code is an error,
and balances of a blocked or deleted employee come with a warning saying so.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from pydantic import BaseModel, Field

from server.afas.filters import Filter, Operator
from server.outcomes import UnknownRecord
from tools._employees import EMPLOYEE_KEY, text
from tools._hr_reads import read_rows, without_codes
from tools.base import DataWarning
from tools.deps import ToolDeps

LEAVE_KEY = ("EmployeeId", "Leavetype", "Year", "Period")
AMOUNTS = ("StartBalance", "Entitlement", "ExtraEntitlement", "Taken", "Balance")
LEAVE_FIELDS = (*LEAVE_KEY, "EmployerId", "DvId", *AMOUNTS)


class LeaveBalance(BaseModel):
    """One leave type's balance, in hours."""

    leave_type: str = Field(
        description="AFAS's leave type code, e.g. V (statutory leave) or BV (extra-statutory)."
    )
    employer_id: str | None = Field(description="Employer of the employment it belongs to.")
    employment_sequence: int | None = Field(description="Employment sequence number (DvId).")
    year: int = Field(description="The year of the balance.")
    period: int = Field(description="The period within the year the row covers.")
    start_balance: str | None = Field(description="Hours carried over into the year.")
    entitlement: str | None = Field(description="Hours granted for the year.")
    extra_entitlement: str | None = Field(description="Extra hours granted on top.")
    taken: str | None = Field(description="Hours taken (booked leave).")
    balance: str | None = Field(
        description="Hours left: start_balance + entitlement + extra_entitlement - taken, as "
        "AFAS reports it. Negative when more was taken than granted."
    )


class LeaveBalances(BaseModel):
    """An employee's leave balances for one year."""

    employee_id: str = Field(description="The employee code (EmId).")
    year: int = Field(description="The year the balances are for.")
    unit: str = Field(description="Always 'hours': AFAS keeps leave in hours.")
    balances: list[LeaveBalance] = Field(
        description="One entry per leave type (and period, where AFAS splits the year)."
    )
    warnings: list[DataWarning] = Field(description="Anything suspect; pass these on.")


def _number(value: object) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    return None


async def leave_balances(deps: ToolDeps, employee_id: str, year: int | None) -> LeaveBalances:
    """What `get_leave_balance` answers."""
    year = year or deps.today().year
    afas = await deps.afas()
    people = await read_rows(
        afas,
        deps.connector("employees"),
        key=EMPLOYEE_KEY,
        fields=EMPLOYEE_KEY,
        filters=Filter("EmployeeId", Operator.EQUALS, employee_id),
    )
    connector = deps.connector("leave_balances")
    leave = await read_rows(
        afas,
        connector,
        key=LEAVE_KEY,
        fields=LEAVE_FIELDS,
        filters=[
            Filter("EmployeeId", Operator.EQUALS, employee_id),
            Filter("Year", Operator.EQUALS, year),
        ],
    )
    if not people.rows and not leave.rows:
        raise UnknownRecord(
            "employee",
            employee_id,
            hint="Employee codes are exact (e.g. '100001'); call search_employees with a name "
            "to find the code",
        )
    warnings = [*without_codes(people.warnings, "shell_rows"), *leave.warnings]
    if not people.rows:
        warnings.append(
            _note(
                "employee_not_found",
                f"employee {employee_id} is not in the employee connector, but {connector} has "
                "balances for it",
            )
        )
    elif people.rows[0].shell:
        warnings.append(
            _note(
                "blocked_or_deleted",
                f"AFAS returns employee {employee_id} as blocked or deleted; these balances "
                "belong to a record that is no longer in use",
            )
        )
    balances = [_balance(row.values) for row in leave.rows if not row.shell]
    for item in balances:
        if not _adds_up(item):
            warnings.append(
                _note(
                    "balance_does_not_add_up",
                    f"leave type {item.leave_type} period {item.period}: start {item.start_balance}"
                    f" + entitlement {item.entitlement} + extra {item.extra_entitlement} - taken "
                    f"{item.taken} is not the balance {item.balance} AFAS reports",
                )
            )
    if not balances:
        warnings.append(
            _note(
                "no_leave_balances",
                f"{connector} has no balances for employee {employee_id} in {year}: leave may "
                "not be set up for that year",
            )
        )
    return LeaveBalances(
        employee_id=str(people.rows[0].values["EmployeeId"]) if people.rows else employee_id,
        year=year,
        unit="hours",
        balances=balances,
        warnings=warnings,
    )


def _balance(values: Mapping[str, object]) -> LeaveBalance:
    seq = values["DvId"]
    return LeaveBalance(
        leave_type=str(values["Leavetype"]),
        employer_id=text(values["EmployerId"]),
        employment_sequence=seq if isinstance(seq, int) else None,
        year=int(str(values["Year"])),
        period=int(str(values["Period"])),
        start_balance=_number(values["StartBalance"]),
        entitlement=_number(values["Entitlement"]),
        extra_entitlement=_number(values["ExtraEntitlement"]),
        taken=_number(values["Taken"]),
        balance=_number(values["Balance"]),
    )


def _adds_up(item: LeaveBalance) -> bool:
    parts = [item.start_balance, item.entitlement, item.extra_entitlement, item.taken]
    if item.balance is None or any(part is None for part in parts):
        return True  # nothing to compare; a missing amount is not a contradiction
    start, granted, extra, taken = (Decimal(str(part)) for part in parts)
    return start + granted + extra - taken == Decimal(item.balance)


def _note(code: str, message: str) -> DataWarning:
    return DataWarning(code=code, message=message)
