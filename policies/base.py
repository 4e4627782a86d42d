"""What a policy is: a named pure check with the quirk it guards, its tools and its lookups.

A check is a plain function `(intent, ctx) -> Finding`; the `@policy(...)` decorator wraps it in a
`Policy`, which is itself callable as `(intent, ctx) -> Verdict` and carries what the registry
needs: the name, the quirk id, the tools it applies to and the lookups it reads::

    @policy("employer_exists", quirk="W1", tools={WriteTool.ONBOARD_EMPLOYEE},
            needs={Lookup.EMPLOYERS})
    def employer_exists(intent: WriteIntent, ctx: PolicyContext) -> Finding:
        ...
        return deny("employer '07' does not exist", hint="call list_employers and pass one of: 01")

A check that needs a lookup the context does not hold gets a DENY verdict naming the lookup; any
other exception propagates here and is turned into a DENY by `policies.registry.check_all`, so
a unit test of one policy sees its real bugs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from policies.context import LookupUnavailable, PolicyContext
from policies.facts import WriteTool
from policies.lookups import Lookup
from policies.model import Outcome, Verdict, WriteIntent

F = TypeVar("F")

# For payload problems the agent's input cannot cause: the payload builder must be fixed.
SERVER_BUG_HINT = (
    "The server built this payload wrongly; your input cannot fix it. Report it to the operator."
)


class FactsMismatch(TypeError):
    """The intent carries another facts type than its tool records (a tool bug)."""


def facts_of(intent: WriteIntent, facts_type: type[F]) -> F:
    """The intent's facts, checked to be of the type the policy reads.

    Raises:
        FactsMismatch: the facts are of another type.
    """
    if not isinstance(intent.facts, facts_type):
        raise FactsMismatch(
            f"{intent.tool} carries {type(intent.facts).__name__}, expected {facts_type.__name__}"
        )
    return intent.facts


@dataclass(frozen=True)
class Finding:
    """What a check found, before the registry names the policy that found it."""

    outcome: Outcome
    reason: str
    hint: str | None = None
    quirk: str | None = None
    """Overrides the policy's own quirk id when one check guards several."""


def allow(reason: str) -> Finding:
    """The write passes this check."""
    return Finding(Outcome.ALLOW, reason)


def review(reason: str, *, hint: str) -> Finding:
    """A person must look at the write before it reaches AFAS."""
    return Finding(Outcome.REVIEW, reason, hint)


def deny(reason: str, *, hint: str) -> Finding:
    """The write must not reach AFAS as it is; the hint says what to change."""
    return Finding(Outcome.DENY, reason, hint)


@dataclass
class Problems:
    """Collects every problem one check finds, so one verdict names them all."""

    found: list[Finding] = field(default_factory=list)

    def deny(self, reason: str, *, hint: str) -> None:
        """Record a problem that refuses the write."""
        self.found.append(deny(reason, hint=hint))

    def review(self, reason: str, *, hint: str) -> None:
        """Record a problem a person must look at."""
        self.found.append(review(reason, hint=hint))

    def finding(self, ok_reason: str) -> Finding:
        """One finding: ALLOW with `ok_reason` when nothing was found, else the strictest."""
        if not self.found:
            return allow(ok_reason)
        ordered = sorted(self.found, key=lambda item: item.outcome, reverse=True)
        return Finding(
            outcome=ordered[0].outcome,
            reason="; ".join(item.reason for item in ordered),
            hint=" ".join(item.hint for item in ordered if item.hint),
        )


Check = Callable[[WriteIntent, PolicyContext], Finding]


@dataclass(frozen=True)
class Policy:
    """One registered check; calling it gives the verdict on one intent."""

    name: str
    check: Check
    quirk: str | None
    tools: frozenset[WriteTool] | None
    """The tools it judges; None means every write."""
    needs: frozenset[Lookup]
    """The lookups it may read, so the context builder fetches them."""
    routine: bool = False
    """Its REVIEW is a standing rule (always review this tool), not a doubt about the data, so
    it does not lower the confidence score."""

    def applies_to(self, tool: str) -> bool:
        """Whether this policy judges writes of `tool`."""
        return self.tools is None or tool in self.tools

    def __call__(self, intent: WriteIntent, ctx: PolicyContext) -> Verdict:
        try:
            found = self.check(intent, ctx)
        except LookupUnavailable as missing:
            found = deny(
                f"cannot check: the {missing.lookup} lookup is unavailable ({missing.reason})",
                hint="Nothing is wrong with your input; retry in a few minutes. If it persists, "
                "an administrator must check the AFAS connector for this lookup.",
            )
        return Verdict(
            policy=self.name,
            outcome=found.outcome,
            reason=found.reason,
            hint=found.hint,
            quirk=found.quirk or self.quirk,
        )


def policy(
    name: str,
    *,
    quirk: str | None,
    tools: Iterable[WriteTool] | None,
    needs: Iterable[Lookup] = (),
    routine: bool = False,
) -> Callable[[Check], Policy]:
    """Register a check function as a `Policy` (see the module docstring)."""

    def wrap(check: Check) -> Policy:
        return Policy(
            name=name,
            check=check,
            quirk=quirk,
            tools=None if tools is None else frozenset(tools),
            needs=frozenset(needs),
            routine=routine,
        )

    return wrap


def listing(values: Iterable[object], *, limit: int = 12) -> str:
    """A short comma-separated list for reasons and hints ("01, 02, 03 and 9 more")."""
    items = [str(value) for value in values]
    if not items:
        return "(none)"
    shown = ", ".join(items[:limit])
    return shown if len(items) <= limit else f"{shown} and {len(items) - limit} more"
