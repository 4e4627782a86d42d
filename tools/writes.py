"""The `writes` toolset: where a guarded write stands. Read-only; there is no approve tool.

An agent gets a `write_id` from every write tool (and from a policy refusal). A write may wait
for a person, be sent later by an approver, be looked up after a lost answer, or be read back
differently than sent; `get_write_status` says which, in one sentence the agent can relay.
Approving, rejecting and resolving are a person's acts (the review CLI and page), never a tool's.
"""

from __future__ import annotations

from pydantic import Field

from server.outcomes import UnknownRecord
from server.store import WriteNotFound
from server.write_status import WriteStatusReport, write_status
from tools.base import ToolInput, ToolSpec
from tools.deps import ToolDeps

__all__ = ["TOOLS", "GetWriteStatusInput", "get_write_status"]


class GetWriteStatusInput(ToolInput):
    """Arguments of `get_write_status`."""

    write_id: str = Field(
        description="The write_id a write tool returned (or a refusal named), e.g. "
        "'w_abcdefghijklmnop'.",
        min_length=1,
        max_length=64,
    )


async def get_write_status(deps: ToolDeps, args: GetWriteStatusInput) -> WriteStatusReport:
    """Where one write stands."""
    try:
        return write_status(deps.write_store(), args.write_id)
    except WriteNotFound:
        raise UnknownRecord(
            "write",
            args.write_id,
            where="in this server's write ledger",
            hint="Pass the write_id exactly as a write tool returned it; ids start with 'w_'",
        ) from None


TOOLS: tuple[ToolSpec, ...] = (
    ToolSpec(
        name="get_write_status",
        toolset="writes",
        title="Get write status",
        description=(
            "Where a write you asked for stands: pending_review (waiting for a person), "
            "approved, applied, verified (read back from AFAS and matching), drift (AFAS holds "
            "other values than were sent; a person reviews it), unknown (AFAS's answer was lost; "
            "the server is looking the record up), failed (AFAS did not apply it), rejected, "
            "expired or denied; with the policy verdicts, the AFAS key, the read-back diffs and "
            "one sentence to relay to the user. Use it after a write tool returned "
            "pending_review or unknown, instead of repeating the write. It reads only this "
            "server's write ledger, never AFAS, and changes nothing; it cannot approve a write."
        ),
        input_model=GetWriteStatusInput,
        output_model=WriteStatusReport,
        handler=get_write_status,
        read_only=True,
        idempotent=True,
        open_world=False,
    ),
)
