"""Connector drift (quirk R6): an administrator removes, adds or renames fields at run time."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from simulator.catalogue.fields import Field, GetConnector


@dataclass(frozen=True)
class Drift:
    """Changes to one connector's definition, applied on top of the shipped one."""

    removed: frozenset[str] = frozenset()
    added: tuple[Field, ...] = ()
    renamed: Mapping[str, str] = field(default_factory=dict)

    def then(
        self, *, remove: Sequence[str], add: Sequence[str | Field], rename: Mapping[str, str]
    ) -> Drift:
        """This drift followed by more changes (names refer to the connector as it is now)."""
        current_to_base = {new: old for old, new in self.renamed.items()}
        renamed = dict(self.renamed)
        for old, new in rename.items():
            renamed[current_to_base.get(old, old)] = new
        removed = set(self.removed) | {current_to_base.get(name, name) for name in remove}
        added = [f for f in self.added if f.id not in remove]
        added += [f if isinstance(f, Field) else Field(f, "string", f, 255) for f in add]
        return Drift(frozenset(removed), tuple(added), renamed)


@dataclass(frozen=True)
class Shape:
    """The fields a connector shows now, and where each one's value sits in the shipped row."""

    fields: tuple[Field, ...]
    sources: tuple[int | None, ...]
    dutch_decimals: frozenset[str]

    @property
    def identity(self) -> bool:
        return self.sources == tuple(range(len(self.sources)))


def shape_of(connector: GetConnector, drift: Drift | None) -> Shape:
    """The connector's current shape: the shipped fields with the drift applied."""
    if drift is None:
        return Shape(
            connector.fields, tuple(range(len(connector.fields))), connector.dutch_decimals
        )
    fields: list[Field] = []
    sources: list[int | None] = []
    for index, base in enumerate(connector.fields):
        if base.id in drift.removed:
            continue
        new_id = drift.renamed.get(base.id)
        fields.append(replace(base, id=new_id) if new_id else base)
        sources.append(index)
    known = {f.id for f in fields}
    for extra in drift.added:
        if extra.id not in known:
            fields.append(extra)
            sources.append(None)
    dutch = frozenset(drift.renamed.get(name, name) for name in connector.dutch_decimals)
    return Shape(tuple(fields), tuple(sources), dutch & {f.id for f in fields})
