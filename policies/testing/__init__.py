"""Builders for tests in any package: a sample tenant, facts, reference payloads and intents.

Nothing here talks to AFAS or reads files besides the packaged rules. Every intent as built
passes every check (hires, updates and creditors still get the routine `auto_apply_allowed`
REVIEW the packaged rules give those tools); tests change one thing (`dataclasses.replace`,
`with_field`, `without_object`) and assert on the verdict that changes. An update needs
`tenant_context(current_values=current_values_for(facts))`.
"""

from policies.testing.intents import (
    activity_facts,
    activity_intent,
    current_values_for,
    hire_facts,
    hire_intent,
    hours_facts,
    hours_intent,
    journal_facts,
    journal_intent,
    leave_facts,
    leave_intent,
    person_relation_facts,
    relation_facts,
    relation_intent,
    update_facts,
    update_intent,
    with_field,
    without_field,
    without_object,
)
from policies.testing.payloads import (
    activity_body,
    hire_body,
    hours_body,
    journal_body,
    leave_body,
    relation_body,
    update_body,
)
from policies.testing.tenant import TODAY, tenant_context

__all__ = [
    "TODAY",
    "activity_body",
    "activity_facts",
    "activity_intent",
    "current_values_for",
    "hire_body",
    "hire_facts",
    "hire_intent",
    "hours_body",
    "hours_facts",
    "hours_intent",
    "journal_body",
    "journal_facts",
    "journal_intent",
    "leave_body",
    "leave_facts",
    "leave_intent",
    "person_relation_facts",
    "relation_body",
    "relation_facts",
    "relation_intent",
    "tenant_context",
    "update_body",
    "update_facts",
    "update_intent",
    "with_field",
    "without_field",
    "without_object",
]
