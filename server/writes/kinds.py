"""How a write tool tells the pipeline what must be true in AFAS after its write.

A 201 from an UpdateConnector proves nothing (quirks.md W14), so every write tool describes the
record as it must read back through a GetConnector. The pipeline does the reading and the
diffing; the tool only knows its domain. Everything here is rebuilt from what the ledger stores
(tool, facts, body, AFAS's returned keys), because an approval may send a write days after the
tool call that asked for it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


class DisplayName(str):
    """An expected value that is a person's name as AFAS shows it, compared by its words.

    AFAS builds a person's display name from the parts it stores, in an order an environment
    may set: "Anna van der Berg" can read back as "Berg, Anna van der". Exact comparison would
    then report drift for a name stored right, so a field holding one is compared as a multiset
    of words, without case or punctuation (`server.writes.diff.same`). Everywhere else it is the
    plain text it holds (a filter value, a ledger entry).
    """

    __slots__ = ()


@dataclass(frozen=True)
class Expectation:
    """Rows of one GetConnector that must hold certain values after the write.

    `match` selects the rows (field id -> value, all must be equal). For a single record,
    `fields` holds the values it must have. For a record spread over several rows (the lines
    of a journal entry), `rows` holds what the matched rows must be, in any order, and nothing
    else may match. Values are typed as the client normalises them (`str`, `int`, `Decimal`,
    `date`, `bool`, `None`); the pipeline compares type-aware. A person's display name in
    `fields` is wrapped in `DisplayName`, so it matches in any word order.
    """

    label: str  # what a person calls it: "contract", "salary", "journal line 2"
    connector: str  # logical connector name, see server.config.GET_CONNECTORS
    match: Mapping[str, Any]
    fields: Mapping[str, Any] = field(default_factory=dict)
    rows: tuple[Mapping[str, Any], ...] | None = None
    keys: Mapping[str, str] = field(default_factory=dict)
    """For `locate`: the key AFAS's answer would have carried -> the field of this connector that
    holds it (`{"EmId": "EmployeeId"}`), so a record found after a lost answer gets the same
    `afas_keys` as one AFAS answered for, and `expectations` can read it back as usual."""


ExpectationsFn = Callable[[Any, Mapping[str, Any], Mapping[str, str]], Sequence[Expectation]]
LocateFn = Callable[[Any, Mapping[str, Any]], Sequence[Expectation]]
DescribeFn = Callable[[Any], str]


@dataclass(frozen=True)
class WriteKind:
    """What the pipeline needs to know about one write tool, beyond the intent itself.

    - `facts_type`: the frozen facts dataclass (policies.facts) the tool records; the pipeline
      rebuilds it from the ledger's JSON to re-run the policies on approval.
    - `expectations(facts, body, afas_keys)`: what must read back after AFAS answered with
      `afas_keys` (the `results` of the UpdateConnector, values as strings).
    - `locate(facts, body)`: how to find the record when AFAS's answer was lost (W16: a timeout
      is not a failure); empty when the tool cannot be reconciled without keys.
    - `describe(facts)`: one plain sentence for the agent and the review page.
    """

    tool: str
    facts_type: type[Any]
    expectations: ExpectationsFn
    locate: LocateFn
    describe: DescribeFn


def kinds_by_tool(kinds: Sequence[WriteKind]) -> Mapping[str, WriteKind]:
    """Index write kinds by tool name; two kinds for one tool is a programming error."""
    index: dict[str, WriteKind] = {}
    for kind in kinds:
        if kind.tool in index:
            raise ValueError(f"two write kinds for tool {kind.tool!r}")
        index[kind.tool] = kind
    return index
