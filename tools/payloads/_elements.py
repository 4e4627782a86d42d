"""Small builders for the envelope grammar, with values in the form AFAS reads (W7, W13).

Every `Fields` map goes through `policies.values.adapt_fields`: decimals as plain strings, dates
as ISO text, the legacy forms of the W7 override table, and no field without a value (W13: AFAS
stores `""` as a value). Key attributes (`@DaBe`, `@EmId`) are formatted the same way.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

from policies.rules import packaged_rules
from policies.values import AfasValue, LegacyFormat, adapt_fields, to_afas_value

Body = dict[str, Any]
Legacy = Mapping[str, LegacyFormat]

# The product's own mark on a record it wrote; readable back where AFAS stores it (W16).
REFERENCE_PREFIX = "AMCP-"


def legacy_formats(legacy: Legacy | None) -> Legacy:
    """The W7 override table: the one given, else the packaged rules' table."""
    return packaged_rules().legacy_formats if legacy is None else legacy


def fields(
    object_name: str,
    values: Mapping[str, object],
    *,
    legacy: Legacy | None = None,
    clear: frozenset[str] = frozenset(),
) -> dict[str, AfasValue]:
    """One element's `Fields`: AFAS forms, empty values left out unless named in `clear`."""
    return adapt_fields(object_name, values, legacy_formats=legacy_formats(legacy), clear=clear)


def element(
    object_name: str,
    values: Mapping[str, object],
    *,
    keys: Mapping[str, object] | None = None,
    action: str | None = None,
    objects: Sequence[Body] = (),
    legacy: Legacy | None = None,
    clear: frozenset[str] = frozenset(),
) -> Body:
    """One `Element`: `@` keys first, then `@Action`, `Fields` and the sub-objects."""
    body: Body = {}
    for name, value in (keys or {}).items():
        if value is not None:
            body[name if name.startswith("@") else f"@{name}"] = to_afas_value(value)
    if action is not None:
        body["@Action"] = action
    body["Fields"] = fields(object_name, values, legacy=legacy, clear=clear)
    if objects:
        body["Objects"] = list(objects)
    return body


def sub_object(object_name: str, *elements: Body, as_list: bool = True) -> Body:
    """`{object_name: {"Element": ...}}`, one entry of a parent's `Objects` list.

    `as_list` follows the OpenAPI schema of the connector (most nested objects take a list of
    elements even for one); `False` gives the single-object form AFAS's examples also use.
    """
    if as_list:
        return {object_name: {"Element": list(elements)}}
    (only,) = elements
    return {object_name: {"Element": only}}


def envelope(root: str, root_element: Body | list[Body]) -> Body:
    """The whole body: `{root: {"Element": ...}}`."""
    return {root: {"Element": root_element}}


def reference(facts: object) -> str:
    """A short mark derived from the facts alone, e.g. "AMCP-3F9C2A1B7E".

    The same request always gets the same mark, so a retried identical write has the same body
    (and digest) and is recognised as a repeat; different requests get different marks, so the
    record can be found again by it when AFAS's answer was lost.
    """
    if not dataclasses.is_dataclass(facts) or isinstance(facts, type):
        raise TypeError(f"a reference is derived from a facts dataclass, not {type(facts)!r}")
    canonical = json.dumps(_plain(facts), sort_keys=True)
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:10].upper()
    return f"{REFERENCE_PREFIX}{digest}"


def _plain(value: object) -> object:
    """Facts as JSON-able data: dataclasses and mappings as dicts, everything else as text."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | frozenset | set):
        items = [_plain(item) for item in value]
        return sorted(items, key=str) if isinstance(value, frozenset | set) else items
    if value is None or isinstance(value, bool | int):
        return value
    return str(value)
