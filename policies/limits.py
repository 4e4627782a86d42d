"""How many writes reach AFAS without a person: auto-apply per tool and a write budget per hour.

Both are rule data (`rules.toml`). A tool that may not auto-apply sends every write to review; a
tool over its hourly budget sends the burst to review, and over its hard cap refuses, so an agent
stuck in a loop cannot flood AFAS or the review queue.
"""

from __future__ import annotations

from policies.base import Finding, allow, deny, policy, review
from policies.context import PolicyContext
from policies.lookups import Lookup
from policies.model import WriteIntent


@policy("auto_apply_allowed", quirk=None, tools=None, routine=True)
def auto_apply_allowed(intent: WriteIntent, ctx: PolicyContext) -> Finding:
    """Tools the rules do not let auto-apply always go to a person."""
    if ctx.rules.may_auto_apply(intent.tool):
        return allow(f"{intent.tool} may be applied without a person")
    return review(
        f"the rules send every {intent.tool} write to a person before it reaches AFAS",
        hint="Nothing to change; the write waits for approval (get_write_status shows progress).",
    )


@policy("write_budget", quirk=None, tools=None, needs={Lookup.RECENT_WRITES}, routine=True)
def write_budget(intent: WriteIntent, ctx: PolicyContext) -> Finding:
    """At most `per_hour` writes of a tool per hour; above, review; above `hard_per_hour`, deny."""
    recent = ctx.require(Lookup.RECENT_WRITES, ctx.recent_writes)
    budget = ctx.rules.budget_for(intent.tool)
    count = recent.get(intent.tool, 0) + 1  # this write included
    if count > budget.hard_per_hour:
        return deny(
            f"this would be {intent.tool} write {count} in the last hour; the hard cap is "
            f"{budget.hard_per_hour}",
            hint="Stop and check whether you are repeating the same write; retry in an hour, "
            "or ask an operator to raise the budget.",
        )
    if count > budget.per_hour:
        return review(
            f"this would be {intent.tool} write {count} in the last hour, above the budget of "
            f"{budget.per_hour}",
            hint="Nothing to change; a person checks bursts of writes before they are sent.",
        )
    return allow(f"{intent.tool} write {count} of {budget.per_hour} this hour")
