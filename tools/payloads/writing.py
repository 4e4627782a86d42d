"""What every write tool shares: its last two arguments, the address input, and the hand-over.

A write tool resolves the agent's plain terms, records them as facts, builds the body, and hands
the `WriteIntent` to the pipeline (`ToolDeps.write_pipeline()`), which judges, records, sends,
reads back and settles it. The tool never talks to an UpdateConnector itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from policies.facts import Address
from policies.model import Action, WriteIntent
from policies.values import split_house_number
from server.outcomes import InvalidToolInput
from server.writes.result import WriteResult
from tools.base import ToolInput
from tools.deps import ToolDeps

DryRun = Annotated[
    bool,
    Field(
        description="True: check the write and return the policies' verdicts and the exact AFAS "
        "payload, without recording or sending anything. Use it to preview a write for the user."
    ),
]
SourceConfidence = Annotated[
    float | None,
    Field(
        ge=0,
        le=1,
        description="How sure you are of your own input, 0 (a guess) to 1 (certain), e.g. 0.6 "
        "when a form field was ambiguous. Low confidence sends the write to a person first. "
        "Leave it out when the user gave the values directly.",
    ),
]

# The paragraph every write tool's description ends with: what happens to the write.
GUARD = (
    "Every write is checked by policies before anything reaches AFAS. A refusal is an error "
    "naming each problem and what to change. A write that needs a person (by the rules, or "
    "because something looks doubtful) comes back with status pending_review and a review_url: "
    "nothing is sent until a human approves it, so do not call again; tell the user. An applied "
    "write is read back from AFAS and compared (read_back.result: match, or drift when AFAS "
    "stored something else, which a person then checks). Status unknown means AFAS's answer was "
    "lost: do not repeat the call; ask get_write_status later. dry_run=true previews the "
    "verdicts and the exact payload without recording or sending anything."
)


def _blank_is_missing(model: type[BaseModel], data: Any) -> Any:
    """Blank text for an optional field means "not given" (W13: never send an empty value)."""
    if not isinstance(data, dict):
        return data
    out = dict(data)
    for name, info in model.model_fields.items():
        value = out.get(name)
        if info.default is None and isinstance(value, str) and not value.strip():
            out[name] = None
    return out


class WriteInput(ToolInput):
    """Base of the write tools' inputs: an optional field sent as "" counts as left out.

    Agents often fill optional fields with "". AFAS would store that as a value (W13), so the
    input reads it as "no value"; to empty a field on purpose a tool offers an explicit `clear`.
    """

    @model_validator(mode="before")
    @classmethod
    def _optional_blanks(cls, data: Any) -> Any:
        return _blank_is_missing(cls, data)


class InputPart(BaseModel):
    """Base of a nested input (an address, a line): unknown keys refused, blanks left out."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _optional_blanks(cls, data: Any) -> Any:
        return _blank_is_missing(cls, data)


class AddressInput(InputPart):
    """A street address as written on a letter."""

    street: str = Field(min_length=1, max_length=80, description="Street name, e.g. 'Dorpsstraat'.")
    house_number: str = Field(
        min_length=1,
        max_length=20,
        description="House number as written, with any addition: '12', '12A', '12 bis', '12-2'. "
        "The server splits number and addition the way AFAS stores them.",
    )
    postal_code: str = Field(
        min_length=1, max_length=15, description="Postal code, e.g. '3833 LC'."
    )
    city: str = Field(min_length=1, max_length=50, description="City or town.")
    country: str = Field(
        default="NL",
        pattern=r"^[A-Z]{2}$",
        description="Country as an ISO two-letter code in capitals, e.g. 'NL', 'BE', 'DE'.",
    )

    def to_facts(self, *, field: str) -> Address:
        """The address as facts; the house number must start with a number.

        Raises:
            InvalidToolInput: the house number has no number to split off.
        """
        checked_house_number(self.house_number, field=f"{field}.house_number")
        return Address(
            street=self.street.strip(),
            house_number=self.house_number.strip(),
            postal_code=self.postal_code.strip(),
            city=self.city.strip(),
            country=self.country,
        )


def checked_house_number(text: str, *, field: str) -> str:
    """The house number as typed, once it is known to start with a number (W8 splits it).

    Raises:
        InvalidToolInput: there is no number to split off.
    """
    try:
        split_house_number(text)
    except ValueError as error:
        raise InvalidToolInput(
            f"`{field}`: {error}",
            hint="Pass the house number as written on the address, starting with its number, "
            "e.g. '12A' or '12 bis'",
        ) from None
    return text.strip()


async def submit(
    deps: ToolDeps,
    *,
    tool: str,
    connector: str,
    action: Action,
    body: Mapping[str, Any],
    facts: object,
    dry_run: bool,
    source_confidence: float | None,
    target: Mapping[str, str] | None = None,
) -> WriteResult:
    """Hand one complete write to the pipeline and return what it made of it.

    Raises:
        PolicyDenied: a policy refused the write (recorded; nothing was sent).
        ToolConfigurationError: writes are switched off on this server.
    """
    intent = WriteIntent(
        tool=tool,
        connector=connector,
        action=action,
        body=body,
        facts=facts,
        requester=deps.requester,
        source_confidence=source_confidence,
        target=dict(target or {}),
    )
    return await deps.write_pipeline().submit(intent, dry_run=dry_run)
