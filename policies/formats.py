"""Value forms in the payload: legacy formats (W7), house numbers (W8), empty strings (W13).

These run on every write tool that can carry the fields. The payload builder formats values with
`policies.values`; these checks prove it did, because AFAS stores a wrong form without error.
"""

from __future__ import annotations

from policies.afas_fields import (
    ADDRESS_OBJECTS,
    EMPLOYEE_FIELDS,
    HOUSE_NUMBER,
    HOUSE_NUMBER_ADDITION,
)
from policies.base import SERVER_BUG_HINT, Finding, Problems, allow, deny, listing, policy
from policies.context import PolicyContext
from policies.envelope import iter_elements
from policies.facts import (
    EmployeeField,
    EmployeeUpdateFacts,
    HireFacts,
    RelationFacts,
    WriteTool,
)
from policies.model import WriteIntent
from policies.values import LegacyFormat, is_legacy_form, same_value, split_house_number

_WANTS = {LegacyFormat.FLAG_01: '"1" or "0"', LegacyFormat.DATE_DMY: "dd-MM-yyyy"}


@policy("legacy_value_formats", quirk="W7", tools=None)
def legacy_value_formats(intent: WriteIntent, ctx: PolicyContext) -> Finding:
    """W7: fields in the override table carry their legacy form ("1"/"0", dd-MM-yyyy).

    A `""` the agent asked for (an update's `cleared`) empties the field and has no form to get
    wrong, so it passes here; W13 checks that every `""` is such a deliberate clear.
    """
    overrides = ctx.rules.legacy_formats
    clearable = _clearable_paths(intent)
    wrong = [
        f"{path}={value!r} (wants {_WANTS[legacy]})"
        for element in iter_elements(intent.body)
        for field_id, value in element.attributes().items()
        if (legacy := overrides.get(path := f"{element.object_name}.{field_id}")) is not None
        and not is_legacy_form(value, legacy)
        and not (value == "" and path in clearable)
    ]
    if wrong:
        return deny(
            f"AFAS reads these fields in their legacy form and would misread: {listing(wrong)}",
            hint=SERVER_BUG_HINT,
        )
    return allow("every legacy-format field has its legacy form")


def _address_facts(intent: WriteIntent) -> tuple[str | None, str | None] | None:
    """The house number and separate addition the agent gave, or None when it gave none."""
    facts = intent.facts
    if isinstance(facts, HireFacts | RelationFacts):
        if facts.address is None:
            return None
        return facts.address.house_number, facts.address.house_number_addition
    if isinstance(facts, EmployeeUpdateFacts):
        number = facts.changes.get(EmployeeField.HOUSE_NUMBER)
        addition = facts.changes.get(EmployeeField.HOUSE_NUMBER_ADDITION)
        if number is None and addition is None:
            return None
        return (
            None if number is None else str(number),
            None if addition is None else str(addition),
        )
    return None


def _is_numeral(value: object) -> bool:
    if isinstance(value, int) and not isinstance(value, bool):
        return value > 0
    return isinstance(value, str) and value.isdigit() and int(value) > 0


@policy(
    "house_number_split",
    quirk="W8",
    tools=(
        WriteTool.ONBOARD_EMPLOYEE,
        WriteTool.UPDATE_EMPLOYEE,
        WriteTool.CREATE_DEBTOR,
        WriteTool.CREATE_CREDITOR,
    ),
)
def house_number_split(intent: WriteIntent, ctx: PolicyContext) -> Finding:
    """W8: `HmNr` is numeric only and the addition travels in `HmAd` ("12A" -> 12 + "A")."""
    problems = Problems()
    addresses = [e for e in iter_elements(intent.body) if e.object_name in ADDRESS_OBJECTS]
    for address in addresses:
        number = address.get(HOUSE_NUMBER.field_id)
        if number is not None and not _is_numeral(number):
            problems.deny(
                f"{address.location} sends {HOUSE_NUMBER.field_id}={number!r}: AFAS keeps only "
                f"a number there and drops the rest; the addition belongs in "
                f"{HOUSE_NUMBER_ADDITION.field_id}",
                hint=SERVER_BUG_HINT,
            )
    given = _address_facts(intent)
    if given is None:
        return problems.finding("every house number sent is numeric")
    raw_number, separate_addition = given
    expected_number: int | None = None
    expected_addition = separate_addition
    if raw_number is not None:
        try:
            split = split_house_number(raw_number)
        except ValueError as error:
            return deny(
                str(error),
                hint="Pass the house number as written on the address, starting with the "
                "number, e.g. '12A' or '12 bis'.",
            )
        expected_number = split.number
        if split.addition and separate_addition and split.addition != separate_addition:
            problems.deny(
                f"house number {raw_number!r} carries addition {split.addition!r} and "
                f"house_number_addition says {separate_addition!r}",
                hint="Pass the addition once: in the house number or separately.",
            )
        expected_addition = split.addition or separate_addition
    residential = [a for a in addresses if a.object_name == HOUSE_NUMBER.object_name]
    for address in residential:
        number = address.get(HOUSE_NUMBER.field_id)
        addition = address.get(HOUSE_NUMBER_ADDITION.field_id)
        if expected_number is not None and not same_value(number, expected_number):
            problems.deny(
                f"{address.location} sends {HOUSE_NUMBER.field_id}={number!r}, "
                f"expected {expected_number}",
                hint=SERVER_BUG_HINT,
            )
        if (addition or None) != expected_addition:
            problems.deny(
                f"{address.location} sends {HOUSE_NUMBER_ADDITION.field_id}={addition!r}, "
                f"expected {expected_addition!r}",
                hint=SERVER_BUG_HINT,
            )
    return problems.finding("house number and addition are split as AFAS stores them")


def _clearable_paths(intent: WriteIntent) -> frozenset[str]:
    facts = intent.facts
    if isinstance(facts, EmployeeUpdateFacts):
        return frozenset(EMPLOYEE_FIELDS[field].path for field in facts.cleared)
    return frozenset()


@policy("no_empty_values", quirk="W13", tools=None)
def no_empty_values(intent: WriteIntent, ctx: PolicyContext) -> Finding:
    """W13: no field is sent as "" or null, unless the agent asked to clear it in an update."""
    clearable = _clearable_paths(intent)
    empty = [
        f"{element.object_name}.{field_id}"
        for element in iter_elements(intent.body)
        for field_id, value in element.attributes().items()
        if (value is None or (isinstance(value, str) and not value.strip()))
        and not (value == "" and f"{element.object_name}.{field_id}" in clearable)
    ]
    problems = Problems()
    if empty:
        problems.deny(
            f'the payload sends empty values for {listing(empty)}; AFAS stores "" as a value '
            "instead of leaving the field alone",
            hint="Leave fields without a value out. To empty a field on purpose, name it in "
            "cleared (update_employee only). Otherwise: " + SERVER_BUG_HINT,
        )
    return problems.finding("no field is sent empty")
