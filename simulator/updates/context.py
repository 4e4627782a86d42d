"""What a connector handler works with: the tenant, the switches, problems found and notes made.

AFAS checks the whole body before it writes and reports every problem it found in one message,
joined with ` | ` (the FiEntries example in afas-api.md 6.2). Handlers call `problem()` for each
and `check()` at the points where going on makes no sense.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from simulator.errors import VALUE_DOES_NOT_EXIST, AfasError
from simulator.quirks import QuirkSwitches
from simulator.tenant.store import Record, Tenant
from simulator.updates.changes import ChangeSet
from simulator.updates.envelope import Element
from simulator.updates.schema import field_kind
from simulator.updates.side import WriteSettings, next_free
from simulator.updates.values import BadValue, Coerced, ValueRules, coerce

T = TypeVar("T")

# A generic validation error number; AFAS's numbers are mostly generic (troubleshooting.md).
VALIDATION = -2147352567


@dataclass
class Results:
    """The keys an UpdateConnector answers with, one dict per root element."""

    name: str
    items: list[dict[str, str]] = field(default_factory=list)

    def add(self, **keys: object) -> None:
        self.items.append({name: str(value) for name, value in keys.items() if value is not None})

    def body(self) -> dict[str, Any]:
        """`{"results": {name: {...}}}`, a list under the name for several elements."""
        if not self.items:
            return {"results": {}}
        return {"results": {self.name: self.items[0] if len(self.items) == 1 else self.items}}


@dataclass
class WriteContext:
    """One request's working state while it is validated and planned."""

    tenant: Tenant
    quirks: QuirkSwitches
    settings: WriteSettings
    method: str
    connector: str
    changes: ChangeSet = field(default_factory=ChangeSet)
    notes: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    problems: list[tuple[str, int]] = field(default_factory=list)
    # (label, value) of every code reported as not existing: AFAS's message does not name the
    # value, the write journal does.
    unknown_values: list[tuple[str, str]] = field(default_factory=list)
    # Set by the handler for employee inserts: a pre-reserved code and whether it is shared (W9).
    reserved_employee: tuple[str, bool] | None = None

    def on(self, quirk_id: str) -> bool:
        return self.quirks.is_on(quirk_id)

    def note(self, line: str) -> None:
        """Record what a quirk did (`"W1: ..."`), for the write journal."""
        self.notes.append(line)

    def problem(self, message: str, number: int = VALIDATION) -> None:
        if (message, number) not in self.problems:
            self.problems.append((message, number))

    def missing(self, label: str) -> None:
        """AFAS's message for an empty mandatory field."""
        self.problem(f"Enter a value for '{label}'.")

    def unknown(self, label: str, value: object = None) -> None:
        """AFAS's message for a code that does not exist (exactly its text: no value in it)."""
        if value not in (None, "") and (label, str(value)) not in self.unknown_values:
            self.unknown_values.append((label, str(value)))
        self.problem(f"The entered value for '{label}' does not exist.", VALUE_DOES_NOT_EXIST)

    def check(self) -> None:
        """Raise every problem found so far as one AFAS 500."""
        if self.problems:
            message = " | ".join(text for text, _ in self.problems)
            raise AfasError(message, self.problems[0][1])

    def settled(self, value: T | None) -> T:
        """Raise the problems found so far; after that `value` must be there."""
        self.check()
        if value is None:
            raise AfasError("An unexpected error has occurred.")
        return value

    @property
    def today(self) -> date:
        return self.tenant.today()

    def rules(self) -> ValueRules:
        return ValueRules(
            empty_string_stored=self.on("W13_empty_string_stored"),
            legacy_formats=self.on("W7_legacy_field_formats"),
        )

    def values(self, element: Element, *, skip: frozenset[str] = frozenset()) -> Record:
        """The element's fields coerced by their data types (bad values become problems)."""
        rules = self.rules()
        out: Record = {}
        for name, raw in element.fields.items():
            if name in skip or raw is None:
                continue
            if field_kind(element.object_name, name) is None:
                # Accepted, as AFAS accepts custom fields, but not modelled: not stored.
                self.ignored.append(f"{element.object_name}.{name}")
                continue
            try:
                coerced: Coerced = coerce(element.object_name, name, raw, rules)
            except BadValue as bad:
                self.problem(str(bad))
                continue
            if coerced.quirk_note:
                self.note(coerced.quirk_note)
            out[name] = coerced.value
        return out

    def value(self, element: Element, name: str, *, attribute: bool = False) -> Any:
        """One coerced value (a key attribute when `attribute`); None when absent or bad."""
        raw = element.key(name) if attribute else element.fields.get(name)
        if raw is None:
            return None
        try:
            coerced = coerce(element.object_name, name, raw, self.rules())
        except BadValue as bad:
            self.problem(str(bad))
            return None
        if coerced.quirk_note:
            self.note(coerced.quirk_note)
        return coerced.value

    def new_number(self, sequence: str, table: str) -> str:
        """A generated key from a tenant sequence, never one in use."""
        return next_free(self.tenant, sequence, table)
