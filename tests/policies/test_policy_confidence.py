from __future__ import annotations

import dataclasses
import itertools
import math

import pytest

from policies.confidence import score_confidence
from policies.context import Ambiguity
from policies.lookups import Lookup
from policies.model import Outcome, Verdict, WriteIntent
from policies.testing import hire_intent, hours_intent, tenant_context

HOURS = hours_intent()
ALLOW = Verdict("fine", Outcome.ALLOW, "ok")
DOUBT = Verdict("person_matching", Outcome.REVIEW, "possible duplicate", "h", "W4")
ROUTINE = Verdict("auto_apply_allowed", Outcome.REVIEW, "always reviewed", "h")
DENIED = Verdict("employer_exists", Outcome.DENY, "no employer", "h", "W1")
AMBIGUITY = Ambiguity(Lookup.PERSON_MATCHES, "two persons named Jan Jansen born 1985-12-15")


def score(
    source: float | None = None,
    verdicts: tuple[Verdict, ...] = (ALLOW,),
    ambiguities: int = 0,
    *,
    tool_intent: WriteIntent = HOURS,
) -> float:
    intent = dataclasses.replace(tool_intent, source_confidence=source)
    ctx = tenant_context(ambiguities=(AMBIGUITY,) * ambiguities)
    return score_confidence(intent, verdicts, ctx, routine={"auto_apply_allowed"}).score


@pytest.mark.parametrize(
    ("source", "verdicts", "ambiguities", "expected"),
    [
        (None, (ALLOW,), 0, 1.0),
        (0.7, (ALLOW,), 0, 0.7),
        (1.5, (ALLOW,), 0, 1.0),
        (-0.2, (ALLOW,), 0, 0.0),
        (math.nan, (ALLOW,), 0, 0.0),
        (None, (ALLOW, DOUBT), 0, 0.5),
        (None, (DOUBT, DOUBT), 0, 0.25),
        (None, (ROUTINE,), 0, 1.0),
        (None, (ALLOW,), 1, 0.7),
        (0.9, (DOUBT,), 1, 0.9 * 0.5 * 0.7),
        (1.0, (ALLOW, DENIED), 0, 0.0),
    ],
    ids=[
        "no source confidence and no doubts is certain",
        "the agent's own certainty is the start",
        "a source confidence above 1 counts as 1",
        "a negative source confidence counts as 0",
        "a source confidence that is not a number counts as 0",
        "a review verdict halves the score",
        "each review verdict halves it again",
        "a routine review does not lower it",
        "an ambiguity multiplies it by 0.7",
        "the factors multiply",
        "any deny makes it 0",
    ],
)
def test_the_score_multiplies_its_factors(
    source: float | None, verdicts: tuple[Verdict, ...], ambiguities: int, expected: float
) -> None:
    assert score(source, verdicts, ambiguities) == pytest.approx(expected)


SOURCES = (None, 0.0, 0.3, 0.8, 1.0)
VERDICT_SETS = ((ALLOW,), (DOUBT,), (DOUBT, DOUBT), (ROUTINE, DOUBT))


@pytest.mark.parametrize(
    ("verdicts", "ambiguities"),
    list(itertools.product(VERDICT_SETS, (0, 1, 2))),
    ids=lambda value: str(value) if isinstance(value, int) else f"{len(value)} verdicts",
)
def test_the_score_is_monotone(verdicts: tuple[Verdict, ...], ambiguities: int) -> None:
    ordered = [score(source, verdicts, ambiguities) for source in (0.0, 0.3, 0.8, 1.0)]
    assert ordered == sorted(ordered), "a higher source confidence never lowers the score"
    base = score(0.8, verdicts, ambiguities)
    assert score(0.8, (*verdicts, DOUBT), ambiguities) <= base, "a review never raises it"
    assert score(0.8, verdicts, ambiguities + 1) <= base, "an ambiguity never raises it"
    assert score(0.8, (*verdicts, DENIED), ambiguities) == 0.0
    assert 0.0 <= base <= 1.0


def test_the_threshold_is_the_tools_and_the_factors_explain_the_score() -> None:
    intent = dataclasses.replace(hire_intent(), source_confidence=0.7)
    confidence = score_confidence(
        intent, (DOUBT,), tenant_context(ambiguities=(AMBIGUITY,)), routine=()
    )
    assert confidence.threshold == 0.9
    assert confidence.below_threshold
    assert [f.name for f in confidence.factors] == ["source", "reviews", "ambiguities"]
    assert confidence.explain() == (
        "0.24 < 0.90: source 0.70 (the agent's certainty about its input) x reviews 0.50 "
        "(1 policy verdict(s) asked for review: person_matching) x ambiguities 0.70 "
        "(two persons named Jan Jansen born 1985-12-15)"
    )


def test_a_certain_write_is_at_or_above_the_threshold() -> None:
    confidence = score_confidence(HOURS, (ALLOW,), tenant_context())
    assert not confidence.below_threshold
    assert confidence.explain() == "1.00 >= 0.80: source 1.00 (the agent gave no source_confidence)"


def test_a_denial_is_named_in_the_factors() -> None:
    confidence = score_confidence(HOURS, (DENIED,), tenant_context())
    assert confidence.factors[-1].explanation == "denied by employer_exists"
