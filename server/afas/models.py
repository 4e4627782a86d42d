"""What the AFAS client returns: metainfo models parsed at the edge, and read/write results.

Metainfo comes from AFAS as JSON and is parsed with pydantic (lenient about extra keys, strict
about the ones we rely on). Rows, pages and write results are plain frozen dataclasses.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "ConnectorMeta",
    "ConnectorRef",
    "EnvironmentInfo",
    "FieldMeta",
    "MetaInfo",
    "Page",
    "ReadWarning",
    "Row",
    "UpdateConnectorMeta",
    "UpdateFieldMeta",
    "UpdateObjectMeta",
    "UpdateResult",
]

EnvironmentType = Literal["production", "test", "accept"]

# Environment names start with O (production), T (test) or A (accept), then the number.
_ENV_NAME = re.compile(r"(?P<letter>[OTA])(?P<digits>\d+)(?P<suffix>[A-Z]*)")
_TYPE_BY_LETTER: dict[str, EnvironmentType] = {"O": "production", "T": "test", "A": "accept"}


class _Edge(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)


class FieldMeta(_Edge):
    """One field of a GetConnector, from `/metainfo/get/{connector}`.

    `id` is what rows, filters and sorting use; `field_id` is Profit's internal code.
    """

    id: str
    field_id: str | None = Field(default=None, alias="fieldId")
    data_type: str = Field(default="string", alias="dataType")
    label: str | None = None
    length: int | None = None
    control_type: int | None = Field(default=None, alias="controlType")
    decimals: int | None = None
    decimals_field_id: str | None = Field(default=None, alias="decimalsFieldId")


class ConnectorMeta(_Edge):
    """A GetConnector's metainfo: its name, description and fields."""

    name: str
    description: str | None = None
    fields: tuple[FieldMeta, ...] = ()

    @property
    def types(self) -> dict[str, str]:
        """Field id → dataType."""
        return {f.id: f.data_type for f in self.fields}

    def get(self, field_id: str) -> FieldMeta | None:
        """The field with this id, or None."""
        return next((f for f in self.fields if f.id == field_id), None)

    def snapshot(self) -> dict[str, Any]:
        """A JSON-ready record of the shape, to store and diff against later (R6)."""
        return {
            "name": self.name,
            "fields": {f.id: f.data_type for f in self.fields},
        }


class UpdateFieldMeta(_Edge):
    """One field of an UpdateConnector object, from `/metainfo/update/{connector}`."""

    field_id: str = Field(alias="fieldId")
    primary_key: bool = Field(default=False, alias="primaryKey")
    data_type: str = Field(default="string", alias="dataType")
    label: str | None = None
    mandatory: bool = False
    length: int | None = None
    decimals: int | None = None
    values: tuple[dict[str, Any], ...] | None = None


class UpdateObjectMeta(_Edge):
    """An object (the root or a sub-object) of an UpdateConnector, with its nested objects."""

    name: str
    fields: tuple[UpdateFieldMeta, ...] = ()
    objects: tuple[UpdateObjectMeta, ...] = ()


class UpdateConnectorMeta(UpdateObjectMeta):
    """An UpdateConnector's metainfo; `name` is the root object of its payload.

    AFAS's shape here is not fully documented, so the raw JSON is kept too.
    """

    id: str | None = None
    description: str | None = None
    raw: dict[str, Any] = Field(default_factory=dict, exclude=True)


class ConnectorRef(_Edge):
    """A connector listed by `/metainfo`."""

    id: str
    description: str | None = None


class EnvironmentInfo(_Edge):
    """What AFAS says about the environment and the token (`info` of `/metainfo`)."""

    envid: str | None = None
    app_name: str | None = Field(default=None, alias="appName")
    group: str | None = None
    token_expiry: str | None = Field(default=None, alias="tokenExpiry")

    @property
    def environment_id(self) -> str | None:
        """The environment number (digits only), e.g. `12345` from `T12345AA`."""
        match = _ENV_NAME.fullmatch(self.envid or "")
        if match:
            return match["digits"]
        digits = "".join(ch for ch in self.envid or "" if ch.isdigit())
        return digits or None

    @property
    def environment_type(self) -> EnvironmentType | None:
        """production, test or accept, from the first letter of the environment name."""
        match = _ENV_NAME.fullmatch(self.envid or "")
        return _TYPE_BY_LETTER[match["letter"]] if match else None

    @property
    def token_expires(self) -> str | None:
        """The token expiry AFAS reports, or None when it reports none (`"0"` or empty)."""
        value = (self.token_expiry or "").strip()
        return None if value in {"", "0"} else value


class MetaInfo(_Edge):
    """`/metainfo`: the connectors linked to the token's App Connector, and the environment."""

    get_connectors: tuple[ConnectorRef, ...] = Field(default=(), alias="getConnectors")
    update_connectors: tuple[ConnectorRef, ...] = Field(default=(), alias="updateConnectors")
    custom_connectors: tuple[ConnectorRef, ...] = Field(default=(), alias="customConnectors")
    info: EnvironmentInfo = Field(default_factory=EnvironmentInfo)


@dataclass(frozen=True, slots=True)
class ReadWarning:
    """Something suspect the client noticed and handled; tools show these to agents.

    Attributes:
        code: a stable identifier, e.g. `overlap_deduplicated`, `shell_rows`, `page_shrunk`.
        message: one sentence for a person or an agent.
        connector: the connector read.
        count: how many rows or calls it concerned, where that makes sense.
    """

    code: str
    message: str
    connector: str
    count: int | None = None


@dataclass(frozen=True, slots=True)
class Row:
    """One GetConnector row with its values normalised by metainfo dataType.

    Attributes:
        values: field id → normalised value (`Decimal`, aware `datetime`, `bool`, `int`, `str`,
            None).
        key: the values of the key fields, in key order.
        shell: True for a tombstone: key present, payload stripped (R5). Never treat as data.
        raw: the row exactly as AFAS sent it.
    """

    values: Mapping[str, object]
    key: tuple[object, ...]
    shell: bool = False
    raw: Mapping[str, object] = field(default_factory=dict, repr=False)

    def __getitem__(self, field_id: str) -> object:
        return self.values[field_id]


@dataclass(frozen=True, slots=True)
class Page:
    """One page for cursor-based tools.

    Attributes:
        rows: the rows of this page.
        next_cursor: pass as `after` to get the next page; None when this was the last.
        warnings: what the client noticed while reading it.
    """

    rows: tuple[Row, ...]
    next_cursor: str | None
    warnings: tuple[ReadWarning, ...] = ()


@dataclass(frozen=True, slots=True)
class UpdateResult:
    """What an UpdateConnector call returned.

    Attributes:
        connector: the UpdateConnector called.
        status_code: the HTTP status (201 for POST/PUT, 200 for DELETE, any 2xx accepted).
        keys: the key fields AFAS returned for the (first) object, values as strings; empty when
            AFAS returned no body, as it does for about half of the UpdateConnectors.
        results: every returned object, when AFAS returned a list.
        object_name: the name AFAS put under `results` (connector or root object name).
        raw: the parsed body, or None when it was empty.
    """

    connector: str
    status_code: int
    keys: Mapping[str, str] = field(default_factory=dict)
    results: tuple[Mapping[str, str], ...] = ()
    object_name: str | None = None
    raw: object = field(default=None, repr=False)


def parse_environment_name(name: str) -> tuple[EnvironmentType, str] | None:
    """Split an environment name like `T12345AA` into (`test`, `12345`); None if not one."""
    match = _ENV_NAME.fullmatch(name.strip())
    if not match or not match["suffix"]:
        return None
    return _TYPE_BY_LETTER[match["letter"]], match["digits"]
