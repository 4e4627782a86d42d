"""The seam between the approvers' surfaces and the write pipeline.

The CLI and the web page decide nothing about AFAS themselves: they authenticate a person, show
the write, and call one of these three methods with that person's name. The pipeline does the
rest (approve in the store, re-run the policies, send, read back, diff). It is being built in
`server.pipeline`, which must export `review_actions(settings, *, store) -> ReviewActions`;
`build_review_actions` is the one place that wires it, so both surfaces get the same thing.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from server.store import WriteStatus

if TYPE_CHECKING:
    from server.config import Settings
    from server.store import WriteStore

PIPELINE_MODULE = "server.pipeline"
PIPELINE_FACTORY = "review_actions"


class ReviewResult(BaseModel):
    """What one human decision led to, as the approver is told."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    write_id: str
    status: WriteStatus = Field(description="The write's state after the action.")
    message: str = Field(description="One sentence for the approver: what happened.")
    afas_error: str | None = Field(
        default=None, description="AFAS's message when sending failed (status failed/unknown)."
    )
    log_reference: str | None = Field(
        default=None, description="AFAS's profitLogReference for that failure, for support."
    )
    read_back: Literal["match", "drift", "unverifiable"] | None = Field(
        default=None, description="What reading the record back showed, once it was sent."
    )


class ReviewActions(Protocol):
    """The three human decisions, carried out by the pipeline.

    Each raises the store's errors when the decision itself is refused, and the surfaces show
    them as they are: `WriteNotFound`, `IllegalTransition` (someone decided first),
    `SelfApprovalRefused`, `DigestMismatch`, `ApprovalExpired`, `ConnectorBusy` (another insert
    into the connector is being sent). An approval also raises `AfasError` when AFAS cannot be
    reached or refuses the server before anything is approved. A write that was approved but
    then denied on the policy recheck, refused by AFAS or lost in transit is not an error of
    the decision: it comes back as a `ReviewResult` with that status and AFAS's message.
    """

    async def approve(
        self, write_id: str, *, approver: str, digest: str | None = None
    ) -> ReviewResult:
        """Approve a held write as `approver`, then re-check, send, read back and diff it.

        `digest` is the payload's digest as the person was shown it: the approval is bound to
        it, and refused (`DigestMismatch`) when the write holds another payload. The CLI and
        the page always pass it; None binds to the payload stored now, for a caller that
        showed the person no payload.
        """
        ...

    async def reject(self, write_id: str, *, approver: str, reason: str) -> ReviewResult:
        """Reject a held write with a reason the agent will see; nothing is sent."""
        ...

    async def resolve_drift(
        self, write_id: str, *, resolver: str, resolution: str, note: str
    ) -> ReviewResult:
        """Record how a person settled a drift: `acknowledged` or `corrected`, with a note."""
        ...


class ReviewActionsUnavailable(RuntimeError):
    """The write pipeline cannot be reached, so no decision can be carried out."""


def build_review_actions(settings: Settings, *, store: WriteStore | None = None) -> ReviewActions:
    """The pipeline's `ReviewActions` for these settings (sharing `store` when given).

    Imported only when an action runs, so `review list` and `show` work without it.

    Raises:
        ReviewActionsUnavailable: `server.pipeline` does not exist (yet) or lacks the factory.
    """
    try:
        module = importlib.import_module(PIPELINE_MODULE)
    except ModuleNotFoundError as exc:
        if exc.name != PIPELINE_MODULE:
            raise  # the pipeline exists but one of its own imports is missing: a real bug
        raise ReviewActionsUnavailable(
            f"decisions cannot be carried out: the write pipeline ({PIPELINE_MODULE}) is not part "
            "of this installation yet, so nothing can be approved, rejected or resolved; "
            "`review list` and `review show` still work"
        ) from None
    factory = getattr(module, PIPELINE_FACTORY, None)
    if factory is None:
        raise ReviewActionsUnavailable(
            f"decisions cannot be carried out: {PIPELINE_MODULE} has no {PIPELINE_FACTORY}() "
            "to build the review actions"
        )
    actions: ReviewActions = factory(settings, store=store)
    return actions


def pipeline_actions(store: WriteStore) -> ReviewActions:
    """`build_review_actions` with the product settings from the environment and config file.

    Raises:
        ReviewActionsUnavailable: the configuration is invalid, or the pipeline is missing.
    """
    from server.config import ConfigError, load_settings

    try:
        settings = load_settings()
    except ConfigError as exc:
        raise ReviewActionsUnavailable(
            f"decisions are carried out by the write pipeline, which needs the AFAS "
            f"configuration: {exc}"
        ) from None
    return build_review_actions(settings, store=store)
