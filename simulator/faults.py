"""Fault injection per route: latency, 500, 503, hangs and dropped connections.

Rules match a method (or `*`) and a path pattern relative to `/ProfitRestServices`
(`fnmatch` style, case-insensitive: `/connectors/KnEmployee*`). `times` limits a rule to the next
N matching requests. Kinds:

- `latency`: wait `seconds`, then answer normally.
- `error_500`: an AFAS 500 body (`message`, default "An unexpected error has occurred.").
- `error_503`: 503 with `retry_after`.
- `hang`: answer nothing until the client gives up (or `seconds`, default Settings.hang_seconds).
- `drop`: close the connection without an answer, before anything is applied.
- `drop_after_apply`, `hang_after_apply`: let the handler apply its change, then drop or hang.
  Write handlers call `Simulator.after_apply(...)` at the point where the change is stored.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Literal, get_args

FaultKind = Literal[
    "latency", "error_500", "error_503", "hang", "drop", "drop_after_apply", "hang_after_apply"
]
AFTER_APPLY: frozenset[FaultKind] = frozenset({"drop_after_apply", "hang_after_apply"})


@dataclass
class FaultRule:
    """One injected fault; `hits` counts the requests it acted on."""

    method: str
    path: str
    kind: FaultKind
    seconds: float | None = None
    times: int | None = None
    message: str | None = None
    retry_after: int = 30
    hits: int = 0

    def matches(self, method: str, path: str) -> bool:
        if self.times is not None and self.hits >= self.times:
            return False
        if self.method != "*" and self.method.upper() != method.upper():
            return False
        return fnmatchcase(path.lower(), self.path.lower())


class Faults:
    """The active fault rules, first match wins per phase."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: list[FaultRule] = []

    def add(
        self,
        method: str,
        path: str,
        kind: FaultKind,
        *,
        seconds: float | None = None,
        times: int | None = None,
        message: str | None = None,
        retry_after: int = 30,
    ) -> FaultRule:
        """Add a rule; `path` is relative to /ProfitRestServices, e.g. `/connectors/Profit_*`."""
        if kind not in get_args(FaultKind):
            raise ValueError(f"unknown fault kind {kind!r}")
        rule = FaultRule(method, path, kind, seconds, times, message, retry_after)
        with self._lock:
            self._rules.append(rule)
        return rule

    @property
    def rules(self) -> list[FaultRule]:
        with self._lock:
            return list(self._rules)

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def take(self, method: str, path: str, *, after_apply: bool) -> FaultRule | None:
        """The first rule of the phase that matches, counted as a hit."""
        with self._lock:
            for rule in self._rules:
                if (rule.kind in AFTER_APPLY) == after_apply and rule.matches(method, path):
                    rule.hits += 1
                    return rule
        return None
