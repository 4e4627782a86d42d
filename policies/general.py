"""The intent itself: a known tool, with its facts type, connector, action and body root.

Every other policy trusts these, so this runs first. A mismatch is a server bug (a tool built
the intent wrongly), except `source_confidence`, which the agent passes.
"""

from __future__ import annotations

import math

from policies.afas_fields import RELATION_CONNECTOR, TOOL_TARGETS, root_object_of
from policies.base import SERVER_BUG_HINT, Finding, Problems, deny, listing, policy
from policies.context import PolicyContext
from policies.envelope import root_name
from policies.facts import FACTS_TYPE, RelationFacts, RelationRole, WriteTool
from policies.model import WriteIntent

_ROLE_OF_TOOL = {
    WriteTool.CREATE_DEBTOR: RelationRole.DEBTOR,
    WriteTool.CREATE_CREDITOR: RelationRole.CREDITOR,
}


@policy("intent_matches_tool", quirk=None, tools=None)
def intent_matches_tool(intent: WriteIntent, ctx: PolicyContext) -> Finding:
    """The tool is a known write tool and the intent has its facts, connector, action and root."""
    if intent.tool not in set(WriteTool):
        return deny(
            f"'{intent.tool}' is not a write tool the policies know, so nothing checks it",
            hint=f"Write tools are: {listing(sorted(WriteTool))}. " + SERVER_BUG_HINT,
        )
    tool = WriteTool(intent.tool)
    target = TOOL_TARGETS[tool]
    problems = Problems()
    expected_facts = FACTS_TYPE[tool]
    if not isinstance(intent.facts, expected_facts):
        problems.deny(
            f"{tool} carries {type(intent.facts).__name__} facts, expected "
            f"{expected_facts.__name__}",
            hint=SERVER_BUG_HINT,
        )
    connectors = set(target.connectors)
    if isinstance(intent.facts, RelationFacts):
        connectors &= {RELATION_CONNECTOR[(intent.facts.role, intent.facts.kind)]}
        if _ROLE_OF_TOOL.get(tool) is not intent.facts.role:
            problems.deny(f"{tool} cannot create a {intent.facts.role}", hint=SERVER_BUG_HINT)
    if intent.connector not in connectors:
        problems.deny(
            f"{tool} writes through {listing(sorted(connectors))}, not {intent.connector!r}",
            hint=SERVER_BUG_HINT,
        )
    if intent.action != target.action:
        problems.deny(f"{tool} performs {target.action}, not {intent.action}", hint=SERVER_BUG_HINT)
    if target.action == "update" and not intent.target:
        problems.deny("an update must name the record it hits (target)", hint=SERVER_BUG_HINT)
    root = root_name(intent.body)
    if root != root_object_of(intent.connector):
        problems.deny(
            f"the body's root is {root!r}, {intent.connector} wants "
            f"{root_object_of(intent.connector)!r}",
            hint=SERVER_BUG_HINT,
        )
    confidence = intent.source_confidence
    if confidence is not None and not (math.isfinite(confidence) and 0 <= confidence <= 1):
        problems.deny(
            f"source_confidence {confidence} is not between 0 and 1",
            hint="Pass source_confidence as a number from 0 (a guess) to 1 (certain), or omit it.",
        )
    return problems.finding(f"a well-formed {tool} intent for {intent.connector}")
