"""The write intent and the verdicts policies give on it.

A `WriteIntent` is everything the server knows about one write before it is sent: the exact AFAS
payload (`body`), the plain-terms facts the tool resolved (`facts`), who asked, and how sure the
agent was of its own input. Policies judge it; the ledger stores it under its digest; an
approval is bound to that digest.
"""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Action = Literal["insert", "update", "delete"]


class Outcome(enum.IntEnum):
    """A policy's decision, ordered by strictness so the strictest wins with `max()`."""

    ALLOW = 0
    REVIEW = 1
    DENY = 2


@dataclass(frozen=True)
class Verdict:
    """One policy's judgement: a reason a person can read and a hint an agent can act on."""

    policy: str
    outcome: Outcome
    reason: str
    hint: str | None = None
    quirk: str | None = None  # the quirks.md id this verdict guards against, e.g. "W2"


@dataclass(frozen=True)
class WriteIntent:
    """One write the agent asked for, complete and not yet sent."""

    tool: str
    connector: str
    action: Action
    body: Mapping[str, Any]
    facts: Any  # a frozen facts dataclass per tool (see policies.facts)
    requester: str
    source_confidence: float | None = None
    target: Mapping[str, str] = field(default_factory=dict)  # key of the record an update hits

    @property
    def digest(self) -> str:
        """Stable hash of what would reach AFAS; an approval is valid for this digest only."""
        canonical = json.dumps(
            {
                "tool": self.tool,
                "connector": self.connector,
                "action": self.action,
                "target": dict(self.target),
                "body": self.body,
            },
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
            default=str,
        )
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
