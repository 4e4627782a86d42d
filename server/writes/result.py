"""What every write tool returns to the agent.

Three kinds of answer, kept apart on purpose: a policy refusal is a tool error telling the agent
what to change; waiting for a human (`pending_review`) is a normal result, not an error; and
`applied` carries the read-back proof. `failed` and `unknown` say what AFAS answered and what
the agent must (not) do next.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from server.write_status import ReadBackReport, VerdictReport

WriteResultStatus = Literal["dry_run", "applied", "pending_review", "failed", "unknown", "rejected"]


class AfasErrorReport(BaseModel):
    """AFAS's own words about a refused write, and the reference its administrator looks up."""

    model_config = ConfigDict(frozen=True)

    message: str = Field(description="AFAS's message (externalMessage), as AFAS wrote it.")
    log_reference: str | None = Field(
        default=None,
        description="AFAS's profitLogReference: give it to the AFAS administrator to find the "
        "full error in the environment log.",
    )


class WriteResult(BaseModel):
    """The outcome of one write tool call."""

    model_config = ConfigDict(frozen=True)

    write_id: str | None = Field(
        description="The write's id in the ledger; pass it to get_write_status. None for a "
        "dry run, which records nothing."
    )
    status: WriteResultStatus = Field(
        description="dry_run: nothing was sent; applied: AFAS holds the record (see read_back); "
        "pending_review: held for a human approver, nothing was sent yet; failed: AFAS refused "
        "it (see afas_error), nothing was stored; unknown: AFAS's answer was lost and the record "
        "could not be found yet, do NOT repeat the call, check get_write_status later; "
        "rejected: a human already rejected this exact write."
    )
    message: str = Field(description="One sentence to relay to the user as it is.")
    decision: Literal["allow", "review", "deny"] | None = Field(
        default=None, description="The policies' combined decision (also set on a dry run)."
    )
    verdicts: list[VerdictReport] = Field(
        default_factory=list, description="Every policy that judged the write, with reasons."
    )
    confidence: float | None = Field(
        default=None,
        description="0..1; below the configured threshold a write goes to review.",
    )
    afas_key: dict[str, str] | None = Field(
        default=None, description="The keys AFAS returned for the new or changed record."
    )
    read_back: ReadBackReport | None = Field(
        default=None, description="What reading the record back from AFAS showed."
    )
    review_url: str | None = Field(
        default=None, description="Where a human reviews the held write (pending_review only)."
    )
    payload: dict[str, Any] | None = Field(
        default=None, description="The exact AFAS UpdateConnector payload (dry runs only)."
    )
    afas_error: AfasErrorReport | None = Field(
        default=None, description="AFAS's refusal (failed only)."
    )
    duplicate_of: str | None = Field(
        default=None,
        description="Set when this exact write was already made recently: the earlier write's "
        "id. Nothing new was sent.",
    )
