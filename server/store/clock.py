"""Time in the store: an injectable clock and one text form for every timestamp.

Timestamps are stored as UTC ISO-8601 with microseconds and a fixed `+00:00` offset, so their
text sorts in time order and SQL can compare them (`expires_at <= ?`) without parsing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def to_text(moment: datetime) -> str:
    """The stored form of an aware datetime.

    Raises:
        ValueError: a naive datetime; guessing its zone is how 14:00 becomes 13:00 or 12:00.
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"timestamps must be timezone-aware, got naive {moment!r}")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def from_text(text: str) -> datetime:
    """The aware UTC datetime a stored timestamp stands for."""
    return datetime.fromisoformat(text).astimezone(UTC)
