"""How the write pipeline behaves beyond the policy rules: the `[pipeline]` table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from server.config.source import Source, Var

__all__ = ["PIPELINE_VARS", "PipelineSettings", "parse_pipeline"]

_DUPLICATE_WINDOW = Var("AFAS_MCP_DUPLICATE_WINDOW_MINUTES", "pipeline", "duplicate_window_minutes")
_REQUESTER = Var("AFAS_MCP_REQUESTER", "pipeline", "requester")
_SETTLE_ABSENT = Var(
    "AFAS_MCP_SETTLE_ABSENT_AFTER_SECONDS", "pipeline", "settle_absent_after_seconds"
)
_RECONCILE = Var("AFAS_MCP_RECONCILE_INTERVAL_SECONDS", "pipeline", "reconcile_interval_seconds")
PIPELINE_VARS = (_DUPLICATE_WINDOW, _REQUESTER, _SETTLE_ABSENT, _RECONCILE)


@dataclass(frozen=True)
class PipelineSettings:
    """The write pipeline's settings (`settings.pipeline`)."""

    duplicate_window: timedelta = timedelta(minutes=10)
    """A repeat of the same write (same digest) within this time returns the earlier write."""
    requester: str = "agent"
    """Who asks for writes, before the MCP client's own name (`agent:claude-code`)."""
    settle_absent_after: timedelta = timedelta(seconds=900)
    """W16: AFAS keeps processing a write for up to 900 s after the client gave up, so a write
    whose answer was lost counts as not applied only when a lookup finds nothing this long after."""
    reconcile_interval: timedelta = timedelta(seconds=60)
    """How often the server looks up writes a crash or a lost answer left open."""


def parse_pipeline(source: Source) -> PipelineSettings:
    """The `[pipeline]` section; problems go to `source`, defaults stand in for bad values."""
    raw = source.values("pipeline", PIPELINE_VARS)
    default = PipelineSettings()
    requester = raw.get("requester", default.requester)
    if not isinstance(requester, str) or not requester.strip():
        source.problem(_REQUESTER, "must name who asks for writes, e.g. agent")
        requester = default.requester
    minutes = source.whole_number(
        _DUPLICATE_WINDOW, raw.get(_DUPLICATE_WINDOW.key), default=10, low=0, high=24 * 60
    )
    settle = source.whole_number(
        _SETTLE_ABSENT, raw.get(_SETTLE_ABSENT.key), default=900, low=0, high=86_400
    )
    interval = source.whole_number(
        _RECONCILE, raw.get(_RECONCILE.key), default=60, low=5, high=86_400
    )
    return PipelineSettings(
        duplicate_window=timedelta(minutes=minutes),
        requester=requester.strip(),
        settle_absent_after=timedelta(seconds=settle),
        reconcile_interval=timedelta(seconds=interval),
    )
