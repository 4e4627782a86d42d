"""How sure the server is that a write is right: a score in [0, 1] with the factors behind it.

    score = source x review_factor ** reviews x ambiguity_factor ** ambiguities   (0 if denied)

- `source` is the agent's own `source_confidence` (1.0 when it gave none: it reported no doubt),
  clamped to [0, 1];
- `reviews` counts REVIEW verdicts that express doubt about the data (a possible duplicate, an
  unverifiable field); routine reviews (this tool always needs a person, the hourly budget, a
  large amount) hold the write without doubting it, so they do not count;
- `ambiguities` counts what the context builder could not settle (two persons matched);
  both factors come from the rules file;
- any DENY makes the score 0.

The score is monotone: it never rises when the source confidence falls or when a review or an
ambiguity is added. Below the rules' threshold for the tool, an otherwise allowed write goes to
review instead of AFAS. Lookups that failed do not lower it: the policies that need them already
refuse.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from policies.context import PolicyContext
from policies.model import Outcome, Verdict, WriteIntent


@dataclass(frozen=True)
class ConfidenceFactor:
    """One multiplier in the score, and why it has its value."""

    name: str
    value: float
    explanation: str


@dataclass(frozen=True)
class Confidence:
    """The score, the threshold it is held against, and the factors that make it."""

    score: float
    threshold: float
    factors: tuple[ConfidenceFactor, ...]

    @property
    def below_threshold(self) -> bool:
        """Whether the write must go to review on confidence alone."""
        return self.score < self.threshold

    def explain(self) -> str:
        """One line for approvers: "0.35 < 0.90: source 0.70 (...) x reviews 0.50 (...)"."""
        relation = "<" if self.below_threshold else ">="
        parts = " x ".join(f"{f.name} {f.value:.2f} ({f.explanation})" for f in self.factors)
        return f"{self.score:.2f} {relation} {self.threshold:.2f}: {parts}"


def _source_factor(source_confidence: float | None) -> ConfidenceFactor:
    if source_confidence is None:
        return ConfidenceFactor("source", 1.0, "the agent gave no source_confidence")
    if math.isnan(source_confidence):
        return ConfidenceFactor("source", 0.0, "the agent's source_confidence is not a number")
    value = min(1.0, max(0.0, source_confidence))
    return ConfidenceFactor("source", value, "the agent's certainty about its input")


def score_confidence(
    intent: WriteIntent,
    verdicts: Sequence[Verdict],
    ctx: PolicyContext,
    *,
    routine: Collection[str] = frozenset(),
) -> Confidence:
    """Score one write from its verdicts, the context's ambiguities and the agent's certainty.

    `routine` names the policies whose REVIEW verdicts do not lower the score.
    """
    rules = ctx.rules.confidence
    factors = [_source_factor(intent.source_confidence)]
    reviews = [
        v.policy for v in verdicts if v.outcome is Outcome.REVIEW and v.policy not in routine
    ]
    if reviews:
        factors.append(
            ConfidenceFactor(
                "reviews",
                rules.review_factor ** len(reviews),
                f"{len(reviews)} policy verdict(s) asked for review: {', '.join(reviews)}",
            )
        )
    if ctx.ambiguities:
        factors.append(
            ConfidenceFactor(
                "ambiguities",
                rules.ambiguity_factor ** len(ctx.ambiguities),
                "; ".join(a.description for a in ctx.ambiguities),
            )
        )
    denials = [v.policy for v in verdicts if v.outcome is Outcome.DENY]
    if denials:
        factors.append(ConfidenceFactor("denied", 0.0, f"denied by {', '.join(denials)}"))
    score = math.prod(f.value for f in factors)
    return Confidence(
        score=score, threshold=ctx.rules.threshold_for(intent.tool), factors=tuple(factors)
    )
