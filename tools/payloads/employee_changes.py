"""An employee update in plain terms, against what AFAS holds now: only real changes remain (W20).

`update_employee` reads the employee (`AfasMcp_Employees`), turns the row into current values
per `EmployeeField`, and keeps from the agent's changes only those that differ. Re-sending a
value AFAS already holds can fail (HelloID saw it on unique fields) and hides from the approver
what really changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from policies.afas_fields import EMPLOYEE_ROW_COLUMNS
from policies.facts import EmployeeField, FieldValue
from policies.values import same_value, split_house_number
from server.afas.models import Row
from tools.payloads.lookups import day, decimal, text

# update_employee's argument names -> the fields they change.
INPUT_FIELDS: Mapping[str, EmployeeField] = {
    "email": EmployeeField.EMAIL,
    "phone": EmployeeField.PHONE,
    "mobile": EmployeeField.MOBILE,
    "street": EmployeeField.STREET,
    "house_number": EmployeeField.HOUSE_NUMBER,
    "house_number_addition": EmployeeField.HOUSE_NUMBER_ADDITION,
    "postal_code": EmployeeField.POSTAL_CODE,
    "city": EmployeeField.CITY,
    "country": EmployeeField.COUNTRY,
    "function_id": EmployeeField.FUNCTION,
    "org_unit": EmployeeField.ORG_UNIT,
    "hours_per_week": EmployeeField.HOURS_PER_WEEK,
    "salary": EmployeeField.SALARY,
    "period_table": EmployeeField.PERIOD_TABLE,
    "contract_end": EmployeeField.CONTRACT_END,
}


def current_values(row: Row) -> dict[EmployeeField, FieldValue]:
    """The row's values per field, as plain values; fields without a value are left out."""
    values: dict[EmployeeField, FieldValue] = {}
    for employee_field, column in EMPLOYEE_ROW_COLUMNS.items():
        raw = row.values.get(column)
        value: FieldValue | None
        if employee_field in (EmployeeField.SALARY, EmployeeField.HOURS_PER_WEEK):
            value = decimal(raw)
        elif employee_field is EmployeeField.CONTRACT_END:
            value = day(raw)
        elif employee_field in (EmployeeField.PERIOD_TABLE, EmployeeField.HOUSE_NUMBER):
            value = None if raw is None else int(str(raw))
        else:
            value = text(raw)
        if value is not None:
            values[employee_field] = value
    return values


@dataclass
class Changes:
    """What an update really changes, and what the agent asked for that is already so."""

    changes: dict[EmployeeField, FieldValue] = field(default_factory=dict)
    cleared: set[EmployeeField] = field(default_factory=set)
    unchanged: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """Nothing would change."""
        return not self.changes and not self.cleared


def _same(employee_field: EmployeeField, wanted: FieldValue, now: FieldValue | None) -> bool:
    if now is None:
        return False
    if isinstance(wanted, str) and isinstance(now, str):
        return wanted.strip().casefold() == now.strip().casefold()
    return same_value(wanted, now)


def compare(
    asked: Mapping[EmployeeField, FieldValue],
    clear: set[EmployeeField],
    current: Mapping[EmployeeField, FieldValue],
) -> Changes:
    """Keep the asked changes that differ from `current`; name the others in `unchanged`."""
    result = Changes()
    for employee_field, wanted in asked.items():
        if employee_field is EmployeeField.HOUSE_NUMBER:
            _house_number(str(wanted), asked, current, result)
        elif _same(employee_field, wanted, current.get(employee_field)):
            result.unchanged.append(f"{employee_field}={_shown(wanted)}")
        else:
            result.changes[employee_field] = wanted
    for employee_field in clear:
        if current.get(employee_field) is None:
            result.unchanged.append(f"{employee_field} is already empty")
        else:
            result.cleared.add(employee_field)
    return result


def _house_number(
    typed: str,
    asked: Mapping[EmployeeField, FieldValue],
    current: Mapping[EmployeeField, FieldValue],
    result: Changes,
) -> None:
    """A house number as typed ("12A") against the stored number and addition (12, "A")."""
    split = split_house_number(typed)
    addition = split.addition
    if EmployeeField.HOUSE_NUMBER_ADDITION in asked:
        addition = addition or str(asked[EmployeeField.HOUSE_NUMBER_ADDITION])
    now_addition = current.get(EmployeeField.HOUSE_NUMBER_ADDITION)
    same_number = same_value(split.number, current.get(EmployeeField.HOUSE_NUMBER))
    same_addition = (addition or "").casefold() == str(now_addition or "").casefold()
    if same_number and same_addition:
        result.unchanged.append(f"house_number={typed}")
        return
    result.changes[EmployeeField.HOUSE_NUMBER] = typed
    if addition is None and now_addition:
        # "14" after "12A": the old addition goes, on purpose, not by leaving it out.
        result.cleared.add(EmployeeField.HOUSE_NUMBER_ADDITION)


def _shown(value: FieldValue) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
