"""Read an UpdateConnector body: find elements and their fields at any depth.

The envelope grammar (afas-api.md 5.1) allows two shapes at each level, and official examples use
both: `Objects` is a map `{"KnPerson": {...}}` or a list of one-key maps `[{"KnPerson": {...}}]`;
`Element` is one object or a list of them. Key fields (`@DaBe`, `@Action`) sit on the element, or,
in one documented variant, inside `Fields`. These helpers hide that, so a policy asks
"the `CmId` of the `AfasContract`" and gets the same answer for every shape.

A body that breaks the grammar raises `MalformedEnvelope`; the policy registry turns that into a
deny (fail closed).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from policies.afas_fields import FieldRef


class MalformedEnvelope(ValueError):
    """The body does not follow the UpdateConnector envelope grammar."""


@dataclass(frozen=True)
class ElementView:
    """One element of a body, with where it sits and the action it inherits."""

    object_name: str
    path: tuple[str, ...]
    """Object names from the root down to this element's object."""
    position: tuple[int, ...]
    """Index of each element along `path` (0 where `Element` is a single object)."""
    raw: Mapping[str, Any]
    action: str | None
    """Its own `@Action`, else the nearest ancestor's; None when no level says."""

    @property
    def fields(self) -> Mapping[str, Any]:
        """The element's `Fields` (empty when absent)."""
        fields = self.raw.get("Fields", {})
        if not isinstance(fields, Mapping):
            raise MalformedEnvelope(f"{self.location}: Fields must be an object")
        return fields

    @property
    def location(self) -> str:
        """Where the element sits, for messages: `AfasEmployee/AfasSalary[0]`."""
        return "/".join(
            f"{name}[{index}]" for name, index in zip(self.path, self.position, strict=True)
        )

    @property
    def index(self) -> int:
        """Position among the elements of its own object."""
        return self.position[-1]

    def has(self, field_id: str) -> bool:
        """Whether the field is present (a key field on the element or in `Fields`)."""
        if field_id.startswith("@") and field_id in self.raw:
            return True
        return field_id in self.fields

    def get(self, field_id: str) -> Any:
        """The field's value, or None when absent."""
        if field_id.startswith("@") and field_id in self.raw:
            return self.raw[field_id]
        return self.fields.get(field_id)

    def attributes(self) -> dict[str, Any]:
        """The element's `@` keys and its `Fields`, as one map."""
        found = {key: value for key, value in self.raw.items() if key.startswith("@")}
        found.update(self.fields)
        return found


def _object_bodies(objects: Any, location: str) -> Iterator[tuple[str, Any]]:
    if isinstance(objects, Mapping):
        yield from objects.items()
    elif isinstance(objects, list):
        for entry in objects:
            if not isinstance(entry, Mapping):
                raise MalformedEnvelope(f"{location}: each Objects entry must be an object")
            yield from entry.items()
    else:
        raise MalformedEnvelope(f"{location}: Objects must be an object or a list")


def _elements(
    object_name: str,
    object_body: Any,
    path: tuple[str, ...],
    position: tuple[int, ...],
    inherited: str | None,
) -> Iterator[ElementView]:
    where = "/".join(path)
    if not isinstance(object_body, Mapping) or "Element" not in object_body:
        raise MalformedEnvelope(f"{where}: an object must hold an Element")
    element = object_body["Element"]
    raw_elements = element if isinstance(element, list) else [element]
    for index, raw in enumerate(raw_elements):
        if not isinstance(raw, Mapping):
            raise MalformedEnvelope(f"{where}[{index}]: an Element must be an object")
        fields = raw.get("Fields")
        own = raw.get("@Action")
        if own is None and isinstance(fields, Mapping):
            own = fields.get("@Action")  # the Aug-2025 docs put it inside Fields
        action = own if own is not None else inherited
        view = ElementView(object_name, path, (*position, index), raw, action)
        yield view
        if "Objects" in raw:
            for child_name, child_body in _object_bodies(raw["Objects"], view.location):
                yield from _elements(
                    child_name, child_body, (*path, child_name), view.position, view.action
                )


def root_name(body: Mapping[str, Any]) -> str:
    """The body's root object name.

    Raises:
        MalformedEnvelope: the body does not have exactly one root object.
    """
    if len(body) != 1:
        raise MalformedEnvelope(f"a body has exactly one root object, found {sorted(body)}")
    return next(iter(body))


def iter_elements(body: Mapping[str, Any]) -> Iterator[ElementView]:
    """Every element in the body, depth first, each parent before its children."""
    name = root_name(body)
    yield from _elements(name, body[name], (name,), (), None)


def find_elements(body: Mapping[str, Any], object_name: str) -> tuple[ElementView, ...]:
    """All elements of one object, at any depth."""
    return tuple(view for view in iter_elements(body) if view.object_name == object_name)


def find_element(body: Mapping[str, Any], object_name: str) -> ElementView | None:
    """The one element of an object, or None when the body has none.

    Raises:
        MalformedEnvelope: the object occurs more than once, so "the" element is ambiguous.
    """
    found = find_elements(body, object_name)
    if len(found) > 1:
        raise MalformedEnvelope(f"{object_name} occurs {len(found)} times; expected at most one")
    return found[0] if found else None


def field_value(body: Mapping[str, Any], ref: FieldRef) -> Any:
    """The value of a field of a single-element object, or None when absent."""
    element = find_element(body, ref.object_name)
    return None if element is None else element.get(ref.field_id)


def children_of(body: Mapping[str, Any], parent: ElementView) -> tuple[ElementView, ...]:
    """The direct sub-object elements of one element."""
    return tuple(
        view
        for view in iter_elements(body)
        if view.path[:-1] == parent.path and view.position[:-1] == parent.position
    )
