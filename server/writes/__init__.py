"""The guarded write path: what a write tool hands the pipeline, and what it gets back."""

from __future__ import annotations

from server.writes.kinds import Expectation, WriteKind
from server.writes.result import AfasErrorReport, WriteResult

__all__ = ["AfasErrorReport", "Expectation", "WriteKind", "WriteResult"]
