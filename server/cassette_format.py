"""The cassette file format: pretty JSON that reviews like code, readable by vcrpy.

A cassette is vcrpy's own data (`version`, `interactions`, `metadata`) written so a diff shows
what changed on the wire:

- bodies that are JSON are stored as JSON (`{"json": ...}`), not as an escaped string; other
  text as `{"text": "..."}`, bytes that are not UTF-8 as `{"base64": "..."}`;
- headers are sorted by name; request headers are kept only when they shape the answer
  (`Accept`, `Accept-Language`, `Content-Type`, `IntegrationId`), so `Authorization`,
  cookies and `User-Agent` never reach a file; response headers lose the noise that changes on
  every call (`Date`, `Content-Length`, proxy timings);
- keys come in a fixed order (`metadata`, `interactions`, `version`; `request` before
  `response`), and bodies keep AFAS's own key order, which is stable on the wire.

Numbers in JSON bodies go through Python's `json`, so `1234.50` is stored as `1234.5`; AFAS
itself normalises decimals since Profit 7, and the client reads both the same way.

The module needs no third-party package: `afas-mcp record` writes cassettes without vcrpy, and
tests register `SERIALIZER` with vcrpy (`vcr.register_serializer(NAME, SERIALIZER)`).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = [
    "NAME",
    "SERIALIZER",
    "CassetteSerializer",
    "body_json",
    "load",
    "save",
]

NAME = "afas-json"
FORMAT_VERSION = 1  # vcrpy's cassette format version

# Request headers that change what AFAS answers; everything else (Authorization above all) is
# dropped before a cassette is written.
_REQUEST_HEADERS = frozenset({"accept", "accept-language", "content-type", "integrationid"})
# Response headers that differ on every call or carry nothing a test reads.
_NOISY_RESPONSE_HEADERS = frozenset(
    {
        "content-length",
        "content-encoding",
        "transfer-encoding",
        "connection",
        "keep-alive",
        "date",
        "server",
        "set-cookie",
        "x-afas-proxy-stats",
        "x-afas-proxy-version",
    }
)


def _text(raw: object) -> str | bytes | None:
    if raw is None or isinstance(raw, str | bytes):
        return raw
    raise TypeError(f"a body must be text or bytes, not {type(raw).__name__}")


def _encode_body(raw: object) -> dict[str, Any] | None:
    """A wire body as stored: parsed JSON when it is JSON, else text or Base64."""
    wire = _text(raw)
    if wire is None:
        return None
    if isinstance(wire, bytes):
        try:
            body = wire.decode("utf-8")
        except UnicodeDecodeError:
            return {"base64": base64.b64encode(wire).decode("ascii")}
    else:
        body = wire
    stripped = body.strip()
    if stripped[:1] in ("{", "["):
        try:
            return {"json": json.loads(body)}
        except ValueError:
            pass  # not JSON after all: kept as text, exactly
    return {"text": body}


def _decode_body(stored: Mapping[str, Any] | None) -> str | bytes | None:
    """The wire body back from its stored form (JSON compact, as Profit 7 and later send it)."""
    if stored is None:
        return None
    if "json" in stored:
        return json.dumps(stored["json"], ensure_ascii=False, separators=(",", ":"))
    if "base64" in stored:
        return base64.b64decode(stored["base64"])
    text = stored.get("text", "")
    return text if isinstance(text, str) else str(text)


def _headers(headers: Mapping[str, Any] | None, *, keep: frozenset[str] | None) -> dict[str, Any]:
    kept: dict[str, list[str]] = {}
    for name, values in (headers or {}).items():
        lowered = name.lower()
        if lowered in ("authorization", "cookie", "dpop") or lowered in _NOISY_RESPONSE_HEADERS:
            continue
        if keep is not None and lowered not in keep:
            continue
        items = values if isinstance(values, list) else [values]
        kept[name] = [str(v) for v in items]
    return {name: kept[name] for name in sorted(kept, key=str.lower)}


def _store_interaction(interaction: Mapping[str, Any]) -> dict[str, Any]:
    request = interaction["request"]
    response = interaction["response"]
    body = response.get("body") or {}
    stored: dict[str, Any] = {
        key: value for key, value in interaction.items() if key not in ("request", "response")
    }
    stored["request"] = {
        "method": request["method"],
        "uri": request["uri"],
        "headers": _headers(request.get("headers"), keep=_REQUEST_HEADERS),
        "body": _encode_body(request.get("body")),
    }
    stored["response"] = {
        "status": dict(response["status"]),
        "headers": _headers(response.get("headers"), keep=None),
        "body": _encode_body(body.get("string")) or {"text": ""},
    }
    return stored


def _load_interaction(stored: Mapping[str, Any]) -> dict[str, Any]:
    request = stored["request"]
    response = stored["response"]
    body = _decode_body(response.get("body"))
    return {
        **{key: value for key, value in stored.items() if key not in ("request", "response")},
        "request": {
            "method": request["method"],
            "uri": request["uri"],
            "body": _decode_body(request.get("body")),
            "headers": {k: list(v) for k, v in (request.get("headers") or {}).items()},
        },
        "response": {
            "status": dict(response["status"]),
            "headers": {k: list(v) for k, v in (response.get("headers") or {}).items()},
            "body": {"string": b"" if body is None else body},
        },
    }


class CassetteSerializer:
    """vcrpy's serializer protocol (`serialize`, `deserialize`) for the `afas-json` format."""

    @staticmethod
    def serialize(data: Mapping[str, Any]) -> str:
        """Return vcrpy's cassette dict as pretty JSON, in a fixed key order."""
        document: dict[str, Any] = {}
        if data.get("metadata"):
            document["metadata"] = data["metadata"]
        document["interactions"] = [_store_interaction(i) for i in data.get("interactions", [])]
        document["version"] = data.get("version", FORMAT_VERSION)
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"

    @staticmethod
    def deserialize(text: str) -> dict[str, Any]:
        """Return the file as vcrpy's cassette dict (bodies as the wire had them)."""
        document = json.loads(text)
        if not isinstance(document, dict) or not isinstance(document.get("interactions"), list):
            raise ValueError("not an afas-json cassette: no list of interactions")
        data: dict[str, Any] = {
            "version": document.get("version", FORMAT_VERSION),
            "interactions": [_load_interaction(i) for i in document["interactions"]],
        }
        if document.get("metadata"):
            data["metadata"] = document["metadata"]
        return data


SERIALIZER = CassetteSerializer()


def save(path: Path, interactions: list[dict[str, Any]], metadata: Mapping[str, Any]) -> None:
    """Write a cassette (vcrpy's interaction dicts) to `path`, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"version": FORMAT_VERSION, "interactions": interactions, "metadata": dict(metadata)}
    path.write_text(SERIALIZER.serialize(data), encoding="utf-8")


def load(path: Path) -> dict[str, Any]:
    """Read a cassette file as stored (bodies parsed, metadata and per-interaction notes kept)."""
    document = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(document, dict):
        raise ValueError(f"{path} is not an afas-json cassette")
    return document


def body_json(stored: Mapping[str, Any]) -> Any:
    """The JSON of a stored request or response body, or None when it is not JSON."""
    body = stored.get("body") or {}
    return body.get("json") if isinstance(body, Mapping) else None
