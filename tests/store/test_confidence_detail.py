"""The factors behind a write's confidence are kept with it, so people can see why it was held."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from store_helpers import ALLOW, REVIEW, make_intent

from policies import Confidence, ConfidenceFactor
from server.store import AuditStep, StoredConfidence, WriteStatus, WriteStore

CONFIDENCE = Confidence(
    score=0.35,
    threshold=0.8,
    factors=(
        ConfidenceFactor("source", 0.7, "the agent's certainty about its input"),
        ConfidenceFactor("reviews", 0.5, "1 policy verdict(s) asked for review: salary_threshold"),
    ),
)


def test_the_confidence_factors_are_stored_with_the_write_and_its_audit_row(
    store: WriteStore,
) -> None:
    detail = StoredConfidence.of(CONFIDENCE)
    record = store.record(
        make_intent(),
        verdicts=[REVIEW],
        confidence=CONFIDENCE.score,
        confidence_detail=detail,
        status=WriteStatus.PENDING_REVIEW,
    )
    again = store.get(record.id)
    assert again.confidence_detail == detail
    assert [f.name for f in detail.factors] == ["source", "reviews"]
    assert detail.below_threshold
    assert detail.explanation == CONFIDENCE.explain()
    (recorded,) = store.audit_trail(record.id)
    assert recorded.step is AuditStep.RECORDED
    assert recorded.detail["confidence_detail"]["threshold"] == 0.8


def test_factors_that_explain_another_score_are_refused(store: WriteStore) -> None:
    with pytest.raises(ValueError, match="explains another score"):
        store.record(
            make_intent(),
            verdicts=[ALLOW],
            confidence=0.9,
            confidence_detail=StoredConfidence.of(CONFIDENCE),
        )
    assert store.list_writes() == []


def test_a_write_recorded_without_factors_reads_back_without_them(store: WriteStore) -> None:
    record = store.record(make_intent(), verdicts=[ALLOW], confidence=0.9)
    assert store.get(record.id).confidence_detail is None


def test_the_factors_migration_is_idempotent_and_keeps_older_writes(db_path: Path) -> None:
    with WriteStore(db_path) as store:
        older = store.record(make_intent(), verdicts=[ALLOW], confidence=0.9)
    conn = sqlite3.connect(db_path)
    with conn:  # as if m003 had not run, while its column is already there
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm003_confidence_factors'")
    conn.close()
    with WriteStore(db_path) as store:
        assert store.get(older.id).confidence_detail is None
        assert store.get(older.id).confidence == 0.9
