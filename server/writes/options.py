"""The write pipeline's view of the settings: what it needs from `[pipeline]` and `[review]`.

Nothing is parsed here: `server.config` reads and checks every value once (`settings.pipeline`,
`settings.review`). This gathers the few the pipeline's wiring uses, so `open_store` and
`build_pipeline` take one small object instead of reaching into two sections.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from server.config import Settings
from server.config.review import DEFAULT_REVIEW_URL, write_page

__all__ = ["DEFAULT_REVIEW_URL", "WriteOptions", "load_write_options"]


@dataclass(frozen=True)
class WriteOptions:
    """How the pipeline behaves beyond the policy rules (defaults as `server.config`'s)."""

    duplicate_window: timedelta = timedelta(minutes=10)
    requester: str = "agent"
    settle_absent_after: timedelta = timedelta(seconds=900)
    reconcile_interval: timedelta = timedelta(seconds=60)
    review_base_url: str = DEFAULT_REVIEW_URL
    approval_ttl: timedelta = timedelta(hours=72)

    def review_url(self, write_id: str) -> str:
        """The review page of one write (the same form `server.review` serves)."""
        return write_page(self.review_base_url, write_id)


def load_write_options(settings: Settings) -> WriteOptions:
    """The pipeline's options, taken from the settings' `pipeline` and `review` sections."""
    pipeline, review = settings.pipeline, settings.review
    return WriteOptions(
        duplicate_window=pipeline.duplicate_window,
        requester=pipeline.requester,
        settle_absent_after=pipeline.settle_absent_after,
        reconcile_interval=pipeline.reconcile_interval,
        review_base_url=review.base_url,
        approval_ttl=review.approval_ttl,
    )
