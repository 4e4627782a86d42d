"""Pure write checks: (intent, context) -> verdict, run together by `check_all`.

The pipeline builds a `WriteIntent` (payload + facts), asks `required_lookups(intent)` which
lookups to load into a `PolicyContext`, and calls `check_all(intent, ctx)`; the `PolicyReport`'s
`decision` says allow, review or deny. Payload builders use `policies.afas_fields` (field ids),
`policies.envelope` (reading bodies) and `policies.values` (value forms).
"""

from policies.base import Finding, Policy
from policies.confidence import Confidence, ConfidenceFactor
from policies.context import LookupUnavailable, PolicyContext
from policies.lookups import Lookup
from policies.model import Outcome, Verdict, WriteIntent
from policies.registry import POLICIES, PolicyReport, check_all, required_lookups
from policies.rules import PolicyRules, RulesError, load_rules, packaged_rules

__all__ = [
    "POLICIES",
    "Confidence",
    "ConfidenceFactor",
    "Finding",
    "Lookup",
    "LookupUnavailable",
    "Outcome",
    "Policy",
    "PolicyContext",
    "PolicyReport",
    "PolicyRules",
    "RulesError",
    "Verdict",
    "WriteIntent",
    "check_all",
    "load_rules",
    "packaged_rules",
    "required_lookups",
]
