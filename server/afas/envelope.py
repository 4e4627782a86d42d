"""The UpdateConnector envelope: build it, serialise it, and read AFAS's `results` back.

AFAS's grammar (update-connector docs and every OpenAPI example)::

    {"<RootObject>": {"Element": Element | [Element, ...]}}
    Element := {"@<KeyField>": value, ..., "@Action": "insert"|"update"|"delete",
                "Fields": {...}, "Objects": [{"<SubObject>": {"Element": ...}}, ...]}

Fields without a value are left out rather than sent as `""`, because AFAS stores `""` as an
empty value, not as "no value" (W13); pass `""` explicitly to clear a field.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal
from urllib.parse import quote

from server.afas.errors import AfasRequestRefused, AfasUnexpectedResponse
from server.afas.models import UpdateResult
from server.afas.values import format_date

__all__ = ["delete_path", "dumps", "element", "envelope", "parse_results"]

Action = Literal["insert", "update", "delete"]
ElementBody = dict[str, Any]


def element(
    *,
    fields: Mapping[str, object] | None = None,
    keys: Mapping[str, object] | None = None,
    action: Action | None = None,
    objects: Mapping[str, ElementBody | Sequence[ElementBody]] | None = None,
) -> ElementBody:
    """Build one `Element`.

    Args:
        fields: field id → value; None values are left out (W13).
        keys: key field id → value, written as `@<id>` attributes on the element.
        action: `@Action` for nested payloads (insert, update or delete).
        objects: sub-object name → an element or a list of elements (from `element()`).
    """
    body: ElementBody = {}
    for name, value in (keys or {}).items():
        body[name if name.startswith("@") else f"@{name}"] = value
    if action is not None:
        body["@Action"] = action
    body["Fields"] = {name: value for name, value in (fields or {}).items() if value is not None}
    if objects:
        body["Objects"] = [
            {name: {"Element": list(sub) if isinstance(sub, Sequence) else sub}}
            for name, sub in objects.items()
        ]
    return body


def envelope(root: str, elements: ElementBody | Sequence[ElementBody]) -> dict[str, Any]:
    """Wrap elements in the root object: `{root: {"Element": ...}}`.

    Args:
        root: the root object name (usually the connector name; `AfasEmployee` for KnEmployee,
            `FiEntryPar` for FiEntries; metainfo/update `name` is authoritative).
        elements: one element, or several for a multi-row call.
    """
    inner = list(elements) if isinstance(elements, Sequence) else elements
    return {root: {"Element": inner}}


def _wire(value: object) -> object:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        return format_date(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot send a {type(value).__name__} to AFAS")


def dumps(body: object) -> bytes:
    """Serialise a payload as UTF-8 JSON (AFAS turns other encodings' specials into `?`).

    Decimals go as strings with a `.`, dates as `YYYY-MM-DD`, datetimes as Amsterdam local
    `YYYY-MM-DDTHH:MM:SS`.
    """
    return json.dumps(body, default=_wire, ensure_ascii=False).encode("utf-8")


def delete_path(connector: str, object_name: str, keys: Mapping[str, str]) -> str:
    """Return `/connectors/{connector}/{object}/@K1,@K2/v1,v2` for a DELETE.

    Raises:
        AfasRequestRefused: no keys, or a value holding a comma (the separator of the path).
    """
    if not keys:
        raise AfasRequestRefused("a delete needs at least one key field", connector=connector)
    names, values = [], []
    for name, value in keys.items():
        text = str(value)
        if "," in text or not text:
            raise AfasRequestRefused(
                f"key {name} of a delete must be non-empty and hold no comma", connector=connector
            )
        names.append(name if name.startswith("@") else f"@{name}")
        values.append(quote(text, safe=""))
    return "/".join(
        [
            "/connectors",
            quote(connector, safe=""),
            quote(object_name, safe=""),
            ",".join(quote(n, safe="@") for n in names),
            ",".join(values),
        ]
    )


def parse_results(
    body: bytes, *, connector: str, status_code: int, root: str | None = None
) -> UpdateResult:
    """Read the keys AFAS returned from an UpdateConnector answer.

    Accepts every shape AFAS is known to send: `{"results": {name: {...}}}` with the connector
    or the root object as `name`, a list of objects under it, the same without the `results`
    wrapper, a bare value, or an empty body.

    Raises:
        AfasUnexpectedResponse: the body is not JSON, or its shape cannot be read.
    """
    if not body.strip():
        return UpdateResult(connector=connector, status_code=status_code)
    try:
        parsed = json.loads(body)
    except ValueError:
        raise AfasUnexpectedResponse(
            "the UpdateConnector answered with a body that is not JSON", connector=connector
        ) from None
    inner = parsed.get("results", parsed) if isinstance(parsed, dict) else parsed
    if inner is None or inner == {}:
        return UpdateResult(connector=connector, status_code=status_code, raw=parsed)
    if not isinstance(inner, dict):
        raise AfasUnexpectedResponse(
            f"cannot read the keys from a {type(inner).__name__} under results",
            connector=connector,
        )
    name = next((n for n in (connector, root) if n and n in inner), None)
    if name is None:
        if len(inner) != 1:
            raise AfasUnexpectedResponse(
                f"results holds {sorted(inner)}; expected one object", connector=connector
            )
        (name,) = inner
    value = inner[name]
    items = value if isinstance(value, list) else [value]
    results = tuple(_keys(item, name, connector) for item in items)
    return UpdateResult(
        connector=connector,
        status_code=status_code,
        keys=results[0] if results else {},
        results=results,
        object_name=name,
        raw=parsed,
    )


def _keys(item: object, name: str, connector: str) -> dict[str, str]:
    if isinstance(item, dict):
        return {str(k): "" if v is None else str(v) for k, v in item.items()}
    if isinstance(item, str | int | float):
        # Some connectors return the new id as a bare value.
        return {name: str(item)}
    raise AfasUnexpectedResponse(
        f"cannot read keys from a {type(item).__name__} in results", connector=connector
    )
