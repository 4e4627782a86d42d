"""Fast draws from a seeded stream.

`random.Random.randint` and `choice` go through Python-level rejection sampling; on a
100,000-employee tenant they were most of the generation time. These use one C-level
`random()` call each, which is plenty uniform for test data.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def between(rng: random.Random, low: int, high: int) -> int:
    """An integer in [low, high], both ends included."""
    return low + int(rng.random() * (high - low + 1))


def one_of(rng: random.Random, options: Sequence[T]) -> T:
    """One element of a non-empty sequence."""
    return options[int(rng.random() * len(options))]
