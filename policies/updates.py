"""Updates send only what changes (W20).

Re-sending a value AFAS already holds can make the update fail (HelloID's connector saw it on
unique fields), and it hides what the agent really changed from the approver. The check compares
every field of every updated element with `PolicyContext.current_values`, read fresh for this
check, so an approval given hours later is judged against what AFAS holds then.

Rows the update inserts (a new salary row from the effective date, `@Action` insert) are new
records: all their fields are sent, changed or not, so they are not compared.
"""

from __future__ import annotations

from policies.afas_fields import IDENTITY_FIELDS
from policies.base import Finding, Problems, deny, facts_of, listing, policy
from policies.context import PolicyContext
from policies.envelope import iter_elements
from policies.facts import EmployeeUpdateFacts, WriteTool
from policies.lookups import Lookup
from policies.model import WriteIntent
from policies.values import same_value


@policy(
    "update_sends_only_changes",
    quirk="W20",
    tools=(WriteTool.UPDATE_EMPLOYEE,),
    needs={Lookup.CURRENT_VALUES},
)
def update_sends_only_changes(intent: WriteIntent, ctx: PolicyContext) -> Finding:
    """W20: no updated field re-sends its current value, and something does change."""
    facts = facts_of(intent, EmployeeUpdateFacts)
    if not facts.changes and not facts.cleared:
        return deny(
            "nothing to change: the update names no fields",
            hint="Pass the fields to change in changes, or the fields to empty in cleared.",
        )
    current = ctx.require(Lookup.CURRENT_VALUES, ctx.current_values)
    unchanged: list[str] = []
    unknown: list[str] = []
    changing = 0
    root = True
    for element in iter_elements(intent.body):
        action = element.action or intent.action
        if action == "insert" and not root:
            changing += 1
        root = False
        if action != "update":
            continue
        for field_id, value in element.fields.items():
            path = f"{element.object_name}.{field_id}"
            if field_id.startswith("@") or path in IDENTITY_FIELDS:
                continue
            if path not in current:
                unknown.append(path)
            elif same_value(value, current[path]):
                unchanged.append(f"{path}={value!r}")
            else:
                changing += 1
    problems = Problems()
    if unchanged:
        problems.deny(
            f"the update re-sends values AFAS already holds: {listing(unchanged)}",
            hint="Drop these fields from the update; send only what changes.",
        )
    if unknown:
        problems.review(
            f"cannot tell whether {listing(unknown)} change: their current values were not read",
            hint="A person will compare them with AFAS before the update is sent.",
        )
    if changing == 0 and not unknown:
        problems.deny(
            "nothing to change: every field already has the requested value",
            hint="Nothing to do; the employee already has these values.",
        )
    return problems.finding(f"the update changes {changing} field(s) and re-sends none")
