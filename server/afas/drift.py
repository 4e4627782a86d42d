"""Connector drift (R6): compare a GetConnector's metainfo with a stored snapshot.

An administrator can add, remove or retype fields of a GetConnector; the URL and the token stay
the same. Store `ConnectorMeta.snapshot()` when a connector is known good, and diff the live
metainfo against it at start and periodically. A required field that is missing or changed type
fails loudly, naming the connector and the field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from server.afas.errors import AfasConnectorDrift
from server.afas.models import ConnectorMeta

__all__ = ["MetaDiff", "diff_meta"]


@dataclass(frozen=True, slots=True)
class MetaDiff:
    """How a connector's fields differ from a snapshot.

    Attributes:
        connector: the GetConnector.
        added: fields the snapshot did not have.
        removed: fields the snapshot had and metainfo no longer lists.
        retyped: (field, old dataType, new dataType) for fields whose type changed.
    """

    connector: str
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    retyped: tuple[tuple[str, str, str], ...] = ()

    @property
    def changed(self) -> bool:
        """True when anything differs."""
        return bool(self.added or self.removed or self.retyped)

    def raise_for(self, required: Iterable[str]) -> None:
        """Raise when a required field was removed or retyped.

        Raises:
            AfasConnectorDrift: naming the connector and the fields.
        """
        wanted = set(required)
        broken = sorted(
            {f for f in self.removed if f in wanted}
            | {f for f, _, _ in self.retyped if f in wanted}
        )
        if broken:
            details = [f"{f} removed" for f in self.removed if f in wanted] + [
                f"{f} changed from {old} to {new}" for f, old, new in self.retyped if f in wanted
            ]
            raise AfasConnectorDrift(
                "required field(s) changed since the snapshot: " + "; ".join(details),
                connector=self.connector,
                fields=tuple(broken),
            )


def diff_meta(snapshot: Mapping[str, Any], meta: ConnectorMeta, *, connector: str) -> MetaDiff:
    """Diff live metainfo against a snapshot made by `ConnectorMeta.snapshot()`.

    Raises:
        ValueError: the snapshot has no `fields` mapping.
    """
    old = snapshot.get("fields")
    if not isinstance(old, Mapping):
        raise ValueError("a metainfo snapshot needs a `fields` mapping of field id to dataType")
    new = meta.types
    return MetaDiff(
        connector=connector,
        added=tuple(sorted(set(new) - set(old))),
        removed=tuple(sorted(set(old) - set(new))),
        retyped=tuple(
            (name, str(old[name]), new[name])
            for name in sorted(set(old) & set(new))
            if str(old[name]) != new[name]
        ),
    )
