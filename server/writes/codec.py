"""Facts as JSON and back: the ledger keeps what a write tool resolved, an approval rebuilds it.

An approval may send a write days after the tool call, in another process, so the facts the
policies judge must come back from the ledger exactly: `Decimal("3500.00")` and not the text
"3500.00", `EmployeeField.SALARY` and not "salary", a `date` and not an ISO string. This codec is
generic over the frozen dataclasses of `policies.facts` (and any like them): it reads their type
hints and handles enums, `date`/`datetime`/`time`, `Decimal`, `Mapping`, tuples, sets and nested
dataclasses.

The JSON is flat and readable, because the review page shows it to approvers::

    {"employer_id": "02", "start_date": "2026-04-01", "salary": "3500.00", "person_match": "bsn"}

Only a union whose members read alike from JSON needs more (an update's `changes` map a field to
`str | int | Decimal | date | bool`, and "3600" could be text or an amount): such values are
tagged in one `"__types__"` object beside the fields, keyed by a JSON pointer to the value.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import types
import typing
from collections.abc import Mapping
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from policies.model import WriteIntent
from server.store import WriteRecord

__all__ = [
    "TYPES_KEY",
    "FactsCodecError",
    "decode_facts",
    "encode_facts",
    "intent_from_record",
]

TYPES_KEY = "__types__"

T = TypeVar("T")
Path = tuple[str, ...]
_SEQUENCES = (tuple, list, frozenset, set)


class FactsCodecError(ValueError):
    """Facts that cannot be written as JSON, or JSON that is not facts of the wanted type."""

    def __init__(self, path: Path, problem: str) -> None:
        where = "/".join(path) or "(the facts)"
        super().__init__(f"{where}: {problem}")
        self.path = path


def encode_facts(facts: object) -> dict[str, Any]:
    """The facts dataclass as a JSON-ready dict (see the module docstring for the shape).

    Raises:
        FactsCodecError: not a dataclass instance, or a value its type hints do not allow.
    """
    if not dataclasses.is_dataclass(facts) or isinstance(facts, type):
        raise FactsCodecError((), f"expected a facts dataclass, got {type(facts).__name__}")
    tags: dict[str, str] = {}
    encoded: dict[str, Any] = _encode(facts, type(facts), (), tags)
    if tags:
        encoded[TYPES_KEY] = tags
    return encoded


def decode_facts(data: object, facts_type: type[T]) -> T:
    """Rebuild facts of `facts_type` from what `encode_facts` wrote.

    Raises:
        FactsCodecError: the JSON does not fit the type; the message names the value's path.
    """
    if not isinstance(data, Mapping):
        raise FactsCodecError((), f"expected a JSON object, got {type(data).__name__}")
    raw_tags = data.get(TYPES_KEY, {})
    if not isinstance(raw_tags, Mapping):
        raise FactsCodecError((TYPES_KEY,), "must be an object of path -> type name")
    body = {key: value for key, value in data.items() if key != TYPES_KEY}
    decoded: T = _decode(body, facts_type, (), {str(k): str(v) for k, v in raw_tags.items()})
    return decoded


# --- type hints ----------------------------------------------------------------------------------


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _pointer(path: Path) -> str:
    return "/" + "/".join(part.replace("~", "~0").replace("/", "~1") for part in path)


def _strip(hint: Any) -> Any:
    while typing.get_origin(hint) is typing.Annotated:
        hint = typing.get_args(hint)[0]
    return hint


def _members(hint: Any) -> tuple[Any, ...] | None:
    """The non-None members of a union hint, or None when the hint is not a union."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return tuple(_strip(m) for m in typing.get_args(hint) if m is not type(None))
    return None


def _tag(member: Any) -> str:
    return member.__name__ if isinstance(member, type) else repr(member)


def _fits(value: object, member: Any) -> bool:
    if member is Any:
        return True
    origin = typing.get_origin(member) or member
    if origin is typing.Literal:
        return value in typing.get_args(member)
    if not isinstance(origin, type):
        return False
    if origin is int and isinstance(value, bool):
        return False  # bool is an int to Python, never to a facts field
    if origin is date and isinstance(value, datetime):
        return False
    return isinstance(value, origin)


# --- encoding ------------------------------------------------------------------------------------


def _encode(value: object, hint: Any, path: Path, tags: dict[str, str]) -> Any:
    hint = _strip(hint)
    members = _members(hint)
    if members is not None:
        if value is None:
            return None
        fitting = [m for m in members if _fits(value, m)]
        if not fitting:
            raise FactsCodecError(path, f"{type(value).__name__} is not one of {hint}")
        if len(members) > 1:
            tags[_pointer(path)] = _tag(fitting[0])
        return _encode(value, fitting[0], path, tags)
    if hint is Any:
        return _encode_any(value, path, tags)
    origin = typing.get_origin(hint)
    if origin is typing.Literal:
        return value
    if origin is not None and issubclass(origin, Mapping):
        _, value_hint = typing.get_args(hint) or (Any, Any)
        if not isinstance(value, Mapping):
            raise FactsCodecError(path, f"expected a mapping, got {type(value).__name__}")
        out: dict[str, Any] = {}
        for key, item in value.items():
            text = _key_text(key, path)
            out[text] = _encode(item, value_hint, (*path, text), tags)
        return out
    if origin in _SEQUENCES:
        return _encode_items(value, hint, origin, path, tags)
    return _encode_leaf(value, hint, path, tags)


def _encode_items(value: object, hint: Any, origin: Any, path: Path, tags: dict[str, str]) -> Any:
    if not isinstance(value, _SEQUENCES):
        raise FactsCodecError(path, f"expected a {origin.__name__}, got {type(value).__name__}")
    args = typing.get_args(hint)
    items = list(value)
    if origin is tuple and args and args[-1] is not Ellipsis:
        if len(args) != len(items):
            raise FactsCodecError(path, f"expected {len(args)} items, got {len(items)}")
        item_hints = list(args)
    else:
        item_hints = [args[0] if args else Any] * len(items)
    if isinstance(value, frozenset | set):
        # Sets have no order; sort by the JSON text so the same facts always store alike.
        items.sort(key=lambda item: repr(_encode(item, item_hints[0], path, {})))
    return [
        _encode(item, h, (*path, str(i)), tags)
        for i, (item, h) in enumerate(zip(items, item_hints, strict=True))
    ]


def _encode_leaf(value: object, hint: Any, path: Path, tags: dict[str, str]) -> Any:
    if not _fits(value, hint):
        raise FactsCodecError(path, f"expected {_tag(hint)}, got {type(value).__name__}")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        hints = _hints(type(value))
        return {
            f.name: _encode(getattr(value, f.name), hints[f.name], (*path, f.name), tags)
            for f in dataclasses.fields(value)
        }
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)  # exact: "3500.00" keeps its scale, "1E+2" its form
    if isinstance(value, date | time):  # date also covers datetime
        return value.isoformat()
    if isinstance(value, bool | int | float | str):
        return value
    raise FactsCodecError(path, f"cannot store a {type(value).__name__}")


def _encode_any(value: object, path: Path, tags: dict[str, str]) -> Any:
    if value is None:
        return None
    if isinstance(value, Mapping):
        return {_key_text(k, path): _encode_any(v, (*path, str(k)), tags) for k, v in value.items()}
    if isinstance(value, _SEQUENCES):
        return [_encode_any(v, (*path, str(i)), tags) for i, v in enumerate(value)]
    return _encode_leaf(value, type(value), path, tags)


def _key_text(key: object, path: Path) -> str:
    if isinstance(key, enum.Enum):
        return str(key.value)
    if isinstance(key, str):
        return key
    if isinstance(key, int) and not isinstance(key, bool):
        return str(key)
    if isinstance(key, date):
        return key.isoformat()
    raise FactsCodecError(path, f"cannot use a {type(key).__name__} as a mapping key")


# --- decoding ------------------------------------------------------------------------------------


def _decode(data: object, hint: Any, path: Path, tags: Mapping[str, str]) -> Any:
    hint = _strip(hint)
    members = _members(hint)
    if members is not None:
        if data is None:
            return None
        if len(members) == 1:
            return _decode(data, members[0], path, tags)
        tag = tags.get(_pointer(path))
        chosen = next((m for m in members if _tag(m) == tag), None)
        if chosen is None:
            raise FactsCodecError(path, f"no type recorded for a value of {hint} (got {tag!r})")
        return _decode(data, chosen, path, tags)
    if hint is Any:
        return data
    origin = typing.get_origin(hint)
    if origin is typing.Literal:
        if data not in typing.get_args(hint):
            raise FactsCodecError(path, f"{data!r} is not one of {typing.get_args(hint)}")
        return data
    if origin is not None and issubclass(origin, Mapping):
        key_hint, value_hint = typing.get_args(hint) or (Any, Any)
        if not isinstance(data, Mapping):
            raise FactsCodecError(path, f"expected an object, got {type(data).__name__}")
        decoded = {
            _decode_key(key, key_hint, path): _decode(item, value_hint, (*path, str(key)), tags)
            for key, item in data.items()
        }
        return decoded if origin is dict else types.MappingProxyType(decoded)
    if origin in _SEQUENCES:
        return _decode_items(data, hint, origin, path, tags)
    return _decode_leaf(data, hint, path, tags)


def _decode_items(data: object, hint: Any, origin: Any, path: Path, tags: Mapping[str, str]) -> Any:
    if not isinstance(data, list):
        raise FactsCodecError(path, f"expected an array, got {type(data).__name__}")
    args = typing.get_args(hint)
    if origin is tuple and args and args[-1] is not Ellipsis:
        if len(args) != len(data):
            raise FactsCodecError(path, f"expected {len(args)} items, got {len(data)}")
        item_hints = list(args)
    else:
        item_hints = [args[0] if args else Any] * len(data)
    items = [
        _decode(item, h, (*path, str(i)), tags)
        for i, (item, h) in enumerate(zip(data, item_hints, strict=True))
    ]
    return frozenset(items) if origin is frozenset else origin(items)


def _decode_leaf(data: object, hint: Any, path: Path, tags: Mapping[str, str]) -> Any:
    if not isinstance(hint, type):
        raise FactsCodecError(path, f"cannot rebuild a value of {hint}")
    if dataclasses.is_dataclass(hint):
        if not isinstance(data, Mapping):
            raise FactsCodecError(path, f"expected an object for {hint.__name__}")
        hints = _hints(hint)
        known = {f.name for f in dataclasses.fields(hint)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise FactsCodecError(path, f"{hint.__name__} has no field(s) {', '.join(unknown)}")
        values = {
            name: _decode(item, hints[name], (*path, name), tags) for name, item in data.items()
        }
        try:
            return hint(**values)
        except TypeError as exc:  # a required field missing from the JSON
            raise FactsCodecError(path, f"cannot build {hint.__name__}: {exc}") from None
    try:
        return _scalar(data, hint)
    except (ValueError, TypeError, InvalidOperation) as exc:
        raise FactsCodecError(path, f"{data!r} is not a {hint.__name__} ({exc})") from None


def _scalar(data: object, hint: type) -> Any:
    if issubclass(hint, enum.Enum):
        return hint(data)
    if hint is Decimal and isinstance(data, str):
        return Decimal(data)
    if hint is datetime and isinstance(data, str):
        return datetime.fromisoformat(data)
    if hint is date and isinstance(data, str):
        return date.fromisoformat(data)
    if hint is time and isinstance(data, str):
        return time.fromisoformat(data)
    if hint is float and isinstance(data, int) and not isinstance(data, bool):
        return float(data)
    if hint in (bool, int, str, float) and _fits(data, hint):
        return data
    raise TypeError(f"JSON {type(data).__name__} does not hold one")


def _decode_key(key: str, hint: Any, path: Path) -> Any:
    hint = _strip(hint)
    if hint is Any or hint is str:
        return key
    try:
        if isinstance(hint, type) and issubclass(hint, enum.Enum):
            return hint(key if not issubclass(hint, int) else int(key))
        if hint is int:
            return int(key)
        if hint is date:
            return date.fromisoformat(key)
    except ValueError as exc:
        raise FactsCodecError(path, f"key {key!r} is not a {_tag(hint)} ({exc})") from None
    raise FactsCodecError(path, f"cannot rebuild a mapping key of {hint}")


def intent_from_record(record: WriteRecord, facts_type: type[Any]) -> WriteIntent:
    """The intent a ledger row stands for: the stored body (what the digest names) and facts.

    Raises:
        FactsCodecError: the stored facts do not rebuild as `facts_type`.
    """
    return WriteIntent(
        tool=record.tool,
        connector=record.connector,
        action=record.action,
        body=record.body,
        facts=decode_facts(record.facts, facts_type),
        requester=record.requester,
        source_confidence=record.source_confidence,
        target=record.target,
    )
