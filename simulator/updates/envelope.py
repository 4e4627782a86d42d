"""The UpdateConnector envelope as AFAS accepts it, parsed into a tree of `Element`s.

Grammar (afas-api.md 5.1, every OpenAPI example)::

    {"<Root>": {"Element": Element | [Element, ...]}}
    Element := {"@<Key>": value, ..., "@Action": ..., "Fields": {...},
                "Objects": {"<Sub>": {"Element": ...}} | [{"<Sub>": {"Element": ...}}, ...]}

AFAS's examples put `@Action` on the element or inside `Fields`, in any case and sometimes
without the `@`; attributes such as `@CalculateBalance` also appear in either place. One official
example sends `Fields` as a list of one object; the parts are merged.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from simulator.errors import AfasError

Action = Literal["insert", "update", "delete"]
ACTIONS: frozenset[str] = frozenset({"insert", "update", "delete"})


class InvalidJson(Exception):
    """The body is not JSON at all: AFAS answers 400 `{"message": "Invalid json"}`."""


@dataclass
class Element:
    """One `Element` of an object: its attributes, action, fields and nested objects.

    `attributes` holds the `@`-prefixed entries (without the `@`), from the element itself and
    from inside `Fields`; `fields` holds the plain entries of `Fields`.
    """

    object_name: str
    attributes: dict[str, Any] = field(default_factory=dict)
    fields: dict[str, Any] = field(default_factory=dict)
    objects: dict[str, list[Element]] = field(default_factory=dict)
    action: Action | None = None

    def key(self, name: str) -> Any:
        """A key value: the `@name` attribute, else the plain field (KnPerson's `BcCo`)."""
        if name in self.attributes:
            return self.attributes[name]
        return self.fields.get(name)

    def attribute(self, name: str) -> Any:
        """An attribute by name without regard to case, with or without `@`, or None."""
        wanted = name.lower()
        for key, value in self.attributes.items():
            if key.lower() == wanted:
                return value
        for key, value in self.fields.items():
            if key.lower() == wanted:
                return value
        return None

    def children(self, name: str) -> list[Element]:
        """The elements of a sub-object (empty when absent)."""
        return self.objects.get(name, [])

    def child(self, name: str) -> Element | None:
        """The single element of a sub-object, or None (a second one is an error)."""
        found = self.children(name)
        if len(found) > 1:
            raise AfasError(
                f"Object '{name}' accepts one element per call; {len(found)} were sent."
            )
        return found[0] if found else None

    def walk(self, path: str = "") -> Iterator[tuple[str, Element]]:
        """This element and every nested one, with a dotted path of object names."""
        here = f"{path}.{self.object_name}" if path else self.object_name
        yield here, self
        for elements in self.objects.values():
            for element in elements:
                yield from element.walk(here)


@dataclass(frozen=True)
class Envelope:
    """A parsed request body: the root object's name and its elements."""

    root: str
    elements: tuple[Element, ...]


def parse_body(body: bytes) -> Any:
    """The JSON of a request body; raise InvalidJson when it does not parse."""
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise InvalidJson from None


def parse_envelope(payload: Any) -> Envelope:
    """Read `{root: {"Element": ...}}`; shapes AFAS could not read raise AfasError."""
    if not isinstance(payload, dict) or len(payload) != 1:
        raise AfasError("The request must contain exactly one root object.")
    ((root, body),) = payload.items()
    return Envelope(root, tuple(_elements(root, body)))


def _elements(name: str, body: Any) -> list[Element]:
    if not isinstance(body, dict) or "Element" not in body:
        raise AfasError(f"Object '{name}' has no 'Element'.")
    raw = body["Element"]
    items = raw if isinstance(raw, list) else [raw]
    return [_element(name, item) for item in items]


def _element(name: str, raw: Any) -> Element:
    if not isinstance(raw, dict):
        raise AfasError(f"An element of object '{name}' is not an object.")
    element = Element(name)
    for key, value in raw.items():
        lowered = key.lower()
        if lowered == "fields":
            _read_fields(element, value)
        elif lowered == "objects":
            _read_objects(element, value)
        elif lowered.lstrip("@") == "action":
            element.action = _action(name, value)
        else:
            # Keys belong on the element with an `@`; a bare one is read the same way.
            element.attributes[key.removeprefix("@")] = value
    return element


def _read_fields(element: Element, raw: Any) -> None:
    parts = raw if isinstance(raw, list) else [raw]
    for part in parts:
        if not isinstance(part, dict):
            raise AfasError(f"'Fields' of object '{element.object_name}' is not an object.")
        for key, value in part.items():
            if key.lower().lstrip("@") == "action":
                element.action = _action(element.object_name, value)
            elif key.startswith("@"):
                element.attributes[key[1:]] = value
            else:
                element.fields[key] = value


def _read_objects(element: Element, raw: Any) -> None:
    entries: list[tuple[str, Any]] = []
    if isinstance(raw, dict):
        entries = list(raw.items())
    elif isinstance(raw, list):
        for item in raw:
            if not isinstance(item, dict):
                raise AfasError(f"'Objects' of object '{element.object_name}' is malformed.")
            entries.extend(item.items())
    else:
        raise AfasError(f"'Objects' of object '{element.object_name}' is malformed.")
    for sub_name, body in entries:
        element.objects.setdefault(sub_name, []).extend(_elements(sub_name, body))


def _action(object_name: str, value: Any) -> Action:
    text = str(value).strip().lower()
    if text not in ACTIONS:
        raise AfasError(
            f"Invalid action '{value}' for object '{object_name}'; use insert, update or delete."
        )
    return text  # type: ignore[return-value]  # checked against ACTIONS just above


@dataclass(frozen=True)
class DeleteTarget:
    """One level of a DELETE path: object name and its key fields with values."""

    object_name: str
    keys: dict[str, str]


def parse_delete_path(segments: list[str]) -> list[DeleteTarget]:
    """`{Object}/{K1,K2}/{v1,v2}[/{Sub}/{K}/{v}]...` (keys with or without `@`).

    `segments` are the path parts after the connector id, already percent-decoded.
    """
    if not segments or len(segments) % 3:
        raise AfasError("The delete URL must name an object, its key fields and their values.")
    targets = []
    for index in range(0, len(segments), 3):
        object_name, names, values = segments[index : index + 3]
        keys = [name.strip().lstrip("@") for name in names.split(",")]
        parts = values.split(",")
        if len(keys) != len(parts) or not all(keys):
            raise AfasError(
                f"The delete URL gives {len(keys)} key field(s) and {len(parts)} value(s)."
            )
        targets.append(DeleteTarget(object_name, dict(zip(keys, parts, strict=True))))
    return targets
