"""The write pipeline's settings, until `server.config` has a home for them.

They are read the way `server.config` reads everything: an environment variable wins over the
TOML file named by `AFAS_MCP_CONFIG` (its tables arrive in `Settings.tables`). The review page's
own table gives the two values both sides must agree on (where the page is, how long a held write
waits); the rest is the `[pipeline]` table::

    [pipeline]
    duplicate_window_minutes = 10      # [AFAS_MCP_DUPLICATE_WINDOW_MINUTES] repeat -> earlier write
    requester = "agent"                # [AFAS_MCP_REQUESTER] who asks, beside the client's name
    settle_absent_after_seconds = 900  # [AFAS_MCP_SETTLE_ABSENT_AFTER_SECONDS] W16, AFAS's limit
    reconcile_interval_seconds = 60    # [AFAS_MCP_RECONCILE_INTERVAL_SECONDS] in the background

    [review]
    url = "http://127.0.0.1:8766/review"  # [AFAS_MCP_REVIEW_URL] links in pending results
    ttl_hours = 72                     # [AFAS_MCP_REVIEW_TTL_HOURS] a held write expires then
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import quote

from server.config import ConfigError, Settings

__all__ = ["DEFAULT_REVIEW_URL", "WriteOptions", "load_write_options"]

DEFAULT_REVIEW_URL = "http://127.0.0.1:8766/review"


@dataclass(frozen=True)
class WriteOptions:
    """How the pipeline behaves beyond the policy rules."""

    duplicate_window: timedelta = timedelta(minutes=10)
    requester: str = "agent"
    settle_absent_after: timedelta = timedelta(seconds=900)
    """W16: AFAS keeps processing a write for up to 900 s after the client gave up, so a write
    whose answer was lost counts as not applied only when a lookup finds nothing this long after."""
    reconcile_interval: timedelta = timedelta(seconds=60)
    review_base_url: str = DEFAULT_REVIEW_URL
    approval_ttl: timedelta = timedelta(hours=72)

    def review_url(self, write_id: str) -> str:
        """The review page of one write (the same form `server.review` serves)."""
        return f"{self.review_base_url.rstrip('/')}/writes/{quote(write_id, safe='')}"


# (table, key, environment variable, lowest, highest)
_NUMBERS = {
    "duplicate_window_minutes": ("pipeline", "AFAS_MCP_DUPLICATE_WINDOW_MINUTES", 0, 24 * 60),
    "settle_absent_after_seconds": ("pipeline", "AFAS_MCP_SETTLE_ABSENT_AFTER_SECONDS", 0, 86_400),
    "reconcile_interval_seconds": ("pipeline", "AFAS_MCP_RECONCILE_INTERVAL_SECONDS", 5, 86_400),
    "ttl_hours": ("review", "AFAS_MCP_REVIEW_TTL_HOURS", 1, 24 * 90),
}


def load_write_options(
    settings: Settings, environ: Mapping[str, str] | None = None
) -> WriteOptions:
    """Read the pipeline's settings from `environ` (default `os.environ`) and `settings.tables`.

    Raises:
        ConfigError: a value out of range or of the wrong kind; every problem at once.
    """
    env = os.environ if environ is None else environ
    problems: list[str] = []
    default = WriteOptions()

    def value(table: str, key: str, var: str) -> Any:
        raw = env.get(var, "").strip()
        if raw:
            return raw
        section = settings.tables.get(table, {})
        return section.get(key) if isinstance(section, dict) else None

    numbers: dict[str, int | None] = {}
    for key, (table, var, low, high) in _NUMBERS.items():
        raw = value(table, key, var)
        try:
            number = None if raw is None else int(str(raw))
        except ValueError:
            number = -1
        if number is not None and not low <= number <= high:
            problems.append(f"{var}: must be a whole number from {low} to {high}")
            number = None
        numbers[key] = number
    requester = str(value("pipeline", "requester", "AFAS_MCP_REQUESTER") or default.requester)
    url = str(value("review", "url", "AFAS_MCP_REVIEW_URL") or default.review_base_url).strip()
    if not url.startswith(("http://", "https://")):
        problems.append("AFAS_MCP_REVIEW_URL: must be an http(s) URL, e.g. " + DEFAULT_REVIEW_URL)
    if not requester.strip():
        problems.append("AFAS_MCP_REQUESTER: must name who asks for writes, e.g. agent")
    if problems:
        raise ConfigError(problems)

    def span(key: str, unit: str, fallback: timedelta) -> timedelta:
        number = numbers[key]
        return fallback if number is None else timedelta(**{unit: number})

    return WriteOptions(
        duplicate_window=span("duplicate_window_minutes", "minutes", default.duplicate_window),
        requester=requester.strip(),
        settle_absent_after=span(
            "settle_absent_after_seconds", "seconds", default.settle_absent_after
        ),
        reconcile_interval=span(
            "reconcile_interval_seconds", "seconds", default.reconcile_interval
        ),
        review_base_url=url.rstrip("/"),
        approval_ttl=span("ttl_hours", "hours", default.approval_ttl),
    )
