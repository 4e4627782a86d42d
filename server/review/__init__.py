"""The approvers' surfaces: the `afas-mcp review` CLI and the review web page.

An agent asks for a write; policies hold the doubtful ones in the store's review queue; a person
decides here. Both surfaces show the same `ReviewItem` (what the agent asked in plain terms, why
it is held, the exact payload, the read-back and the audit trail) and carry out decisions
through the same `ReviewActions` seam to the write pipeline. Neither lets an agent decide: the
CLI wants a configured approver's secret typed at a terminal, the page a signed-in approver.

Modules: `cli` (the command), `web` (the Starlette app and `serve`), `pages` and `markup` (HTML,
escaped by default), `textview` (terminal text), `item` and `summary` (what is shown), `session`
and `passwords` (authentication), `terminal` (the CLI's human check), `actions` (the seam),
`messages` (what a refusal says). Their configuration is `server.config.ReviewSettings`
(`settings.review`).
"""

from __future__ import annotations

from server.review.actions import (
    ReviewActions,
    ReviewActionsUnavailable,
    ReviewResult,
    build_review_actions,
)

__all__ = [
    "ReviewActions",
    "ReviewActionsUnavailable",
    "ReviewResult",
    "build_review_actions",
]
