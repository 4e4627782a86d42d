"""The `connectors` toolset: guarded, generic reads of any GetConnector the token may read.

For what the domain tools do not cover. Every field id is checked against the connector's
metainfo before anything is sent (a misspelt field would otherwise come back as an empty list,
R2); operators are named, and mapped to AFAS's integer codes (R14); pages are ordered by the key
and continue from an opaque cursor (R8, R12, R15); values are normalised the same way
everywhere (R4, R7); and whatever the client noticed on the way (blocked records, overlapping
pages, rows that ignored the filter) comes back in `warnings`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from server.afas.filters import Filter, FilterGroup, Operator
from server.afas.models import ConnectorMeta, Row
from server.config import GET_CONNECTORS
from server.outcomes import InvalidToolInput, UnknownRecord
from tools.base import DataWarning, ToolInput, ToolSpec, Value, data_warnings, plain_value
from tools.deps import ToolDeps

DEFAULT_LIMIT = 50
MAX_LIMIT = 500

OperatorName = Literal[
    "equals",
    "greater_or_equal",
    "less_or_equal",
    "greater",
    "less",
    "contains",
    "not_equals",
    "empty",
    "not_empty",
    "starts_with",
    "not_contains",
    "not_starts_with",
    "ends_with",
    "not_ends_with",
]

OPERATORS: dict[str, Operator] = {
    "equals": Operator.EQUALS,
    "greater_or_equal": Operator.GREATER_OR_EQUAL,
    "less_or_equal": Operator.LESS_OR_EQUAL,
    "greater": Operator.GREATER_THAN,
    "less": Operator.LESS_THAN,
    "contains": Operator.CONTAINS,
    "not_equals": Operator.NOT_EQUALS,
    "empty": Operator.IS_EMPTY,
    "not_empty": Operator.IS_NOT_EMPTY,
    "starts_with": Operator.STARTS_WITH,
    "not_contains": Operator.NOT_CONTAINS,
    "not_starts_with": Operator.NOT_STARTS_WITH,
    "ends_with": Operator.ENDS_WITH,
    "not_ends_with": Operator.NOT_ENDS_WITH,
}

# Keys of the connectors afas-mcp knows (docs/connector-package.md), by logical name: a page is
# ordered by the key so no row is skipped or repeated between pages (R15).
KNOWN_KEYS: dict[str, tuple[str, ...]] = {spec.logical: spec.key for spec in GET_CONNECTORS}


def _resolve(deps: ToolDeps, name: str) -> tuple[str, str | None]:
    """(connector id, logical name) for an id or a configured logical name."""
    if name in deps.connectors:
        return deps.connectors[name], name
    logical = next((ln for ln, cid in deps.connectors.items() if cid == name), None)
    return name, logical


async def _listed_meta(deps: ToolDeps, connector_id: str) -> ConnectorMeta:
    """The connector's metainfo, after checking the token may read it at all."""
    afas = await deps.afas()
    listed = {ref.id for ref in (await afas.metainfo()).get_connectors}
    if connector_id not in listed:
        raise UnknownRecord(
            "GetConnector",
            connector_id,
            hint="Call list_connectors for the connectors this server may read; ids are "
            "case-sensitive",
        )
    return await afas.get_connector_meta(connector_id)


def _key_for(deps: ToolDeps, connector_id: str, logical: str | None) -> tuple[str, ...] | None:
    if logical in KNOWN_KEYS:
        return KNOWN_KEYS[logical]
    # An administrator may have mapped a logical name to a renamed connector; the default
    # names map too, so a standard connector queried by id still pages by its key.
    for name, key in KNOWN_KEYS.items():
        if deps.connectors.get(name) == connector_id:
            return key
    return None


# --- list_connectors -------------------------------------------------------------------------


class ListConnectorsInput(ToolInput):
    """No arguments."""


class ConnectorSummary(BaseModel):
    """One GetConnector this server's token may read."""

    connector_id: str = Field(description="The id to pass to describe_connector/query_connector.")
    description: str | None = Field(description="AFAS's description of the connector.")
    logical_name: str | None = Field(
        description="The name afas-mcp's own tools use for it (the [connectors] configuration), "
        "or null for a connector they do not use."
    )


class ConnectorList(BaseModel):
    """The GetConnectors this server's token may read."""

    connectors: list[ConnectorSummary] = Field(description="Sorted by connector id.")
    warnings: list[DataWarning] = Field(
        description="Configured connectors the token cannot read, and anything else suspect."
    )


async def connector_catalogue(deps: ToolDeps) -> ConnectorList:
    """What `list_connectors` and the `afas://connectors` resource show."""
    afas = await deps.afas()
    info = await afas.metainfo()
    logical = {cid: name for name, cid in deps.connectors.items()}
    refs = sorted({ref.id: ref for ref in info.get_connectors}.values(), key=lambda r: r.id)
    listed = {ref.id for ref in refs}
    warnings = [
        DataWarning(
            code="connector_not_linked",
            message=f"{cid} (logical name {name!r}) is configured but this token cannot read "
            "it; the tools that need it will fail until an AFAS administrator links it",
        )
        for name, cid in sorted(deps.connectors.items())
        if cid not in listed and name in KNOWN_KEYS
    ]
    return ConnectorList(
        connectors=[
            ConnectorSummary(
                connector_id=ref.id, description=ref.description, logical_name=logical.get(ref.id)
            )
            for ref in refs
        ],
        warnings=warnings,
    )


async def list_connectors(deps: ToolDeps, args: ListConnectorsInput) -> ConnectorList:
    """Handler of `list_connectors`."""
    return await connector_catalogue(deps)


# --- describe_connector ----------------------------------------------------------------------


class DescribeConnectorInput(ToolInput):
    """Which connector to describe."""

    connector_id: str = Field(
        description="A connector id from list_connectors (e.g. 'Profit_Debtor'), or a logical "
        "name such as 'debtors'. Case-sensitive."
    )


class ConnectorField(BaseModel):
    """One field of a GetConnector."""

    field_id: str = Field(description="The id to use in filters, order_by and key.")
    label: str | None = Field(description="AFAS's label for the field (often Dutch).")
    data_type: str = Field(description="string, int, decimal, boolean, date or blob.")
    length: int | None = Field(None, description="Maximum length of a string, if AFAS says.")
    decimals: int | None = Field(None, description="Decimal places of a decimal, if AFAS says.")


class ConnectorDescription(BaseModel):
    """A GetConnector's fields, as its metainfo reports them."""

    connector_id: str = Field(description="The connector id.")
    description: str | None = Field(description="AFAS's description of the connector.")
    logical_name: str | None = Field(description="afas-mcp's name for it, if its tools use it.")
    key: list[str] | None = Field(
        description="The fields that identify one row, when afas-mcp knows them; otherwise "
        "query_connector needs a `key` argument."
    )
    fields: list[ConnectorField] = Field(description="Every field, in AFAS's order.")
    warnings: list[DataWarning] = Field(description="Anything suspect about the connector.")


async def connector_details(deps: ToolDeps, name: str) -> ConnectorDescription:
    """What `describe_connector` and the `afas://connectors/{id}` resource show."""
    connector_id, logical = _resolve(deps, name)
    meta = await _listed_meta(deps, connector_id)
    key = _key_for(deps, connector_id, logical)
    warnings = []
    missing = [k for k in key or () if meta.get(k) is None]
    if missing:
        warnings.append(
            DataWarning(
                code="key_field_missing",
                message=f"key field(s) {', '.join(missing)} are not in the connector's metainfo: "
                "an AFAS administrator changed it (R6)",
            )
        )
    return ConnectorDescription(
        connector_id=connector_id,
        description=meta.description,
        logical_name=logical,
        key=list(key) if key else None,
        fields=[
            ConnectorField(
                field_id=f.id,
                label=f.label,
                data_type=f.data_type,
                length=f.length,
                decimals=f.decimals,
            )
            for f in meta.fields
        ],
        warnings=warnings,
    )


async def describe_connector(deps: ToolDeps, args: DescribeConnectorInput) -> ConnectorDescription:
    """Handler of `describe_connector`."""
    return await connector_details(deps, args.connector_id)


# --- query_connector -------------------------------------------------------------------------


class FilterCondition(BaseModel):
    """One condition: field, operator, value."""

    model_config = ConfigDict(extra="forbid")

    field: str = Field(description="A field id from describe_connector, e.g. 'DebtorName'.")
    op: OperatorName = Field(
        description="equals, not_equals, greater, greater_or_equal, less, less_or_equal; for "
        "text: contains, not_contains, starts_with, not_starts_with, ends_with, not_ends_with; "
        "empty and not_empty take no value."
    )
    value: str | int | float | bool | None = Field(
        None,
        description="The value to compare with, of the field's type: text, a number, true/false, "
        "or a date as 'YYYY-MM-DD' (or 'YYYY-MM-DDTHH:MM:SS', Amsterdam time). Omit for empty "
        "and not_empty.",
    )


class QueryConnectorInput(ToolInput):
    """A filtered, ordered, paged read of one GetConnector."""

    connector_id: str = Field(
        description="A connector id from list_connectors (e.g. 'Profit_Debtor'), or a logical "
        "name such as 'debtors'. Case-sensitive."
    )
    filters: list[FilterCondition] | list[list[FilterCondition]] = Field(
        default_factory=list,
        description="Conditions that must all hold: [{'field': 'City', 'op': 'equals', 'value': "
        "'Utrecht'}, ...]. A list of such lists means OR: a row matches when all conditions of "
        "any one inner list hold. Empty: every row.",
    )
    order_by: list[str] = Field(
        default_factory=list,
        description="Field ids to sort by, in order; prefix '-' for descending ('-Date'). The "
        "key is always added last, so pages never skip or repeat a row.",
    )
    key: list[str] | None = Field(
        None,
        description="The field ids that identify one row. Only needed for a connector whose key "
        "describe_connector does not show.",
    )
    limit: int = Field(
        DEFAULT_LIMIT,
        ge=1,
        le=MAX_LIMIT,
        description=f"Rows to return (1 to {MAX_LIMIT}; default {DEFAULT_LIMIT}).",
    )
    cursor: str | None = Field(
        None,
        description="next_cursor from the previous page of the same query; omit for the first "
        "page. A cursor only works with the arguments it came from (limit may change).",
    )


class QueryResult(BaseModel):
    """One page of rows from a GetConnector."""

    connector_id: str = Field(description="The connector read.")
    rows: list[dict[str, Value]] = Field(
        description="field id -> value. Decimals are strings with a dot ('1234.56'); dates are "
        "'YYYY-MM-DD', or ISO 8601 with the Amsterdam offset when they carry a time; empty "
        "values are null. Blocked or deleted records are left out (see warnings)."
    )
    row_count: int = Field(description="Number of rows on this page.")
    next_cursor: str | None = Field(
        description="Pass as `cursor` to get the next page; null when this was the last page."
    )
    warnings: list[DataWarning] = Field(
        description="Anything suspect: rows left out as blocked/deleted, overlapping pages that "
        "were de-duplicated, rows AFAS returned although they violate the filter. Report these."
    )


def _filter_groups(
    filters: Sequence[FilterCondition] | Sequence[Sequence[FilterCondition]],
) -> list[FilterGroup]:
    if not filters:
        return []
    nested: list[list[FilterCondition]] = (
        [list(g) for g in filters]  # type: ignore[arg-type]  # a list of lists: OR-groups
        if isinstance(filters[0], list)
        else [list(filters)]  # type: ignore[arg-type]  # a list of conditions: one AND-group
    )
    groups = []
    for index, conditions in enumerate(nested, start=1):
        if not conditions:
            raise InvalidToolInput(
                f"filter group {index} is empty", hint="Drop the empty list or add a condition"
            )
        groups.append(FilterGroup(*(_afas_filter(c) for c in conditions)))
    return groups


def _afas_filter(condition: FilterCondition) -> Filter:
    operator = OPERATORS[condition.op]
    value: object = condition.value
    if operator.takes_value and value is None:
        raise InvalidToolInput(
            f"the filter on {condition.field!r} with op {condition.op!r} has no value",
            hint="Give a value, or use op 'empty' to find rows where the field has none",
        )
    if isinstance(value, float):
        value = Decimal(repr(value))  # the digits the agent wrote, not the binary float
    return Filter(condition.field, operator, value if operator.takes_value else None)


def _query_digest(connector_id: str, args: QueryConnectorInput, key: Sequence[str]) -> str:
    canonical = json.dumps(
        {
            "connector": connector_id,
            "filters": args.model_dump(mode="json")["filters"],
            "order_by": args.order_by,
            "key": list(key),
        },
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def _seal_cursor(after: str, digest: str) -> str:
    payload = json.dumps({"q": digest, "after": after}, separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def _open_cursor(cursor: str, digest: str) -> str:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        payload = json.loads(base64.urlsafe_b64decode(padded.encode()))
        query, after = payload["q"], payload["after"]
    except (binascii.Error, ValueError, KeyError, TypeError):
        raise InvalidToolInput(
            "the cursor is not one this tool handed out",
            hint="Pass next_cursor exactly as returned, or omit cursor for the first page",
        ) from None
    if query != digest or not isinstance(after, str):
        raise InvalidToolInput(
            "the cursor belongs to a query with other arguments",
            hint="Repeat the connector_id, filters, order_by and key of the page the cursor came "
            "from, or omit cursor to start this query from its first page",
        )
    return after


def _shell_warning(shells: Sequence[Row]) -> DataWarning:
    keys = ", ".join("/".join(str(part) for part in row.key) for row in shells[:10])
    more = f" and {len(shells) - 10} more" if len(shells) > 10 else ""
    return DataWarning(
        code="shell_rows_left_out",
        message=f"{len(shells)} row(s) were blocked or deleted records (key only, every other "
        f"field empty) and were left out: {keys}{more}",
        count=len(shells),
    )


async def query_connector(deps: ToolDeps, args: QueryConnectorInput) -> QueryResult:
    """Handler of `query_connector`."""
    connector_id, logical = _resolve(deps, args.connector_id)
    meta = await _listed_meta(deps, connector_id)
    key = tuple(args.key) if args.key else _key_for(deps, connector_id, logical)
    if not key:
        raise InvalidToolInput(
            f"afas-mcp does not know which fields identify one row of {connector_id}",
            hint="Pass `key` with the field ids that together identify a row (see "
            "describe_connector); pages are ordered by it so no row is skipped or repeated",
        )
    digest = _query_digest(connector_id, args, key)
    after = _open_cursor(args.cursor, digest) if args.cursor else None
    afas = await deps.afas()
    page = await afas.fetch_page(
        connector_id,
        key=key,
        filters=_filter_groups(args.filters),
        order_by=tuple(args.order_by),
        take=args.limit,
        after=after,
        # A configured key is afas-mcp's, not the agent's: gone from metainfo, it is drift (R6).
        required_fields=() if args.key else key,
    )
    rows = [row for row in page.rows if not row.shell]
    shells = [row for row in page.rows if row.shell]
    warnings = data_warnings(page.warnings)
    if shells:
        # Ours names the keys and says they were left out; the client's says only how many.
        warnings = [w for w in warnings if w.code != "shell_rows"] + [_shell_warning(shells)]
    del meta  # checked above: the connector exists and the token may read it
    return QueryResult(
        connector_id=connector_id,
        rows=[{name: plain_value(value) for name, value in row.values.items()} for row in rows],
        row_count=len(rows),
        next_cursor=_seal_cursor(page.next_cursor, digest) if page.next_cursor else None,
        warnings=warnings,
    )


TOOLS: tuple[ToolSpec, ...] = (
    ToolSpec(
        name="list_connectors",
        toolset="connectors",
        title="List AFAS connectors",
        description=(
            "List the AFAS GetConnectors (read-only data sources) this server's token may read, "
            "with the logical names afas-mcp's own tools use for them. Use it to find a "
            "connector for query_connector when no domain tool (employees, debtors, periods, "
            "...) answers the question. Reads only; changes nothing."
        ),
        input_model=ListConnectorsInput,
        output_model=ConnectorList,
        handler=list_connectors,
        read_only=True,
        idempotent=True,
    ),
    ToolSpec(
        name="describe_connector",
        toolset="connectors",
        title="Describe an AFAS connector",
        description=(
            "Show one GetConnector's fields (field id, label, data type) and, when known, the "
            "key fields that identify a row. Call it before query_connector: filters and "
            "order_by accept only these field ids. Reads only; changes nothing."
        ),
        input_model=DescribeConnectorInput,
        output_model=ConnectorDescription,
        handler=describe_connector,
        read_only=True,
        idempotent=True,
    ),
    ToolSpec(
        name="query_connector",
        toolset="connectors",
        title="Query an AFAS connector",
        description=(
            "Read rows from one GetConnector, filtered, sorted and one page at a time. Every "
            "field id is checked against the connector before AFAS is asked, so a misspelt "
            "field is an error, never an empty answer. Filters are "
            "{field, op, value} conditions (a list is AND; a list of lists is OR of AND-groups); "
            "order_by takes field ids with '-' for descending; limit is at most 500; pass "
            "next_cursor back as cursor for the next page. Prefer a domain tool when one fits: "
            "they join connectors and fill in values AFAS keeps elsewhere, which this generic "
            "read does not. Always pass the warnings on. Reads only; changes nothing."
        ),
        input_model=QueryConnectorInput,
        output_model=QueryResult,
        handler=query_connector,
        read_only=True,
        idempotent=True,
    ),
)
