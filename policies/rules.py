"""The reviewed rule data the policies read: thresholds, budgets, formats, cache lifetimes.

Rule logic lives in the policy modules; the numbers and tables live in `rules.toml`, shipped in
this package and changed only through review. An operator may point the server at another file
(`load_rules(path)`); it replaces the packaged one entirely, so start from a copy. Loading is
strict: an unknown key, a missing key or a value out of range stops the server with the key named.
"""

from __future__ import annotations

import functools
import re
import tomllib
from datetime import timedelta
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from policies.afas_fields import HIRE_SUB_OBJECTS
from policies.facts import WriteTool
from policies.lookups import MAX_TTL_SECONDS, Lookup
from policies.values import LegacyFormat

PACKAGED_RULES = "rules.toml"

Fraction = Annotated[float, Field(ge=0, le=1)]


class RulesError(ValueError):
    """The rules file is missing, unreadable, or has a key with a wrong value."""


class _Strict(BaseModel):
    # A misspelt key must fail loudly, not leave the default silently in force.
    model_config = ConfigDict(extra="forbid", frozen=True)


class ConfidenceRules(_Strict):
    """How sure a write must be to go to AFAS without a person (see `policies.confidence`)."""

    default_threshold: Fraction
    per_tool: dict[WriteTool, Fraction] = {}
    review_factor: Annotated[float, Field(gt=0, le=1)]
    """What each REVIEW verdict multiplies the score by."""
    ambiguity_factor: Annotated[float, Field(gt=0, le=1)]
    """What each ambiguity the context builder recorded multiplies the score by."""


class WriteBudget(_Strict):
    """Writes per hour for one tool: above `per_hour` a person reviews, above the hard cap, deny."""

    per_hour: Annotated[int, Field(ge=1)]
    hard_per_hour: Annotated[int, Field(ge=1)]

    @model_validator(mode="after")
    def _hard_cap_above_budget(self) -> WriteBudget:
        if self.hard_per_hour < self.per_hour:
            raise ValueError(
                f"hard_per_hour ({self.hard_per_hour}) must be at least per_hour ({self.per_hour})"
            )
        return self


class WriteBudgetRules(_Strict):
    """Write budgets: one default, overridden per tool."""

    default: WriteBudget
    per_tool: dict[WriteTool, WriteBudget] = {}


class JournalRules(_Strict):
    """Limits on one journal entry (W18)."""

    max_lines: Annotated[int, Field(ge=1, le=1000)]
    """AFAS advises at most 1,000 lines per entry; a lower cap is allowed, a higher one is not."""
    review_total_above: Annotated[Decimal, Field(gt=0)]
    """Entries whose debit total exceeds this go to a person."""


class HoursRules(_Strict):
    """Limits on one registered hours row."""

    max_per_day: Annotated[Decimal, Field(gt=0, le=24)]


class LeaveRules(_Strict):
    """Limits on one leave booking."""

    review_days_above: Annotated[int, Field(ge=1)]
    """Bookings spanning more calendar days than this go to a person."""


_FIELD_PATH = re.compile(r"[A-Za-z]\w*\.@?[A-Za-z]\w*")


class PolicyRules(_Strict):
    """Everything in `rules.toml`, validated."""

    version: Literal[1]
    auto_apply: dict[WriteTool, bool]
    """Which tools may send to AFAS without a person; every tool must be named."""
    confidence: ConfidenceRules
    write_budget: WriteBudgetRules
    journal: JournalRules
    hours: HoursRules
    leave: LeaveRules
    legacy_formats: dict[str, LegacyFormat]
    """W7 override table, keyed `Object.Field`."""
    hire_required_fields: dict[str, tuple[str, ...]]
    """W19: the fields each hire sub-object must carry."""
    lookup_ttl_seconds: dict[Lookup, Annotated[int, Field(ge=0)]]

    @field_validator("auto_apply")
    @classmethod
    def _every_tool_named(cls, value: dict[WriteTool, bool]) -> dict[WriteTool, bool]:
        missing = sorted(set(WriteTool) - set(value))
        if missing:
            raise ValueError(f"name every write tool; missing: {', '.join(missing)}")
        return value

    @field_validator("legacy_formats")
    @classmethod
    def _paths_are_object_dot_field(cls, value: dict[str, LegacyFormat]) -> dict[str, LegacyFormat]:
        bad = sorted(path for path in value if not _FIELD_PATH.fullmatch(path))
        if bad:
            raise ValueError(f"keys must be 'Object.Field', e.g. 'KnPerson.SpNm'; got {bad}")
        return value

    @field_validator("hire_required_fields")
    @classmethod
    def _the_hire_sub_objects(cls, value: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        expected = set(HIRE_SUB_OBJECTS)
        if set(value) != expected:
            raise ValueError(
                f"name exactly the hire sub-objects {sorted(expected)}; "
                f"missing {sorted(expected - set(value))}, unknown {sorted(set(value) - expected)}"
            )
        empty = sorted(name for name, fields in value.items() if not fields)
        if empty:
            raise ValueError(f"each sub-object needs at least one required field; empty: {empty}")
        return value

    @field_validator("lookup_ttl_seconds")
    @classmethod
    def _within_caps(cls, value: dict[Lookup, int]) -> dict[Lookup, int]:
        missing = sorted(set(Lookup) - set(value))
        if missing:
            raise ValueError(f"name every lookup; missing: {', '.join(missing)}")
        too_long = [
            f"{lookup}: {seconds} s is more than the {MAX_TTL_SECONDS[lookup]} s allowed"
            for lookup, seconds in sorted(value.items())
            if seconds > MAX_TTL_SECONDS[lookup]
        ]
        if too_long:
            raise ValueError("; ".join(too_long))
        return value

    def may_auto_apply(self, tool: str) -> bool:
        """Whether a tool may send to AFAS without a person (an unknown tool may not)."""
        return tool in set(WriteTool) and self.auto_apply[WriteTool(tool)]

    def threshold_for(self, tool: str) -> float:
        """The confidence below which a write of this tool goes to review."""
        if tool in set(WriteTool):
            return self.confidence.per_tool.get(WriteTool(tool), self.confidence.default_threshold)
        return self.confidence.default_threshold

    def budget_for(self, tool: str) -> WriteBudget:
        """The write budget of a tool."""
        if tool in set(WriteTool):
            return self.write_budget.per_tool.get(WriteTool(tool), self.write_budget.default)
        return self.write_budget.default

    def ttl(self, lookup: Lookup) -> timedelta:
        """How long the context builder may reuse a cached lookup."""
        return timedelta(seconds=self.lookup_ttl_seconds[lookup])


def _describe(error: ValidationError) -> str:
    problems = []
    for detail in error.errors():
        key = ".".join(str(part) for part in detail["loc"] if part != "[key]") or "(top level)"
        problem = f"key '{key}': {detail['msg']}"
        if detail["type"] not in ("missing", "value_error") and not isinstance(
            detail["input"], dict
        ):
            problem += f" (got {detail['input']!r})"
        problems.append(problem)
    return "; ".join(problems)


def parse_rules(text: str, *, source: str) -> PolicyRules:
    """Parse and validate rules from TOML text.

    Raises:
        RulesError: the text is not TOML or a key is missing, unknown or out of range;
            the message names `source` and each key.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RulesError(f"{source}: not valid TOML: {error}") from error
    try:
        return PolicyRules.model_validate(data)
    except ValidationError as error:
        raise RulesError(f"{source}: {_describe(error)}") from error


def load_rules(path: Path | str | None = None) -> PolicyRules:
    """Load the rules: the packaged `rules.toml`, or the file at `path` instead.

    Raises:
        RulesError: the file cannot be read or does not validate; the message names the key.
    """
    if path is None:
        resource = resources.files("policies").joinpath(PACKAGED_RULES)
        return parse_rules(
            resource.read_text(encoding="utf-8"), source=f"policies/{PACKAGED_RULES}"
        )
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise RulesError(f"{path}: cannot read the rules file: {error.strerror}") from error
    return parse_rules(text, source=str(path))


@functools.cache
def packaged_rules() -> PolicyRules:
    """The packaged rules, loaded once (they cannot change while the process runs)."""
    return load_rules()
